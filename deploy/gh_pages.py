"""The gh-pages branch: the live site at its root, pull-request previews below it.

Contract:
- The branch holds the published site at its root and each open pull
  request's preview in `previews/pr-N/`. Every operation here rewrites the
  whole tree with ghp-import (with `.nojekyll`), as one new commit on top of the
  remote branch: earlier deploys stay in the history, so any of them can be
  restored (`rollback`).
- `publish_site` replaces the root site and keeps `previews/` and, when the
  new site brings none, the `CNAME` already on the branch.
- `publish_preview` / `remove_preview` replace or delete one `previews/pr-N/`
  and keep everything else.
- Nothing is pushed without a committer identity: ghp-import would otherwise
  commit silently as " <>".
- Only a built site goes up: `publish_site` and `publish_preview` refuse an
  output folder holding anything its build's manifest does not vouch for (a
  file added after the build, a changed one, a symbolic link: plugins/manifest),
  naming each file, before git runs. The manifest itself is not published.
- Nothing reaches git whose path git's import stream cannot carry as it is
  (`unsafe_path`): ghp-import writes each path raw into `git fast-import`, so a
  line break in a file name would inject commands that rewrite other files
  (the live index.html, CNAME). Such a site is refused, naming the file, before
  git runs; every tree is checked just before it is committed, whatever built it.
- Failures raise DeployError with a message for the person deploying.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import io
import os
from pathlib import Path, PurePosixPath
import shutil
import subprocess
import sys
import tarfile
import tempfile

from manifest import MANIFEST_FILE, refusal, verify

from deploy.errors import DeployError

PREVIEWS = "previews"
SITE_MESSAGE = "Publish site"
PREVIEW_MESSAGE = "Preview"
ROLLBACK_MESSAGE = "Roll back site"
# Characters that end or split a line of git's fast-import stream, or that a
# terminal or log would show as something else: C0 and C1 controls, DEL, and
# Unicode's line and paragraph separators.
UNSAFE_CHARACTERS = frozenset(
    [chr(code) for code in range(0x20)]
    + [chr(code) for code in range(0x7F, 0xA0)]
    + ["\u2028", "\u2029"]
)


@dataclass(frozen=True)
class Branch:
    """The pages branch of a repository and the remote it is pushed to."""

    repository: Path  # the working copy that runs git
    remote: str = "origin"
    name: str = "gh-pages"

    def git(self, *arguments: str, binary: bool = False) -> str | bytes:
        """Run git in the repository and return its output, or raise DeployError."""
        result = subprocess.run(
            ["git", *arguments],
            cwd=self.repository,
            capture_output=True,
            text=not binary,
            check=False,
        )
        if result.returncode != 0:
            error = result.stderr if not binary else result.stderr.decode()
            raise DeployError(f"git {' '.join(arguments)} failed: {error.strip()}")
        return result.stdout


def preview_path(pull_request: int) -> str:
    """Return the folder of a pull request's preview on the branch: `previews/pr-N`."""
    if pull_request < 1:
        raise DeployError(f"pull request number must be positive, not {pull_request}")
    return f"{PREVIEWS}/pr-{pull_request}"


def shown(path: str) -> str:
    """Return `path` on one line: unsafe characters and backslashes escaped."""
    return "".join(
        character.encode("unicode_escape").decode("ascii")
        if character in UNSAFE_CHARACTERS
        or "\ud800" <= character <= "\udfff"
        or character == "\\"
        else character
        for character in path
    )


def unsafe_path(path: str) -> str:
    """Return why git cannot be given the relative POSIX `path` as it is, or "".

    Refused: control characters and line separators (they split the
    fast-import stream ghp-import writes); bytes that are not UTF-8 (ghp-import
    cannot encode them); a part beginning with a double quote (fast-import
    reads a quoted path as C-escaped, so `"CNAME"` would become CNAME); a part
    named `.git` in any case (git refuses it, and it would hide the repository).
    """
    if any(character in UNSAFE_CHARACTERS for character in path):
        return "it has a line break or another control character in its name"
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8 text"
    for part in PurePosixPath(path).parts:
        if part.startswith('"'):
            return "a part of its name begins with a double quote"
        if part.lower() == ".git":
            return "git keeps its own files in folders named .git"
    return ""


def require_safe_paths(folder: Path, what: str) -> None:
    """Refuse, naming the first such file, a tree holding a path git cannot carry.

    `what` says in the message where the files come from ("output/").
    """
    for parent, folders, files in os.walk(folder):
        folders.sort()
        for name in sorted([*folders, *files]):
            relative = (Path(parent) / name).relative_to(folder).as_posix()
            problem = unsafe_path(relative)
            if problem:
                raise DeployError(
                    f"nothing was published: {what}{shown(relative)} cannot go to "
                    f"gh-pages safely: {problem}. Rename or remove the file it "
                    "comes from (content/extra/ holds files copied as they are), "
                    "then build and publish again."
                )


def require_built_site(output: Path) -> None:
    """Refuse, naming each file, an output its build's manifest does not vouch for."""
    problems = verify(output)
    if problems:
        raise DeployError(f"nothing was published: {refusal(output, problems)}")


