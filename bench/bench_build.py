"""Benchmark builds, ours against stock Pelican on the same generated corpus.

`main(sizes)` writes the seeded corpus of `bench/corpus.py` for each article
count and measures, alternating ours and stock step by step:

- a cold build (no output folder, no cache folder);
- a warm rebuild after appending a paragraph to one article, keeping the
  cache of the build before, into a fresh output folder;
- a warm rebuild after changing one testimonial's quote;
- `make check` (ours only: stock Pelican has no content check);
- the peak memory of every build: the max RSS of its child process.

Ours is exactly the child process `make html` and `make serve` start
(`python tools/build.py SETTINGS OUTPUT`, into a staging folder swapped into place),
with the development settings (`pelicanconf.py`) and `PATH` and `CACHE_PATH`
pointing at the corpus and a cache folder of the benchmark's own. Stock is the
`pelican` command with Pelican's defaults, the built-in `simple` theme, no
plugins and no Typogrify; it has no cache unless asked, so a second row turns
Pelican's content cache on. At 1,000 articles the benchmark also times one
publish build (`publishconf.py`), profiles our cold build by area, and times
the development server from saving an article to serving the edited page.

Every warm build is checked to show the edit, so that a cache which serves
stale pages fails the benchmark instead of looking fast. The pure parts
(medians, ratios, verdicts, growth, profile grouping, the Markdown) take plain
values so that tests/test_bench_build.py can feed them small inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
import itertools
import math
import os
from pathlib import Path
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request

import pelican

from bench.bench_web import markdown_table, ratio
from bench.corpus import article_slug, newest_article, testimonial_id, write_corpus
from tools.build import pelican_command

ROOT = Path(__file__).resolve().parent.parent
SIZES = (100, 1000, 5000)

# Rows of the table, in the order they are built in each step.
SITES = {
    "ours": "Ours (pelicanconf.py)",
    "stock": "Stock Pelican, no cache (its default)",
    "stock-cache": "Stock Pelican, content cache on",
}
STEPS = {
    "cold": "Cold",
    "article": "Warm, 1 article edited",
    "testimonial": "Warm, 1 testimonial edited",
}
# The one size at which the publish build, the profile and the development
# server are measured, and the size the rebuild target is set for.
DETAIL_SIZE = 1000
# Profile areas below this share of the total, own and inclusive, are not listed.
PROFILE_CUTOFF = 0.005
RELOAD_EDITS = 3
POLL_SECONDS = 0.05
# Generous: at 5,000 articles one build takes minutes.
BUILD_TIMEOUT = 3600

# Issue 8's targets: the largest ratio meeting each, and the sizes it is judged at.
COLD_TARGET = 1.25
WARM_TARGET = 0.25
MEMORY_TARGET = 2.0
COLD_TARGET_SIZES = (1000, 5000)
WARM_TARGET_SIZES = (1000,)

# Profile areas by file, first match wins; our plugins are matched before
# these by their folder under plugins/. Compiled templates carry their
# template's file name, hence `.html`.
PELICAN_AREA = "Pelican: reading, generators, contents"
IMPORTS_AREA = "Imports (start-up)"
TASKS_AREA = "tools/build.py (build wrapper)"
OTHER_AREA = "Other libraries (blinker's signals…)"
IMPORT_MACHINERY = ("<frozen importlib", "<frozen zipimport")
STDLIB = sysconfig.get_paths()["stdlib"].replace(os.sep, "/") + "/"
LIBRARY_AREAS = (
    ("Markdown", ("/markdown/", "/pygments/")),
    ("Typography (typogrify, smartypants)", ("/typogrify/", "/smartypants.py")),
    ("Jinja rendering", ("/jinja2/", "/markupsafe/", ".html", "<template>")),
    ("Writing files (pelican/writers.py)", ("/pelican/writers.py",)),
    (PELICAN_AREA, ("/pelican/",)),
    ("Pillow", ("/PIL/",)),
    ("YAML", ("/yaml/",)),
)
PLUGIN_AREA_PREFIX = "Plugin "
# Areas every other one runs inside: their inclusive time says nothing.
FRAME_AREAS = frozenset({PELICAN_AREA, TASKS_AREA, OTHER_AREA})
# What some of our plugins spend their time on, for the profile table.
PLUGIN_NOTES = {
    "content_schema": "checks all content first",
    "images": "image copies, social cards",
    "search": "waits for the Pagefind program",
}


def runs_for(articles: int) -> int:
    """Return how many runs to take the median of: fewer where builds take minutes."""
    return 3 if articles <= 1000 else 2


# --- Measuring a child process -------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One measured command."""

    seconds: float
    """Wall-clock time, from starting the child to its exit (and swap, for ours)."""
    peak_bytes: int
    """Max resident set size of the child, or of its largest waited-for child."""


class BenchmarkError(RuntimeError):
    """A build failed or showed stale content: the figures would mean nothing."""


def _rss_bytes(ru_maxrss: int) -> int:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


