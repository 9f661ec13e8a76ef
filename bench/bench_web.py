"""Benchmark what readers download and what Lighthouse scores: ours against stock.

`main()` builds the seed content (tests/fixtures/seed/: the clinic's first
article as delivered, which stays put whatever writers do to content/) twice
with the publish settings, once with our
theme and plugins and once with Pelican's built-in `notmyidea` theme and no
plugins, serves both builds on 127.0.0.1, runs Lighthouse (mobile defaults) on
the same pages of each, and returns the Markdown section of
docs/performance.md.

Requests come from Lighthouse's network log; their bytes are the files of the
output folder, raw and gzip-compressed here (the local server sends no
compression), so bytes and requests are deterministic. Scores, LCP and CLS are
measured: they vary a little from run to run. The pure parts (classification,
byte accounting, reading Lighthouse's JSON, ratios, target verdicts, tables)
take plain values so that tests/test_bench_web.py can feed them small inputs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
import gzip
import json
import os
from pathlib import Path, PurePosixPath
import shutil
import statistics
import subprocess
import tempfile
import time
from urllib.parse import unquote, urlsplit

from bench.report import as_ratio, duration, markdown_table, ratio
from bench.runner import Stopwatch, cores
from tools.config import ROOT

# The marker of this benchmark's section in docs/performance.md.
SECTION = "make bench-web"
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"

# The pages measured, as URL paths below the site's root. The search
# page gets a query so that the measured page shows results.
PAGES = {
    "home": "",
    "article": "ketamine-for-ptsd/",
    "testimonials": "testimonials/",
    "search": "search/?q=ketamine",
    "404": "404.html",
}
THEMES = {"ours": "Ours", "stock": "Stock notmyidea"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CATEGORY_LABELS = {
    "performance": "Perf.",
    "accessibility": "A11y",
    "best-practices": "Best pr.",
    "seo": "SEO",
}
RUNS = 3
# Pages that never finish loading (a third-party request left hanging) still
# give a report after this long; offline, failed requests end sooner.
MAX_WAIT_FOR_LOAD_MS = 20_000

# Fixed ports: every page carries the server's address (SITEURL), so another
# port number would change its bytes (by a byte or so, gzipped) between runs.
PORTS = {"ours": 8731, "stock": 8732}

# Pelican's own default: notmyidea has no 404 or search template.
STOCK_DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives"]
SITE_OVERRIDES = {
    # Testimonials still awaiting consent are shown (with their badge) so the
    # pages weigh what they will once consent is recorded; this build is
    # measured, never deployed.
    "ours": {"TESTIMONIALS_WITHOUT_CONSENT": "preview"},
    # Stock Pelican: our plugins render our theme's partials and do not apply
    # to another theme.
    "stock": {
        "THEME": "notmyidea",
        "PLUGINS": [],
        "DIRECT_TEMPLATES": STOCK_DIRECT_TEMPLATES,
    },
}

# Resource kinds, in table order. "index" is Pagefind's search index data.
KINDS = ("html", "css", "js", "font", "image", "wasm", "json", "index", "other")
# Lighthouse's resourceType, where it names the kind unambiguously.
RESOURCE_TYPES = {
    "Document": "html",
    "Stylesheet": "css",
    "Script": "js",
    "Font": "font",
    "Image": "image",
}
# Otherwise (Fetch, XHR, Other: favicons, Pagefind's files) the file name says.
EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".css": "css",
    ".js": "js",
    ".mjs": "js",
    ".woff2": "font",
    ".woff": "font",
    ".ttf": "font",
    ".otf": "font",
    ".eot": "font",
    ".avif": "image",
    ".gif": "image",
    ".ico": "image",
    ".jpeg": "image",
    ".jpg": "image",
    ".png": "image",
    ".svg": "image",
    ".webp": "image",
    ".wasm": "wasm",
    ".json": "json",
    ".pf_meta": "index",
    ".pf_index": "index",
    ".pf_fragment": "index",
    ".pf_filter": "index",
}

# The page targets: weight before images, requests, fonts, scores.
BYTE_BUDGET = 12 * 1024
MAX_REQUESTS_BEFORE_IMAGES = 3
LEAN_PAGES = ("home", "article")
PERFECT_PAGES = ("home", "article", "testimonials", "404")
SEARCH_CATEGORIES = ("accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class NetworkRequest:
    """One request a page made, as Lighthouse's network log records it."""

    url: str
    resource_type: str = ""
    """Lighthouse's resourceType ("Document", "Fetch"...); empty when unknown."""
    status: int = 200
    """HTTP status; -1 when the request failed (offline third parties)."""


