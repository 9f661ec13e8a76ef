"""Publishing's gates, cheapest first, and what every deploy target shares.

`checked_publish_build(c, branch)` stops the task, publishing nothing, unless
the content passes the publish rules (seconds), HEAD is on `branch`, the tree
is clean and the tests pass (minutes); then it builds with publishconf.py.
`deploy_errors()` turns a DeployError into a clean exit with its message.
"""

from __future__ import annotations

from contextlib import contextmanager
import os
import subprocess

from invoke import Exit

from deploy.gh_pages import Branch, DeployError
from tools import check_report
from tools.build import build_or_exit
from tools.config import CONFIG, ROOT


def git(*arguments: str) -> str:
    """Return what git prints for `arguments` here; stop if this is no git tree."""
    result = subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise Exit(f"Not a git working tree: {result.stderr.strip()}", code=1)
    return result.stdout


def require_clean_tree() -> None:
    """Refuse to publish what is not committed: the site must match a commit."""
    status = git("status", "--porcelain")
    if status.strip():
        raise Exit(
            "Nothing was published: the working tree has uncommitted changes:\n"
            f"{status.rstrip()}\nCommit or stash them, then publish again.",
            code=1,
        )


def run_tests_before_publishing(c) -> None:
    """Refuse to publish unless the test suite passes, run through invoke's `c`."""
    # The README's test command by default; CI sets PUBLISH_TEST_COMMAND when
    # an earlier step of the same job already ran it on the same commit.
    command = os.environ.get("PUBLISH_TEST_COMMAND", "make test")
    if c.run(command, warn=True, pty=False).failed:
        raise Exit(f"Nothing was published: the tests failed ({command}).", code=1)


def require_content_to_publish() -> None:
    """Refuse content the publish rules reject: seconds, so it is asked first."""
    if check_report.run_check(CONFIG["publish_settings"]) != 0:
        raise Exit(
            "Nothing was published: the content has the problems listed above "
            "(`make check-publish` lists them too). Fix them and publish again.",
            code=1,
        )


def require_branch(branch: str) -> None:
    """Refuse to publish from any branch but `branch`: the site follows one line."""
    name = git("rev-parse", "--abbrev-ref", "HEAD").strip()
    if name != branch:
        raise Exit(
            f"Nothing was published: this is branch {name!r}, and the site is "
            f"published from {branch!r}. Merge your pull request instead, or pass "
            f"--branch {name} if this branch really is to go live.",
            code=1,
        )


def checked_publish_build(c, branch: str) -> None:
    """Stop, publishing nothing, unless every gate passes; cheapest gate first.

    The content check (seconds), the branch, the clean tree, the test suite
    (minutes), then the build.
    """
    require_content_to_publish()
    require_branch(branch)
    require_clean_tree()
    run_tests_before_publishing(c)
    build_or_exit(CONFIG["publish_settings"], CONFIG["output"])


@contextmanager
def deploy_errors():
    """Turn a DeployError into a clean exit with its message."""
    try:
        yield
    except DeployError as error:
        # gh-pages and rsync change nothing until their last step; an S3 sync
        # may have uploaded some files, but deletes only once all are up.
        raise Exit(f"Deploy stopped: {error}", code=1) from error


def pages_branch() -> Branch:
    """Return the site's gh-pages branch on the configured remote."""
    return Branch(ROOT, CONFIG["ghp_remote"], CONFIG["ghp_branch"])


def head_commit() -> str:
    """Return the abbreviated commit being published."""
    return git("rev-parse", "--short=12", "HEAD").strip()