# Runs a command and reports its time, exit status and max RSS to a file.
# Linux records, at exec(), the resident size of the process that forked:
# a command started straight from this (large) process would report at least
# this process's size. Forked from this small launcher, it reports its own
# (or the launcher's ~10 MB, whichever is larger).
LAUNCHER = """\
import os
import sys
import time

report, command = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(report, "w") as out:
    out.write(f"{seconds} {os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def run_child(command: Sequence[str], cwd: Path = ROOT) -> Sample:
    """Run `command` (a path to a program, then its arguments); measure it.

    Returns its wall-clock time and its max RSS, or that of its largest
    waited-for child (Pagefind, for a build). Its output goes to a temporary
    file, shown in the error when it fails.
    """
    with tempfile.TemporaryDirectory(prefix="bench-child-") as folder:
        report, log_path = Path(folder, "report"), Path(folder, "log")
        with log_path.open("wb") as log:
            subprocess.run(
                [sys.executable, "-c", LAUNCHER, str(report), *map(str, command)],
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        seconds, code, maxrss = report.read_text().split()
        if int(code) != 0:
            tail = log_path.read_text("utf-8", "replace")[-4000:]
            raise BenchmarkError(
                f"{' '.join(map(str, command))} exited with {code}:\n{tail}"
            )
    return Sample(float(seconds), _rss_bytes(int(maxrss)))


# --- Settings files --------------------------------------------------------------


def write_our_settings(
    path: Path, content: Path, cache: Path, base: str = "pelicanconf"
) -> Path:
    """Write a settings file: `base` (pelicanconf or publishconf) on the corpus."""
    path.write_text(
        f'"""Benchmark settings: {base}.py on a generated corpus (bench_build)."""\n'
        "\n"
        "import os\n"
        "import sys\n"
        "\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"from {base} import *\n"
        "\n"
        "# pelicanconf.py's relative paths are relative to its folder, not here.\n"
        f"THEME = os.path.join({str(ROOT)!r}, THEME)\n"
        f"PLUGIN_PATHS = [os.path.join({str(ROOT)!r}, p) for p in PLUGIN_PATHS]\n"
        f"PATH = {str(content)!r}\n"
        f"CACHE_PATH = {str(cache)!r}\n",
        encoding="utf-8",
    )
    return path


def write_stock_settings(
    path: Path, content: Path, cache: Path, content_cache: bool = False
) -> Path:
    """Write stock Pelican's settings: its defaults, `simple`, no plugins."""
    lines = [
        '"""Stock Pelican on a generated corpus (bench_build): its defaults."""',
        "",
        f"PATH = {str(content)!r}",
        'ARTICLE_PATHS = ["articles"]',
        'PAGE_PATHS = ["pages"]',
        'THEME = "simple"',
        "PLUGINS = []",
        "TYPOGRIFY = False",
        "# As ours; unset, Pelican warns and assumes UTC all the same.",
        'TIMEZONE = "UTC"',
        f"CACHE_PATH = {str(cache)!r}",
    ]
    if content_cache:
        lines += ["CACHE_CONTENT = True", "LOAD_CONTENT_CACHE = True"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stock_command(settings: Path, output: Path) -> list[str]:
    """Return the stock `pelican` command (no --fatal: its defaults warn on feeds)."""
    return [sys.executable, "-m", "pelican", "-s", str(settings), "-o", str(output)]


# --- Edits -------------------------------------------------------------------------


def edit_article(path: Path, marker: str) -> None:
    """Append a paragraph holding `marker` to a Markdown article."""
    # One append, so a watcher never sees a half-written file. The marker is
    # not last: Typogrify joins a paragraph's last two words with &nbsp;.
    with path.open("a", encoding="utf-8") as article:
        article.write(f"\nAn added paragraph, {marker}, saved by the benchmark.\n")


def edit_testimonial(path: Path, marker: str) -> None:
    """Give a testimonial YAML file a new one-line quote holding `marker`."""
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(
        r"^quote:[ \t]*(?![>|\s]).+$",  # a one-line quote, not a block scalar
        f"quote: New words {marker} of this patient, for benchmarks only.",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    if not count:
        raise ValueError(f"{path}: no one-line quote to edit")
    path.write_text(edited, encoding="utf-8")


# --- Builds --------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One way of building the corpus: its settings, output and cache folders."""

    key: str
    settings: Path
    output: Path
    cache: Path

    @property
    def ours(self) -> bool:
        """Built by tools/build.py (staging then swap) rather than stock `pelican`."""
        return not self.key.startswith("stock")

    def forget(self) -> None:
        """Delete the output and the cache: the next build is cold."""
        for folder in (self.output, self.cache):
            shutil.rmtree(folder, ignore_errors=True)

    def build(self) -> Sample:
        """Build once, as its user would, and return the measurement."""
        if not self.ours:
            # A stock user runs `pelican` again over the same output folder.
            return run_child(stock_command(self.settings, self.output))
        # As tools.build.build_site: a fresh staging folder, swapped in on success.
        staging = self.output.with_name(f".{self.output.name}-staging")
        previous = self.output.with_name(f".{self.output.name}-previous")
        shutil.rmtree(staging, ignore_errors=True)
        child = run_child(pelican_command(self.settings, staging))
        started = time.perf_counter()
        shutil.rmtree(previous, ignore_errors=True)
        if self.output.exists():
            self.output.rename(previous)
        staging.rename(self.output)
        shutil.rmtree(previous, ignore_errors=True)
        swap = time.perf_counter() - started
        return Sample(child.seconds + swap, child.peak_bytes)


def make_sites(work: Path, content: Path) -> dict[str, Site]:
    """Write the settings of ours and both stock variants under `work`."""
    sites = {}
    for key in SITES:
        cache = work / f"{key}-cache"
        settings = work / f"{key}-settings.py"
        if key == "ours":
            write_our_settings(settings, content, cache)
        else:
            write_stock_settings(
                settings, content, cache, content_cache=key == "stock-cache"
            )
        sites[key] = Site(key, settings, work / f"{key}-output", cache)
    return sites


def article_page(output: Path, slug: str) -> Path | None:
    """Return the page of the article `slug`, wherever its settings saved it."""
    for page in (output / slug / "index.html", output / f"{slug}.html"):
        if page.is_file():
            return page
    return None


def check_build(site: Site, articles: int, slug: str, marker: str = "") -> None:
    """Stop unless the build wrote every article and shows the latest edit."""
    missing = [
        n for n in range(articles) if article_page(site.output, article_slug(n)) is None
    ]
    if missing:
        raise BenchmarkError(
            f"{site.key}: {len(missing)} of {articles} article pages missing, "
            f"e.g. {article_slug(missing[0])}"
        )
    page = article_page(site.output, slug)
    if marker and marker not in page.read_text(encoding="utf-8"):
        raise BenchmarkError(f"{site.key}: the rebuilt {slug} lacks the edit {marker}")


def shows_testimonial(output: Path, marker: str) -> bool:
    """Tell whether any page of `output` shows the edited testimonial."""
    # The testimonials page first: it lists every testimonial.
    pages = (output / "testimonials" / "index.html", *output.rglob("*.html"))
    return any(
        page.is_file() and marker in page.read_text(encoding="utf-8") for page in pages
    )


# --- The measurements --------------------------------------------------------------


@dataclass(frozen=True)
class SizeResult:
    """Every sample taken at one corpus size."""

    articles: int
    runs: int
    builds: Mapping[tuple[str, str], Sequence[Sample]]
    """(site key, step key) to one sample per run."""
    check: Sequence[Sample] = ()
    """`invoke check` on the corpus, one sample per run."""

    def seconds(self, site: str, step: str) -> float | None:
        """Return the median time of a site's step, None if not measured."""
        samples = self.builds.get((site, step))
        return statistics.median(s.seconds for s in samples) if samples else None

    def check_seconds(self) -> float | None:
        """Return the median time of `invoke check`, None if not measured."""
        return statistics.median(s.seconds for s in self.check) if self.check else None

    def peak_bytes(self, site: str) -> int | None:
        """Return the highest peak memory of any build of a site, None if none."""
        peaks = [
            sample.peak_bytes
            for (key, _), samples in self.builds.items()
            if key == site
            for sample in samples
        ]
        return max(peaks) if peaks else None


Progress = Callable[[str], None]


def measure_size(work: Path, articles: int, runs: int, say: Progress) -> SizeResult:
    """Write a corpus of `articles` articles; take every build sample `runs` times."""
    content = write_corpus(work, articles)
    slug = article_slug(newest_article(articles))
    article = content / "articles" / f"{slug}.md"
    testimonial = content / "testimonials" / f"{testimonial_id(0)}.yaml"
    originals = {
        path: path.read_text(encoding="utf-8") for path in (article, testimonial)
    }
    sites = make_sites(work, content)
    builds: dict[tuple[str, str], list[Sample]] = defaultdict(list)
    check = []
    for run in range(1, runs + 1):
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")
        for step in STEPS:
            marker = f"benchedit{run}{step}"
            if step == "article":
                edit_article(article, marker)
            elif step == "testimonial":
                edit_testimonial(testimonial, marker)
            # Alternate the sites step by step, so that drift hits them alike.
            for site in sites.values():
                if step == "cold":
                    site.forget()
                sample = site.build()
                check_build(site, articles, slug, marker if step == "article" else "")
                if (
                    step == "testimonial"
                    and site.ours
                    and not shows_testimonial(site.output, marker)
                ):
                    raise BenchmarkError("ours: the rebuilt site lacks the new quote")
                builds[site.key, step].append(sample)
                say(
                    f"{articles:,} articles, run {run}/{runs}: {site.key} {step} "
                    f"{sample.seconds:.1f} s, {sample.peak_bytes / 2**20:.0f} MiB"
                )
        check.append(
            run_child(
                [sys.executable, "-m", "invoke", "check", "--content", str(content)]
            )
        )
        say(f"{articles:,} articles, run {run}/{runs}: check {check[-1].seconds:.2f} s")
    for site in sites.values():
        site.forget()
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")
    return SizeResult(articles, runs, dict(builds), tuple(check))


def measure_publish(work: Path, content: Path) -> Sample:
    """Time one cold publish build (publishconf.py) of the corpus."""
    cache = work / "publish-cache"
    settings = write_our_settings(
        work / "publish-settings.py", content, cache, "publishconf"
    )
    site = Site("publish", settings, work / "publish-output", cache)
    site.forget()
    sample = site.build()
    site.forget()
    return sample


# --- Profile -------------------------------------------------------------------

PROFILE_SCRIPT = """\
import cProfile
import sys

root, settings, output, stats = sys.argv[1:5]
sys.path.insert(0, root)


def build():
    from tools import build as child_build

    return child_build.run_pelican(settings, output)


profiler = cProfile.Profile()
code = profiler.runcall(build)
profiler.dump_stats(stats)
sys.exit(code)
"""

# pstats' raw form: (file, line, function) to (primitive calls, calls,
# self time, cumulative time, {caller: (calls, primitive calls, self, cumulative)}).
Function = tuple[str, int, str]
StatsTable = Mapping[Function, tuple]


@dataclass(frozen=True)
class ProfileArea:
    """Where a share of the profiled build went."""

    name: str
    inclusive: float | None
    """Seconds inside the area, callees included, counted where it is entered;
    None for the frame areas, which every other runs inside."""
    own: float
    """Seconds in the area's own code (built-ins count for their caller)."""
    entry: str
    """The entry point with the most inclusive time, `file:function`."""


@dataclass(frozen=True)
class Profile:
    """A profiled cold build: its wall time and the time per area."""

    articles: int
    seconds: float
    total: float
    """Profiled seconds: the sum of every function's own time."""
    areas: tuple[ProfileArea, ...]


def area_of(function: Function) -> str | None:
    """Return the area a function belongs to, by its file.

    None for built-in functions and the standard library: their time belongs
    to whoever called them (a subprocess wait, to the plugin that waits).
    """
    filename, _, name = function
    path = filename.replace(os.sep, "/")
    if name == "<module>" or path.startswith(IMPORT_MACHINERY):
        # A module's top-level code runs when it is imported.
        return IMPORTS_AREA
    if (
        path in ("~", "<string>")  # built-ins; code that dataclasses generate
        or path.startswith("<frozen ")  # os, posixpath... are frozen
        or (path.startswith(STDLIB) and "/site-packages/" not in path)
    ):
        return None
    plugin = re.search(r"/plugins/(\w+)/", path)
    if plugin and "/site-packages/" not in path:
        name = plugin.group(1)
        note = PLUGIN_NOTES.get(name)
        return f"{PLUGIN_AREA_PREFIX}`{name}`" + (f" ({note})" if note else "")
    installed = re.search(r"/pelican/plugins/(\w+)/", path)
    if installed:
        # Plugins installed from PyPI (sitemap; minify, precompress when publishing).
        return f"pelican-{installed.group(1).replace('_', '-')}"
    for area, fragments in LIBRARY_AREAS:
        if any(fragment in path for fragment in fragments):
            return area
    if path.endswith("/tools/build.py"):
        return TASKS_AREA
    return OTHER_AREA


def _shares(stats: StatsTable) -> Callable[[Function], Mapping[str, float]]:
    """Return a function giving the areas a function's time belongs to, with shares.

    A function of an area belongs to it wholly; a built-in or standard-library
    function belongs to its callers' areas, in proportion to the time each
    caller spent in it (through callers of the same kind, recursively).
    """
    cache: dict[Function, Mapping[str, float]] = {}

    def shares(
        function: Function, seen: frozenset = frozenset()
    ) -> Mapping[str, float]:
        if function in cache:
            return cache[function]
        area = area_of(function)
        if area is not None:
            return {area: 1.0}
        callers = stats.get(function, (0, 0, 0, 0, {}))[4]
        weights = {c: s[3] for c, s in callers.items() if c not in seen}
        total = sum(weights.values())
        if not total:
            found: Mapping[str, float] = {OTHER_AREA: 1.0}
        else:
            mixed: dict[str, float] = defaultdict(float)
            for caller, weight in weights.items():
                for name, share in shares(caller, seen | {function}).items():
                    mixed[name] += share * weight / total
            found = dict(mixed)
        # Kept even inside a cycle of callers (deepcopy's, say), where it is
        # partial: recomputing every path would take exponential time.
        cache[function] = found
        return found

    return shares


def group_profile(stats: StatsTable) -> tuple[float, tuple[ProfileArea, ...]]:
    """Group pstats' table by area; return the total and the areas, largest first.

    Own times add up to the total: the time of a built-in or standard-library
    function goes to its callers' areas (see `_shares`). Inclusive time counts
    calls entering an area from another one (or from nowhere), so areas
    overlap: a plugin's time includes the templates it renders. Frame areas,
    which other areas run inside (Pelican, tools/build.py, other libraries such as
    blinker's signals), get no inclusive time: it would be most of the build,
    counted several times.
    """
    shares = _shares(stats)
    own: dict[str, float] = defaultdict(float)
    entries: dict[str, dict[Function, float]] = defaultdict(lambda: defaultdict(float))
    for function, (_, _, self_time, cumulative, callers) in stats.items():
        # Calls from no profiled function: what the callers do not account for.
        top_self = max(0.0, self_time - sum(c[2] for c in callers.values()))
        top_cumulative = max(0.0, cumulative - sum(c[3] for c in callers.values()))
        name = area_of(function)
        if name is None:
            for caller, caller_stats in callers.items():
                for area, share in shares(caller).items():
                    own[area] += caller_stats[2] * share
            if top_self:
                own[OTHER_AREA] += top_self
            continue
        own[name] += self_time
        entered = top_cumulative + sum(
            caller_stats[3] * (1 - shares(caller).get(name, 0.0))
            for caller, caller_stats in callers.items()
        )
        if entered:
            entries[name][function] += entered
    areas = []
    for name in set(own) | set(entries):
        best = max(entries[name].items(), key=lambda item: item[1], default=None)
        areas.append(
            ProfileArea(
                name,
                None if name in FRAME_AREAS else sum(entries[name].values()),
                own[name],
                f"{Path(best[0][0]).name}:{best[0][2]}" if best else "",
            )
        )
    # Areas with an inclusive time first, largest first; then the frames.
    areas.sort(key=lambda a: (a.inclusive is None, -(a.inclusive or a.own), a.name))
    return sum(own.values()), tuple(areas)


def profile_build(work: Path, content: Path, articles: int) -> Profile:
    """Profile one cold build of ours in a child process; group it by area."""
    cache, output, stats = (
        work / "profile-cache",
        work / "profile-output",
        work / "build.prof",
    )
    settings = write_our_settings(work / "profile-settings.py", content, cache)
    for folder in (cache, output):
        shutil.rmtree(folder, ignore_errors=True)
    sample = run_child(
        [
            sys.executable,
            "-c",
            PROFILE_SCRIPT,
            str(ROOT),
            str(settings),
            str(output),
            str(stats),
        ]
    )
    total, areas = group_profile(pstats.Stats(str(stats)).stats)
    for folder in (cache, output):
        shutil.rmtree(folder, ignore_errors=True)
    return Profile(articles, sample.seconds, total, areas)


# --- Development server ------------------------------------------------------------


@dataclass(frozen=True)
class Reload:
    """The development server, from saving an article to serving the edit."""

    articles: int
    startup: float
    """Seconds from starting `invoke livereload` to its first page."""
    edits: tuple[float, ...]
    """Seconds from each save to the first response showing it."""


def _fetch(url: str) -> str | None:
    """Return the page at `url`, None while nothing answers; raise on a failed build."""
    try:
        with urllib.request.urlopen(url, timeout=BUILD_TIMEOUT) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        if error.code == 500:
            raise BenchmarkError(
                f"the preview shows a failed build:\n{body[-2000:]}"
            ) from error
        return None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, wanted: str, server: subprocess.Popen, timeout: float) -> float:
    """Poll `url` every POLL_SECONDS until it contains `wanted`; return the wait."""
    started = time.perf_counter()
    while True:
        body = _fetch(url)
        if body is not None and wanted in body:
            return time.perf_counter() - started
        if server.poll() is not None:
            raise BenchmarkError(
                f"the development server stopped (exit {server.returncode})"
            )
        if time.perf_counter() - started > timeout:
            raise BenchmarkError(
                f"{url} did not show {wanted!r} within {timeout:.0f} s"
            )
        time.sleep(POLL_SECONDS)


def _stop(server: subprocess.Popen) -> None:
    """End the server and the build it may be running (its own process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def measure_reload(work: Path, articles: int, edits: int = RELOAD_EDITS) -> Reload:
    """Run `invoke livereload` on a project copy holding the corpus; time edits."""
    # The tests' copy of the project: one list of what a build needs.
    from tests.support import copy_project, free_port  # noqa: PLC0415

    project = copy_project(work / "project")
    shutil.rmtree(project / "content")
    content = write_corpus(project, articles)
    slug = article_slug(newest_article(articles))
    article = content / "articles" / f"{slug}.md"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with (work / "livereload.log").open("wb") as log:
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopped with its builds
        )
        try:
            _wait_for(base, "<html", server, BUILD_TIMEOUT)
            startup = time.perf_counter() - started
            times = []
            for number in range(edits):
                marker = f"reloadedit{number}"
                # Settle past the watcher's next scan, as a writer's pause would.
                time.sleep(1)
                edit_article(article, marker)
                times.append(_wait_for(f"{base}{slug}/", marker, server, BUILD_TIMEOUT))
        finally:
            _stop(server)
    return Reload(articles, startup, tuple(times))


# --- Figures -------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One target at one size: the measured ratio against its limit."""

    target: str
    articles: int
    figure: float | None
    """The ratio; None when not measured."""
    limit: float

    @property
    def met(self) -> bool | None:
        """True or False; None when the figure was not measured."""
        return None if self.figure is None else self.figure <= self.limit


def _ratio_at(
    by_size: Mapping[int, SizeResult], articles: int, top: tuple, bottom: tuple
) -> float | None:
    size = by_size.get(articles)
    if size is None:
        return None
    return ratio(size.seconds(*top), size.seconds(*bottom))


def verdicts(sizes: Sequence[SizeResult]) -> list[Verdict]:
    """Judge issue 8's targets on the medians of each size."""
    by_size = {size.articles: size for size in sizes}
    found = [
        Verdict(
            "Our cold build / stock cold build",
            articles,
            _ratio_at(by_size, articles, ("ours", "cold"), ("stock", "cold")),
            COLD_TARGET,
        )
        for articles in COLD_TARGET_SIZES
    ]
    found += [
        Verdict(
            "Our warm rebuild after an article edit / our cold build",
            articles,
            _ratio_at(by_size, articles, ("ours", "article"), ("ours", "cold")),
            WARM_TARGET,
        )
        for articles in WARM_TARGET_SIZES
    ]
    found += [
        Verdict(
            "Our peak memory / stock peak memory",
            size.articles,
            ratio(size.peak_bytes("ours"), size.peak_bytes("stock")),
            MEMORY_TARGET,
        )
        for size in sizes
    ]
    return found


def n_log_n(articles: int) -> float:
    """Return N·log N (N below 2 counts as 2, whose logarithm is not zero)."""
    articles = max(articles, 2)
    return articles * math.log(articles)


def faster_than_n_log_n(small: tuple[int, float], large: tuple[int, float]) -> bool:
    """Tell whether time grew faster than N·log N from (N, s) `small` to `large`."""
    (n1, t1), (n2, t2) = small, large
    return t2 / t1 > n_log_n(n2) / n_log_n(n1)


def growth_note(points: Sequence[tuple[int, float | None]]) -> str:
    """Describe how a series of (N, seconds) grows; flag steps beyond N·log N."""
    known = [(n, t) for n, t in points if t]
    if len(known) < 2:
        return "one size only"
    flagged = [
        f"{a[0]:,} → {b[0]:,}: ×{b[1] / a[1]:.1f} for N ×{b[0] / a[0]:g}"
        for a, b in itertools.pairwise(known)
        if faster_than_n_log_n(a, b)
    ]
    if flagged:
        return "**faster than N·log N** (" + "; ".join(flagged) + ")"
    return "within N·log N"


# --- Markdown ------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """Everything the Markdown section shows."""

    sizes: tuple[SizeResult, ...]
    publish: Sample | None
    profile: Profile | None
    reload: Reload | None
    date: str
    python: str
    pelican: str
    cores: int
    load: tuple[float, float]
    """The 1-minute load average when the run started and when it ended."""
    commit: str
    seconds: float


def _seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.2f} s" if value < 10 else f"{value:,.1f} s"


