"""bench/bench_web.py: the pure parts, on small hand-made inputs.

`make bench-web` itself runs Lighthouse for minutes; these tests check what it
does with the results: kinds of requests, bytes from the output folder, the
reading of Lighthouse's JSON, ratios, target verdicts and the Markdown tables.
"""

from __future__ import annotations

import dataclasses
import gzip
import re

import pytest

from bench import bench_web as bw
from bench.bench_web import (
    CATEGORIES,
    LighthouseRun,
    NetworkRequest,
    PageResult,
    Report,
    Resource,
)
from tests.support import PUBLISH_SETTINGS, SEED_CONTENT, build

ORIGIN = "http://127.0.0.1:8123"
PERFECT = dict.fromkeys(CATEGORIES, 1.0)


@pytest.mark.parametrize(
    ("url", "resource_type", "kind"),
    [
        (f"{ORIGIN}/", "Document", "html"),
        (f"{ORIGIN}/search/?q=ketamine", "", "html"),
        (f"{ORIGIN}/404.html", "", "html"),
        (f"{ORIGIN}/theme/css/site.0123456789.css", "Stylesheet", "css"),
        # Google Fonts' stylesheet has no extension: the type decides.
        (
            "https://fonts.googleapis.com/css?family=Yanone+Kaffeesatz",
            "Stylesheet",
            "css",
        ),
        (f"{ORIGIN}/theme/js/search.js", "Script", "js"),
        (f"{ORIGIN}/pagefind/pagefind-worker.js", "Other", "js"),
        (f"{ORIGIN}/theme/fonts/Yanone_Kaffeesatz_400.woff", "Font", "font"),
        (f"{ORIGIN}/f.WOFF2", "", "font"),
        (f"{ORIGIN}/theme/favicon.svg", "Other", "image"),
        (f"{ORIGIN}/favicon.ico", "Other", "image"),
        (f"{ORIGIN}/images/photo-480.webp", "Image", "image"),
        (f"{ORIGIN}/pagefind/wasm.en.pagefind", "Fetch", "wasm"),
        (f"{ORIGIN}/module.wasm", "Fetch", "wasm"),
        (f"{ORIGIN}/pagefind/pagefind-entry.json?ts=17", "Fetch", "json"),
        (f"{ORIGIN}/pagefind/index/en_99.pf_index", "Fetch", "index"),
        (f"{ORIGIN}/pagefind/fragment/en_a2.pf_fragment", "Fetch", "index"),
        (f"{ORIGIN}/pagefind/pagefind.en_9d.pf_meta", "Fetch", "index"),
        (f"{ORIGIN}/feeds/all.atom.xml", "Fetch", "other"),
        (f"{ORIGIN}/other.pagefind", "Fetch", "other"),
    ],
)
def test_requests_are_classified_by_type_then_by_name(url, resource_type, kind):
    assert bw.classify(url, resource_type) == kind


@pytest.fixture
def output(tmp_path):
    """Write a tiny output folder: page, stylesheet, favicon, a precompressed copy."""
    site = tmp_path / "site"
    (site / "theme" / "css").mkdir(parents=True)
    (site / "search").mkdir()
    (site / "index.html").write_text("<p>home</p>" * 50)
    # A stale precompressed copy must not be what is measured.
    (site / "index.html.gz").write_bytes(b"x" * 7)
    (site / "search" / "index.html").write_text("<p>search</p>" * 20)
    (site / "theme" / "css" / "site.css").write_text("a{color:red}" * 100)
    (site / "theme" / "favicon.svg").write_bytes(bytes(range(256)))
    (tmp_path / "secret.txt").write_text("outside the site")
    return site


def test_local_files_are_the_ones_a_static_host_serves(output):
    assert bw.local_file(output, f"{ORIGIN}/") == output / "index.html"
    assert bw.local_file(output, f"{ORIGIN}/search/?q=a") == (
        output / "search" / "index.html"
    )
    assert bw.local_file(output, f"{ORIGIN}/search") == output / "search/index.html"
    assert bw.local_file(output, f"{ORIGIN}/theme/css/site.css") == (
        output / "theme/css/site.css"
    )
    assert bw.local_file(output, f"{ORIGIN}/favicon.ico") is None
    assert bw.local_file(output, f"{ORIGIN}/../secret.txt") is None
    assert bw.local_file(output, f"{ORIGIN}/%2e%2e/secret.txt") is None


