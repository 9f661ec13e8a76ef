"""Run one build of ours under cProfile, in a process of its own.

`python -m bench.profiled_build SETTINGS OUTPUT STATS` (from the project's
folder) calls `tools.build.run_pelican(SETTINGS, OUTPUT)` under cProfile,
writes pstats' table to STATS and exits with the build's code. The build's
imports happen inside the profiled call, so they are counted.
"""

# Only cProfile and sys before the profiler starts: whatever this module
# imported first would be missing from the profile's start-up time.
import cProfile
import sys


def _build(settings: str, output: str) -> int:
    from tools import build  # noqa: PLC0415 - imported while profiled, on purpose

    return build.run_pelican(settings, output)


def main(settings: str, output: str, stats: str) -> int:
    """Profile one build into `output`; write the stats to `stats`; return its code."""
    profiler = cProfile.Profile()
    code = profiler.runcall(_build, settings, output)
    profiler.dump_stats(stats)
    return code


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
