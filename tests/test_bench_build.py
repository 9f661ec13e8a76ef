"""bench/bench_build.py: the pure parts on small inputs, and its measuring tools.

`make bench-build` itself builds thousands of pages for many minutes; these
tests check the parts it relies on: peak memory read from a child process,
the settings files of ours and stock, the edits, the check that a warm build
shows them, medians, ratios, verdicts, growth, the profile grouping and the
Markdown.
"""

from __future__ import annotations

import cProfile
import importlib.util
import pstats
import re
import sys

from content_schema import check_content
from pelican.settings import read_settings
import pytest
import yaml

from bench import bench_build as bb, corpus as generator
from bench.bench_build import (
    ProfileArea,
    Reload,
    Sample,
    SizeResult,
    Verdict,
)
from bench.corpus import article_slug, newest_article, write_corpus
from tests.support import DEV_SETTINGS, ROOT

MIB = 2**20


# --- Measuring a child process -------------------------------------------------


def test_peak_memory_is_the_childs_own_and_in_bytes():
    # A large parent: Linux would count its size for a child it started itself.
    ballast = b"x" * 100_000_000
    small = bb.run_child([sys.executable, "-c", "pass"])
    # Written byte by byte, so every page is resident (bytes(n) would not be).
    large = bb.run_child([sys.executable, "-c", "data = b'x' * 60_000_000"])
    assert len(ballast) > small.peak_bytes > 2 * MIB
    assert small.peak_bytes < 40 * MIB
    assert large.peak_bytes - small.peak_bytes > 50 * MIB
    # A later small child is measured alone, not with the large one before it.
    again = bb.run_child([sys.executable, "-c", "pass"])
    assert again.peak_bytes < large.peak_bytes - 50 * MIB


def test_peak_memory_includes_a_larger_child_of_the_child():
    grandchild = "import subprocess, sys; subprocess.run([sys.executable, '-c', "
    grandchild += "\"data = b'x' * 60_000_000\"], check=True)"
    sample = bb.run_child([sys.executable, "-c", grandchild])
    assert sample.peak_bytes > 55 * MIB


def test_child_time_is_wall_clock_time():
    sample = bb.run_child([sys.executable, "-c", "import time; time.sleep(0.3)"])
    assert 0.3 <= sample.seconds < 5


def test_a_failing_child_stops_the_benchmark_with_its_output():
    command = [sys.executable, "-c", "import sys; print('no such theme'); sys.exit(3)"]
    with pytest.raises(bb.BenchmarkError, match=r"exited with 3:\s+no such theme"):
        bb.run_child(command)


# --- Corpus and edits --------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path):
    """Write a small corpus; return its content folder."""
    return write_corpus(tmp_path, articles=10)


def test_the_corpus_has_every_kind_of_content_the_build_handles(corpus):
    texts = [p.read_text() for p in sorted((corpus / "articles").glob("*.md"))]
    assert len(texts) == 10
    for text in texts:
        assert re.search(r"^## ", text, re.MULTILINE), "heading"
        assert re.search(r"^- ", text, re.MULTILINE), "list"
        assert re.search(r"^> ", text, re.MULTILINE), "quote"
        assert "({filename}generated-" in text, "link to another article"
        assert re.search(r"^Tags: \w", text, re.MULTILINE)
        assert re.search(r"^Category: \w", text, re.MULTILINE)
    assert sum("[testimonials]" in text for text in texts) == 2
    testimonials = sorted((corpus / "testimonials").glob("*.yaml"))
    assert len(testimonials) == 20
    # The publish row needs consent on record for every testimonial.
    for path in testimonials:
        consent = yaml.safe_load(path.read_text())["consent"]
        assert consent["status"] == "obtained"
        assert consent["record"]


def test_the_corpus_is_the_same_for_the_same_seed(tmp_path):
    first = write_corpus(tmp_path / "a", articles=5)
    second = write_corpus(tmp_path / "b", articles=5)
    other = write_corpus(tmp_path / "c", articles=5, seed=1)
    name = f"articles/{article_slug(3)}.md"
    assert (first / name).read_text() == (second / name).read_text()
    assert (first / name).read_text() != (other / name).read_text()


