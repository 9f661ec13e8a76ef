"""Run a command; write its wall-clock time, exit code and max RSS to a file.

`python bench/launcher.py REPORT PROGRAM [ARGUMENT...]` forks, execs PROGRAM
(a path, not a name looked up on PATH) and writes `SECONDS CODE MAXRSS` to
REPORT, MAXRSS as the platform's `ru_maxrss` reports it. Exits 0 whatever
PROGRAM's code: the code is in REPORT.
"""

# Only built-in modules: Linux records, at exec(), the resident size of the
# process that forked, so a command started from a large process would report
# at least that process's size. Forked from this small one, it reports its own
# (or the launcher's ~10 MB, whichever is larger).
import os
import sys
import time


def main(report: str, command: list[str]) -> None:
    """Run `command`, wait for it, and write what it took to `report`."""
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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
