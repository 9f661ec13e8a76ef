"""`make bench-build`: builds of ours against stock Pelican on a generated corpus.

`main(sizes)` measures, at each article count, the cold and warm builds,
`make check` and the peak memory of ours, stock Pelican and Hugo
(`bench/build_times.py`, `bench/hugo_site.py`); at `DETAIL_SIZE` articles
also one publish build, a profile of our cold build by area
(`bench/build_profile.py`) and our cold build read on every core against one
read in a single process, which must be byte-identical; and the development
server from saving an article to the reloaded tab in Chromium, at 1, 100 and
1,000 articles (`bench/edit_to_reload.py`). It returns
the section `SECTION` of docs/performance.md; `render` writes it from plain
values, so that tests/test_bench_build.py can feed it small inputs.

The names of those parts are available here too, as `__all__` lists: the
build benchmark's tests reach every part through this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
import os
from pathlib import Path
import shutil
import tempfile
import time

import pelican

from bench import build_profile, build_times, edit_to_reload
from bench.build_profile import (
    IMPORTS_AREA,
    LIBRARY_AREAS,
    OTHER_AREA,
    PELICAN_AREA,
    STDLIB,
    TASKS_AREA,
    Profile,
    ProfileArea,
    area_of,
    group_profile,
)
from bench.build_times import (
    STEPS,
    SerialCheck,
    SizeResult,
    Verdict,
    faster_than_n_log_n,
    growth_note,
    verdicts,
)
from bench.corpus import edit_article, edit_testimonial
from bench.edit_to_reload import Reload
from bench.report import duration
from bench.runner import (
    BenchmarkError,
    Sample,
    Stopwatch,
    commit,
    cores,
    interpreter,
    run_child,
)
from bench.sites import (
    SITES,
    Site,
    check_build,
    make_sites,
    shows_testimonial,
    write_our_settings,
    write_stock_settings,
)

__all__ = [
    "DETAIL_SIZE",
    "IMPORTS_AREA",
    "LIBRARY_AREAS",
    "OTHER_AREA",
    "PELICAN_AREA",
    "SECTION",
    "SITES",
    "SIZES",
    "STDLIB",
    "STEPS",
    "TASKS_AREA",
    "BenchmarkError",
    "Profile",
    "ProfileArea",
    "Reload",
    "Report",
    "Sample",
    "SerialCheck",
    "Site",
    "SizeResult",
    "Verdict",
    "area_of",
    "check_build",
    "edit_article",
    "edit_testimonial",
    "faster_than_n_log_n",
    "group_profile",
    "growth_note",
    "main",
    "make_sites",
    "measure",
    "render",
    "run_child",
    "shows_testimonial",
    "verdicts",
    "write_our_settings",
    "write_stock_settings",
]

# The marker of this benchmark's section in docs/performance.md.
SECTION = "make bench-build"
SIZES = (100, 1000, 5000)
# The one size at which the publish build, the profile and the serial cold
# build are measured, and the size the warm rebuild target is set for. The
# development server is measured at edit_to_reload.RELOAD_SIZES.
DETAIL_SIZE = 1000


@dataclass(frozen=True)
class Report:
    """Everything the Markdown section shows."""

    sizes: tuple[SizeResult, ...]
    publish: Sample | None
    profile: Profile | None
    reloads: tuple[Reload, ...]
    """The development server at each of RELOAD_SIZES that was measured."""
    serial: SerialCheck | None
    """Our parallel cold build against a serial one, at DETAIL_SIZE."""
    date: str
    python: str
    pelican: str
    cores: int
    load: tuple[float, float]
    """The 1-minute load average when the run started and when it ended."""
    commit: str
    seconds: float


def render(report: Report) -> str:
    """Render the Markdown section for docs/performance.md."""
    runs = "; ".join(
        f"{count} run{'s' if count != 1 else ''} at "
        + " and ".join(f"{s.articles:,}" for s in report.sizes if s.runs == count)
        + " articles"
        for count in sorted({s.runs for s in report.sizes}, reverse=True)
    )
    not_measured = [f"Not measured: {DETAIL_SIZE:,} articles was not among the sizes."]
    lines = [
        "## Builds: ours against stock Pelican",
        "",
        (
            f"Measured by `make bench-build` on {report.date} at {report.commit}: "
            f"{report.python}, Pelican {report.pelican}, {report.cores} cores. "
            f"Medians of {runs}. The whole run took "
            f"{duration(report.seconds)}; the load average was "
            f"{report.load[0]:.1f} when it started and {report.load[1]:.1f} when "
            "it ended (other work on the machine makes builds slower and the "
            "figures noisier: compare runs made on an idle machine)."
        ),
        "",
        *build_times.markdown(report.sizes, report.publish, DETAIL_SIZE),
        "",
        "### Where our cold build spends its time",
        "",
        *(build_profile.markdown(report.profile) if report.profile else not_measured),
        "",
        "### Our cold build on every core, against one process",
        "",
        *(serial_markdown(report.serial) if report.serial else not_measured),
        "",
        "### Save to reloaded tab, development server",
        "",
        *(
            edit_to_reload.markdown(report.reloads)
            if report.reloads
            else ["Not measured."]
        ),
    ]
    return "\n".join(lines) + "\n"


def serial_markdown(check: SerialCheck) -> list[str]:
    """Render the comparison of our parallel and serial cold builds, as lines."""
    verdict = (
        f"**byte-identical**: all {check.files:,} files have the same bytes"
        if check.identical
        else f"**not identical**: {len(check.differing)} files differ, e.g. "
        + ", ".join(f"`{name}`" for name in check.differing[:5])
    )
    return [
        (
            f"One more cold build of the {DETAIL_SIZE:,}-article corpus with "
            "`BUILD_CACHE_PROCESSES = 1` (every source read and typeset in the "
            "build itself) and one with the default (one worker process per "
            f"core), each into its own folders: {verdict} (the sitemap's "
            "build-time dates left out). Serial "
            f"{check.serial.seconds:.1f} s, on every core "
            f"{check.parallel.seconds:.1f} s "
            f"({check.parallel.seconds / check.serial.seconds:.2f}×)."
        ),
    ]


def measure(sizes: Sequence[int]) -> Report:
    """Measure every size, then the publish build, profile and server at 1,000."""
    clock, load = Stopwatch(), os.getloadavg()[0]
    results, publish, profile, serial, reloads = [], None, None, None, []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as folder:
        for articles in sizes:
            work = Path(folder) / str(articles)
            work.mkdir()
            result, content = build_times.measure_size(
                work, articles, build_times.runs_for(articles), clock
            )
            results.append(result)
            if articles == DETAIL_SIZE:
                publish = build_times.measure_publish(work, content)
                clock.say(
                    f"{articles:,} articles: publish build {publish.seconds:.1f} s"
                )
                profile = build_profile.profile_build(work, content, articles)
                clock.say(
                    f"{articles:,} articles: profiled build {profile.seconds:.1f} s"
                )
                serial = build_times.compare_serial(work, content)
                clock.say(
                    f"{articles:,} articles: serial {serial.serial.seconds:.1f} s, "
                    f"parallel {serial.parallel.seconds:.1f} s, "
                    f"identical: {serial.identical}"
                )
                if not serial.identical:
                    raise BenchmarkError(
                        "the parallel cold build differs from the serial one: "
                        + ", ".join(serial.differing[:10])
                    )
            shutil.rmtree(work)
        for articles in edit_to_reload.RELOAD_SIZES:
            work = Path(folder) / f"reload-{articles}"
            work.mkdir()
            reloads.append(edit_to_reload.measure_reload(work, articles))
            clock.say(
                f"{articles:,} articles: save to reloaded tab "
                + ", ".join(f"{t:.2f} s" for t in reloads[-1].edits)
            )
            shutil.rmtree(work)
    return Report(
        sizes=tuple(results),
        publish=publish,
        profile=profile,
        reloads=tuple(reloads),
        serial=serial,
        date=time.strftime("%Y-%m-%d"),
        python=interpreter(),
        pelican=pelican.__version__,
        cores=cores(),
        load=(load, os.getloadavg()[0]),
        commit=commit(),
        seconds=clock.seconds(),
    )


def main(sizes: Sequence[int] = SIZES) -> str:
    """Measure the given corpus sizes; return the Markdown for docs/performance.md."""
    return render(measure(sorted(sizes)))
