"""A killed rsync upload never goes live: not by rollback, not by pruning.

The upload is killed for real: a `rsync` first on PATH runs the real one with
a bandwidth limit, the deploy runs in its own process, and the test kills that
process group with SIGKILL once the release folder has its first files.
"""

from __future__ import annotations

import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import time

import pytest

from deploy.errors import DeployError
from deploy.rsync import live_release, partial_releases, publish, releases, rollback
from tests.support import ROOT, write_site
from tests.test_deploy_rsync import served
from tests.test_manifest import built_site

V1, KILLED, V3 = "20261129T060000Z", "20261129T070000Z", "20261129T080000Z"


def slow_rsync(folder: Path) -> Path:
    """Write an `rsync` that sends at 20 KB/s; return the folder to put on PATH."""
    folder.mkdir()
    script = folder / "rsync"
    script.write_text(f'#!/bin/sh\nexec {shutil.which("rsync")} --bwlimit=20 "$@"\n')
    script.chmod(0o755)
    return folder


def kill_midway(site: Path, host: Path, stamp: str, tmp_path: Path) -> None:
    """Start a deploy of `site` in its own process; SIGKILL it mid-upload."""
    environment = {
        **os.environ,
        "PATH": f"{slow_rsync(tmp_path / 'slow')}{os.pathsep}{os.environ['PATH']}",
    }
    code = (
        "import sys; from pathlib import Path; from deploy.rsync import publish; "
        "publish(Path(sys.argv[1]), sys.argv[2], stamp=sys.argv[3])"
    )
    deploy = subprocess.Popen(
        [sys.executable, "-c", code, str(site), str(host), stamp],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
    )
    release = host / "releases" / stamp
    deadline = time.monotonic() + 60
    try:
        while not (release.is_dir() and any(release.iterdir())):
            assert deploy.poll() is None, "the deploy ended before it could be killed"
            assert time.monotonic() < deadline, "the upload never started"
            time.sleep(0.05)
    finally:
        os.killpg(deploy.pid, signal.SIGKILL)
        deploy.wait()
    assert not (release / "zz-last.html").exists(), "killed before the last file"


def big_site(folder: Path, label: str) -> Path:
    """Write a site whose upload takes seconds at 20 KB/s (forty 4 KB pages)."""
    pages = {f"page-{n:02d}.html": f"{label} {n}\n" + "x" * 4096 for n in range(40)}
    return built_site(
        folder, {"index.html": label, **pages, "zz-last.html": f"{label} last"}
    )


@pytest.fixture
def host_with_a_killed_upload(tmp_path) -> Path:
    """Return a host: V1 complete and live, then KILLED killed midway."""
    host = tmp_path / "host"
    publish(built_site(tmp_path / "v1", {"index.html": "v1"}), str(host), stamp=V1)
    kill_midway(big_site(tmp_path / "v2", "v2"), host, KILLED, tmp_path)
    return host


def test_a_killed_upload_is_partial_and_never_live(host_with_a_killed_upload):
    host = host_with_a_killed_upload
    assert live_release(str(host)) == V1
    assert releases(str(host)) == [V1]
    assert partial_releases(str(host)) == [KILLED]
    with pytest.raises(DeployError, match=f"release {KILLED} .* never finished"):
        rollback(str(host), to=KILLED)
    assert live_release(str(host)) == V1


def test_rollback_after_the_next_deploy_skips_the_killed_release(
    host_with_a_killed_upload, tmp_path
):
    host = host_with_a_killed_upload
    publish(built_site(tmp_path / "v3", {"index.html": "v3"}), str(host), stamp=V3)
    assert rollback(str(host)).stamp == V1
    assert served(host) == {"index.html": "v1"}


def test_pruning_neither_counts_nor_keeps_a_killed_release(
    host_with_a_killed_upload, tmp_path
):
    host = host_with_a_killed_upload
    publish(
        built_site(tmp_path / "v3", {"index.html": "v3"}), str(host), keep=2, stamp=V3
    )
    # KILLED would have been one of the two kept, leaving V1 out.
    assert releases(str(host)) == [V1, V3]
    assert partial_releases(str(host)) == []
    assert sorted(path.name for path in (host / "releases").iterdir()) == [V1, V3]


def test_a_release_uploaded_before_the_marker_existed_counts_as_complete(tmp_path):
    host = tmp_path / "host"
    # What an older deploy left: release folders and `current`, no markers.
    for stamp, text in ((V1, "v1"), (V3, "v3")):
        write_site(host / "releases" / stamp, {"index.html": text})
    (host / "current").symlink_to(f"releases/{V3}")
    assert releases(str(host)) == [V1, V3]
    assert rollback(str(host)).stamp == V1