def _mib(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**20:,.0f} MiB"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def _build_rows(report: Report) -> list[list[str]]:
    rows = []
    for size in report.sizes:
        for key, label in SITES.items():
            rows.append(
                [
                    f"{size.articles:,}",
                    label,
                    *(_seconds(size.seconds(key, step)) for step in STEPS),
                    _seconds(size.check_seconds()) if key == "ours" else "n/a",
                    _mib(size.peak_bytes(key)),
                ]
            )
    if report.publish is not None:
        rows.append(
            [
                f"{DETAIL_SIZE:,}",
                "Ours, publish (publishconf.py), 1 run",
                _seconds(report.publish.seconds),
                "n/a",
                "n/a",
                "n/a",
                _mib(report.publish.peak_bytes),
            ]
        )
    return rows


def _met_text(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "not measured"}[met]


def _verdict_rows(found: Iterable[Verdict]) -> list[list[str]]:
    return [
        [
            v.target,
            f"{v.articles:,}",
            "n/a" if v.figure is None else f"{v.figure:.2f}×",
            f"≤ {v.limit:g}",
            _met_text(v.met),
        ]
        for v in found
    ]


GROWTH_SERIES = (
    ("Ours, cold", "ours", "cold"),
    ("Ours, warm after an article edit", "ours", "article"),
    ("Ours, warm after a testimonial edit", "ours", "testimonial"),
    ("`make check`", "check", ""),
    ("Stock, cold", "stock", "cold"),
    ("Stock, warm after an article edit", "stock", "article"),
    ("Stock with content cache, warm after an article edit", "stock-cache", "article"),
)


