"""The ways the build benchmarks build a corpus: ours and stock Pelican.

Ours is exactly the child process `make html` and `make serve` start
(`python tools/build.py SETTINGS OUTPUT`, into a staging folder swapped into
place), with a settings file that is the project's own (`pelicanconf.py` or
`publishconf.py`) with `PATH` and `CACHE_PATH` pointing at the corpus and a
cache folder of the benchmark's own. Stock is the `pelican` command with
Pelican's defaults, the built-in `simple` theme, no plugins and no Typogrify;
it has no cache unless asked, so a third site turns its content cache on.
`check_build` and `shows_testimonial` tell whether a build shows an edit, so
that a cache serving stale pages fails a benchmark instead of looking fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re
import shutil
import sys
import time

from manifest import MANIFEST_FILE

from bench.corpus import article_slug
from bench.runner import BenchmarkError, Sample, run_child
from tools.build import pelican_command
from tools.config import ROOT

# The sites, in the order each step builds them, and their rows' labels.
SITES = {
    "ours": "Ours (pelicanconf.py)",
    "stock": "Stock Pelican, no cache (its default)",
    "stock-cache": "Stock Pelican, content cache on",
    "hugo": "Hugo, minimal layout (a reference)",
}


def write_our_settings(
    path: Path, content: Path, cache: Path, base: str = "pelicanconf", extra: str = ""
) -> Path:
    """Write a settings file: `base` (pelicanconf or publishconf) on the corpus.

    `extra` is appended: more settings, one per line.
    """
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
        f"CACHE_PATH = {str(cache)!r}\n" + extra,
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


@dataclass(frozen=True)
class Site:
    """One way of building the corpus: its settings, output and cache folders."""

    key: str
    settings: Path
    output: Path
    cache: Path

    @property
    def ours(self) -> bool:
        """Built by tools/build.py (staging then swap), not stock `pelican` or Hugo."""
        return not self.key.startswith(("stock", "hugo"))

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
    """Write the settings of ours, both stock variants and Hugo under `work`."""
    from bench.hugo_site import HugoSite  # noqa: PLC0415 - it builds on Site

    sites = {}
    for key in SITES:
        cache = work / f"{key}-cache"
        settings = work / f"{key}-settings.py"
        if key == "hugo":
            sites[key] = HugoSite(key, settings, work / f"{key}-output", cache, content)
            continue
        if key == "ours":
            write_our_settings(settings, content, cache)
        else:
            write_stock_settings(
                settings, content, cache, content_cache=key == "stock-cache"
            )
        sites[key] = Site(key, settings, work / f"{key}-output", cache)
    return sites


def our_site(
    work: Path, content: Path, key: str, base: str = "pelicanconf", extra: str = ""
) -> Site:
    """Write the settings of one more build of ours, its folders named after `key`."""
    cache = work / f"{key}-cache"
    settings = write_our_settings(
        work / f"{key}-settings.py", content, cache, base, extra
    )
    return Site(key, settings, work / f"{key}-output", cache)


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


# A sitemap's dates of list pages (home, tags) are the time of the build.
BUILD_TIME = re.compile(rb"<lastmod>[^<]*</lastmod>")


def built_files(output: Path) -> dict[str, bytes]:
    """Return every file of a build, {relative path: bytes}, to compare builds.

    The sitemap's dates are left out: pelican-sitemap dates list pages by the
    time of the build, so two builds of the same content differ there alone;
    so is the output manifest's line for the sitemap, which holds its digest.
    """
    files = {}
    for path in sorted(output.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name == "sitemap.xml":
                data = BUILD_TIME.sub(b"", data)
            elif path.name == MANIFEST_FILE:
                data = b"\n".join(
                    line
                    for line in data.split(b"\n")
                    if not line.startswith(b'{"path": "sitemap.xml"')
                )
            files[path.relative_to(output).as_posix()] = data
    return files
