"""Where our cold build spends its time: one build under cProfile, by area.

`profile_build` runs `bench/profiled_build.py` in a child process on a
corpus and groups pstats' table by area: our plugins by their folder under
plugins/, the libraries by their files, imports apart. `group_profile` and
`markdown` take plain values, so that tests can feed them small inputs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
import os
from pathlib import Path
import pstats
import re
import sys
import sysconfig

from bench.report import in_seconds, markdown_table, plural
from bench.runner import run_child
from bench.sites import our_site

# Areas below this share of the total, own and inclusive, are not listed.
PROFILE_CUTOFF = 0.005

# Areas by file, first match wins; our plugins are matched before these by
# their folder under plugins/. Compiled templates carry their template's file
# name, hence `.html`.
PELICAN_AREA = "Pelican: reading, generators, contents"
IMPORTS_AREA = "Imports (start-up)"
TASKS_AREA = "tools/build.py (build wrapper)"
OTHER_AREA = "Other libraries (blinker's signals…)"
IMPORT_MACHINERY = ("<frozen importlib", "<frozen zipimport")
# The module that runs the profiled build (see there).
PROFILER = "/bench/profiled_build.py"
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
        or path.endswith(PROFILER)  # not the build: its time goes to no area
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
    site = our_site(work, content, "profile")
    stats = work / "build.prof"
    site.forget()
    sample = run_child(
        [
            sys.executable,
            "-m",
            "bench.profiled_build",
            str(site.settings),
            str(site.output),
            str(stats),
        ]
    )
    total, areas = group_profile(pstats.Stats(str(stats)).stats)
    site.forget()
    return Profile(articles, sample.seconds, total, areas)


def _profile_row(area: ProfileArea, total: float) -> list[str]:
    return [
        area.name,
        "frame" if area.inclusive is None else in_seconds(area.inclusive),
        "" if area.inclusive is None else f"{area.inclusive / total:.0%}",
        in_seconds(area.own),
        f"{area.own / total:.0%}",
        f"`{area.entry}`" if area.entry else "",
    ]


def markdown(profile: Profile) -> list[str]:
    """Render the profile: what was measured, then the areas' table, as lines."""
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
            f"{in_seconds(profile.seconds)} wall clock, {in_seconds(profile.total)} "
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
            f"Left out: {plural(len(profile.areas) - len(shown), 'area')} under "
            f"{PROFILE_CUTOFF:.1%} of the total in both columns (not our plugins, "
            "which are all listed)."
        ),
    ]