def test_the_newest_article_has_the_latest_date(tmp_path):
    content = write_corpus(tmp_path, articles=30)
    dates = {
        path.stem: re.search(r"^Date: (.+)$", path.read_text(), re.MULTILINE)[1]
        for path in (content / "articles").glob("*.md")
    }
    assert max(dates, key=dates.get) == article_slug(newest_article(30))
    assert newest_article(5000) == 1999  # dates cycle through 2,000 days


def test_editing_an_article_appends_a_paragraph(corpus):
    path = corpus / "articles" / f"{article_slug(4)}.md"
    before = path.read_text()
    bb.edit_article(path, "benchedit1")
    after = path.read_text()
    assert after.startswith(before)
    assert after != before
    assert after.count("benchedit1") == 1
    # Not the paragraph's last word, which Typogrify glues to the one before.
    assert not re.search(r"benchedit1\W*$", after)


def test_editing_a_testimonial_changes_its_quote_and_nothing_else(corpus):
    path = corpus / "testimonials" / f"{generator.testimonial_id(0)}.yaml"
    before = yaml.safe_load(path.read_text())
    bb.edit_testimonial(path, "benchedit2")
    after = yaml.safe_load(path.read_text())
    assert "benchedit2" in after["quote"]
    assert "benchedit2" not in before["quote"]
    assert {k: v for k, v in after.items() if k != "quote"} == {
        k: v for k, v in before.items() if k != "quote"
    }


@pytest.mark.parametrize(
    "text", ["id: x\nwords: one line\n", "id: x\nquote: >-\n  folded\n  lines\n"]
)
def test_a_testimonial_without_a_one_line_quote_is_not_half_edited(tmp_path, text):
    path = tmp_path / "t.yaml"
    path.write_text(text)
    with pytest.raises(ValueError, match="no one-line quote"):
        bb.edit_testimonial(path, "benchedit3")
    assert path.read_text() == text


def test_edited_content_still_passes_the_content_check(corpus):
    bb.edit_article(corpus / "articles" / f"{article_slug(9)}.md", "benchedit4")
    bb.edit_testimonial(corpus / "testimonials" / "patient-3.yaml", "benchedit5")
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(corpus)})
    result = check_content(settings)
    assert result.problems == []
    assert result.articles == 10


# --- Settings files and builds --------------------------------------------------


def test_stock_settings_are_pelicans_defaults_with_simple_and_no_plugins(
    corpus, tmp_path
):
    path = bb.write_stock_settings(tmp_path / "s.py", corpus, tmp_path / "cache")
    settings = read_settings(str(path))
    assert settings["PATH"] == str(corpus)
    assert settings["ARTICLE_PATHS"] == ["articles"]
    assert settings["PAGE_PATHS"] == ["pages"]
    assert settings["THEME"].endswith("/pelican/themes/simple")
    assert settings["PLUGINS"] == []
    assert settings["TYPOGRIFY"] is False
    assert settings["CACHE_CONTENT"] is False
    assert settings["LOAD_CONTENT_CACHE"] is False
    assert settings["CACHE_PATH"] == str(tmp_path / "cache")
    # Everything else is Pelican's default, e.g. its URLs and its feeds.
    assert settings["ARTICLE_SAVE_AS"] == "{slug}.html"
    assert settings["FEED_ALL_ATOM"] == "feeds/all.atom.xml"

    cached = bb.write_stock_settings(
        tmp_path / "c.py", corpus, tmp_path / "cache", content_cache=True
    )
    settings = read_settings(str(cached))
    assert settings["CACHE_CONTENT"] is True
    assert settings["LOAD_CONTENT_CACHE"] is True


@pytest.mark.parametrize(
    ("base", "real"),
    [("pelicanconf", "pelicanconf.py"), ("publishconf", "publishconf.py")],
)
def test_our_settings_are_the_projects_own_on_the_corpus(corpus, tmp_path, base, real):
    path = bb.write_our_settings(tmp_path / "ours.py", corpus, tmp_path / "c", base)
    settings = read_settings(str(path))
    project = read_settings(str(ROOT / real))
    assert settings["PATH"] == str(corpus)
    assert settings["CACHE_PATH"] == str(tmp_path / "c")
    # Resolved against the project, not against the temporary file's folder.
    assert settings["THEME"] == str(ROOT / "theme")
    assert settings["PLUGIN_PATHS"] == [str(ROOT / "plugins")]
    assert settings["PLUGINS"] == project["PLUGINS"]
    assert settings["TYPOGRIFY"] == project["TYPOGRIFY"]