@dataclass(frozen=True)
class LighthouseRun:
    """What one Lighthouse report (or the median of several) says about a page."""

    scores: Mapping[str, float | None]
    """Category id to score, 0 to 1; None when Lighthouse could not score it."""
    lcp_ms: float
    """Largest Contentful Paint, simulated mobile, in milliseconds."""
    cls: float
    """Cumulative Layout Shift."""
    requests: tuple[NetworkRequest, ...]


@dataclass(frozen=True)
class Resource:
    """One request of a page, with the bytes of the file that answered it."""

    url: str
    kind: str
    """One of KINDS."""
    raw: int
    """Size of the file in the output folder; 0 when there is none."""
    gzipped: int
    """Its size gzip-compressed at level 9; 0 when there is none."""
    third_party: bool
    """Addressed to another origin than the site's."""
    found: bool
    """Answered by a file of the output folder."""


@dataclass(frozen=True)
class Totals:
    """Requests and bytes of a group of resources."""

    requests: int
    raw: int
    gzipped: int


@dataclass(frozen=True)
class PageResult:
    """What one page of one site weighs and scores."""

    lighthouse: LighthouseRun
    resources: tuple[Resource, ...]

    def totals(self, kinds: Iterable[str] = KINDS) -> Totals:
        """Add up the resources of the given kinds."""
        wanted = set(kinds)
        chosen = [r for r in self.resources if r.kind in wanted]
        return Totals(
            len(chosen), sum(r.raw for r in chosen), sum(r.gzipped for r in chosen)
        )

    def before_images(self) -> Totals:
        """Add up every request but images: what the page needs before them."""
        return self.totals(k for k in KINDS if k != "image")

    def third_party(self) -> tuple[str, ...]:
        """Return the URLs of requests to other origins."""
        return tuple(r.url for r in self.resources if r.third_party)

    def not_found(self) -> tuple[str, ...]:
        """Return same-origin URLs that no file of the output folder answers."""
        return tuple(r.url for r in self.resources if not r.third_party and not r.found)


@dataclass(frozen=True)
class Verdict:
    """One target on one page: the figure and whether it meets the target."""

    target: str
    page: str
    figure: str
    met: bool


@dataclass(frozen=True)
class Report:
    """Everything the Markdown section shows."""

    results: Mapping[str, Mapping[str, PageResult | None]]
    """Theme ("ours", "stock") to page name to result; None: no such page."""
    date: str
    chromium: str
    lighthouse: str
    cores: int
    runs: int
    seconds: float
    varying: tuple[str, ...] = ()
    """Pages ("Ours, search") whose runs requested different files."""


def classify(url: str, resource_type: str = "") -> str:
    """Return the kind (one of KINDS) of a request, from its type or its name."""
    if resource_type in RESOURCE_TYPES:
        return RESOURCE_TYPES[resource_type]
    path = urlsplit(url).path
    if path.endswith("/") or not path:
        # A directory address ("/", "/search/") is served as its index.html.
        return "html"
    name = PurePosixPath(path).name
    if name.startswith("wasm.") and name.endswith(".pagefind"):
        # Pagefind's WebAssembly module, gzip-compressed under its own name.
        return "wasm"
    return EXTENSIONS.get(PurePosixPath(name).suffix.lower(), "other")


