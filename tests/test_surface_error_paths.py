"""The preview's error page sends no absolute path of the machine, and no traceback.

A build that fails outside the content (a broken template, a plugin's bug)
shows its own text; that text names files by absolute path (the repository,
the virtualenv, Python's library, the home folder), which the page must
turn into relative names before any browser sees it.
"""

from __future__ import annotations

import os
from pathlib import Path
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request

from bs4 import BeautifulSoup
import pytest

from tests.support import ROOT, free_port, text
from tests.test_preview_server import interrupt, start_preview, wait_until_serving
from tools.build import BuildProblem, BuildResult
from tools.devserver import PreviewSite
from tools.preview_pages import error_page, failure_lines, local_names

VENV = Path(sys.prefix)
STDLIB = Path(sysconfig.get_path("stdlib"))
HOME = Path.home()


def machine_paths() -> set[str]:
    """Every absolute form of the places the page must never name."""
    places = {ROOT, VENV, STDLIB, HOME}
    return {str(p) for p in places} | {os.path.realpath(p) for p in places}


def shown(body: bytes) -> str:
    errors = BeautifulSoup(body, "html.parser").select_one("#build-errors")
    return text(errors.get_text(" "))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (f"{ROOT}/theme/templates/x.html", "theme/templates/x.html"),
        (f'File "{ROOT}/plugins/seo/meta.py", line 3', 'File "plugins/seo/meta.py"'),
        (f"{VENV}/lib/python3.11/site-packages/x.py", ".venv/lib/python3.11/"),
        (
            f"{os.path.realpath(VENV)}/lib/python3.11/site-packages/x.py",
            ".venv/lib/python3.11/",
        ),
        (f"{STDLIB}/runpy.py", "<python>/runpy.py"),
        (f"{HOME}/other-project/notes.txt", "~/other-project/notes.txt"),
        (f"cannot write to {ROOT}: read-only", "cannot write to .: read-only"),
    ],
)
def test_local_names_turn_absolute_paths_into_relative_ones(written, expected):
    local = local_names(written)
    assert expected in local
    for place in machine_paths():
        assert place not in local, place


def test_a_folder_beside_the_repository_is_not_taken_for_it():
    local = local_names(f"{ROOT}-old/theme/x.html")
    assert local.endswith(f"{ROOT.name}-old/theme/x.html")
    assert not local.startswith("-old")


def test_a_traceback_becomes_where_and_why_the_build_stopped():
    traceback = "\n".join(
        [
            "WARNING: a Pelican notice before it",
            "Traceback (most recent call last):",
            f'  File "{STDLIB}/runpy.py", line 198, in _run_module_as_main',
            f'  File "{ROOT}/tools/build.py", line 311, in <module>',
            f'  File "{VENV}/lib/python3.11/site-packages/jinja2/loaders.py", line 9',
            "    code = environment.compile(source, name, filename)",
            f'  File "{ROOT}/theme/templates/article.html", line 4, in template',
            "    {{ article.title|nosuchfilter }}",
            "jinja2.exceptions.TemplateAssertionError: No filter named 'nosuchfilter'.",
        ]
    )
    assert failure_lines(traceback) == [
        "WARNING: a Pelican notice before it",
        "The build stopped at theme/templates/article.html, line 4: "
        "TemplateAssertionError: No filter named 'nosuchfilter'.",
        "The terminal where `make serve` runs shows the full report.",
    ]
    body = error_page(traceback)
    assert b"Traceback" not in body
    assert b"site-packages" not in body


def test_the_error_page_names_no_machine_path(tmp_path):
    app = PreviewSite(tmp_path)
    problem = BuildProblem(
        "content/articles/a.md",
        2,
        "image",
        f"{ROOT}/content/images/x.png cannot be read ({HOME}/x)",
        "images",
    )
    for result in (
        BuildResult(ok=False, messages=f"ERROR: {ROOT}/theme/templates/x.html: bad"),
        BuildResult(ok=False, messages="1 problem", problems=(problem,)),
    ):
        app.record(result)
        body = error_page(app.errors, app.problems).decode()
        for place in machine_paths():
            assert place not in body, place
    assert "content/images/x.png cannot be read (~/x)" in body


def failed_page(url: str, server: subprocess.Popen, seconds: float = 60) -> bytes:
    """Return the body `url` answers once the preview's build has failed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the preview ended"
        try:
            urllib.request.urlopen(url, timeout=5)
        except urllib.error.HTTPError as failed:
            if failed.code == 500:
                return failed.read()
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed a failed build in {seconds} s")


def test_a_broken_template_in_a_running_preview_shows_relative_paths(project_copy):
    """The real build's text for a template error, through the running preview."""
    port = free_port()
    template = project_copy / "theme" / "templates" / "article.html"
    with start_preview(project_copy, port) as server:
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/", server)
            template.write_text(
                '{% extends "base.html" %}{% block content %}'
                "{{ article.title|nosuchfilter }}{% endblock %}"
            )
            body = failed_page(f"http://127.0.0.1:{port}/", server)
        finally:
            _, stderr = interrupt(server)
    page = body.decode()
    assert shown(body).startswith(
        "The build stopped at theme/templates/article.html, line 1: "
        "TemplateAssertionError: No filter named 'nosuchfilter'. "
        "Nothing was published"
    )
    assert "Traceback" not in page
    for place in {*machine_paths(), str(project_copy), os.path.realpath(project_copy)}:
        assert place not in page, place
    # Nor in the terminal: the whole report is kept for whoever debugs it.
    assert "Traceback" not in stderr
    report = (project_copy / ".build-failure.log").read_text()
    assert "Traceback (most recent call last):" in report