def test_bytes_come_from_the_output_folder_raw_and_gzipped(output):
    requests = [
        NetworkRequest(f"{ORIGIN}/", "Document"),
        NetworkRequest(f"{ORIGIN}/theme/css/site.css", "Stylesheet"),
        NetworkRequest(f"{ORIGIN}/theme/favicon.svg", "Other"),
    ]
    resources = bw.account(output, ORIGIN, requests)
    assert [(r.kind, r.raw) for r in resources] == [
        ("html", 550),
        ("css", 1200),
        ("image", 256),
    ]
    page = (output / "index.html").read_bytes()
    assert resources[0].gzipped == len(gzip.compress(page, compresslevel=9, mtime=0))
    # Repetitive text shrinks a lot; 256 distinct bytes do not shrink at all.
    assert resources[1].gzipped < 100
    assert resources[2].gzipped > 256
    assert all(r.found and not r.third_party for r in resources)


def test_third_party_and_missing_files_are_counted_without_bytes(output):
    requests = [
        NetworkRequest(f"{ORIGIN}/search/?q=a", "Document"),
        NetworkRequest("https://fonts.googleapis.com/css?family=X", "Stylesheet", -1),
        NetworkRequest("http://127.0.0.1:9999/x.js", "Script", -1),  # other port
        NetworkRequest(f"{ORIGIN}/favicon.ico", "Other", 404),
        NetworkRequest("data:image/png;base64,AAAA", "Image"),
        NetworkRequest("blob:http://127.0.0.1:8123/1234", "Fetch"),
    ]
    resources = bw.account(output, ORIGIN, requests)
    assert [r.kind for r in resources] == ["html", "css", "js", "image"]
    result = PageResult(LighthouseRun(PERFECT, 900, 0, tuple(requests)), resources)
    assert result.third_party() == (
        "https://fonts.googleapis.com/css?family=X",
        "http://127.0.0.1:9999/x.js",
    )
    assert result.not_found() == (f"{ORIGIN}/favicon.ico",)
    assert [(r.raw, r.gzipped) for r in resources[1:]] == [(0, 0)] * 3
    # Failed requests still count: a browser waits for them.
    assert result.before_images().requests == 3


def resource(kind: str, gzipped: int = 100, **fields) -> Resource:
    """Make a resource of `gzipped` bytes, twice as many raw."""
    values = {
        "url": f"{ORIGIN}/{kind}",
        "kind": kind,
        "raw": gzipped * 2,
        "gzipped": gzipped,
        "third_party": False,
        "found": True,
    }
    return Resource(**{**values, **fields})


def page(
    *resources: Resource, scores=None, lcp: float = 900.0, cls: float = 0.0
) -> PageResult:
    """Make a page result by hand."""
    run = LighthouseRun(scores or PERFECT, lcp, cls, ())
    return PageResult(run, resources)


def test_totals_add_up_by_kind_and_before_images():
    result = page(
        resource("html", 1500),
        resource("css", 2800),
        resource("font", 20000),
        resource("image", 178),
        resource("image", 900),
        resource("wasm", 70000),
    )
    assert result.totals() == bw.Totals(6, 190756, 95378)
    assert result.totals(["image"]) == bw.Totals(2, 2156, 1078)
    assert result.totals(k for k in ("css", "font")) == bw.Totals(2, 45600, 22800)
    assert result.before_images() == bw.Totals(4, 188600, 94300)


def lighthouse_json(**changes) -> dict:
    """Return a minimal Lighthouse report: the parts the benchmark reads."""
    report = {
        "lighthouseVersion": "12.1.0",
        "requestedUrl": f"{ORIGIN}/",
        "categories": {
            "performance": {"score": 0.97},
            "accessibility": {"score": 1},
            "best-practices": {"score": 0.96},
            "seo": {"score": None},
        },
        "audits": {
            "largest-contentful-paint": {"numericValue": 1234.5},
            "cumulative-layout-shift": {"numericValue": 0.048},
            "network-requests": {
                "details": {
                    "items": [
                        {
                            "url": f"{ORIGIN}/",
                            "resourceType": "Document",
                            "statusCode": 200,
                            "transferSize": 4652,
                        },
                        {
                            "url": "https://fonts.googleapis.com/css?family=X",
                            "resourceType": "Stylesheet",
                            "statusCode": -1,
                        },
                        {"url": f"{ORIGIN}/favicon.ico", "statusCode": 404},
                    ]
                }
            },
        },
    }
    return {**report, **changes}


