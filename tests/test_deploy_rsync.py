"""Deploys with rsync to a local folder standing in for any SSH host."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from manifest import MANIFEST_FILE
import pytest

from deploy.gh_pages import DeployError
from deploy.rsync import live_release, new_stamp, publish, releases, rollback
from tests.test_manifest import PLANTED, built_site, planted_copy


def served(destination: Path) -> dict[str, str]:
    """Return what a web server rooted at `current` serves: {path: text}."""
    root = destination / "current"
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_deploy_becomes_live_only_through_current(tmp_path):
    host = tmp_path / "host"
    publish(
        built_site(tmp_path / "v1", {"index.html": "v1", "a/index.html": "a"}),
        str(host),
        stamp="20261129T060000Z",
    )
    assert (host / "current").is_symlink()
    assert served(host) == {"index.html": "v1", "a/index.html": "a"}
    assert live_release(str(host)) == "20261129T060000Z"


def test_a_new_release_drops_removed_pages_and_links_unchanged_files(tmp_path):
    host = tmp_path / "host"
    publish(
        built_site(
            tmp_path / "v1", {"index.html": "v1", "old.html": "old", "same.css": "x"}
        ),
        str(host),
        stamp="20261129T060000Z",
    )
    publish(
        built_site(tmp_path / "v2", {"index.html": "v2", "same.css": "x"}),
        str(host),
        stamp="20261129T070000Z",
    )
    assert served(host) == {"index.html": "v2", "same.css": "x"}
    first = host / "releases" / "20261129T060000Z" / "same.css"
    second = host / "releases" / "20261129T070000Z" / "same.css"
    assert first.stat().st_ino == second.stat().st_ino, "unchanged: a hard link"


def test_rollback_points_current_at_the_previous_release(tmp_path):
    host = tmp_path / "host"
    publish(
        built_site(tmp_path / "v1", {"index.html": "v1"}),
        str(host),
        stamp="20261129T060000Z",
    )
    publish(
        built_site(tmp_path / "v2", {"index.html": "v2"}),
        str(host),
        stamp="20261129T070000Z",
    )
    assert rollback(str(host)).stamp == "20261129T060000Z"
    assert served(host) == {"index.html": "v1"}
    assert rollback(str(host), to="20261129T070000Z").stamp == "20261129T070000Z"
    assert served(host) == {"index.html": "v2"}
    with pytest.raises(DeployError, match="no release '2020"):
        rollback(str(host), to="20200101T000000Z")


def test_old_releases_are_pruned_but_never_the_live_one(tmp_path):
    host = tmp_path / "host"
    for hour in range(6, 10):
        publish(
            built_site(tmp_path / f"v{hour}", {"index.html": f"v{hour}"}),
            str(host),
            keep=2,
            stamp=f"20261129T{hour:02d}0000Z",
        )
    assert releases(str(host)) == ["20261129T080000Z", "20261129T090000Z"]
    assert served(host) == {"index.html": "v9"}


def test_nothing_to_roll_back_to_and_nothing_built_are_errors(tmp_path):
    host = tmp_path / "host"
    with pytest.raises(DeployError, match="no built site"):
        publish(tmp_path / "empty", str(host))
    publish(
        built_site(tmp_path / "v1", {"index.html": "v1"}),
        str(host),
        stamp="20261129T060000Z",
    )
    with pytest.raises(
        DeployError, match="no complete release before 20261129T060000Z"
    ):
        rollback(str(host))


def test_the_manifest_of_a_built_site_stays_behind(tmp_path, fixture_publish_site):
    host = tmp_path / "host"
    publish(fixture_publish_site.output, str(host), stamp="20261129T060000Z")
    root = host / "current"
    files = {path.relative_to(root).as_posix() for path in root.rglob("*")}
    assert "index.html" in files and "first-visit/index.html" in files
    assert MANIFEST_FILE not in files


@pytest.mark.parametrize("case", PLANTED, ids=PLANTED.keys())
def test_a_file_planted_after_the_build_is_refused_and_named(
    tmp_path, fixture_publish_site, case
):
    host = tmp_path / "host"
    publish(
        built_site(tmp_path / "v1", {"index.html": "v1"}),
        str(host),
        stamp="20261129T060000Z",
    )
    plant, words = PLANTED[case]
    output, planted = planted_copy(fixture_publish_site.output, tmp_path, plant)
    with pytest.raises(DeployError) as refused:
        publish(output, str(host), stamp="20261129T070000Z")
    assert f"output/{planted}: {words}" in str(refused.value)
    assert sorted(path.name for path in (host / "releases").iterdir()) == [
        "20261129T060000Z"
    ], "nothing was uploaded"
    assert served(host) == {"index.html": "v1"}


def test_two_deploys_in_the_same_second_get_two_releases():
    first = dt.datetime(2026, 11, 29, 6, 40, 0, 1000, tzinfo=dt.UTC)
    second = first + dt.timedelta(microseconds=1)
    assert new_stamp(first) != new_stamp(second)
    assert sorted([new_stamp(second), new_stamp(first)])[0] == new_stamp(first)


def test_a_deploy_never_uploads_into_a_release_that_exists(tmp_path):
    host = tmp_path / "host"
    stamp = "20261129T060000000001Z"
    publish(built_site(tmp_path / "v1", {"index.html": "v1"}), str(host), stamp=stamp)
    with pytest.raises(DeployError, match="already at"):
        publish(
            built_site(tmp_path / "v2", {"index.html": "v2"}), str(host), stamp=stamp
        )
    assert served(host) == {"index.html": "v1"}
    assert releases(str(host)) == [stamp]
