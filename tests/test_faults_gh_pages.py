"""Hostile file names never reach gh-pages: refused, naming the file, before git runs.

ghp-import writes every path raw into `git fast-import`: a file name holding a
line break injects commands, so a file of content/extra/ could rewrite the
live index.html or CNAME. These publish such names for real into a local bare
repository standing in for GitHub, and through the tasks a maintainer runs.
"""

from __future__ import annotations

import os
from pathlib import Path
import shutil
import subprocess

import pytest

from deploy.gh_pages import (
    Branch,
    DeployError,
    publish_preview,
    publish_site,
    unsafe_path,
)
from tests.support import ROOT, git, invoke, write_site
from tests.test_manifest import built_site

IDENTITY = {"user.name": "Deploy Bot", "user.email": "deploy@example.org"}
LIVE = {"index.html": "the live home page", "CNAME": "blog.clinic.example\n"}
# Each rewrites a live file through ghp-import's stream, or would be read
# by git as another name.
HOSTILE_NAMES = {
    "injects index.html": "extra/a\ndata 0\nM 100644 inline index.html",
    "injects CNAME": "extra/b\ndata 0\nM 100644 inline CNAME",
    "carriage return": "extra/c\rdata 0",
    "line separator": "extra/d\u2028e.txt",
    "paragraph separator": "extra/d\u2029e.txt",
    "DEL": "extra/f\x7f.txt",
    "tab": "extra/g\th.txt",
    "C1 next line": "extra/i\x85j.txt",
    "quoted name unquoted by git": '"CNAME"',
    "quoted folder": '"extra"/x.txt',
    "a .git folder": ".GIT/config",
}


@pytest.fixture(autouse=True)
def _isolated(isolated_git) -> None:
    """Every test here sets its own git identity."""


@pytest.fixture
def branch(tmp_path) -> Branch:
    """Return a working copy whose `origin` holds the live site on gh-pages."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "init", "--quiet", str(work)], check=True)
    for key, value in IDENTITY.items():
        git(work, "config", key, value)
    git(work, "remote", "add", "origin", str(remote))
    pages = Branch(work)
    publish_site(pages, built_site(tmp_path / "live", LIVE))
    return pages


def published(branch: Branch) -> dict[str, str]:
    """Return the files on the remote's gh-pages branch: {path: blob id}."""
    remote = branch.repository.parent / "remote.git"
    listing = git(remote, "ls-tree", "-r", "-z", "gh-pages")
    entries = (entry.split("\t", 1) for entry in listing.split("\0") if entry)
    return {name: meta.split()[2] for meta, name in entries}


def blob(text: str) -> str:
    """Return the id git gives a file holding `text`."""
    return subprocess.run(
        ["git", "hash-object", "--stdin"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def hostile_site(folder: Path, name: str | bytes) -> Path:
    """Write a built site with one more file, named `name`, that says DEFACED."""
    write_site(folder, {"index.html": "the new home page"})
    target = os.path.join(os.fsencode(folder), os.fsencode(name))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as file:
        file.write(b"DEFACED")
    return folder


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_a_hostile_file_name_is_refused_and_the_live_site_stays(branch, tmp_path, name):
    before = published(branch)
    assert before["index.html"] == blob(LIVE["index.html"])
    with pytest.raises(DeployError) as refused:
        publish_site(branch, hostile_site(tmp_path / "output", name))
    message = str(refused.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith("nothing was published: output/")
    assert "Rename or remove" in message
    assert published(branch) == before


def test_the_message_shows_the_name_escaped_on_one_line(branch, tmp_path):
    with pytest.raises(DeployError) as refused:
        publish_site(
            branch, hostile_site(tmp_path / "output", HOSTILE_NAMES["injects CNAME"])
        )
    assert (
        "output/extra/b\\ndata 0\\nM 100644 inline CNAME cannot go to gh-pages"
        in str(refused.value)
    )


def test_a_name_that_is_not_utf8_is_refused(branch, tmp_path):
    before = published(branch)
    with pytest.raises(DeployError, match="not valid UTF-8"):
        publish_site(branch, hostile_site(tmp_path / "output", b"extra/caf\xe9.txt"))
    assert published(branch) == before


def test_a_hostile_preview_is_refused_and_nothing_else_changes(branch, tmp_path):
    before = published(branch)
    site = hostile_site(tmp_path / "output", HOSTILE_NAMES["injects index.html"])
    with pytest.raises(DeployError, match="cannot go to gh-pages safely"):
        publish_preview(branch, site, 7)
    assert published(branch) == before


def test_ordinary_names_pass(branch, tmp_path):
    names = [
        "café/index.html",
        "a b/c'd.txt",
        'quote"inside.txt',
        "_headers",
        ".nojekyll",
    ]
    assert [unsafe_path(name) for name in names] == [""] * len(names)
    publish_site(branch, built_site(tmp_path / "ok", dict.fromkeys(names, "ok")))
    assert set(names) <= set(published(branch))


@pytest.fixture
def project(project_copy, tmp_path, monkeypatch) -> Path:
    """Return the project copy, published once, then given two hostile names.

    A committed repository with a bare `origin`, as in tests/test_publishing.py.
    """
    monkeypatch.setenv("PUBLISH_TEST_COMMAND", "true")
    monkeypatch.setenv("SITEURL", "https://clinic.github.io/blog")
    shutil.copy(ROOT / ".gitignore", project_copy)
    git(project_copy, "init", "--quiet", "-b", "main")
    git(project_copy, "config", "user.name", "Clinic Deploys")
    git(project_copy, "config", "user.email", "deploys@clinic.example")
    git(project_copy, "add", "-A")
    git(project_copy, "commit", "--quiet", "-m", "The site")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    git(project_copy, "remote", "add", "origin", str(remote))
    result = invoke(project_copy, "gh-pages")
    assert result.returncode == 0, result.stderr
    content = project_copy / "content"
    (content / "extra").mkdir(exist_ok=True)
    (content / HOSTILE_NAMES["injects index.html"]).write_text("DEFACED")
    (content / HOSTILE_NAMES["injects CNAME"]).write_text("evil.example\n")
    git(project_copy, "add", "-A")
    git(project_copy, "commit", "--quiet", "-m", "Hostile names")
    return project_copy


@pytest.mark.parametrize(
    "task",
    [
        ["gh-pages"],
        ["preview", "--pr", "5"],
    ],
    ids=["gh-pages", "preview"],
)
def test_the_tasks_refuse_a_hostile_name_in_one_plain_line(project, task):
    branch = Branch(project)
    before = published(branch)
    result = invoke(project, *task)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Published" not in result.stdout and "Preview:" not in result.stdout
    assert published(branch) == before
    assert blob("DEFACED") not in before.values()
    # The content check refuses such a name first, naming it; the deploy's own
    # guard (tested above) stands behind it.
    assert "content/extra/a" in result.stderr or (
        "Deploy stopped: nothing was published: output/extra/" in result.stderr
    )
