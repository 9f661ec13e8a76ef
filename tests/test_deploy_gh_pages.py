"""The gh-pages branch in real git; a local bare repository stands in for GitHub."""

from __future__ import annotations

import subprocess

from manifest import MANIFEST_FILE
import pytest

from deploy.gh_pages import (
    Branch,
    DeployError,
    publish_preview,
    publish_site,
    remove_preview,
    rollback,
)
from tests.support import git
from tests.test_manifest import PLANTED, built_site, planted_copy

IDENTITY = {"user.name": "Deploy Bot", "user.email": "deploy@example.org"}


@pytest.fixture(autouse=True)
def _isolated(isolated_git) -> None:
    """Every test here sets its own git identity."""


@pytest.fixture
def branch(tmp_path) -> Branch:
    """Return a working copy whose `origin` is an empty bare repository."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    work = tmp_path / "work"
    subprocess.run(["git", "init", "--quiet", str(work)], check=True)
    for key, value in IDENTITY.items():
        git(work, "config", key, value)
    git(work, "remote", "add", "origin", str(remote))
    return Branch(work)


def published(branch: Branch) -> dict[str, str]:
    """Return the files on the remote's gh-pages branch: {path: text}."""
    remote = branch.repository.parent / "remote.git"
    names = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split()
    return {name: git(remote, "show", f"gh-pages:{name}") for name in names}


def remote_tip(branch: Branch) -> str:
    remote = branch.repository.parent / "remote.git"
    return git(remote, "rev-parse", "--verify", "--quiet", "gh-pages").strip()


def test_site_deploy_writes_nojekyll_and_a_real_identity(branch, tmp_path):
    publish_site(branch, built_site(tmp_path / "out", {"index.html": "home v1"}))
    assert published(branch) == {".nojekyll": "", "index.html": "home v1"}
    remote = branch.repository.parent / "remote.git"
    author = git(remote, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%s", "gh-pages")
    bot = "Deploy Bot <deploy@example.org>"
    assert author == f"{bot}|{bot}|Publish site\n"


def test_site_deploy_keeps_previews_and_cname(branch, tmp_path):
    publish_site(
        branch,
        built_site(
            tmp_path / "v1", {"index.html": "v1", "CNAME": "blog.clinic.example\n"}
        ),
    )
    publish_preview(branch, built_site(tmp_path / "pr", {"index.html": "preview 7"}), 7)
    publish_site(
        branch,
        built_site(tmp_path / "v2", {"index.html": "v2", "new/index.html": "new page"}),
    )
    assert published(branch) == {
        ".nojekyll": "",
        "CNAME": "blog.clinic.example\n",
        "index.html": "v2",
        "new/index.html": "new page",
        "previews/pr-7/index.html": "preview 7",
    }


def test_a_site_that_brings_its_own_cname_replaces_the_old_one(branch, tmp_path):
    publish_site(
        branch,
        built_site(tmp_path / "v1", {"index.html": "v1", "CNAME": "old.example\n"}),
    )
    publish_site(
        branch,
        built_site(tmp_path / "v2", {"index.html": "v2", "CNAME": "new.example\n"}),
    )
    assert published(branch)["CNAME"] == "new.example\n"


def test_closing_a_pull_request_removes_only_its_own_preview(branch, tmp_path):
    publish_site(branch, built_site(tmp_path / "site", {"index.html": "live"}))
    publish_preview(branch, built_site(tmp_path / "pr7", {"index.html": "seven"}), 7)
    publish_preview(branch, built_site(tmp_path / "pr8", {"index.html": "eight"}), 8)
    publish_preview(
        branch, built_site(tmp_path / "pr7b", {"index.html": "seven again"}), 7
    )
    assert remove_preview(branch, 7) is True
    assert published(branch) == {
        ".nojekyll": "",
        "index.html": "live",
        "previews/pr-8/index.html": "eight",
    }
    assert remove_preview(branch, 7) is False, "already gone: nothing to commit"


def test_every_deploy_stays_in_the_history_and_rollback_restores_one(branch, tmp_path):
    publish_site(
        branch,
        built_site(tmp_path / "v1", {"index.html": "v1", "old/index.html": "old"}),
    )
    publish_site(branch, built_site(tmp_path / "v2", {"index.html": "v2"}))
    publish_preview(branch, built_site(tmp_path / "pr", {"index.html": "preview"}), 3)
    restored = rollback(branch)
    assert published(branch) == {
        ".nojekyll": "",
        "index.html": "v1",
        "old/index.html": "old",
        "previews/pr-3/index.html": "preview",
    }
    remote = branch.repository.parent / "remote.git"
    subjects = git(remote, "log", "--format=%s", "gh-pages").splitlines()
    assert subjects == [
        f"Roll back site to {restored[:12]}",
        "Preview pr-3",
        "Publish site",
        "Publish site",
    ]


def test_rollback_needs_an_earlier_deploy(branch, tmp_path):
    publish_site(branch, built_site(tmp_path / "v1", {"index.html": "v1"}))
    with pytest.raises(DeployError, match="no earlier site deploy"):
        rollback(branch)


def test_without_an_identity_nothing_is_pushed(branch, tmp_path):
    publish_site(branch, built_site(tmp_path / "v1", {"index.html": "v1"}))
    before = remote_tip(branch)
    git(branch.repository, "config", "--unset", "user.name")
    with pytest.raises(DeployError, match=r"git has no user\.name"):
        publish_site(branch, built_site(tmp_path / "v2", {"index.html": "v2"}))
    assert remote_tip(branch) == before


def test_a_deploy_builds_on_the_remote_not_on_a_stale_local_branch(branch, tmp_path):
    publish_site(branch, built_site(tmp_path / "v1", {"index.html": "v1"}))
    # Someone else deploys a preview from another clone.
    other = tmp_path / "other"
    subprocess.run(
        ["git", "clone", "--quiet", str(tmp_path / "remote.git"), str(other)],
        check=True,
    )
    for key, value in IDENTITY.items():
        git(other, "config", key, value)
    publish_preview(
        Branch(other), built_site(tmp_path / "pr", {"index.html": "theirs"}), 5
    )
    publish_site(branch, built_site(tmp_path / "v2", {"index.html": "v2"}))
    assert published(branch)["previews/pr-5/index.html"] == "theirs"


def test_the_manifest_of_a_built_site_is_not_published(branch, fixture_publish_site):
    publish_site(branch, fixture_publish_site.output)
    remote = branch.repository.parent / "remote.git"
    names = set(git(remote, "ls-tree", "-r", "--name-only", "gh-pages").split())
    assert "index.html" in names and "first-visit/index.html" in names
    assert MANIFEST_FILE not in names


@pytest.mark.parametrize("case", PLANTED, ids=PLANTED.keys())
@pytest.mark.parametrize("target", ["site", "preview"])
def test_a_file_planted_after_the_build_is_refused_and_named(
    branch, fixture_publish_site, tmp_path, case, target
):
    publish_site(branch, built_site(tmp_path / "live", {"index.html": "live"}))
    before = remote_tip(branch)
    plant, words = PLANTED[case]
    output, planted = planted_copy(fixture_publish_site.output, tmp_path, plant)
    with pytest.raises(DeployError) as refused:
        if target == "site":
            publish_site(branch, output)
        else:
            publish_preview(branch, output, 4)
    message = str(refused.value)
    assert message.startswith("nothing was published: output/ is not exactly")
    assert f"output/{planted}: {words}" in message
    assert remote_tip(branch) == before, "nothing was pushed"