def _growth_rows(report: Report) -> list[list[str]]:
    rows = []
    for label, site, step in GROWTH_SERIES:
        points = [
            (
                size.articles,
                size.check_seconds() if site == "check" else size.seconds(site, step),
            )
            for size in report.sizes
        ]
        per_thousand = [
            "n/a" if t is None else f"{t * 1000 / n:.2f} s" for n, t in points
        ]
        rows.append([label, *per_thousand, growth_note(points)])
    return rows


def _profile_row(area: ProfileArea, total: float) -> list[str]:
    return [
        area.name,
        "frame" if area.inclusive is None else _seconds(area.inclusive),
        "" if area.inclusive is None else f"{area.inclusive / total:.0%}",
        _seconds(area.own),
        f"{area.own / total:.0%}",
        f"`{area.entry}`" if area.entry else "",
    ]


def _profile_lines(profile: Profile | None) -> list[str]:
    if profile is None:
        return [f"Not measured: {DETAIL_SIZE:,} articles was not among the sizes."]
    # Our plugins are always listed: the team wants each one's figure.
    shown = [
        area
        for area in profile.areas
        if area.name.startswith(PLUGIN_AREA_PREFIX)
        or max(area.inclusive or 0, area.own) >= PROFILE_CUTOFF * profile.total
    ]
    return [
        (
            f"One cold build of ours at {profile.articles:,} articles under cProfile "
            "(a child process calling `tools.build.run_pelican`, imports included): "
            f"{_seconds(profile.seconds)} wall clock, {_seconds(profile.total)} "
            "profiled. Profiling slows Python code more than C code and the "
            "Pagefind program, so read shares, not seconds. *Own* is the time in "
            "an area's own code, built-in and standard-library functions counted "
            "for their caller (a wait for a subprocess, for the plugin that "
            "waits): that column adds up to the profiled total. *Inclusive* is "
            "the time from entering an area from another until it returns, what "
            "it calls included: areas overlap (a plugin's time includes the "
            "templates it renders). *Frame* areas run the others (Pelican's "
            "generators, the build wrapper, blinker dispatching the signals): "
            "only their own time is given. cProfile sees the main thread only: "
            "the images plugin's encoding threads show as its waiting, and "
            "Pagefind, a separate program, as the search plugin's."
        ),
        "",
        *markdown_table(
            ["Area", "Inclusive", "Share", "Own", "Share", "Main entry point"],
            (_profile_row(area, profile.total) for area in shown),
            "lrrrrl",
        ),
        "",
        (
            f"Left out: {_count(len(profile.areas) - len(shown), 'area')} under "
            f"{PROFILE_CUTOFF:.1%} of the total in both columns (not our plugins, "
            "which are all listed)."
        ),
    ]