def test_lighthouse_json_gives_scores_metrics_and_requests():
    run = bw.read_lighthouse(lighthouse_json())
    assert run.scores == {
        "performance": 0.97,
        "accessibility": 1,
        "best-practices": 0.96,
        "seo": None,
    }
    assert run.lcp_ms == 1234.5
    assert run.cls == 0.048
    assert run.requests == (
        NetworkRequest(f"{ORIGIN}/", "Document", 200),
        NetworkRequest("https://fonts.googleapis.com/css?family=X", "Stylesheet", -1),
        NetworkRequest(f"{ORIGIN}/favicon.ico", "", 404),
    )


def test_a_failed_lighthouse_run_is_an_error_not_figures():
    report = lighthouse_json(runtimeError={"code": "NO_FCP", "message": "No paint"})
    with pytest.raises(ValueError, match="NO_FCP"):
        bw.read_lighthouse(report)


def test_runs_combine_into_median_scores_and_lcp_and_worst_cls():
    def run(lcp, performance, cls, marker):
        scores = {**PERFECT, "performance": performance}
        return LighthouseRun(scores, lcp, cls, (NetworkRequest(marker),))

    combined = bw.combine(
        [run(1500, 0.9, 0, "slow"), run(900, 1, 0.1, "fast"), run(1100, 0.95, 0, "mid")]
    )
    assert combined.lcp_ms == 1100
    assert combined.scores["performance"] == 0.95
    assert combined.cls == 0.1
    assert combined.requests == (NetworkRequest("mid"),)
    assert bw.combine([run(1500, 0.9, 0, "a"), run(900, 1, 0, "b")]).lcp_ms == 900
    unscored = dataclasses.replace(combined, scores={**PERFECT, "seo": None})
    assert bw.combine([combined, unscored]).scores["seo"] is None
    with pytest.raises(ValueError, match="no Lighthouse run"):
        bw.combine([])


def test_runs_with_other_files_are_told_apart_from_query_strings():
    def run(*urls):
        return LighthouseRun(PERFECT, 900, 0, tuple(NetworkRequest(u) for u in urls))

    entry = f"{ORIGIN}/pagefind/pagefind-entry.json"
    first = run(f"{ORIGIN}/", f"{entry}?ts=1")
    assert bw.same_requests([first, run(f"{entry}?ts=2", f"{ORIGIN}/")])
    assert bw.same_requests([first])
    assert not bw.same_requests([first, run(f"{ORIGIN}/", f"{entry}?ts=3", entry)])
    assert not bw.same_requests([first, run(f"{ORIGIN}/")])


def test_ratio_is_ours_over_stock_or_nothing():
    assert bw.ratio(4420, 29989) == pytest.approx(0.1474, abs=1e-4)
    assert bw.ratio(3, 8) == 0.375
    assert bw.ratio(3, 0) is None
    assert bw.ratio(None, 8) is None
    assert bw.ratio(3, None) is None


def passing_site() -> dict[str, PageResult]:
    """Our pages as issue 6 wants them: every target met."""
    lean = (resource("html", 6000), resource("css", 2800), resource("image", 178))
    return {
        "home": page(*lean),
        "article": page(*lean),
        "testimonials": page(*lean),
        # Search: a heavy script and a lower performance score are allowed.
        "search": page(
            *lean,
            resource("js", 26000),
            resource("wasm", 72000),
            scores={**PERFECT, "performance": 0.8},
            cls=0.2,
        ),
        "404": page(*lean),
    }


def failures(site) -> list[tuple[str, str]]:
    return [(v.target, v.page) for v in bw.verdicts(site) if not v.met]


def test_a_site_meeting_every_target_gets_every_verdict_met():
    found = bw.verdicts(passing_site())
    assert len(found) == 18
    assert failures(passing_site()) == []
    assert {v.page for v in found} == set(bw.PAGES)