def test_the_stock_build_runs_and_a_warm_build_shows_the_edit(corpus, tmp_path):
    sites = bb.make_sites(tmp_path, corpus)
    stock = sites["stock"]
    slug = article_slug(newest_article(10))
    stock.forget()
    assert stock.build().peak_bytes > 0
    bb.check_build(stock, 10, slug)
    bb.edit_article(corpus / "articles" / f"{slug}.md", "benchedit6")
    with pytest.raises(bb.BenchmarkError, match="lacks the edit"):
        bb.check_build(stock, 10, slug, "benchedit6")  # not rebuilt yet
    stock.build()
    bb.check_build(stock, 10, slug, "benchedit6")


def test_our_build_is_staged_then_swapped_into_place(tmp_path):
    content = write_corpus(tmp_path, articles=3)
    ours = bb.make_sites(tmp_path, content)["ours"]
    slug = article_slug(newest_article(3))
    ours.forget()
    ours.build()
    bb.check_build(ours, 3, slug)
    stale = ours.output / "stale.txt"
    stale.write_text("from the build before")
    bb.edit_testimonial(content / "testimonials" / "patient-0.yaml", "benchedit7")
    ours.build()
    assert not stale.exists()  # a fresh output folder, as build_site makes
    assert bb.shows_testimonial(ours.output, "benchedit7")
    assert not any(p.name.endswith("-staging") for p in tmp_path.iterdir())


def test_a_build_missing_an_article_page_is_an_error(tmp_path):
    site = bb.Site("ours", tmp_path / "s.py", tmp_path / "out", tmp_path / "cache")
    pages = [site.output / article_slug(n) / "index.html" for n in range(3)]
    for page in (pages[0], pages[2]):
        page.parent.mkdir(parents=True)
        page.write_text("<p>benchedit8 words</p>")
    with pytest.raises(
        bb.BenchmarkError, match=r"1 of 3 article pages missing, e\.g\. generated-1"
    ):
        bb.check_build(site, 3, article_slug(2))
    pages[1].parent.mkdir()
    pages[1].write_text("<p>words</p>")
    bb.check_build(site, 3, article_slug(2), "benchedit8")
    with pytest.raises(bb.BenchmarkError, match="generated-1 lacks the edit"):
        bb.check_build(site, 3, article_slug(1), "benchedit8")


# --- Figures -------------------------------------------------------------------


def size(articles: int, **medians: float) -> SizeResult:
    """Make a size result; keys like ours_cold=12 give one sample of 12 s.

    `ours_peak=` and `stock_peak=` give the peak memory in MiB of the cold step.
    """
    builds = {}
    for site in bb.SITES:
        for step in bb.STEPS:
            seconds = medians.get(f"{site.replace('-', '_')}_{step}")
            if seconds is not None:
                peak = medians.get(f"{site}_peak", 100) if step == "cold" else 10
                builds[site, step] = [Sample(seconds, int(peak * MIB))]
    check = [Sample(medians["check"], MIB)] if "check" in medians else []
    return SizeResult(articles, 1, builds, check)


def test_medians_and_peaks_come_from_every_run():
    result = SizeResult(
        1000,
        3,
        {
            ("ours", "cold"): [Sample(30, 5), Sample(10, 9), Sample(20, 7)],
            ("ours", "article"): [Sample(4, 11), Sample(2, 3), Sample(3, 3)],
        },
        [Sample(1.5, 1), Sample(0.5, 1)],
    )
    assert result.seconds("ours", "cold") == 20
    assert result.seconds("ours", "article") == 3
    assert result.seconds("stock", "cold") is None
    assert result.check_seconds() == 1.0
    assert result.peak_bytes("ours") == 11  # the highest of any step
    assert result.peak_bytes("stock") is None


