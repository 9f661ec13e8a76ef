"""Pull-request previews: built as the site will be published, and kept off it.

A pull request's build runs the pull request's code, so what it makes is
untrusted: its pages never go to the clinic's origin (no gh-pages push), and
it never writes the text the bot posts.

- `build_preview(pr, base, data)` runs in the read-only job: it builds with
  publishconf.py into output/ for LOCAL_PREVIEW (the reviewer's own
  computer, where the downloaded artifact is served), asks search engines not
  to index it, and writes the comment's data as JSON (preview_report's
  report_data: what changed, what the check found, whether it built). A
  failed build stops the task once the data says why.
- `comment(...)` runs in the job that may comment, with the base branch's
  code: it reads the data (preview_report.read_data refuses anything but
  its schema), composes the comment itself, and writes, prints or posts it.
  Refused or missing data still gets a comment, saying so, and stops the
  task with the reason in one line. The pull request commented on is one
  GitHub's event names, never only the data's word.
- `post_comment(pr, body)` updates the bot's one comment (MARKER), or adds it.
- `remove_previews(pr)` deletes previews an earlier workflow pushed to
  gh-pages under previews/pr-N/ (one, or all), and nothing else.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
import re
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from content_schema import check_content
from invoke import Exit
from pelican.settings import read_settings

from deploy import gh_pages
from deploy.errors import DeployError
from deploy.preview_report import (
    COMMIT,
    MARKER,
    RUN_URL,
    PreviewDataError,
    build_problems,
    changed_files,
    compose,
    read_data,
    report_data,
    unreadable,
)
from deploy.publish import deploy_errors, pages_branch, say
from tools.build import build_site
from tools.config import CONFIG, ROOT

# Where a reviewer serves the downloaded preview: the address its links use.
LOCAL_PREVIEW = f"http://127.0.0.1:{CONFIG['port']}"
# The author of the comment the workflow keeps up to date.
BOT = "github-actions[bot]"
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
PREVIEW_FOLDER = re.compile(rf"{gh_pages.PREVIEWS}/pr-([1-9][0-9]*)")
# Comments read per page, and pages at most: 5,000 comments.
PER_PAGE = 100
PAGES = 50


def _number(pr) -> int:
    try:
        number = int(pr)
    except ValueError:
        number = 0
    if number < 1:
        raise Exit(f"--pr must be a pull request's number, not {pr!r}", code=2)
    return number


def _write_data(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def build_preview(pr, base: str, data: str) -> str:
    """Build pull request `pr`'s preview into output/; return the address it is for.

    With `data`, the comment's data is written there: first saying the
    build did not finish, then what it did.
    """
    number = _number(pr)
    # publishconf.py reads both: the preview's own address, and noindex.
    os.environ["SITEURL"] = LOCAL_PREVIEW
    os.environ["SITE_NOINDEX"] = "1"
    report = None
    if data:
        with deploy_errors():
            changes = changed_files(ROOT, base)
        settings = read_settings(str(CONFIG["publish_settings"]))
        report = report_data(changes, check_content(settings)) | {
            "pr": number,
            "built": False,
            "build_problems": build_problems("The build did not finish."),
        }
        _write_data(Path(data), report)
    result = build_site(CONFIG["publish_settings"], CONFIG["output"])
    if report is not None:
        report |= {
            "built": result.ok,
            "build_problems": [] if result.ok else build_problems(result.messages),
        }
        _write_data(Path(data), report)
    if not result.ok:
        raise Exit("Preview build failed: there is nothing to download.", code=1)
    return LOCAL_PREVIEW


def _pull_requests(listed: str) -> list[int]:
    """Read --pull-requests, `12` or `12 14`: the event's pull requests."""
    numbers = listed.split()
    if not all(
        number.isascii() and number.isdigit() and int(number) > 0 for number in numbers
    ):
        raise Exit(
            "--pull-requests must be pull request numbers separated by spaces, "
            f"not {listed!r}",
            code=2,
        )
    return [int(number) for number in numbers]


def _from_event(run_url: str, commit: str) -> None:
    """Refuse a run address or commit that GitHub would not have given."""
    if run_url and not RUN_URL.fullmatch(run_url):
        raise Exit(f"--run-url must be the run's https:// address, not {run_url!r}")
    if commit and not COMMIT.fullmatch(commit):
        raise Exit(f"--commit must be 40 hexadecimal digits, not {commit!r}")


