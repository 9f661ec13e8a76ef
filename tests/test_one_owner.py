"""Each fact has one owner: content parsed once, settings checked where declared.

- every content file is parsed once per build, and the plugins that shape
  pages read the same records (consent judged with one clock);
- each plugin's settings.py fills in its defaults and names a setting whose
  value cannot work, and a build with such a value stops;
- a build leaves no state behind in other modules (Typogrify is its own again).
"""

from __future__ import annotations

import datetime as dt
import importlib

from content_schema import loaders, schema
import pytest
import typogrify.filters

from tests.support import (
    FIXTURE_CONTENT,
    PelicanComplained,
    Site,
    build,
    copy_fixture_site,
)

PLUGINS_WITH_SETTINGS = (
    "content_schema",
    "testimonials",
    "health",
    "images",
    "navigation",
    "search",
    "assets",
    "build_cache",
)
# One value per plugin that cannot work, and the setting it must name.
BAD_VALUES = {
    "content_schema": ("TESTIMONIALS_WITHOUT_CONSENT", "sometimes"),
    "testimonials": ("TESTIMONIALS_DISCLOSURE", 42),
    "health": ("CRISIS_TAGS", "PTSD"),
    "images": ("IMAGES_QUALITY", 0),
    "navigation": ("TOC_MIN_SECTIONS", "three"),
    "search": ("SEARCH_INDEX_DIR", "../elsewhere"),
    "assets": ("ASSETS_CSS_OUTPUT", "theme/css/site.css"),
    "build_cache": ("BUILD_CACHE_KEEP", 0),
}


def _settings_module(plugin: str):
    return importlib.import_module(f"{plugin}.settings")


def _problems(plugin: str, settings: dict) -> list:
    module = _settings_module(plugin)
    if plugin == "content_schema":
        return [str(p) for p in module.validate(module.with_defaults(settings))]
    return list(module.problems({**module.DEFAULTS, **settings}).values())


@pytest.mark.parametrize("plugin", PLUGINS_WITH_SETTINGS)
def test_each_plugins_defaults_are_valid_and_prefixed(plugin):
    module = _settings_module(plugin)
    assert module.DEFAULTS
    assert _problems(plugin, {}) == []
    for name in module.DEFAULTS:
        assert name.isupper(), name


@pytest.mark.parametrize("plugin", PLUGINS_WITH_SETTINGS)
def test_a_setting_that_cannot_work_is_named(plugin):
    name, value = BAD_VALUES[plugin]
    found = _problems(plugin, {name: value})
    assert len(found) == 1
    assert name in found[0]
    assert repr(value) in found[0] or str(value) in found[0]


@pytest.mark.parametrize(
    ("plugin", "name", "value"),
    [
        ("build_cache", "BUILD_CACHE_PROCESSES", -1),
        ("build_cache", "BUILD_CACHE_PREWARM_MIN", "many"),
        ("build_cache", "BUILD_CACHE_PROCESSES", True),
        ("search", "SEARCH_PAGES_PER_INDEX", 0),
        ("search", "SEARCH_PAGES_PER_INDEX", 2.5),
    ],
)
def test_each_speed_setting_that_cannot_work_is_named(plugin, name, value):
    found = _problems(plugin, {name: value})
    assert len(found) == 1
    assert name in found[0] and repr(value) in found[0]


def test_no_two_plugins_declare_the_same_setting():
    owners: dict[str, str] = {}
    for plugin in PLUGINS_WITH_SETTINGS:
        for name in _settings_module(plugin).DEFAULTS:
            if name in ("ARTICLE_URL", "PAGE_URL"):
                continue  # Pelican's own, for callers without Pelican's defaults
            assert name not in owners, f"{name}: {owners.get(name)} and {plugin}"
            owners[name] = plugin


def test_a_build_with_a_setting_that_cannot_work_stops(tmp_path):
    with pytest.raises(PelicanComplained, match="navigation: TOC_MIN_SECTIONS"):
        build(FIXTURE_CONTENT, tmp_path / "out", TOC_MIN_SECTIONS="three")


def test_every_content_file_is_parsed_once_per_build(tmp_path, monkeypatch):
    parsed: list[str] = []
    for name in (
        "load_testimonial_file",
        "load_references_file",
        "load_reviewers_file",
        "load_taxonomy_file",
        "parse_front_matter",
    ):
        original = getattr(schema, name)

        def counting(path, *arguments, _original=original):
            parsed.append(str(path))
            return _original(path, *arguments)

        monkeypatch.setattr(loaders, name, counting)
    content = copy_fixture_site(tmp_path / "content")
    build(content, tmp_path / "out")
    assert parsed
    assert len(parsed) == len(set(parsed)), sorted(parsed)


def test_testimonials_follow_the_consent_judged_by_the_loader(tmp_path, monkeypatch):
    """The page shows what the load decided, with its clock, not a second one."""
    judged = []
    original = schema.Consent.publication_blocker

    def once(consent, today):
        judged.append(today)
        return original(consent, today)

    monkeypatch.setattr(schema.Consent, "publication_blocker", once)
    content = copy_fixture_site(tmp_path / "content")
    site = Site(build(content, tmp_path / "out"))
    testimonial_files = list((content / "testimonials").glob("*.yaml"))
    assert len(judged) == len(testimonial_files)
    assert set(judged) == {dt.date.today()}
    cards = site.soup("testimonials/").select(".testimonial-card")
    assert len(cards) == len(testimonial_files)


def test_a_build_leaves_typogrify_as_it_found_it(tmp_path):
    before = typogrify.filters.typogrify
    build(FIXTURE_CONTENT, tmp_path / "out")
    assert typogrify.filters.typogrify is before
    assert not hasattr(typogrify.filters.typogrify, "memo")