def test_targets_are_judged_on_ratios_of_the_same_run():
    found = bb.verdicts(
        [
            size(100, ours_cold=5, stock_cold=1, ours_article=4, ours_peak=150),
            size(
                1000,
                ours_cold=12,
                stock_cold=10,
                ours_article=1.8,
                ours_peak=150,
                stock_peak=100,
            ),
        ]
    )
    by_target = {(v.target, v.articles): v for v in found}
    cold = by_target["Our cold build / stock cold build", 1000]
    assert cold.figure == pytest.approx(1.2)
    assert cold.met is True
    assert by_target["Our cold build / stock cold build (stretch)", 1000].met is True
    # 5,000 was not measured: reported, not judged.
    assert by_target["Our cold build / stock cold build", 5000].met is None
    # 100 articles is outside the cold and warm targets' sizes.
    assert ("Our cold build / stock cold build", 100) not in by_target
    warm = by_target["Our warm rebuild after an article edit / our cold build", 1000]
    assert warm.figure == pytest.approx(0.15)
    assert warm.met is True  # the limit itself meets the target
    memory = by_target["Our peak memory / stock peak memory", 1000]
    assert memory.figure == pytest.approx(1.5)
    assert memory.met is True
    # Stock's peak at 100 defaults to 100 MiB here too: 1.5.
    assert by_target["Our peak memory / stock peak memory", 100].met is True


@pytest.mark.parametrize(
    ("figures", "target"),
    [
        (
            {"ours_cold": 12.6, "stock_cold": 10},
            "Our cold build / stock cold build (stretch)",
        ),
        (
            {"ours_cold": 10, "stock_cold": 10, "ours_article": 1.6},
            "Our warm rebuild after an article edit / our cold build",
        ),
        (
            {"ours_cold": 1, "stock_cold": 1, "ours_peak": 201, "stock_peak": 100},
            "Our peak memory / stock peak memory",
        ),
    ],
)
def test_each_target_fails_on_its_own_figure(figures, target):
    found = bb.verdicts([size(1000, **figures)])
    failed = [v.target for v in found if v.met is False]
    assert failed == [target]


def test_growth_is_flagged_only_beyond_n_log_n():
    assert not bb.faster_than_n_log_n((100, 1.0), (1000, 10.0))  # linear
    assert not bb.faster_than_n_log_n((1000, 10.0), (5000, 61.0))  # 5 × 1.233
    assert bb.faster_than_n_log_n((1000, 10.0), (5000, 62.0))
    assert bb.faster_than_n_log_n((100, 1.0), (1000, 100.0))  # quadratic
    assert bb.growth_note([(100, 1.0), (1000, 9.0), (5000, 46.0)]) == ("within N·log N")
    note = bb.growth_note([(100, 1.0), (1000, 9.0), (5000, 225.0)])
    assert note.startswith("**faster than N·log N**")
    assert "1,000 → 5,000: ×25.0 for N ×5" in note
    assert "100 → 1,000" not in note
    assert bb.growth_note([(100, 1.0), (1000, None)]) == "one size only"


# --- Profile grouping ------------------------------------------------------------

SITE = "/venv/lib/python3.11/site-packages"
PELICAN_RUN = (f"{SITE}/pelican/generators.py", 10, "generate_output")
RENDER = (f"{SITE}/jinja2/environment.py", 5, "render")
TEMPLATE = ("/repo/theme/templates/article.html", 1, "root")
FILTER = ("/repo/plugins/theme_filters/theme_filters.py", 3, "plain")
REGEX = ("~", 0, "<method 'sub' of 're.Pattern' objects>")
IMAGES = ("/repo/plugins/images/images.py", 7, "generate_output")
WAIT = (f"{bb.STDLIB}threading.py", 300, "wait")
LOCK = ("~", 0, "<method 'acquire' of '_thread.lock' objects>")
SITEMAP = (f"{SITE}/pelican/plugins/sitemap/sitemap.py", 1, "write")


def stats_entry(self_time, cumulative, callers=None):
    """One pstats row: calls, primitive calls, own, cumulative, callers."""
    return (1, 1, self_time, cumulative, callers or {})


def edge(self_time, cumulative):
    """One caller's part of a function's calls, as pstats keeps it."""
    return (1, 1, self_time, cumulative)