def _reload_lines(reload: Reload | None) -> list[str]:
    if reload is None:
        return [f"Not measured: {DETAIL_SIZE:,} articles was not among the sizes."]
    each = ", ".join(_seconds(t) for t in reload.edits)
    return [
        (
            f"`invoke livereload` (what `make serve` runs) in a copy of the project "
            f"whose `content/` is the {reload.articles:,}-article corpus: one "
            "paragraph appended to the newest article, then its page requested "
            f"every {POLL_SECONDS * 1000:.0f} ms until the response shows the edit. "
            f"**Median {_seconds(statistics.median(reload.edits))}** over "
            f"{len(reload.edits)} edits ({each}). The server first answered "
            f"{_seconds(reload.startup)} after it was started (its first build). "
            "livereload looks for changes every 0.8 s, then runs the whole build "
            "before answering."
        ),
    ]


def _targets_summary(found: Sequence[Verdict]) -> str:
    judged = [v for v in found if v.met is not None]
    missed = [v for v in judged if not v.met]
    if not missed:
        return f"Every measured target met ({len(judged)})."
    return (
        f"{len(judged) - len(missed)} of {len(judged)} measured targets met; "
        "not met: "
        + "; ".join(f"{v.target} at {v.articles:,} ({v.figure:.2f}×)" for v in missed)
        + "."
    )


