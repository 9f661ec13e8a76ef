"""Build faults: damaged caches, two builds at once, a swap that cannot happen.

Each fault is made for real where it can be: cache files truncated on disk,
the lock held by another process, an output folder made immutable with
`chattr +i` (the tests run as root, whom chmod does not stop). Errors that
cannot be made on demand (a busy mount point, a full or read-only disk) are
raised by replacing `os.rename` and the exchange with functions that fail
with that errno.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
import pickle
import shutil
import subprocess
import sys
import time
import types

from build_cache import build_cache
import pytest

from tests.support import FIXTURE_CONTENT, build, invoke
from tools import build as tools_build
from tools.build import build_site, staging_folder


def reader_cache(project: Path) -> Path:
    """Return Pelican's reader cache of the articles, in the build's cache folder."""
    (found,) = (project / "cache").glob("*/ArticlesGenerator-Readers")
    return found


def built(project: Path) -> subprocess.CompletedProcess[str]:
    """Run `invoke build` in `project`; fail the test unless it succeeds."""
    result = invoke(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def notices(result: subprocess.CompletedProcess[str], word: str) -> list[str]:
    """Return the lines of what a task printed that mention `word`."""
    return [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if word in line.lower()
    ]


# --- 3. Damaged caches -------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            lambda data: data[: len(data) // 2], id="truncated by a full disk"
        ),
        pytest.param(lambda data: b"", id="emptied"),
        pytest.param(lambda data: b"not a pickle at all", id="garbage"),
    ],
)
def test_a_damaged_pelican_cache_is_deleted_and_the_build_goes_on(project_copy, damage):
    built(project_copy)
    home = (project_copy / "output" / "index.html").read_text()
    cache = reader_cache(project_copy)
    cache.write_bytes(damage(cache.read_bytes()))

    result = built(project_copy)
    (notice,) = notices(result, "cache")
    assert notice == (
        f"The build cache file cache/{cache.parent.name}/ArticlesGenerator-Readers "
        "was damaged (a full disk or a stopped build can do that): deleted it, "
        "building again without it."
    )
    assert (project_copy / "output" / "index.html").read_text() == home
    # Written anew, whole: the next build reads it and says nothing.
    assert isinstance(pickle.loads(cache.read_bytes()), dict)
    assert notices(built(project_copy), "cache") == []


def test_a_damaged_typography_cache_is_passed_over_in_one_line(project_copy):
    built(project_copy)
    (stored,) = (project_copy / "cache").glob(f"*/{build_cache.TYPOGRAPHY_FILE}")
    stored.write_bytes(stored.read_bytes()[:100])
    result = built(project_copy)
    (notice,) = notices(result, "cache")
    relative = stored.relative_to(project_copy)
    assert notice.startswith(f"Build cache: {relative} could not be read")
    assert notice.endswith("building without it, it is written anew.")
    assert isinstance(pickle.loads(stored.read_bytes()), dict)


def test_a_full_disk_never_leaves_half_a_typography_file(tmp_path, monkeypatch):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "out"
    build(content, output)
    (stored,) = output.with_name("out.cache").glob(f"*/{build_cache.TYPOGRAPHY_FILE}")
    whole = stored.read_bytes()

    def disk_full(value, file, protocol=None):
        file.write(pickle.dumps(value, protocol)[:50])
        raise OSError(errno.ENOSPC, "No space left on device")

    # Only the plugin's writes fail: Pelican's own cache saves are Pelican's.
    monkeypatch.setattr(
        build_cache,
        "pickle",
        types.SimpleNamespace(**{**vars(pickle), "dump": disk_full}),
    )
    article = content / "articles" / "older-notes.md"
    article.write_text(article.read_text() + "\nA new paragraph.\n")
    shutil.rmtree(output)
    build(content, output)  # no error: a cache never fails the build
    assert stored.read_bytes() == whole
    assert [path.name for path in stored.parent.glob("*.partial")] == []


# --- 4. Two builds at once ---------------------------------------------------------


def hold_lock(output: Path, seconds: float) -> subprocess.Popen:
    """Hold the builds' lock of `output` from another process for `seconds`."""
    code = (
        "import fcntl, sys, time\n"
        "lock = open(sys.argv[1], 'a')\n"
        "fcntl.flock(lock, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        "time.sleep(float(sys.argv[2]))\n"
    )
    lock = output.with_name(f"{staging_folder(output, 'staging').name}.lock")
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(lock), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    return holder