# Pelican renders a template that calls our filter, which runs a regex;
# the images plugin waits in the standard library for its threads.
STATS = {
    PELICAN_RUN: stats_entry(1.0, 10.0),
    RENDER: stats_entry(2.0, 4.0, {PELICAN_RUN: edge(2.0, 4.0)}),
    TEMPLATE: stats_entry(1.0, 2.0, {RENDER: edge(1.0, 2.0)}),
    FILTER: stats_entry(0.5, 1.0, {TEMPLATE: edge(0.5, 1.0)}),
    REGEX: stats_entry(0.5, 0.5, {FILTER: edge(0.5, 0.5)}),
    IMAGES: stats_entry(0.5, 3.0, {PELICAN_RUN: edge(0.5, 3.0)}),
    WAIT: stats_entry(0.0, 2.5, {IMAGES: edge(0.0, 2.5)}),
    LOCK: stats_entry(2.5, 2.5, {WAIT: edge(2.5, 2.5)}),
    SITEMAP: stats_entry(0.25, 0.25, {PELICAN_RUN: edge(0.25, 0.25)}),
}


@pytest.mark.parametrize(
    ("function", "area"),
    [
        (PELICAN_RUN, bb.PELICAN_AREA),
        (RENDER, "Jinja rendering"),
        (TEMPLATE, "Jinja rendering"),
        (FILTER, "Plugin `theme_filters`"),
        (IMAGES, "Plugin `images` (image copies, social cards)"),
        (SITEMAP, "pelican-sitemap"),  # a pelican.plugins package, not ours
        (
            (f"{SITE}/pelican/plugins/precompress/__init__.py", 1, "x"),
            "pelican-precompress",
        ),
        (
            (f"{SITE}/pelican/plugins/granular_signals/__init__.py", 1, "w"),
            "pelican-granular-signals",
        ),
        (REGEX, None),
        (WAIT, None),
        (("<frozen posixpath>", 71, "join"), None),
        (("/repo/plugins/seo/seo.py", 1, "<module>"), bb.IMPORTS_AREA),
        (("<frozen importlib._bootstrap>", 1, "_find_and_load"), bb.IMPORTS_AREA),
        ((f"{SITE}/markdown/core.py", 1, "convert"), "Markdown"),
        ((f"{SITE}/typogrify/filters.py", 1, "typogrify"), bb.LIBRARY_AREAS[1][0]),
        ((f"{SITE}/pelican/writers.py", 1, "write_file"), bb.LIBRARY_AREAS[3][0]),
        (("/repo/tools/build.py", 1, "run_pelican"), bb.TASKS_AREA),
        ((f"{SITE}/blinker/base.py", 1, "send"), bb.OTHER_AREA),
    ],
)
def test_functions_are_grouped_by_their_file(function, area):
    assert bb.area_of(function) == area


def test_own_time_adds_up_and_built_ins_count_for_their_caller():
    total, areas = bb.group_profile(STATS)
    by_name = {area.name: area for area in areas}
    assert total == pytest.approx(8.25)
    assert sum(area.own for area in areas) == pytest.approx(total)
    assert by_name["Jinja rendering"].own == pytest.approx(3.0)
    assert by_name["Plugin `theme_filters`"].own == pytest.approx(1.0)
    # The wait in the standard library is the images plugin's own time.
    images = by_name["Plugin `images` (image copies, social cards)"]
    assert images.own == pytest.approx(3.0)
    assert bb.OTHER_AREA not in by_name


def test_inclusive_time_is_counted_where_an_area_is_entered():
    _, areas = bb.group_profile(STATS)
    by_name = {area.name: area for area in areas}
    # Entered once from Pelican; the template it runs is not a second entry.
    assert by_name["Jinja rendering"].inclusive == pytest.approx(4.0)
    assert by_name["Jinja rendering"].entry == "environment.py:render"
    assert by_name["Plugin `theme_filters`"].inclusive == pytest.approx(1.0)
    assert by_name["Plugin `images` (image copies, social cards)"].inclusive == (
        pytest.approx(3.0)
    )
    assert by_name[bb.PELICAN_AREA].inclusive is None  # a frame
    assert [area.name for area in areas][:2] == [
        "Jinja rendering",
        "Plugin `images` (image copies, social cards)",
    ]
    assert areas[-1].name == bb.PELICAN_AREA


