"""Cold and warm builds, `make check` and peak memory, ours against stock Pelican.

`measure_size` writes the seeded corpus of `bench/corpus.py` at one article
count and measures, alternating the sites of `bench/sites.py` step by step
within each run:

- a cold build (no output folder, no cache folder);
- a warm rebuild after appending a paragraph to one article, keeping the
  cache of the build before;
- a warm rebuild after changing one testimonial's quote;
- `make check` (ours only: stock Pelican has no content check);
- the peak memory of every build: the max RSS of its child process.

Cold, warm and memory are one measurement: a warm build needs the cache of
the cold build before it, and the memory is each build's own. Every warm
build is checked to show the edit. `measure_publish` times one cold build
with `publishconf.py`. The figures (medians, target verdicts, growth per
article) and the Markdown take plain values, so that tests can feed them
small inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
import itertools
import math
from pathlib import Path

from bench.corpus import (
    article_slug,
    edit_article,
    edit_testimonial,
    newest_article,
    testimonial_id,
    write_corpus,
)
from bench.report import as_ratio, in_mib, in_seconds, markdown_table, ratio
from bench.runner import (
    BenchmarkError,
    Sample,
    Stopwatch,
    invoke,
    median_of,
    run_child,
)
from bench.sites import (
    SITES,
    built_files,
    check_build,
    make_sites,
    our_site,
    shows_testimonial,
)

# The steps of each run, in order; each builds every site.
STEPS = {
    "cold": "Cold",
    "article": "Warm, 1 article edited",
    "testimonial": "Warm, 1 testimonial edited",
}

# The build targets: the largest ratio meeting each, and the sizes it is judged at.
COLD_TARGET = 2.0
COLD_STRETCH = 1.25
WARM_TARGET = 0.15
MEMORY_TARGET = 2.0
COLD_TARGET_SIZES = (1000, 5000)
WARM_TARGET_SIZES = (1000,)


def runs_for(articles: int) -> int:
    """Return how many runs to take the median of: fewer where builds take minutes."""
    return 3 if articles <= 1000 else 2


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
        return median_of(samples) if samples else None

    def check_seconds(self) -> float | None:
        """Return the median time of `invoke check`, None if not measured."""
        return median_of(self.check) if self.check else None

    def peak_bytes(self, site: str) -> int | None:
        """Return the highest peak memory of any build of a site, None if none."""
        peaks = [
            sample.peak_bytes
            for (key, _), samples in self.builds.items()
            if key == site
            for sample in samples
        ]
        return max(peaks) if peaks else None


def measure_size(
    work: Path, articles: int, runs: int, clock: Stopwatch
) -> tuple[SizeResult, Path]:
    """Write a corpus of `articles` articles; take every build sample `runs` times.

    Returns the samples and the corpus's content folder, left as written.
    """
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
                clock.say(
                    f"{articles:,} articles, run {run}/{runs}: {site.key} {step} "
                    f"{sample.seconds:.1f} s, {sample.peak_bytes / 2**20:.0f} MiB"
                )
        check.append(run_child(invoke("check", "--content", str(content))))
        clock.say(
            f"{articles:,} articles, run {run}/{runs}: check {check[-1].seconds:.2f} s"
        )
    for site in sites.values():
        site.forget()
    for path, text in originals.items():
        path.write_text(text, encoding="utf-8")
    return SizeResult(articles, runs, dict(builds), tuple(check)), content


@dataclass(frozen=True)
class SerialCheck:
    """Our cold build with its sources read on every core against one process."""

    files: int
    """Files compared (the sitemap's build-time dates left out)."""
    differing: tuple[str, ...]
    serial: Sample
    parallel: Sample

    @property
    def identical(self) -> bool:
        """True when every file of both builds has the same bytes."""
        return not self.differing


def compare_serial(work: Path, content: Path) -> SerialCheck:
    """Build cold once in one process and once on every core; compare the files."""
    serial = our_site(work, content, "serial", extra="BUILD_CACHE_PROCESSES = 1\n")
    parallel = our_site(work, content, "parallel")
    samples = {}
    for site in (serial, parallel):
        site.forget()
        samples[site.key] = site.build()
    ours, theirs = built_files(serial.output), built_files(parallel.output)
    differing = sorted(
        name for name in set(ours) | set(theirs) if ours.get(name) != theirs.get(name)
    )
    for site in (serial, parallel):
        site.forget()
    return SerialCheck(
        len(ours), tuple(differing), samples["serial"], samples["parallel"]
    )


def measure_publish(work: Path, content: Path) -> Sample:
    """Time one cold publish build (publishconf.py) of the corpus."""
    site = our_site(work, content, "publish", "publishconf")
    site.forget()
    sample = site.build()
    site.forget()
    return sample


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
    """Judge the build targets (cold, warm, memory) on the medians of each size."""
    by_size = {size.articles: size for size in sizes}
    cold = (("ours", "cold"), ("stock", "cold"))
    warm = (("ours", "article"), ("ours", "cold"))
    found = [
        Verdict(label, articles, _ratio_at(by_size, articles, *steps), limit)
        for label, steps, limit, at in (
            ("Our cold build / stock cold build", cold, COLD_TARGET, COLD_TARGET_SIZES),
            (
                "Our cold build / stock cold build (stretch)",
                cold,
                COLD_STRETCH,
                WARM_TARGET_SIZES,
            ),
            (
                "Our warm rebuild after an article edit / our cold build",
                warm,
                WARM_TARGET,
                WARM_TARGET_SIZES,
            ),
        )
        for articles in at
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

METHOD = (
    (
        "**Corpus:** `bench/corpus.py`, seeded, so every run builds the same "
        "files: articles of about 650 words with headings, lists, quotes, links "
        "to other articles, tags and categories, one in five showing two of 20 "
        "testimonials (consent recorded), and 3 pages. It passes our content "
        "check, and every build of ours here is a `--fatal warnings` build."
    ),
    (
        "**Ours** is the child process that `make html` starts, `python "
        "tools/build.py SETTINGS OUTPUT` (reading and typesetting the sources "
        "not cached yet on every core first), building into a staging "
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
)

GROWTH_SERIES = (
    ("Ours, cold", "ours", "cold"),
    ("Ours, warm after an article edit", "ours", "article"),
    ("Ours, warm after a testimonial edit", "ours", "testimonial"),
    ("`make check`", "check", ""),
    ("Stock, cold", "stock", "cold"),
    ("Stock, warm after an article edit", "stock", "article"),
    ("Stock with content cache, warm after an article edit", "stock-cache", "article"),
    ("Hugo, cold", "hugo", "cold"),
)


def _build_rows(
    sizes: Sequence[SizeResult], publish: Sample | None, publish_articles: int
) -> list[list[str]]:
    rows = []
    for size in sizes:
        for key, label in SITES.items():
            rows.append(
                [
                    f"{size.articles:,}",
                    label,
                    *(in_seconds(size.seconds(key, step)) for step in STEPS),
                    in_seconds(size.check_seconds()) if key == "ours" else "n/a",
                    in_mib(size.peak_bytes(key)),
                ]
            )
    if publish is not None:
        rows.append(
            [
                f"{publish_articles:,}",
                "Ours, publish (publishconf.py), 1 run",
                in_seconds(publish.seconds),
                "n/a",
                "n/a",
                "n/a",
                in_mib(publish.peak_bytes),
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
            as_ratio(v.figure),
            f"≤ {v.limit:g}×",
            _met_text(v.met),
        ]
        for v in found
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


def _growth_rows(sizes: Sequence[SizeResult]) -> list[list[str]]:
    rows = []
    for label, site, step in GROWTH_SERIES:
        points = [
            (
                size.articles,
                size.check_seconds() if site == "check" else size.seconds(site, step),
            )
            for size in sizes
        ]
        per_thousand = [
            "n/a" if t is None else f"{t * 1000 / n:.2f} s" for n, t in points
        ]
        rows.append([label, *per_thousand, growth_note(points)])
    return rows


def markdown(
    sizes: Sequence[SizeResult], publish: Sample | None, publish_articles: int
) -> list[str]:
    """Render the method, the build table, the targets and the growth, as lines.

    `publish_articles` is the size the publish build (if any) was measured at.
    """
    found = verdicts(sizes)
    articles = [s.articles for s in sizes]
    return [
        *itertools.chain.from_iterable((paragraph, "") for paragraph in METHOD),
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
            _build_rows(sizes, publish, publish_articles),
            "llrrrrr",
        ),
        "",
        "### Targets: build time and memory",
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
            ["Measurement", *(f"{n:,}" for n in articles), "Growth"],
            _growth_rows(sizes),
            "l" + "r" * len(articles) + "l",
        ),
    ]