BUDGET = "Everything but images ≤ 12,288 B gzip"
THIRD_PARTY = "No third-party request"
ALL_FOUR = "Lighthouse 100 in all four categories"


def with_page(name: str, result: PageResult | None) -> dict:
    return {**passing_site(), name: result}


@pytest.mark.parametrize(
    ("site", "failed"),
    [
        # 12 KB is 12,288 bytes, counting everything but images.
        (
            with_page("home", page(resource("html", 9488), resource("css", 2800))),
            [],
        ),
        (
            with_page("home", page(resource("html", 9489), resource("css", 2800))),
            [(BUDGET, "home")],
        ),
        (
            with_page(
                "article",
                page(resource("html", 1000), resource("image", 50000)),
            ),
            [],
        ),
        (
            with_page("article", page(*[resource("css", 10)] * 4)),
            [("At most 3 requests before images", "article")],
        ),
        (
            with_page("home", page(resource("html"), resource("font", 10))),
            [("No web fonts", "home")],
        ),
        (
            with_page("article", page(resource("html"), cls=0.001)),
            [("CLS = 0", "article")],
        ),
        (
            with_page(
                "testimonials",
                page(resource("html"), scores={**PERFECT, "performance": 0.99}),
            ),
            [(ALL_FOUR, "testimonials")],
        ),
        (
            with_page("404", page(resource("html"), scores={**PERFECT, "seo": None})),
            [(ALL_FOUR, "404")],
        ),
        (
            with_page(
                "search",
                page(resource("html"), scores={**PERFECT, "accessibility": 0.98}),
            ),
            [("Lighthouse 100 in accessibility, best practices, SEO", "search")],
        ),
        (
            with_page(
                "search",
                page(resource("html"), resource("js", 0, third_party=True)),
            ),
            [(THIRD_PARTY, "search")],
        ),
        (
            with_page(
                "home",
                page(resource("html"), resource("css", 0, third_party=True)),
            ),
            [(THIRD_PARTY, "home")],
        ),
        (
            with_page("404", None),
            [(ALL_FOUR, "404"), (THIRD_PARTY, "404")],
        ),
    ],
)
def test_each_target_fails_on_its_own_figure(site, failed):
    assert failures(site) == failed


def report_of(ours: dict, stock: dict | None = None) -> Report:
    stock = stock or {
        "home": page(
            resource("html", 3352),
            resource("css", 4391),
            resource("font", 22246),
            resource("image", 0, found=False, url=f"{ORIGIN}/favicon.ico"),
            lcp=1068,
            cls=0.048,
            scores={**PERFECT, "accessibility": 0.92},
        ),
        "article": page(resource("html", 3462), lcp=1066),
        "testimonials": None,
        "search": None,
        "404": None,
    }
    return Report(
        results={"ours": ours, "stock": stock},
        date="2026-01-31",
        chromium="Chromium 1.2.3",
        lighthouse="12.1.0",
        cores=2,
        runs=3,
        seconds=245,
    )


def table_after(markdown: str, heading: str) -> list[list[str]]:
    """Cells of the first table after `heading`, header row first."""
    after = markdown[markdown.index(heading) :]
    rows = re.findall(r"^\|(.*)\|$", after.split("\n\n#")[0], re.MULTILINE)
    return [[cell.strip() for cell in row.split("|")] for row in rows]


