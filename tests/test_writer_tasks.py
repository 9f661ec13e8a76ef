"""Writers' commands: scaffolding new content, run as writers run them."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess

import pytest

from tests.support import ROOT, invoke


@pytest.fixture
def running_preview(project_copy):
    """Pretend `make serve` runs in the copy: its state file, a process, a port."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        state = {"host": "127.0.0.1", "port": port, "pid": os.getpid()}
        (project_copy / ".preview-server.json").write_text(json.dumps(state))
        yield f"http://127.0.0.1:{port}/"


def test_new_article_writes_a_valid_draft_dated_today(project_copy):
    result = invoke(
        project_copy, "new-article", "How Infusions Work", "--category", "Research"
    )
    assert result.returncode == 0, result.stderr
    path = project_copy / "content" / "articles" / "how-infusions-work.md"
    assert result.stdout.splitlines() == [
        "Wrote content/articles/how-infusions-work.md",
        "Preview it with `make serve` at "
        "http://127.0.0.1:8000/drafts/how-infusions-work/ while it is a draft, and "
        "at /how-infusions-work/ once you remove `Status: draft`.",
    ]
    text = path.read_text()
    assert text.startswith(
        "Title: How Infusions Work\n"
        f"Date: {dt.date.today().isoformat()}\n"
        "Summary: Replace this sentence with a summary of 50 to 160 characters.\n"
        "Author: Fixture Writer\n"
        "Category: Research\n"
        "Slug: how-infusions-work\n"
        "Status: draft\n\n"
    )
    check = invoke(project_copy, "check")
    assert check.returncode == 0, check.stderr
    assert "7 articles" in check.stderr  # the six fixture articles and this one


def test_new_article_names_the_running_preview(project_copy, running_preview):
    result = invoke(project_copy, "new-article", "How Infusions Work")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        f"The running preview shows it at {running_preview}drafts/how-infusions-work/ "
        "while it is a draft, and at /how-infusions-work/ once you remove `Status: "
        "draft` (an open tab follows it there)."
    )


def test_new_article_never_overwrites(project_copy):
    path = project_copy / "content" / "articles" / "older-notes.md"
    before = path.read_text()
    result = invoke(project_copy, "new-article", "Older Notes")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "content/articles/older-notes.md already exists; nothing was written. Edit it, "
        "or choose another title or id."
    )
    assert path.read_text() == before


def test_new_article_suggests_a_known_category(project_copy):
    result = invoke(project_copy, "new-article", "Anything", "--category", "reserch")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "'reserch' is not a category in content/taxonomy.yaml. Did you mean "
        "'Research'? Known: Mental health, Research."
    )
    assert not (project_copy / "content" / "articles" / "anything.md").exists()


def test_publishing_a_scaffold_unchanged_is_refused(project_copy):
    invoke(project_copy, "new-article", "Half Written")
    path = project_copy / "content" / "articles" / "half-written.md"
    path.write_text(path.read_text().replace("Status: draft\n", ""))
    result = invoke(project_copy, "check")
    assert result.returncode == 1
    assert (
        "content/articles/half-written.md:3: summary: still holds the placeholder"
        in result.stderr
    )


def test_new_testimonial_names_its_card_on_the_testimonials_page(
    project_copy, running_preview, fixture_site
):
    result = invoke(project_copy, "new-testimonial", "--id", "jane-pasadena")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "The running preview shows it on the testimonials page: "
        f"{running_preview}testimonials/#testimonial-jane-pasadena"
    )
    # The address's anchor is the card's id on that page.
    page = fixture_site.soup("testimonials/")
    assert page.find(id="testimonial-ana-fixture").name == "figure"


def test_new_testimonial_writes_consent_fields_to_fill_in(project_copy):
    result = invoke(project_copy, "new-testimonial", "--id", "jane-pasadena")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "Preview it with `make serve` on the testimonials page: "
        "http://127.0.0.1:8000/testimonials/#testimonial-jane-pasadena"
    )
    text = (
        project_copy / "content" / "testimonials" / "jane-pasadena.yaml"
    ).read_text()
    assert "id: jane-pasadena\n" in text
    assert "  status: pending\n" in text
    for field in ("record:", "date:", "scope:", "expires:", "method:", "connection:"):
        assert field in text
    # Until it is filled in and consented, previews show it and publishing
    # leaves it out; nothing blocks the rest of the site.
    check = invoke(project_copy, "check")
    assert check.returncode == 0, check.stderr
    assert [
        line.split(": ")[2] for line in check.stderr.splitlines() if "todo:" in line
    ] == [
        "name",
        "place",
        "condition",
        "quote",
        "collection.method",
        "collection.date",
        "collection.material_connection",
        "consent.record",
        "consent.date",
        "consent.scope",
    ]
    publish_check = invoke(project_copy, "check", "--publish")
    assert publish_check.returncode == 0, publish_check.stderr
    assert (
        "withheld: content/testimonials/jane-pasadena.yaml:12: consent: consent is "
        "still 'pending'" in publish_check.stderr
    )
    again = invoke(project_copy, "new-testimonial", "--id", "jane-pasadena")
    assert again.returncode == 1
    assert "already exists; nothing was written" in again.stderr


def test_new_testimonial_rejects_a_bad_id(project_copy):
    result = invoke(project_copy, "new-testimonial", "--id", "Jane Pasadena")
    assert result.returncode == 1
    assert "'Jane Pasadena' is not a valid id" in result.stderr


def test_pre_commit_runs_the_content_check(project_copy):
    # The hooks run from .venv and `make check`: give the copy both, unchanged.
    for name in (
        "Makefile",
        "requirements.lock",
        "requirements-serve.lock",
        ".pre-commit-config.yaml",
    ):
        shutil.copy2(ROOT / name, project_copy)
    for lock in ("requirements.lock", "requirements-serve.lock"):
        # Older than the shared .venv's stamps, whatever the checkout's dates:
        # make must reuse that .venv, not build one.
        os.utime(project_copy / lock, (0, 0))
    (project_copy / ".venv").symlink_to(ROOT / ".venv")
    article = project_copy / "content" / "articles" / "older-notes.md"
    article.write_text(
        article.read_text().replace("Category: Mental health", "Category: Mental")
    )
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project_copy, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project_copy, check=True)
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "pre-commit"),
            "run",
            "content-check",
            "--all-files",
        ],
        cwd=project_copy,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert (
        "content/articles/older-notes.md:5: category: 'Mental' is not a known"
        in result.stdout
    )


@pytest.mark.parametrize("title", ["Two\nlines", "Tab\there", "   ", "Bell\x07"])
def test_new_article_refuses_a_title_that_is_not_one_line(project_copy, title):
    result = invoke(project_copy, "new-article", title)
    assert result.returncode == 1
    assert "must be one line of text" in result.stderr
    assert "Traceback" not in result.stderr
    assert list((project_copy / "content" / "articles").glob("two*")) == []