def test_a_built_in_shared_by_two_areas_is_split_by_their_time():
    helper = (f"{bb.STDLIB}re/__init__.py", 1, "sub")
    markdown = (f"{SITE}/markdown/core.py", 1, "convert")
    typogrify = (f"{SITE}/typogrify/filters.py", 1, "typogrify")
    stats = {
        markdown: stats_entry(1.0, 4.0),
        typogrify: stats_entry(1.0, 2.0),
        helper: stats_entry(
            0.0, 4.0, {markdown: edge(0, 3.0), typogrify: edge(0, 1.0)}
        ),
        REGEX: stats_entry(4.0, 4.0, {helper: edge(4.0, 4.0)}),
    }
    _, areas = bb.group_profile(stats)
    own = {area.name: area.own for area in areas}
    assert own["Markdown"] == pytest.approx(1.0 + 3.0)
    assert own[bb.LIBRARY_AREAS[1][0]] == pytest.approx(1.0 + 1.0)


def test_a_real_profile_is_read_the_same_way(tmp_path):
    plugin = tmp_path / "plugins" / "demo" / "demo.py"
    plugin.parent.mkdir(parents=True)
    plugin.write_text(
        "import threading\n\n\ndef work():\n    threading.Event().wait(0.2)\n"
    )
    spec = importlib.util.spec_from_file_location("demo_plugin", plugin)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    profiler = cProfile.Profile()
    profiler.runcall(module.work)
    total, areas = bb.group_profile(pstats.Stats(profiler).stats)
    demo = next(area for area in areas if area.name == "Plugin `demo`")
    assert demo.inclusive >= 0.19
    assert demo.own >= 0.19  # the wait, in threading and a lock, is its own
    assert demo.entry == "demo.py:work"
    assert total == pytest.approx(sum(area.own for area in areas))


# --- Markdown ----------------------------------------------------------------------


def report(**changes) -> bb.Report:
    """Make a report of two sizes, a profile and a reload; override fields."""
    values = {
        "sizes": (
            size(
                100,
                ours_cold=4,
                ours_article=1,
                ours_testimonial=1,
                stock_cold=1,
                stock_article=1,
                stock_testimonial=1,
                stock_cache_cold=1,
                stock_cache_article=0.5,
                stock_cache_testimonial=0.5,
                check=0.5,
                ours_peak=120,
                stock_peak=60,
            ),
            size(
                1000,
                ours_cold=40,
                ours_article=30,
                ours_testimonial=31,
                stock_cold=8,
                stock_article=8,
                stock_testimonial=8,
                stock_cache_cold=8,
                stock_cache_article=4,
                stock_cache_testimonial=4,
                check=1,
                ours_peak=140,
                stock_peak=75,
            ),
        ),
        "publish": Sample(365.0, 150 * MIB),
        "profile": bb.Profile(
            1000,
            80.0,
            70.0,
            (
                ProfileArea("Jinja rendering", 20.0, 15.0, "environment.py:render"),
                ProfileArea("Plugin `seo`", 0.1, 0.1, "seo.py:attach"),
                ProfileArea("YAML", 0.1, 0.1, "__init__.py:load"),
                ProfileArea(bb.PELICAN_AREA, None, 5.0, "__init__.py:run"),
            ),
        ),
        "reloads": (
            Reload(1, 3.0, (0.4, 0.45, 0.41)),
            Reload(1000, 42.0, (40.0, 38.5, 41.0)),
        ),
        "serial": bb.SerialCheck(
            2500, (), Sample(50.0, 130 * MIB), Sample(40.0, 140 * MIB)
        ),
        "date": "2026-11-29",
        "python": "CPython 3.11.7",
        "pelican": "4.12.0",
        "cores": 2,
        "load": (0.25, 1.5),
        "commit": "commit abc123",
        "seconds": 65.0,
    }
    return bb.Report(**{**values, **changes})


def tables(markdown: str) -> list[list[str]]:
    """Split the Markdown into tables, each a list of its row lines."""
    found, current = [], []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            current.append(line)
        elif current:
            found.append(current)
            current = []
    return found


