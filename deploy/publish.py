"""Publishing: the gates, cheapest first, then one deploy to a target.

`checked_publish_build(c, branch, command)` stops the task, publishing nothing, unless
the site has its real address (SITEURL, not publishconf.py's placeholder),
the content passes the publish rules (seconds), HEAD is on `branch`, the tree
is clean and the tests pass (minutes); then it builds with publishconf.py.
`placeholder_siteurl()` names that placeholder while it is still in use.
`publish_gh_pages`, `publish_rsync` and `publish_s3` run those gates and
deploy the build; the last gate is the deploy's own, before anything leaves
this machine: output/ must be exactly what the build's manifest lists
(plugins/manifest; each file it does not vouch for is named, and nothing is
published). `rollback` makes an earlier deploy live again. Each says
what it did, and how to undo it. `deploy_errors()` turns a DeployError into a
clean exit with its message.
"""

from __future__ import annotations

from contextlib import contextmanager
import os
import subprocess
import sys
from urllib.parse import urlsplit

from invoke import Exit
from pelican.settings import read_settings

from deploy import gh_pages, rsync
from deploy.errors import DeployError
from deploy.gh_pages import Branch
from tools import check_report
from tools.build import build_or_exit
from tools.config import CONFIG, ROOT

DEPLOY_TARGETS = ("rsync", "s3")
# publishconf.py's SITEURL is a host under this reserved domain until the
# clinic fills in its real address (TO FILL IN).
PLACEHOLDER_DOMAIN = "example"


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


def placeholder_siteurl() -> str:
    """Return the publish build's SITEURL if it is still the placeholder, else ""."""
    siteurl = read_settings(str(CONFIG["publish_settings"]))["SITEURL"]
    host = (urlsplit(siteurl).hostname or "").rstrip(".")
    if host == PLACEHOLDER_DOMAIN or host.endswith("." + PLACEHOLDER_DOMAIN):
        return siteurl
    return ""


def how_to_set_siteurl(command: str) -> str:
    """Say how to give the publish build the site's real address."""
    return (
        "Set the live site's address, either for one run, "
        f"`SITEURL=https://blog.your-clinic.com {command}`, or for good in "
        "publishconf.py (the SITEURL line marked TO FILL IN); CI's deploy "
        "workflow reads it from there."
    )


def require_real_siteurl(command: str) -> None:
    """Refuse to deploy a site whose links point at the placeholder address."""
    placeholder = placeholder_siteurl()
    if placeholder:
        raise Exit(
            f"Nothing was published: the site's address (SITEURL) is still the "
            f"placeholder {placeholder}, so every link, feed and the sitemap "
            f"would point there. {how_to_set_siteurl(command)}",
            code=1,
        )


def checked_publish_build(c, branch: str, command: str) -> None:
    """Stop, publishing nothing, unless every gate passes; cheapest gate first.

    The site's address (`command`, the writer's command, is named in how to
    set it), the content check (seconds), the branch, the clean tree, the
    test suite (minutes), then the build.
    """
    require_real_siteurl(command)
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
        raise Exit(f"Deploy stopped: {error}", code=1) from error


def pages_branch() -> Branch:
    """Return the site's gh-pages branch on the configured remote."""
    return Branch(ROOT, CONFIG["ghp_remote"], CONFIG["ghp_branch"])


def head_commit() -> str:
    """Return the abbreviated commit being published."""
    return git("rev-parse", "--short=12", "HEAD").strip()


def say(message: str) -> None:
    """Tell the person publishing what happened."""
    sys.stdout.write(message + "\n")


def from_environment(value: str, variable: str, option: str) -> str:
    """Return `value`, else $variable; stop when neither is set."""
    value = value or os.environ.get(variable, "")
    if not value:
        raise Exit(f"{option} is needed: pass it, or set ${variable}", code=2)
    return value


def publish_gh_pages(c, branch: str) -> None:
    """Pass the gates, then publish the build to the gh-pages branch.

    The CNAME on the branch is kept (and previews older workflows pushed to
    previews/pr-N/, until `invoke preview-remove --pr all`); the
    previous deploy stays in the branch history (`invoke rollback`).
    """
    checked_publish_build(c, branch, "make github")
    with deploy_errors():
        gh_pages.publish_site(
            pages_branch(), CONFIG["output"], f"Publish site from {head_commit()}"
        )
    say(
        f"Published to {CONFIG['ghp_remote']}/{CONFIG['ghp_branch']}. "
        "Undo with `invoke rollback`."
    )


def publish_rsync(c, branch: str, destination: str) -> None:
    """Pass the gates, then upload the build as a new release and switch to it."""
    destination = from_environment(destination, "RSYNC_DESTINATION", "--destination")
    checked_publish_build(c, branch, "invoke publish --target rsync")
    with deploy_errors():
        release = rsync.publish(CONFIG["output"], destination)
    say(
        f"Published release {release.stamp} to {destination}; undo with "
        f"`invoke rollback --target rsync --destination {destination}`."
    )


def publish_s3(  # noqa: PLR0913 - the sync's options, as the task passes them
    c,
    branch: str,
    bucket: str,
    *,
    prefix: str = "",
    endpoint_url: str = "",
    dry_run: bool = False,
    force: bool = False,
) -> None:
    """Pass the gates, then make the bucket's objects the files of the build."""
    # Imported here: boto3 is in the deploy extra, which writers do not install.
    from deploy import s3  # noqa: PLC0415
    from deploy.headers import publish_policy  # noqa: PLC0415 - with s3

    bucket = from_environment(bucket, "S3_BUCKET", "--bucket")
    checked_publish_build(c, branch, "invoke publish --target s3")
    with deploy_errors():
        report = s3.sync(
            CONFIG["output"],
            bucket,
            prefix=prefix or os.environ.get("S3_PREFIX", ""),
            endpoint_url=endpoint_url or None,
            policy=publish_policy(),
            dry_run=dry_run,
            force=force,
        )
    say(f"Published to s3://{bucket}: {report}")


def rollback(target: str, to: str = "", destination: str = "") -> None:
    """Make the deploy before the live one (or `to`) live again on `target`."""
    with deploy_errors():
        if target == "gh-pages":
            restored = gh_pages.rollback(pages_branch(), to)
            say(f"gh-pages now serves the site of deploy {restored[:12]}.")
        elif target == "rsync":
            destination = from_environment(
                destination, "RSYNC_DESTINATION", "--destination"
            )
            release = rsync.rollback(destination, to)
            say(f"{destination}/current now serves release {release.stamp}.")
        else:
            raise Exit(
                "S3 keeps no releases: check out the deployed commit to restore and "
                "run `invoke publish --target s3` from it (see docs/publishing.md).",
                code=2,
            )