def render(report: Report) -> str:
    """Render the Markdown section for docs/performance.md."""
    found = verdicts(report.sizes)
    runs = "; ".join(
        f"{count} run{'s' if count != 1 else ''} at "
        + " and ".join(f"{s.articles:,}" for s in report.sizes if s.runs == count)
        + " articles"
        for count in sorted({s.runs for s in report.sizes}, reverse=True)
    )
    sizes = [s.articles for s in report.sizes]
    lines = [
        "## Builds: ours against stock Pelican",
        "",
        (
            f"Measured by `make bench-build` on {report.date} at {report.commit}: "
            f"{report.python}, Pelican {report.pelican}, {report.cores} cores. "
            f"Medians of {runs}. The whole run took "
            f"{_duration(report.seconds)}; the load average was "
            f"{report.load[0]:.1f} when it started and {report.load[1]:.1f} when "
            "it ended (other work on the machine makes builds slower and the "
            "figures noisier: compare runs made on an idle machine)."
        ),
        "",
        (
            "**Corpus:** `bench/corpus.py`, seeded, so every run builds the same "
            "files: articles of about 650 words with headings, lists, quotes, links "
            "to other articles, tags and categories, one in five showing two of 20 "
            "testimonials (consent recorded), and 3 pages. It passes our content "
            "check, and every build of ours here is a `--fatal warnings` build."
        ),
        "",
        (
            "**Ours** is the child process that `make html` and `make serve` "
            "start, `python tools/build.py SETTINGS OUTPUT`, building into a staging "
            "folder then swapped into place (the time includes the swap), with the "
            "development settings, `pelicanconf.py` (the writers' preview build), "
            "and `PATH` and `CACHE_PATH` set to the corpus and a cache folder of "
            "its own. **Stock** is `pelican -s SETTINGS -o OUTPUT` with Pelican's "
            "defaults, the built-in `simple` theme, `PLUGINS = []` and "
            "`TYPOGRIFY = False` (plus `PATH`, `ARTICLE_PATHS`, `PAGE_PATHS` and "
            "`TIMEZONE`), over its previous output folder as a stock user would "
            "rebuild. Stock Pelican caches nothing by default, so its warm rebuild "
            "is simply a second build; the third row turns its content cache on "
            "(`CACHE_CONTENT` and `LOAD_CONTENT_CACHE`). Stock reads no "
            "testimonials: the testimonial edit changes nothing it builds."
        ),
        "",
        (
            "**Steps**, alternating ours and stock step by step within each run: "
            "*cold*, with no output and no cache folder; *warm, 1 article edited*, "
            "after appending a paragraph to the newest article, keeping the cache "
            "of the build before (into a fresh output folder for ours, as "
            "`build_site` does; over its previous output for stock); *warm, 1 "
            "testimonial edited*, after changing one "
            "testimonial's quote. Each warm build is checked to show the edit. "
            "`make check` is `invoke check --content CORPUS`, the whole command "
            "(as `make bench-check` measures it). *Peak memory* is the highest "
            "max RSS of any build of that row: the build process, or Pagefind, "
            "which it runs and waits for, if that was larger. The publish row is "
            "one cold build with `publishconf.py` (HTML minification and `.br` and "
            "`.gz` copies of every text file; the corpus testimonials have "
            "recorded consent, which it requires)."
        ),
        "",
        "### Build times and memory",
        "",
        *markdown_table(
            [
                "Articles",
                "Build",
                *STEPS.values(),
                "`make check`",
                "Peak memory",
            ],
            _build_rows(report),
            "llrrrrr",
        ),
        "",
        "### Targets (issue 8)",
        "",
        _targets_summary(found),
        "",
        *markdown_table(
            ["Ratio, same run", "Articles", "Figure", "Target", "Verdict"],
            _verdict_rows(found),
            "lrrll",
        ),
        "",
        "### Time per 1,000 articles",
        "",
        (
            "Seconds per 1,000 articles at each size: a constant figure is linear "
            "growth. A step is flagged when time grows faster than N·log N "
            "(start-up costs make the smallest size look slower per article)."
        ),
        "",
        *markdown_table(
            ["Measurement", *(f"{n:,}" for n in sizes), "Growth"],
            _growth_rows(report),
            "l" + "r" * len(sizes) + "l",
        ),
        "",
        "### Where our cold build spends its time",
        "",
        *_profile_lines(report.profile),
        "",
        "### Edit to reload, development server",
        "",
        *_reload_lines(report.reload),
    ]
    return "\n".join(lines) + "\n"