def test_markdown_has_every_build_with_its_medians_check_and_memory():
    text = bb.render(report())
    assert "at commit abc123: CPython 3.11.7, Pelican 4.12.0, 2 cores" in text
    assert "Medians of 1 run at 100 and 1,000 articles." in text
    assert "The whole run took 1 min 05 s; the load average was 0.2 when it " in text
    assert "started and 1.5 when it ended" in text
    assert (
        "| 1,000 | Ours (pelicanconf.py) | 40.0 s | 30.0 s | 31.0 s | 1.00 s "
        "| 140 MiB |" in text
    )
    assert (
        "| 1,000 | Stock Pelican, no cache (its default) | 8.00 s | 8.00 s | 8.00 s "
        "| n/a | 75 MiB |" in text
    )
    assert (
        "| 100 | Stock Pelican, content cache on | 1.00 s | 0.50 s | 0.50 s |" in text
    )
    assert "| 1,000 | Ours, publish (publishconf.py), 1 run | 365.0 s |" in text


def test_markdown_judges_every_target_and_names_the_missed_ones():
    text = bb.render(report())
    assert "2 of 5 measured targets met; not met: Our cold build / stock cold " in text
    assert (
        "| Our cold build / stock cold build | 1,000 | 5.00× | ≤ 2× | **not met** |"
        in (text)
    )
    assert (
        "| Our cold build / stock cold build (stretch) | 1,000 | 5.00× | ≤ 1.25× "
        "| **not met** |" in (text)
    )
    assert (
        "| Our cold build / stock cold build | 5,000 | n/a | ≤ 2× | not measured |"
        in (text)
    )
    assert (
        "| Our warm rebuild after an article edit / our cold build | 1,000 | 0.75× "
        in (text)
    )
    assert (
        "| Our peak memory / stock peak memory | 1,000 | 1.87× | ≤ 2× | met |" in text
    )


def test_markdown_shows_time_per_thousand_articles_and_flags_growth():
    text = bb.render(report())
    # 4 s for 100 articles is 40 s per 1,000, as 40 s for 1,000: linear.
    assert "| Ours, cold | 40.00 s | 40.00 s | within N·log N |" in text
    # Ours warm: 1 s then 30 s, ×30 for N ×10.
    assert re.search(
        r"\| Ours, warm after an article edit \| 10\.00 s \| 30\.00 s "
        r"\| \*\*faster than N·log N\*\* \(100 → 1,000: ×30\.0 for N ×10\) \|",
        text,
    )


def test_markdown_profile_and_reload_sections():
    text = bb.render(report())
    assert (
        "| Jinja rendering | 20.0 s | 29% | 15.0 s | 21% | `environment.py:render` |"
        in (text)
    )
    assert f"| {bb.PELICAN_AREA} | frame |  | 5.00 s | 7% |" in text
    # 0.1 s of 70 s is under the cut-off, but our plugins are always listed.
    assert "| Plugin `seo` | 0.10 s | 0% | 0.10 s | 0% | `seo.py:attach` |" in text
    assert "| YAML |" not in text
    assert "Left out: 1 area under 0.5% of the total in both columns" in text
    assert (
        "| 1,000 | **40.0 s** | 40.0 s, 38.5 s, 41.0 s | 42.0 s | ≤ 1 s: **not met** |"
        in text
    )
    assert "| 1 | **0.41 s** | 0.40 s, 0.45 s, 0.41 s | 3.00 s | ≤ 0.5 s: met |" in text
    assert "**byte-identical**: all 2,500 files have the same bytes" in text
    assert "Serial 50.0 s, on every core 40.0 s (0.80×)." in text

    missing = bb.render(report(profile=None, reloads=(), serial=None, publish=None))
    assert missing.count("Not measured: 1,000 articles was not among the sizes.") == 2
    assert "Save to reloaded tab" in missing and "Not measured." in missing
    assert "Ours, publish" not in missing


def test_every_markdown_table_row_has_as_many_cells_as_its_header():
    for table in tables(bb.render(report())):
        widths = {line.count(" | ") for line in table}
        assert len(widths) == 1, table


def test_verdict_without_a_figure_is_neither_met_nor_failed():
    assert Verdict("x", 1000, None, 1.25).met is None
    assert Verdict("x", 1000, 1.25, 1.25).met is True
    assert Verdict("x", 1000, 1.2501, 1.25).met is False