def origin_of(url: str) -> str:
    """Return `scheme://host:port` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def local_file(output: Path, url: str) -> Path | None:
    """Return the file of `output` a static host serves for `url`, or None."""
    root = output.resolve()
    target = (root / unquote(urlsplit(url).path).lstrip("/")).resolve()
    if not target.is_relative_to(root):
        return None
    if target.is_dir():
        target /= "index.html"
    return target if target.is_file() else None


def gzip_size(data: bytes) -> int:
    """Return the size of `data` gzip-compressed at level 9 (as test_byte_budget)."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def account(
    output: Path, origin: str, requests: Iterable[NetworkRequest]
) -> tuple[Resource, ...]:
    """Give every network request of a page its kind and bytes.

    Same-origin requests are sized from the files of `output`; requests to
    other origins are counted with no bytes (offline they fail). Non-network
    addresses (data:, blob:) are left out.
    """
    resources = []
    for request in requests:
        if urlsplit(request.url).scheme not in ("http", "https"):
            continue
        kind = classify(request.url, request.resource_type)
        if origin_of(request.url) != origin:
            resources.append(
                Resource(request.url, kind, 0, 0, third_party=True, found=False)
            )
            continue
        path = local_file(output, request.url)
        data = path.read_bytes() if path else b""
        resources.append(
            Resource(
                request.url,
                kind,
                len(data),
                gzip_size(data) if path else 0,
                third_party=False,
                found=path is not None,
            )
        )
    return tuple(resources)


def read_lighthouse(report: Mapping) -> LighthouseRun:
    """Extract scores, LCP, CLS and the network log from a Lighthouse JSON report."""
    if report.get("runtimeError"):
        error = report["runtimeError"]
        raise ValueError(
            f"Lighthouse could not test {report.get('requestedUrl')}: {error}"
        )
    audits = report["audits"]
    items = audits["network-requests"]["details"]["items"]
    return LighthouseRun(
        scores={name: report["categories"][name]["score"] for name in CATEGORIES},
        lcp_ms=audits["largest-contentful-paint"]["numericValue"],
        cls=audits["cumulative-layout-shift"]["numericValue"],
        requests=tuple(
            NetworkRequest(
                item["url"], item.get("resourceType", ""), item.get("statusCode", 0)
            )
            for item in items
        ),
    )