def test_a_second_build_waits_and_gives_up_in_one_plain_line(project_copy, capfd):
    output = project_copy / "output"
    # The other build's half-written staging folder: it must stay as it is.
    half = staging_folder(output, "staging") / "pagefind.new" / "half"
    half.parent.mkdir(parents=True)
    half.write_text("the other build is writing this")
    holder = hold_lock(output, 30)
    try:
        result = build_site(
            project_copy / "pelicanconf.py", output, search_later=True, lock_timeout=1
        )
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    printed = capfd.readouterr().err
    assert not result.ok
    assert "Waiting for the other build of output/ to finish" in printed
    assert result.messages == (
        "Another build of output/ has been running for over 1 seconds: wait for "
        "it, or stop it (Ctrl+C in its terminal), then build again."
    )
    assert half.read_text() == "the other build is writing this"
    assert not output.exists()


def test_a_second_build_runs_once_the_first_is_done(project_copy, capfd):
    output = project_copy / "output"
    holder = hold_lock(output, 2)
    started = time.monotonic()
    try:
        result = build_site(project_copy / "pelicanconf.py", output, search_later=True)
    finally:
        holder.wait()
        holder.stdout.close()
    assert result.ok, result.messages
    assert time.monotonic() - started >= 1.5, "it waited for the lock"
    assert "Waiting for the other build" in capfd.readouterr().err
    assert (output / "index.html").is_file()


# --- 5. The swap -------------------------------------------------------------------


@pytest.fixture
def built_output(project_copy) -> Path:
    """Return the project copy's output/ after one good build (no search index)."""
    output = project_copy / "output"
    assert build_site(project_copy / "pelicanconf.py", output, search_later=True).ok
    (output / "last-good.txt").write_text("the last good site")
    return output


def failing(code: int, when=lambda source: True):
    """Return a stand-in for os.rename that fails with `code` when `when(source)`."""
    real = os.rename

    def rename(source, target, *arguments, **options):
        if when(Path(source)):
            raise OSError(code, os.strerror(code), str(source))
        return real(source, target, *arguments, **options)

    return rename


SWAP_ERRORS = {
    errno.EBUSY: "it is in use",
    errno.ENOTEMPTY: "a leftover folder is in the way",
    errno.EACCES: "not writable by you",
    errno.ENOSPC: "the disk is full",
    errno.EROFS: "the disk is read-only",
}


@pytest.mark.parametrize("code", SWAP_ERRORS, ids=errno.errorcode.get)
def test_a_failed_swap_is_one_line_and_the_last_good_output_stays(
    built_output, monkeypatch, capfd, code
):
    output = built_output
    capfd.readouterr()

    def exchange_fails(first, second):
        raise OSError(code, os.strerror(code), str(second))

    monkeypatch.setattr(tools_build, "_exchange", exchange_fails, raising=False)
    monkeypatch.setattr(os, "rename", failing(code))
    result = build_site(output.parent / "pelicanconf.py", output, search_later=True)
    assert not result.ok
    assert "\n" not in result.messages
    assert result.messages.startswith(
        f"The new site was built but could not replace output/ ({os.strerror(code)}): "
    )
    assert SWAP_ERRORS[code] in result.messages
    assert result.messages.endswith("output/ still holds the last good site.")
    assert "Traceback" not in capfd.readouterr().err
    assert (output / "last-good.txt").read_text() == "the last good site"
    assert not staging_folder(output, "staging").exists()


def test_when_the_second_rename_fails_the_previous_output_is_put_back(
    built_output, monkeypatch
):
    output = built_output
    staging = staging_folder(output, "staging")
    # A system without an atomic exchange: two renames.
    monkeypatch.setattr(tools_build, "_exchange", lambda *_: False, raising=False)
    monkeypatch.setattr(os, "rename", failing(errno.ENOSPC, lambda s: s == staging))
    result = build_site(output.parent / "pelicanconf.py", output, search_later=True)
    assert not result.ok
    assert (output / "last-good.txt").read_text() == "the last good site"
    assert not staging_folder(output, "previous").exists()


def test_the_exchange_never_leaves_the_site_without_its_folder(
    built_output, monkeypatch
):
    output = built_output
    staging = staging_folder(output, "staging")
    monkeypatch.setattr(os, "rename", failing(errno.EIO))  # two renames would fail
    shutil.copytree(output, staging)
    (staging / "last-good.txt").write_text("the new site")
    tools_build.swap_in(staging, output)
    assert (output / "last-good.txt").read_text() == "the new site"
    assert not staging.exists()


def test_an_immutable_output_folder_fails_the_build_in_one_line(built_output):
    output = built_output
    if subprocess.run(["chattr", "+i", str(output)], check=False).returncode != 0:
        pytest.skip("chattr +i is not possible here (needs root on ext4 or xfs)")
    try:
        result = invoke(output.parent, "build")
    finally:
        subprocess.run(["chattr", "-i", str(output)], check=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert (
        "The new site was built but could not replace output/ (Operation not "
        "permitted): it or the folder holding it may not be changed"
    ) in result.stderr
    assert (output / "last-good.txt").read_text() == "the last good site"
    assert not staging_folder(output, "staging").exists()
