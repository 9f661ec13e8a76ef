"""Deploy to any host rsync reaches: releases side by side, `current` points at one.

Contract:
- `destination` is anything rsync accepts as a target folder: `user@host:/srv/blog`
  over SSH, or a local path.
- Each deploy uploads the output into `<destination>/releases/<stamp>/`
  (unchanged files are hard links to the previous release, so a deploy costs
  only what changed), then points the symlink `<destination>/current` at it.
  The web server's root is `<destination>/current` (see deploy/nginx.conf): it
  switches to the new release only once the upload is complete.
- A release is complete only once its whole upload has finished: the
  marker `<destination>/releases/<stamp>.partial` is written before its first
  file and removed after its last, so a deploy killed midway leaves a
  release still marked partial. `releases` lists the complete ones only;
  `rollback` never makes a partial release live, and pruning neither counts
  nor keeps one. (Releases uploaded before the marker existed carry none:
  they count as complete, as they were.)
- The newest `keep` complete releases stay on the host; `rollback` points
  `current` back at the complete release before the live one (or a named one).
- Only a built site goes up: an output folder holding anything its build's
  manifest does not vouch for (a file added after the build, a changed one,
  a symbolic link: plugins/manifest) is refused, naming each file, before
  rsync runs. The manifest itself is not uploaded.
- Everything goes through rsync itself (no remote shell commands), so the same
  code serves an SSH host and a local folder. Failures raise DeployError.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
import os
from pathlib import Path, PurePosixPath
import re
import subprocess
import tempfile

from manifest import MANIFEST_FILE, refusal, verify

from deploy.errors import DeployError

RELEASES = "releases"
CURRENT = "current"
# Seconds, then microseconds (names of releases before them have none).
STAMP = re.compile(r"^\d{8}T\d{6}(?:\d{6})?Z$")
# Beside a release folder, never in it: the web server must not serve it.
PARTIAL = ".partial"


@dataclass(frozen=True)
class Release:
    """What a deploy or rollback made live."""

    stamp: str
    destination: str


def new_stamp(now: dt.datetime | None = None) -> str:
    """Return a release name that sorts by time: `20261129T064000123456Z`.

    To the microsecond: two deploys in the same second got one name, and
    the second uploaded into the live release.
    """
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _rsync(*arguments: str) -> str:
    result = subprocess.run(
        ["rsync", *arguments], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DeployError(
            f"rsync {' '.join(arguments)} failed: {result.stderr.strip()}"
        )
    return result.stdout


def _join(destination: str, *parts: str) -> str:
    return "/".join([destination.rstrip("/"), *parts])


def _release_names(destination: str) -> tuple[list[str], set[str]]:
    """Return every release folder on the host, oldest first, and the partial ones."""
    try:
        listing = _rsync("--list-only", _join(destination, RELEASES) + "/")
    except DeployError:
        return [], set()  # no releases folder yet
    names = {line.rsplit(" ", 1)[-1] for line in listing.splitlines()}
    folders = sorted(name for name in names if STAMP.match(name))
    partial = {name for name in folders if name + PARTIAL in names}
    return folders, partial


def releases(destination: str) -> list[str]:
    """List the complete releases on the host, oldest first."""
    folders, partial = _release_names(destination)
    return [name for name in folders if name not in partial]


def partial_releases(destination: str) -> list[str]:
    """List the releases whose upload never finished, oldest first."""
    folders, partial = _release_names(destination)
    return [name for name in folders if name in partial]


def _mark_partial(destination: str, stamp: str) -> None:
    with tempfile.TemporaryDirectory(prefix="release-mark-") as folder:
        marker = Path(folder, stamp + PARTIAL)
        marker.touch()
        _rsync("--mkpath", str(marker), _join(destination, RELEASES) + "/")


def _mark_complete(destination: str, stamp: str) -> None:
    with tempfile.TemporaryDirectory(prefix="release-mark-") as empty:
        # Syncing an empty folder with --delete, all but the marker excluded
        # (and so kept): rsync deletes that one file.
        _rsync(
            "-r",
            "--delete",
            f"--include=/{stamp}{PARTIAL}",
            "--exclude=*",
            empty + "/",
            _join(destination, RELEASES) + "/",
        )


def live_release(destination: str) -> str | None:
    """Return the release `current` points at, or None before the first deploy."""
    with tempfile.TemporaryDirectory(prefix="release-link-") as folder:
        try:
            # Fetch the symlink itself (-l) and read it here: listings omit targets.
            _rsync("-l", _join(destination, CURRENT), folder + "/")
        except DeployError:
            return None
        link = Path(folder, CURRENT)
        if not link.is_symlink():
            raise DeployError(f"{_join(destination, CURRENT)} is not a symlink")
        target = PurePosixPath(os.readlink(link))
    if target.parent.name != RELEASES or not STAMP.match(target.name):
        raise DeployError(
            f"{_join(destination, CURRENT)} points at {target}, not a release"
        )
    return target.name


def _point_current_at(destination: str, stamp: str) -> None:
    with tempfile.TemporaryDirectory(prefix="release-link-") as folder:
        link = Path(folder, CURRENT)
        link.symlink_to(f"{RELEASES}/{stamp}")
        # -l sends the symlink itself, renamed into place; -I because rsync's
        # size-and-time check would skip a link whose target has the same length.
        _rsync("-l", "-I", str(link), destination.rstrip("/") + "/")


def _prune(destination: str, keep: int) -> None:
    kept = releases(destination)[-keep:]
    live = live_release(destination)
    protect = {*kept, *([live] if live else [])}
    with tempfile.TemporaryDirectory(prefix="release-prune-") as empty:
        # Syncing an empty folder with --delete removes every release not
        # protected, partial ones included, with their markers. A protected
        # release keeps its marker: only a finished upload removes it.
        rules = [
            rule
            for name in sorted(protect)
            for rule in (f"--filter=P /{name}/", f"--filter=P /{name}{PARTIAL}")
        ]
        _rsync(
            "-r", "--delete", *rules, empty + "/", _join(destination, RELEASES) + "/"
        )


def publish(
    output: Path, destination: str, *, keep: int = 5, stamp: str = ""
) -> Release:
    """Upload `output` as a new release, make it live, keep the newest `keep`."""
    if not (output / "index.html").is_file():
        raise DeployError(f"{output} holds no built site (no index.html): build first")
    if keep < 2:
        raise DeployError("keep at least 2 releases, so that a rollback is possible")
    problems = verify(output)
    if problems:
        raise DeployError(f"nothing was published: {refusal(output, problems)}")
    stamp = stamp or new_stamp()
    if stamp in _release_names(destination)[0]:
        # Never upload into a release that exists: it may be the live one.
        raise DeployError(
            f"a release named {stamp} is already at {destination} (another deploy "
            "started at the same moment); nothing was published: deploy again"
        )
    previous = live_release(destination)
    link_dest = [f"--link-dest=../{previous}/"] if previous else []
    # Marked before its first file, unmarked after its last: an upload that
    # is killed in between leaves a release that rollback will not use.
    _mark_partial(destination, stamp)
    _rsync(
        # Content decides what is unchanged: every build writes every file
        # anew, so modification times say nothing. Without -t the hard link
        # to the previous release is not refused for a differing time.
        "-a",
        "--no-times",
        "--checksum",
        "--delete",
        "--mkpath",
        # The manifest names every file, unlisted pages too: it stays here.
        f"--exclude=/{MANIFEST_FILE}",
        *link_dest,
        str(output) + "/",
        _join(destination, RELEASES, stamp) + "/",
    )
    _mark_complete(destination, stamp)
    _point_current_at(destination, stamp)
    _prune(destination, keep)
    return Release(stamp, destination)


def rollback(destination: str, to: str = "") -> Release:
    """Make an earlier complete release live: `to`, or the one before the live one."""
    available = releases(destination)
    if to:
        if to in partial_releases(destination):
            raise DeployError(
                f"release {to} at {destination} never finished uploading (its "
                f"deploy was stopped), so it cannot go live; the complete releases "
                f"are: {', '.join(available) or 'none'}"
            )
        if to not in available:
            raise DeployError(
                f"no release {to!r} at {destination}; there are: {', '.join(available)}"
            )
        target = to
    else:
        live = live_release(destination)
        earlier = [name for name in available if live is None or name < live]
        if not earlier:
            raise DeployError(f"no complete release before {live} at {destination}")
        target = earlier[-1]
    _point_current_at(destination, target)
    return Release(target, destination)