# --- The run ---------------------------------------------------------------------


def _commit() -> str:
    """Return the commit measured, noting uncommitted changes."""
    head = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not head:
        return "an unknown commit"
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"commit {head}" + (" with uncommitted changes" if dirty else "")


def measure(sizes: Sequence[int]) -> Report:
    """Measure every size, then the publish build, profile and server at 1,000."""
    started, load = time.perf_counter(), os.getloadavg()[0]

    def say(message: str) -> None:
        minutes, seconds = divmod(round(time.perf_counter() - started), 60)
        sys.stderr.write(f"[{minutes:3d}:{seconds:02d}] {message}\n")
        sys.stderr.flush()

    results, publish, profile, reload = [], None, None, None
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        for articles in sizes:
            work = Path(folder) / str(articles)
            work.mkdir()
            results.append(measure_size(work, articles, runs_for(articles), say))
            if articles == DETAIL_SIZE:
                content = work / "content"
                publish = measure_publish(work, content)
                say(f"{articles:,} articles: publish build {publish.seconds:.1f} s")
                profile = profile_build(work, content, articles)
                say(f"{articles:,} articles: profiled build {profile.seconds:.1f} s")
                reload = measure_reload(work, articles)
                say(
                    f"{articles:,} articles: edit to reload "
                    + ", ".join(f"{t:.1f} s" for t in reload.edits)
                )
            shutil.rmtree(work)
    return Report(
        sizes=tuple(results),
        publish=publish,
        profile=profile,
        reload=reload,
        date=time.strftime("%Y-%m-%d"),
        python=f"{platform.python_implementation()} {platform.python_version()}",
        pelican=pelican.__version__,
        cores=os.cpu_count() or 0,
        load=(load, os.getloadavg()[0]),
        commit=_commit(),
        seconds=time.perf_counter() - started,
    )


def main(sizes: Sequence[int] = SIZES) -> str:
    """Measure the given corpus sizes; return the Markdown for docs/performance.md."""
    return render(measure(sorted(sizes)))