def require_identity(branch: Branch) -> None:
    """Refuse to commit as nobody: ghp-import would write an empty author."""
    for variable, key in (
        ("GIT_COMMITTER_NAME", "user.name"),
        ("GIT_COMMITTER_EMAIL", "user.email"),
    ):
        if os.environ.get(variable):
            continue
        configured = subprocess.run(
            ["git", "config", key],
            cwd=branch.repository,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        if not configured:
            raise DeployError(
                f"git has no {key}: deploy commits need a real identity. Run "
                f"`git config {key} …`, or set {variable} (CI sets both)."
            )


def fetch(branch: Branch) -> bool:
    """Make the local branch the remote's tip; return False when the remote has none."""
    heads = branch.git("ls-remote", "--heads", branch.remote, branch.name)
    if not heads.strip():
        return False
    # "+": the local branch follows the remote even if it went elsewhere
    # locally, so the new commit goes on top of what is really published.
    branch.git(
        "fetch",
        "--quiet",
        branch.remote,
        f"+refs/heads/{branch.name}:refs/heads/{branch.name}",
    )
    return True


def extract(branch: Branch, revision: str, destination: Path) -> None:
    """Write the tree of `revision` into `destination`."""
    archive = branch.git("archive", "--format=tar", revision, binary=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")


def _copy_tree(source: Path, destination: Path) -> None:
    shutil.copytree(source, destination, dirs_exist_ok=True, symlinks=False)


def _copy_site(output: Path, destination: Path) -> None:
    """Copy a built site, all but its manifest (which names unlisted pages too)."""

    def manifest(folder: str, _names: list[str]) -> list[str]:
        return [MANIFEST_FILE] if Path(folder) == output else []

    shutil.copytree(
        output, destination, dirs_exist_ok=True, symlinks=False, ignore=manifest
    )


def _commit_and_push(branch: Branch, stage: Path, message: str) -> None:
    # The last check before git: whatever made the tree (a build, the branch's
    # own history in a rollback, a preview kept as it was).
    require_safe_paths(stage, "")
    require_identity(branch)
    command = [
        sys.executable,
        "-m",
        "ghp_import",
        "--no-jekyll",
        "--push",
        "--remote",
        branch.remote,
        "--branch",
        branch.name,
        "--message",
        message,
        str(stage),
    ]
    result = subprocess.run(
        command, cwd=branch.repository, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DeployError(
            f"ghp-import failed: {(result.stderr or result.stdout).strip()}"
        )


def _update(branch: Branch, message: str, change: Callable[[Path, Path], None]) -> None:
    """Stage the current tree, let `change(stage, current)` edit it, push it."""
    with tempfile.TemporaryDirectory(prefix="pages-") as work:
        current = Path(work, "current")
        stage = Path(work, "stage")
        current.mkdir()
        stage.mkdir()
        if fetch(branch):
            extract(branch, branch.name, current)
        change(stage, current)
        _commit_and_push(branch, stage, message)


def publish_site(branch: Branch, output: Path, message: str = SITE_MESSAGE) -> None:
    """Publish `output` at the branch root, keeping the previews and the CNAME."""
    require_safe_paths(output, f"{output.name}/")
    require_built_site(output)

    def change(stage: Path, current: Path) -> None:
        _copy_site(output, stage)
        if (current / PREVIEWS).is_dir():
            shutil.rmtree(stage / PREVIEWS, ignore_errors=True)
            _copy_tree(current / PREVIEWS, stage / PREVIEWS)
        if (current / "CNAME").is_file() and not (stage / "CNAME").exists():
            shutil.copy2(current / "CNAME", stage / "CNAME")

    _update(branch, message, change)


def publish_preview(branch: Branch, output: Path, pull_request: int) -> None:
    """Publish `output` as the preview of a pull request, keeping everything else."""
    folder = preview_path(pull_request)
    require_safe_paths(output, f"{output.name}/")
    require_built_site(output)

    def change(stage: Path, current: Path) -> None:
        _copy_tree(current, stage)
        shutil.rmtree(stage / folder, ignore_errors=True)
        _copy_site(output, stage / folder)

    _update(branch, f"{PREVIEW_MESSAGE} pr-{pull_request}", change)


def remove_preview(branch: Branch, pull_request: int) -> bool:
    """Delete a pull request's preview; return False when it had none."""
    folder = preview_path(pull_request)
    if not fetch(branch):
        return False
    listed = branch.git("ls-tree", "--name-only", branch.name, f"{folder}/")
    if not listed.strip():
        return False

    def change(stage: Path, current: Path) -> None:
        _copy_tree(current, stage)
        shutil.rmtree(stage / folder)

    _update(branch, f"Remove preview pr-{pull_request}", change)
    return True


def site_deploys(branch: Branch) -> list[tuple[str, str]]:
    """List the branch's site deploys, newest first, as (commit, subject)."""
    if not fetch(branch):
        return []
    log = branch.git("log", "--format=%H%x00%s", branch.name)
    deploys = []
    for line in log.splitlines():
        commit, subject = line.split("\0", 1)
        if subject.startswith((SITE_MESSAGE, ROLLBACK_MESSAGE)):
            deploys.append((commit, subject))
    return deploys


def rollback(branch: Branch, to: str = "") -> str:
    """Restore the site of an earlier deploy (default: the one before the latest).

    The previews stay as they are now. Returns the restored commit.
    """
    deploys = site_deploys(branch)
    if to:
        target = branch.git("rev-parse", "--verify", f"{to}^{{commit}}").strip()
    elif len(deploys) < 2:
        raise DeployError(
            "there is no earlier site deploy on the branch to roll back to"
        )
    else:
        target = deploys[1][0]

    def change(stage: Path, current: Path) -> None:
        extract(branch, target, stage)
        shutil.rmtree(stage / PREVIEWS, ignore_errors=True)
        if (current / PREVIEWS).is_dir():
            _copy_tree(current / PREVIEWS, stage / PREVIEWS)

    _update(branch, f"{ROLLBACK_MESSAGE} to {target[:12]}", change)
    return target
