"""Session fixtures: each fixture site and the real content, built once per run."""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from playwright.sync_api import sync_playwright
import pytest

from tests.browser import CHROMIUM, CHROMIUM_FLAGS
from tests.support import (
    FIXTURE_CONTENT,
    KITCHEN_SINK_CONTENT,
    LANGUAGE_SETTINGS,
    PUBLISH_SETTINGS,
    REAL_CONTENT,
    SEED_CONTENT,
    SUB_PATH_SITEURL,
    TRANSLATIONS_CONTENT,
    Site,
    build,
    copy_fixture_site,
    copy_project,
)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Site:
    """Build the fixture site with the development settings, two articles a page."""
    output = tmp_path_factory.mktemp("fixture-dev")
    return Site(build(FIXTURE_CONTENT, output, DEFAULT_PAGINATION=2))


@pytest.fixture(scope="session")
def fixture_publish_site(tmp_path_factory) -> Site:
    """Build the fixture site with the publish settings."""
    output = tmp_path_factory.mktemp("fixture-publish")
    return Site(build(FIXTURE_CONTENT, output, PUBLISH_SETTINGS, DEFAULT_PAGINATION=2))


# What all_generators_finalized handed the sub-path build; kept at module
# level because signals hold their receivers weakly.
_sub_path_generators: list[list] = []


def _keep_sub_path_generators(generators) -> None:
    _sub_path_generators.append(generators)


@pytest.fixture(scope="session")
def fixture_sub_path_build(tmp_path_factory) -> tuple[Site, dict, dict]:
    """Build the fixture site with the publish settings for SITEURL …/blog.

    Return (site, context, settings): the build's template context and settings
    as its generators had them, for tests of what the templates were handed.
    Shared by the link and page-meta tests: read them, never change them.
    """
    output = tmp_path_factory.mktemp("fixture-sub-path") / "blog"
    signals.all_generators_finalized.connect(_keep_sub_path_generators)
    try:
        build(
            FIXTURE_CONTENT,
            output,
            PUBLISH_SETTINGS,
            SITEURL=SUB_PATH_SITEURL,
            FEED_DOMAIN=SUB_PATH_SITEURL,
            DEFAULT_PAGINATION=2,
        )
    finally:
        signals.all_generators_finalized.disconnect(_keep_sub_path_generators)
    generators = _sub_path_generators.pop()
    return Site(output), generators[0].context, generators[0].settings


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Site:
    """Build the real content/ with the development settings."""
    output = tmp_path_factory.mktemp("real-dev")
    return Site(build(REAL_CONTENT, output))


@pytest.fixture(scope="session")
def real_publish_site(tmp_path_factory) -> Site:
    """Build the real content/ with the publish settings."""
    output = tmp_path_factory.mktemp("real-publish")
    return Site(build(REAL_CONTENT, output, PUBLISH_SETTINGS))


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Site:
    """Build the seed article as the clinic delivered it (development settings)."""
    output = tmp_path_factory.mktemp("seed-dev")
    return Site(build(SEED_CONTENT, output))


@pytest.fixture(scope="session")
def translations_site(tmp_path_factory) -> Site:
    """Build the translations fixture with its LANGUAGE_SETTINGS (development settings).

    Shared by the language, search and browser tests: read it, never change it.
    """
    output = tmp_path_factory.mktemp("translations-dev")
    return Site(
        build(TRANSLATIONS_CONTENT, output, LANGUAGE_SETTINGS=LANGUAGE_SETTINGS)
    )


@pytest.fixture(scope="session")
def kitchen_sink_site(tmp_path_factory) -> Site:
    """Build the kitchen-sink fixture with the development settings.

    Shared by the prose and browser layout tests: read it, never change it.
    """
    return Site(build(KITCHEN_SINK_CONTENT, tmp_path_factory.mktemp("kitchen-sink")))


@pytest.fixture
def scratch_content(tmp_path) -> Path:
    """Copy the fixture content privately, for a test that breaks it."""
    return copy_fixture_site(tmp_path / "content")


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """Copy the project with the fixture content, for tests that run its tasks."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium once for every browser test of the run."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test`, which installs it"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def isolated_git(monkeypatch, tmp_path) -> None:
    """Ignore the machine's git configuration and identity: tests set their own."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for variable in ("GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(variable, raising=False)
