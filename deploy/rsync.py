"""Deploy to any host rsync reaches: releases side by side, `current` points at one.

Contract:
- `destination` is anything rsync accepts as a target folder: `user@host:/srv/blog`
  over SSH, or a local path.
- Each deploy uploads the output into `<destination>/releases/<stamp>/`
  (unchanged files are hard links to the previous release, so a deploy costs
  only what changed), then points the symlink `<destination>/current` at it.
  The web server's root is `<destination>/current` (see deploy/nginx.conf): it
  switches to the new release only once the upload is complete.
- The newest `keep` releases stay on the host; `rollback` points `current`
  back at the release before the live one (or a named one).
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

from deploy.errors import DeployError

RELEASES = "releases"
CURRENT = "current"
STAMP = re.compile(r"^\d{8}T\d{6}Z$")


@dataclass(frozen=True)
class Release:
    """What a deploy or rollback made live."""

    stamp: str
    destination: str


def new_stamp(now: dt.datetime | None = None) -> str:
    """Return a release name that sorts by time: `20261129T064000Z`."""
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


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


def releases(destination: str) -> list[str]:
    """List the releases on the host, oldest first."""
    try:
        listing = _rsync("--list-only", _join(destination, RELEASES) + "/")
    except DeployError:
        return []  # no releases folder yet
    names = (line.rsplit(" ", 1)[-1] for line in listing.splitlines())
    return sorted(name for name in names if STAMP.match(name))


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
        # Syncing an empty folder with --delete removes every release not protected.
        rules = [f"--filter=P /{name}/" for name in sorted(protect)]
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
    stamp = stamp or new_stamp()
    previous = live_release(destination)
    link_dest = [f"--link-dest=../{previous}/"] if previous else []
    _rsync(
        # Content decides what is unchanged: every build writes every file
        # anew, so modification times say nothing. Without -t the hard link
        # to the previous release is not refused for a differing time.
        "-a",
        "--no-times",
        "--checksum",
        "--delete",
        "--mkpath",
        *link_dest,
        str(output) + "/",
        _join(destination, RELEASES, stamp) + "/",
    )
    _point_current_at(destination, stamp)
    _prune(destination, keep)
    return Release(stamp, destination)


def rollback(destination: str, to: str = "") -> Release:
    """Make an earlier release live: `to`, or the one before the live release."""
    available = releases(destination)
    if to:
        if to not in available:
            raise DeployError(
                f"no release {to!r} at {destination}; there are: {', '.join(available)}"
            )
        target = to
    else:
        live = live_release(destination)
        earlier = [name for name in available if live is None or name < live]
        if not earlier:
            raise DeployError(f"no release before {live} at {destination}")
        target = earlier[-1]
    _point_current_at(destination, target)
    return Release(target, destination)