def test_markdown_has_every_table_with_ours_stock_and_ratios():
    text = bw.render(report_of(passing_site()))
    assert text.startswith("## Pages: our theme against stock Pelican\n")
    assert "on 2026-01-31: Chromium 1.2.3, Lighthouse 12.1.0" in text
    assert "2 cores; 3 Lighthouse runs per page and site" in text
    assert "took 4 min 05 s" in text
    assert "never deployed" in text
    assert "Every run of a page requested the same files." in text
    varying = bw.render(
        dataclasses.replace(report_of(passing_site()), varying=("Ours, search",))
    )
    assert "Runs requested different files on Ours, search (the tables" in varying
    weight = table_after(text, "### Weight")
    assert weight[0][:4] == ["Page", "Site", "Requests", "Before images"]
    assert weight[2] == ["home", "Ours", "3", "2", "17,956", "8,978", "8,800", "0"]
    assert weight[3][:4] == ["home", "Stock notmyidea", "4", "3"]
    assert ["search", "Stock notmyidea", *["n/a"] * 6] in weight
    lighthouse = table_after(text, "### Lighthouse (mobile)")
    assert lighthouse[3] == [
        "home",
        "Stock notmyidea",
        "100",
        "92",
        "100",
        "100",
        "1,068",
        "0.048",
    ]
    ratios = table_after(text, "### Ours / stock")
    # 8,978 / 29,989 gzip bytes, 3 / 4 requests, 900 / 1,068 ms.
    assert ratios[2] == ["home", "0.30×", "0.75×", "0.84×"]
    assert ratios[4] == ["testimonials", "n/a", "n/a", "n/a"]
    assert "All 18 targets met." in text
    notes = text[text.index("### Third-party requests and missing files") :]
    assert "No page of either site attempted a third-party request." in notes
    assert (
        "Answered 404 (counted, with no bytes):\n\n- Stock notmyidea, home: " in notes
    )
    assert "- Stock notmyidea, home: `/favicon.ico`" in notes
    for heading in ("#### home (`/`)", "#### search (`/search/?q=ketamine`)"):
        assert heading in text


def test_markdown_kind_tables_list_only_kinds_in_use_and_a_total():
    text = bw.render(report_of(passing_site()))
    kinds = table_after(text, "#### home (`/`)")
    assert [row[0] for row in kinds[2:]] == [
        "html",
        "css",
        "font",
        "image",
        "**total**",
    ]
    assert kinds[3] == ["css", "1", "5,600", "2,800", "1", "8,782", "4,391"]
    search = table_after(text, "#### search")
    assert [row[0] for row in search[2:]] == [
        "html",
        "css",
        "js",
        "image",
        "wasm",
        "**total**",
    ]
    assert search[-1][4:] == ["n/a", "n/a", "n/a"]


def test_markdown_lists_attempted_third_party_requests():
    font = "https://fonts.googleapis.com/css?family=X"
    third_party = resource("css", 0, url=font, third_party=True)
    site = with_page("search", page(resource("html"), third_party))
    text = bw.render(report_of(site))
    notes = text[text.index("### Third-party requests and missing files") :]
    assert f"(offline, they failed):\n\n- Ours, search: `{font}`\n" in notes
    assert "No page of either site" not in notes
    assert "| No third-party request | search | 1 | **no** |" in text


def test_markdown_names_every_missed_target():
    site = with_page("article", page(resource("html", 13000), cls=0.05))
    text = bw.render(report_of(site))
    assert (
        "16 of 18 targets met; not met: Everything but images ≤ 12,288 B gzip on "
        "article (13,000 B); CLS = 0 on article (0.050)."
    ) in text
    assert "| CLS = 0 | article | 0.050 | **no** |" in text


def test_every_markdown_table_row_has_as_many_cells_as_its_header():
    text = bw.render(report_of(passing_site()))
    for block in re.findall(r"(?:^\|.*\|\n)+", text, re.MULTILINE):
        widths = {line.count("|") for line in block.splitlines()}
        assert len(widths) == 1, block
    with pytest.raises(ValueError, match="cells"):
        bw.markdown_table(["a", "b"], [["1"]], "lr")
    with pytest.raises(ValueError, match="alignment"):
        bw.markdown_table(["a", "b"], [], "l")


def test_the_stock_reference_builds_with_publish_settings_and_lacks_our_pages(
    tmp_path,
):
    output = build(
        SEED_CONTENT,
        tmp_path / "stock",
        PUBLISH_SETTINGS,
        SITEURL=ORIGIN,
        FEED_DOMAIN=ORIGIN,
        **bw.SITE_OVERRIDES["stock"],
    )
    found = {
        name: bw.local_file(output, f"{ORIGIN}/{path}") is not None
        for name, path in bw.PAGES.items()
    }
    assert found == {
        "home": True,
        "article": True,
        "testimonials": False,
        "search": False,
        "404": False,
    }
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "/theme/css/main.css" in home  # notmyidea's stylesheet, not ours