def combine(runs: Sequence[LighthouseRun]) -> LighthouseRun:
    """Summarise several runs of one page: median scores and LCP, worst CLS.

    The requests are those of the run with the median LCP (the lower one of
    an even count), so every figure is one that was actually measured.
    """
    if not runs:
        raise ValueError("no Lighthouse run to combine")
    median_run = sorted(runs, key=lambda run: run.lcp_ms)[(len(runs) - 1) // 2]
    scores = {}
    for name in CATEGORIES:
        values = [run.scores.get(name) for run in runs]
        scores[name] = None if None in values else statistics.median_low(values)
    return LighthouseRun(
        scores=scores,
        lcp_ms=median_run.lcp_ms,
        cls=max(run.cls for run in runs),
        requests=median_run.requests,
    )


def same_requests(runs: Sequence[LighthouseRun]) -> bool:
    """Tell whether every run requested the same files (query strings aside)."""
    requested = {
        tuple(sorted(urlsplit(r.url)._replace(query="").geturl() for r in run.requests))
        for run in runs
    }
    return len(requested) <= 1


def _score(value: float | None) -> str:
    return "error" if value is None else str(round(value * 100))


def _scores_met(result: PageResult, categories: Sequence[str]) -> bool:
    return all(result.lighthouse.scores.get(name) == 1 for name in categories)


def verdicts(ours: Mapping[str, PageResult | None]) -> list[Verdict]:
    """Judge our pages against the page targets; a missing page fails its targets."""
    found: list[Verdict] = []

    def judge(target: str, page: str, check) -> None:
        result = ours.get(page)
        if result is None:
            found.append(Verdict(target, page, "not measured", False))
        else:
            figure, met = check(result)
            found.append(Verdict(target, page, figure, met))

    budget = f"Everything but images ≤ {BYTE_BUDGET:,} B gzip"
    for page in LEAN_PAGES:
        judge(
            budget,
            page,
            lambda r: (
                f"{r.before_images().gzipped:,} B",
                r.before_images().gzipped <= BYTE_BUDGET,
            ),
        )
        judge(
            f"At most {MAX_REQUESTS_BEFORE_IMAGES} requests before images",
            page,
            lambda r: (
                str(r.before_images().requests),
                r.before_images().requests <= MAX_REQUESTS_BEFORE_IMAGES,
            ),
        )
        judge(
            "No web fonts",
            page,
            lambda r: (
                str(r.totals(["font"]).requests),
                not r.totals(["font"]).requests,
            ),
        )
        judge(
            "CLS = 0",
            page,
            lambda r: (f"{r.lighthouse.cls:.3f}", r.lighthouse.cls == 0),
        )
    for page in PERFECT_PAGES:
        judge(
            "Lighthouse 100 in all four categories",
            page,
            lambda r: (
                " / ".join(_score(r.lighthouse.scores.get(c)) for c in CATEGORIES),
                _scores_met(r, CATEGORIES),
            ),
        )
    judge(
        "Lighthouse 100 in accessibility, best practices, SEO",
        "search",
        lambda r: (
            " / ".join(_score(r.lighthouse.scores.get(c)) for c in SEARCH_CATEGORIES),
            _scores_met(r, SEARCH_CATEGORIES),
        ),
    )
    for page in PAGES:
        judge(
            "No third-party request",
            page,
            lambda r: (str(len(r.third_party())), not r.third_party()),
        )
    return found


def _weight_rows(report: Report) -> list[list[str]]:
    rows = []
    for page in PAGES:
        for theme, label in THEMES.items():
            result = report.results[theme].get(page)
            if result is None:
                rows.append([page, label, *["n/a"] * 6])
                continue
            total, before = result.totals(), result.before_images()
            rows.append(
                [
                    page,
                    label,
                    str(total.requests),
                    str(before.requests),
                    f"{total.raw:,}",
                    f"{total.gzipped:,}",
                    f"{before.gzipped:,}",
                    str(len(result.third_party())),
                ]
            )
    return rows


def _lighthouse_rows(report: Report) -> list[list[str]]:
    rows = []
    for page in PAGES:
        for theme, label in THEMES.items():
            result = report.results[theme].get(page)
            if result is None:
                rows.append([page, label, *["n/a"] * 6])
                continue
            run = result.lighthouse
            rows.append(
                [
                    page,
                    label,
                    *(_score(run.scores.get(c)) for c in CATEGORIES),
                    f"{run.lcp_ms:,.0f}",
                    f"{run.cls:.3f}",
                ]
            )
    return rows


def _ratio_rows(report: Report) -> list[list[str]]:
    rows = []
    for page in PAGES:
        ours = report.results["ours"].get(page)
        stock = report.results["stock"].get(page)
        if ours is None or stock is None:
            rows.append([page, "n/a", "n/a", "n/a"])
            continue
        rows.append(
            [
                page,
                as_ratio(ratio(ours.totals().gzipped, stock.totals().gzipped)),
                as_ratio(ratio(ours.totals().requests, stock.totals().requests)),
                as_ratio(ratio(ours.lighthouse.lcp_ms, stock.lighthouse.lcp_ms)),
            ]
        )
    return rows


def _kind_rows(report: Report, page: str) -> list[list[str]]:
    results = [report.results[theme].get(page) for theme in THEMES]
    rows = []
    for kind in (*KINDS, "total"):
        kinds = KINDS if kind == "total" else [kind]
        cells = []
        for result in results:
            if result is None:
                cells += ["n/a"] * 3
                continue
            totals = result.totals(kinds)
            cells += [str(totals.requests), f"{totals.raw:,}", f"{totals.gzipped:,}"]
        if kind != "total" and all(cell in ("0", "n/a") for cell in cells[::3]):
            continue  # a kind neither page requests
        rows.append([f"**{kind}**" if kind == "total" else kind, *cells])
    return rows


def _request_notes(report: Report) -> list[str]:
    third_party, not_found = [], []
    for theme, label in THEMES.items():
        for page, result in report.results[theme].items():
            if result is None:
                continue
            third_party += [
                f"- {label}, {page}: `{url}`" for url in result.third_party()
            ]
            not_found += [
                f"- {label}, {page}: `{urlsplit(url).path}`"
                for url in result.not_found()
            ]
    lines = (
        ["Attempted by the browser (offline, they failed):", "", *third_party]
        if third_party
        else ["No page of either site attempted a third-party request."]
    )
    if not_found:
        lines += ["", "Answered 404 (counted, with no bytes):", "", *not_found]
    return lines


def render(report: Report) -> str:
    """Render the Markdown section for docs/performance.md."""
    found = verdicts(report.results["ours"])
    missed = [v for v in found if not v.met]
    runs = (
        "one Lighthouse run per page and site"
        if report.runs == 1
        else (
            f"{report.runs} Lighthouse runs per page and site: the median of each "
            "score and of LCP, the worst CLS, and the requests of the run with the "
            "median LCP"
        )
    )
    lines = [
        "## Pages: our theme against stock Pelican",
        "",
        (
            f"Measured by `make bench-web` on {report.date}: {report.chromium}, "
            f"Lighthouse {report.lighthouse} with its mobile defaults (simulated "
            f"throttling), {report.cores} cores; {runs}. The whole run took "
            f"{duration(report.seconds)}."
        ),
        "",
        (
            "**Built for measuring only, never deployed:** the seed content "
            "(`tests/fixtures/seed/`) "
            'with `publishconf.py` and `TESTIMONIALS_WITHOUT_CONSENT = "preview"` '
            "(testimonials still awaiting consent are shown, as they will be once "
            "it is recorded), "
            "into a temporary folder served on 127.0.0.1. The stock reference is "
            'the same content and settings with `THEME = "notmyidea"`, '
            "`PLUGINS = []` and Pelican's default `DIRECT_TEMPLATES` (notmyidea has "
            "no 404 or search template): stock Pelican, so the `[testimonials]` "
            "marker and `[@key]` citations stay as text, the HTML is not minified, "
            "and there is no testimonials, search or 404 page (n/a). A reference "
            "for weight, not the same page."
        ),
        "",
        (
            "**Deterministic:** requests (Lighthouse's network log) and bytes: the "
            "output folder's files, raw and gzip -9 computed by the benchmark, "
            "since the local server sends no compression (the servers' ports are "
            "fixed, as the pages carry their address). "
            + (
                "Every run of a page requested the same files. "
                if not report.varying
                else "Runs requested different files on "
                + ", ".join(report.varying)
                + " (the tables show the median run's). "
            )
            + "**Measured, varying slightly from run to run:** the "
            "scores, LCP (ms, simulated slow 4G and 4× CPU slowdown; the simulation "
            "uses the uncompressed transfer) and CLS. Third-party requests are "
            "counted as the browser attempts them; offline they fail, so they "
            "carry no bytes. *Before images* counts every request but images "
            "(the favicon is an image)."
        ),
        "",
        "### Weight",
        "",
        *markdown_table(
            [
                "Page",
                "Site",
                "Requests",
                "Before images",
                "Raw (B)",
                "Gzip (B)",
                "Gzip before images (B)",
                "Third-party",
            ],
            _weight_rows(report),
            "llrrrrrr",
        ),
        "",
        "### Lighthouse (mobile)",
        "",
        *markdown_table(
            [
                "Page",
                "Site",
                *(CATEGORY_LABELS[c] for c in CATEGORIES),
                "LCP (ms)",
                "CLS",
            ],
            _lighthouse_rows(report),
            "llrrrrrr",
        ),
        "",
        "### Ours / stock",
        "",
        "Below 1 means ours is lighter or faster.",
        "",
        *markdown_table(
            ["Page", "Gzip bytes", "Requests", "LCP"], _ratio_rows(report), "lrrr"
        ),
        "",
        "### Targets: page weight and scores",
        "",
        (
            "The 12 KB budget for HTML, CSS and fonts is checked here against "
            "every request but images (JavaScript too, none on these pages), "
            "with 1 KB = 1,024 B. Scores are judged on the figures above."
        ),
        "",
        (
            f"All {len(found)} targets met."
            if not missed
            else f"{len(found) - len(missed)} of {len(found)} targets met; "
            "not met: "
            + "; ".join(f"{v.target} on {v.page} ({v.figure})" for v in missed)
            + "."
        ),
        "",
        *markdown_table(
            ["Target", "Page", "Figure", "Met"],
            ([v.target, v.page, v.figure, "yes" if v.met else "**no**"] for v in found),
            "llrl",
        ),
        "",
        "### Requests and bytes per resource type",
        "",
        (
            "`index` is Pagefind's search index data; `wasm` its WebAssembly "
            "module (both already compressed by Pagefind)."
        ),
    ]
    for page, path in PAGES.items():
        lines += [
            "",
            f"#### {page} (`/{path}`)",
            "",
            *markdown_table(
                [
                    "Type",
                    "Ours: requests",
                    "raw (B)",
                    "gzip (B)",
                    "Stock: requests",
                    "raw (B)",
                    "gzip (B)",
                ],
                _kind_rows(report, page),
                "lrrrrrr",
            ),
        ]
    lines += [
        "",
        "### Third-party requests and missing files",
        "",
        *_request_notes(report),
    ]
    return "\n".join(lines) + "\n"


def run_lighthouse(url: str, report_path: Path) -> dict:
    """Run Lighthouse (mobile defaults, four categories) on `url`; return its JSON."""
    # Imported here: tests/browser.py holds the one list of Chromium flags.
    from tests.browser import CHROMIUM, CHROMIUM_FLAGS  # noqa: PLC0415

    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is missing: install Node.js 20")
    command = [
        node,
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
        "--output=json",
        f"--output-path={report_path}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--max-wait-for-load={MAX_WAIT_FOR_LOAD_MS}",
        "--quiet",
    ]
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0 or not report_path.is_file():
        raise RuntimeError(
            f"Lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr}"
        )
    return json.loads(report_path.read_text(encoding="utf-8"))


def chromium_version() -> str:
    """Return what the Chromium binary says it is."""
    from tests.browser import CHROMIUM  # noqa: PLC0415 - see run_lighthouse

    result = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or f"Chromium at {CHROMIUM}"


def measure(runs: int = RUNS) -> Report:
    """Build both sites and measure every page `runs` times."""
    # Imported here: the build helpers live with the tests, which build the
    # same way (in-process, warnings fatal, plugins disconnected between builds).
    from tests.support import (  # noqa: PLC0415
        PUBLISH_SETTINGS,
        SEED_CONTENT,
        build,
        serve,
    )

    clock = Stopwatch()
    versions, varying = [], []
    with (
        tempfile.TemporaryDirectory(prefix="bench-web-") as folder,
        ExitStack() as stack,
    ):
        work = Path(folder)
        sites = {}
        for theme, overrides in SITE_OVERRIDES.items():
            output = work / theme
            output.mkdir()
            # Serve first: the build needs the server's address as its SITEURL.
            try:
                origin = stack.enter_context(serve(output, PORTS[theme]))
            except OSError as error:
                raise RuntimeError(
                    f"bench-web serves on 127.0.0.1:{PORTS[theme]}, which is in use "
                    f"({error}): stop what listens there and run it again"
                ) from error
            build(
                SEED_CONTENT,
                output,
                PUBLISH_SETTINGS,
                SITEURL=origin,
                FEED_DOMAIN=origin,
                **overrides,
            )
            sites[theme] = (output, origin)
        results: dict[str, dict[str, PageResult | None]] = {t: {} for t in THEMES}
        for page, path in PAGES.items():
            measured: dict[str, list[LighthouseRun]] = {}
            # Alternate the sites run by run, so that drift hits both alike.
            for number in range(runs):
                for theme, (output, origin) in sites.items():
                    url = f"{origin}/{path}"
                    if local_file(output, url) is None:
                        continue
                    report = run_lighthouse(url, work / f"{theme}-{page}-{number}.json")
                    versions.append(report["lighthouseVersion"])
                    measured.setdefault(theme, []).append(read_lighthouse(report))
            for theme, (output, origin) in sites.items():
                if theme not in measured:
                    results[theme][page] = None
                    continue
                if not same_requests(measured[theme]):
                    varying.append(f"{THEMES[theme]}, {page}")
                run = combine(measured[theme])
                results[theme][page] = PageResult(
                    run, account(output, origin, run.requests)
                )
    return Report(
        results=results,
        date=time.strftime("%Y-%m-%d"),
        chromium=chromium_version(),
        lighthouse=versions[0] if versions else "?",
        cores=cores(),
        runs=runs,
        seconds=clock.seconds(),
        varying=tuple(varying),
    )


def main(runs: int = RUNS) -> str:
    """Measure both sites; return the Markdown section for docs/performance.md."""
    return render(measure(runs))