def comment(
    data: Path,
    *,
    pull_requests: str = "",
    run_url: str = "",
    commit: str = "",
    output: str = "",
    post: bool = False,
) -> None:
    """Compose the comment from the build's `data`; write, print or post it.

    `pull_requests`, `run_url` and `commit` come from GitHub's event for the
    build's run; the data may name only one of those pull requests.
    """
    _from_event(run_url, commit)
    allowed = _pull_requests(pull_requests)
    refused = ""
    try:
        checked = read_data(data)
    except PreviewDataError as problem:
        refused = str(problem)
        checked = None
    if checked is not None and allowed and checked["pr"] not in allowed:
        refused = (
            f"the data is for pull request {checked['pr']}, which this run did "
            "not build"
        )
        checked = None
    if checked is None:
        body = unreadable(refused, run_url)
        target = allowed[0] if len(allowed) == 1 else None
    else:
        body = compose(checked, LOCAL_PREVIEW, run_url, commit)
        target = checked["pr"]
    if output:
        Path(output).write_text(body, encoding="utf-8")
    elif not post:
        say(body.rstrip())
    if post:
        if not allowed or target is None:
            raise Exit(
                "Nothing was posted: --post needs --pull-requests, the pull "
                "requests GitHub's event names (one, if the data was refused).",
                code=2,
            )
        with deploy_errors():
            done = post_comment(target, body)
        say(f"The preview's comment on pull request {target} was {done}.")
    if refused:
        raise Exit(f"{refused[:1].upper()}{refused[1:]}.", code=1)


def _github() -> tuple[str, str, str]:
    """Return GitHub's API address, the repository and the token (CI sets them)."""
    token = os.environ.get("GH_TOKEN") or os.environ.get("GITHUB_TOKEN", "")
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    if not token or not REPOSITORY.fullmatch(repository):
        raise DeployError(
            "posting a comment needs $GH_TOKEN and $GITHUB_REPOSITORY (owner/name); "
            "GitHub Actions sets both"
        )
    if urlsplit(api).scheme not in {"https", "http"}:
        raise DeployError(f"$GITHUB_API_URL is no web address: {api!r}")
    return api, repository, token


def _call(method: str, address: str, token: str, body: dict | None = None):
    """Send one request to GitHub's API; return its JSON answer."""
    request = Request(
        address,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "X-GitHub-Api-Version": "2022-11-28",
        },
    )
    path = urlsplit(address).path
    try:
        with urlopen(request, timeout=30) as answer:
            return json.loads(answer.read().decode() or "null")
    except HTTPError as error:
        error.close()
        raise DeployError(
            f"GitHub answered {error.code} {error.reason} to {method} {path}"
        ) from None
    except (URLError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        raise DeployError(f"GitHub could not be reached ({reason})") from None
    except ValueError:
        raise DeployError(f"GitHub's answer to {method} {path} is not JSON") from None


def post_comment(pr: int, body: str) -> str:
    """Update the bot's preview comment on pull request `pr`, or add it.

    Return "updated" or "added". Only a comment by BOT that starts with
    MARKER is updated: anyone can write the marker in a comment of their own.
    """
    api, repository, token = _github()
    comments_of = f"{api}/repos/{repository}/issues/{pr}/comments"
    for page in range(1, PAGES + 1):
        listed = _call("GET", f"{comments_of}?per_page={PER_PAGE}&page={page}", token)
        if not isinstance(listed, list):
            raise DeployError(f"GitHub's list of the comments on {pr} is no list")
        for previous in listed:
            user = previous.get("user") or {}
            if user.get("login") == BOT and str(previous.get("body") or "").startswith(
                MARKER
            ):
                number = int(previous["id"])
                address = f"{api}/repos/{repository}/issues/comments/{number}"
                _call("PATCH", address, token, {"body": body})
                return "updated"
        if len(listed) < PER_PAGE:
            break
    _call("POST", comments_of, token, {"body": body})
    return "added"


def _previews_on(branch: gh_pages.Branch) -> list[int]:
    """List the pull requests whose preview is on the branch."""
    if not gh_pages.fetch(branch):
        return []
    listed = branch.git(
        "ls-tree", "--name-only", branch.name, f"{gh_pages.PREVIEWS}/"
    ).splitlines()
    return sorted(
        int(match[1]) for match in map(PREVIEW_FOLDER.fullmatch, listed) if match
    )


def remove_previews(pr) -> None:
    """Delete pull request `pr`'s preview from gh-pages, or every one ("all")."""
    with deploy_errors():
        branch = pages_branch()
        numbers = _previews_on(branch) if pr == "all" else [_number(pr)]
        if not numbers:
            say("No preview is on the branch.")
        for number in numbers:
            removed = gh_pages.remove_preview(branch, number)
            done = "removed" if removed else "was not on the branch"
            say(f"Preview pr-{number} {done}.")
