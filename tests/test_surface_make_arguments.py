"""The Makefile hands writers' values to the tasks exactly as typed.

`make new-article TITLE='$HOME `echo x`'` must write that title, not the
home folder and x: neither make (`$(shell …)`, `$HOME` read as `$H`) nor the
shell (`$`, backticks, `;`, quotes, newlines) may read a value as code. Real
`make` runs, in a copy of the project: against a stand-in for invoke that
records what it was given, for every target with a value, and against the
real tasks for the titles.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import shutil
import subprocess

import pytest

from tests.support import ROOT

HOSTILE = [
    "$HOME `echo x`",
    "$(shell touch pwned)",
    "${HOME} $$HOME $(HOME) $PATH",
    '"; touch pwned; echo "',
    "'; touch pwned; echo '",
    "`touch pwned`",
    "$(touch pwned)",
    "a; touch pwned",
    "a && touch pwned || touch pwned",
    "ends with a backslash \\",
    "# not a comment",
    "50% off & more | less > file < file",
    "first line\nsecond line; touch pwned",
    "  spaces around  ",
    "*",
]
PWNED = "pwned"


def make(project: Path, *arguments: str, env: dict[str, str] | None = None):
    """Run make in `project` with a clean environment plus `env`; capture it."""
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/")}
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**environment, **(env or {})},
    )


def with_makefile(project: Path, venv: Path) -> Path:
    """Give `project` the Makefile, its locks and the virtualenv `venv`."""
    shutil.copy2(ROOT / "Makefile", project)
    for lock in ("requirements.lock", "requirements-serve.lock"):
        shutil.copy2(ROOT / lock, project)
        # Older than the virtualenv's stamps: make must not rebuild it.
        os.utime(project / lock, (0, 0))
    (project / ".venv").symlink_to(venv)
    return project


@pytest.fixture
def recorded(tmp_path) -> tuple[Path, Path]:
    """Return a project whose invoke records its arguments, and the record."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    record = tmp_path / "invoked.jsonl"
    invoke = venv / "bin" / "invoke"
    invoke.write_text(
        "#!/usr/bin/env python3\n"
        "import json, sys\n"
        f"with open({str(record)!r}, 'a') as record:\n"
        "    record.write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    invoke.chmod(0o755)
    for stamp in (".installed-serve", ".installed"):
        (venv / stamp).touch()
    project = tmp_path / "project"
    project.mkdir()
    return with_makefile(project, venv), record


def invoked(record: Path) -> list[list[str]]:
    if not record.exists():
        return []
    return [json.loads(line) for line in record.read_text().splitlines()]


TARGETS = {
    # target, its variable, what invoke must be given for a value
    "new-article": ("TITLE", lambda value: ["new-article", value]),
    "new-testimonial": ("ID", lambda value: ["new-testimonial", "--id", value]),
    "bench-web": ("RUNS", lambda value: ["bench-web", "--runs", value]),
    "bench-build": ("SIZES", lambda value: ["bench-build", "--sizes", value]),
    "editorial-report": (
        "OUTPUT",
        lambda value: ["editorial-report", "--output", value],
    ),
}


@pytest.mark.parametrize("given", ["command line", "environment"])
@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("target", TARGETS)
def test_a_value_reaches_its_task_as_typed(recorded, target, value, given):
    project, record = recorded
    variable, expected = TARGETS[target]
    if given == "command line":
        result = make(project, target, f"{variable}={value}")
        # Make itself drops the spaces after `=` as it reads its command line.
        value = value.lstrip()
    else:
        result = make(project, target, env={variable: value})
    assert result.returncode == 0, result.stderr
    assert invoked(record) == [expected(value)]
    assert not (project / PWNED).exists()


def test_editorial_report_prints_unless_told_a_file_and_checks_links_unless_offline(
    recorded,
):
    project, record = recorded
    for arguments in ([], ["OFFLINE=1"], ["OUTPUT=report.md", "OFFLINE=1"]):
        result = make(project, "editorial-report", *arguments)
        assert result.returncode == 0, result.stderr
    assert invoked(record) == [
        ["editorial-report"],
        ["editorial-report", "--offline"],
        ["editorial-report", "--output", "report.md", "--offline"],
    ]


@pytest.mark.parametrize("target", ["check", "check-publish"])
def test_only_names_files_as_typed(recorded, target):
    project, record = recorded
    only = "content/a.md $(shell touch pwned) `touch pwned` * $HOME 'b.md"
    result = make(project, target, f"ONLY={only}")
    assert result.returncode == 0, result.stderr
    words = ["content/a.md", "$(shell", "touch", "pwned)", "`touch", "pwned`"]
    words += ["*", "$HOME", "'b.md"]
    publish = ["--publish"] if target == "check-publish" else []
    assert invoked(record) == [
        ["check", *publish, *[part for word in words for part in ("--only", word)]]
    ]
    assert not (project / PWNED).exists()
    # Without ONLY, no --only at all.
    make(project, target)
    assert invoked(record)[-1] == ["check", *publish]


@pytest.mark.parametrize("given", ["command line", "environment"])
def test_serve_takes_a_port_and_refuses_anything_else(recorded, given):
    project, record = recorded

    def serve(port: str):
        if given == "command line":
            return make(project, "serve", f"PORT={port}")
        return make(project, "serve", env={"PORT": port})

    assert serve("8001").returncode == 0
    assert invoked(record) == [["livereload", "--port", "8001"]]
    for value in ("8001; touch pwned", "$(shell touch pwned)", "`touch pwned`"):
        refused = serve(value)
        assert refused.returncode == 2
        assert refused.stderr.startswith(
            f'PORT must be a number, e.g. make serve PORT=8001, not "{value}".'
        )
    assert len(invoked(record)) == 1
    assert not (project / PWNED).exists()
    make(project, "serve")
    assert invoked(record)[-1] == ["livereload"]


def test_siteurl_on_the_command_line_reaches_publishconf_as_typed(recorded):
    project, _record = recorded
    (project / "Makefile").write_text(
        (project / "Makefile").read_text()
        + "\nshow-siteurl:\n\t@printf '[%s]' \"$${SITEURL-unset}\"\n"
    )
    value = "https://example.org/$(shell touch pwned)"
    assert make(project, "show-siteurl", f"SITEURL={value}").stdout == f"[{value}]"
    # Not given: not set either, so publishconf.py keeps its own default.
    assert make(project, "show-siteurl").stdout == "[unset]"
    assert not (project / PWNED).exists()


@pytest.mark.parametrize(
    "title", [value for value in HOSTILE if "\n" not in value and value.strip()]
)
def test_make_new_article_writes_the_title_exactly(project_copy, title):
    project = with_makefile(project_copy, ROOT / ".venv")
    result = make(project, "new-article", f"TITLE={title}")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    (written,) = [
        line.removeprefix("Wrote ")
        for line in result.stdout.splitlines()
        if line.startswith("Wrote ")
    ]
    first_line = (project / written).read_text().splitlines()[0]
    assert first_line == f"Title: {title.lstrip()}"  # make drops the spaces after =
    assert not (project / PWNED).exists()
