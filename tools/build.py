"""One build of the site: a child process, a staging folder, then the swap.

Every build runs Pelican with fatal warnings in a child process (edited plugin
code is loaded afresh each time) into a staging folder, and only then replaces
the output folder: a failed build leaves the last good site in place, so the
preview keeps working while a writer fixes an error.

`python -m tools.build SETTINGS OUTPUT [--no-search] [--report FILE]`, run
from the top of the repository, is that child: one build, with content
problems printed as a plain list. With `--report` it also writes FILE, a JSON
object that the preview server reads (see `read_report`):

    {"addresses": {"content/articles/a.md": "/drafts/a/", ...},
     "problems": [{"source": ..., "line": ..., "field": ..., "message": ...,
                   "anchor": ...}, ...]}

`addresses` maps every article and page (published, draft, hidden) to its
address, on success; `problems` lists the content problems, when the build
stopped at them, each with the docs/writing.md heading id that explains it.

Faults it survives:
- Two builds of one output folder (`make html` twice, `make regenerate`
  beside `make html`) take turns: a lock on `.<output>-staging.lock` is held
  from the staging folder's creation to the swap; the second build says it
  waits, and gives up with a plain message after `LOCK_TIMEOUT` seconds.
  `make serve` builds `.preview/`, with its own lock, through its long-lived
  builder and the work folder `.preview-work/` (tools/preview_worker.py).
- The swap exchanges the staging folder and the output folder in one
  `renameat2(RENAME_EXCHANGE)` where the system has it, so the site is never
  without its folder; elsewhere, two renames, and the previous output is put
  back if the second fails. A swap that fails (read-only or full disk, a busy
  folder) is one plain line, and the last good output stays.
- A Pelican cache file that cannot be unpickled (truncated by a full disk) is
  deleted, said so in one line, and the child build runs again once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
import ctypes
from dataclasses import dataclass, field
import errno
import fcntl
import json
import logging
import os
from pathlib import Path
import shutil
import subprocess
import sys
import time
import traceback

from build_cache import NOTICES_LOGGER as CACHE_NOTICES_LOGGER
from build_cache.build_cache import UNREADABLE
from content_schema import NOTICES_LOGGER, ContentError, help_anchor
from invoke import Exit
from pelican import Pelican, signals
from pelican.log import init as init_logging
from pelican.settings import read_settings
from search import index_site
from search.settings import DEFAULTS as SEARCH_DEFAULTS

from tools.config import ROOT

# The child build's option that leaves the search index out (see build_site).
NO_SEARCH = "--no-search"
# The child build's option naming the JSON report it writes (see the docstring).
REPORT = "--report"
# Set in the environment of a child build started again after its damaged
# cache file was deleted: it is not started a third time.
CACHE_RETRY = "BLOG_BUILD_CACHE_RETRIED"
# What Pelican logs, as a warning, when a cache file is not a pickle.
UNPICKLE_WARNING = "Cannot unpickle cache"
# What unpickling a damaged file may raise: build_cache's list, which also
# holds OSError for files it cannot open (not a sign of damage here).
UNPICKLING_ERRORS = tuple(error for error in UNREADABLE if error is not OSError)
# How long a build waits for another build of the same folder, in seconds:
# longer than a full build of a large site.
LOCK_TIMEOUT = 600.0
# The item lists of Pelican's generators: every article and page, any status.
ITEM_LISTS = (
    "articles",
    "translations",
    "drafts",
    "drafts_translations",
    "hidden_articles",
    "hidden_translations",
    "pages",
    "hidden_pages",
    "draft_pages",
    "draft_translations",
)


def pelican_command(
    settings: Path, output: Path, search: bool = True, report: Path | None = None
) -> list[str]:
    """Return the command of one child build of `settings` into `output`.

    With `report`, the child writes its JSON report (addresses, problems) there.
    """
    # Absolute paths: the child runs from the top of the repository (`-m`).
    command = [
        sys.executable,
        "-m",
        "tools.build",
        str(Path(settings).resolve()),
        str(Path(output).resolve()),
    ]
    if not search:
        command.append(NO_SEARCH)
    if report is not None:
        command += [REPORT, str(Path(report).resolve())]
    return command


def run_pelican(settings_file: str, output: str, *options: str) -> int:
    """Build once in this process like `pelican --fatal warnings`; return the exit code.

    With the option NO_SEARCH the search index is left out (the development
    server indexes after the browser has reloaded). With `REPORT FILE` the
    build writes its JSON report to FILE (see the module's docstring),
    whether it succeeds or not.

    Content problems collected by our plugins (ContentError) are printed as a
    plain list, one `path:line: field: message` per line and no traceback,
    because writers, not programmers, read them.
    """
    init_logging(level=logging.WARNING, fatal="warnings")
    _print_notices()
    report = _option_value(options, REPORT)
    override = {"OUTPUT_PATH": output}
    if NO_SEARCH in options:
        override["SEARCH_INDEX"] = False
    try:
        code, addresses, problems = build_here(settings_file, override)
    except DamagedCache as damaged:
        return _build_again_without(damaged.path, settings_file, output, options)
    if report:
        _write_report(Path(report), addresses, problems)
    return code


def build_here(
    settings_file: str, override: dict, pelican_class: type = Pelican
) -> tuple[int, dict[str, str], list[dict]]:
    """Run one build in this process: (exit code, addresses, problem records).

    `override` replaces settings (OUTPUT_PATH at least); `pelican_class` runs
    it (the preview worker's renders only changed pages). Content problems and
    Pelican's fatal warnings are printed plainly and give exit code 1. Raises
    DamagedCache for a cache file that cannot be unpickled; any other error
    is the tools' own and propagates.
    """
    addresses: dict[str, str] = {}

    def record_addresses(generators) -> None:
        addresses.update(item_addresses(generators))

    # Connected for this build only: a test may run several in one process.
    signals.all_generators_finalized.connect(record_addresses)
    cache_log = logging.getLogger("pelican.cache")
    cache_log.addFilter(_refuse_unpickle_warning)
    try:
        settings = read_settings(settings_file, override=override)
        pelican_class(settings).run()
    except ContentError as error:
        sys.stderr.write(f"{error}\n")
        return 1, {}, [_problem_record(p) for p in error.problems]
    except RuntimeError as error:
        # Pelican's fatal logger raises this after printing the warning itself.
        if str(error) != "Warning or error encountered":
            raise
        sys.stderr.write("The build stopped at the warning above.\n")
        return 1, {}, []
    except UNPICKLING_ERRORS as error:
        damaged = _cache_file_of(error)
        if damaged is None:
            raise
        raise DamagedCache(damaged) from None
    finally:
        cache_log.removeFilter(_refuse_unpickle_warning)
        signals.all_generators_finalized.disconnect(record_addresses)
    return 0, addresses, []


class DamagedCache(Exception):
    """A cache file of Pelican's could not be unpickled; `path` names it."""

    def __init__(self, path: str) -> None:
        """Name the damaged file."""
        super().__init__(path)
        self.path = path


def _refuse_unpickle_warning(record: logging.LogRecord) -> bool:
    """Turn Pelican's "Cannot unpickle cache" warning into DamagedCache.

    A logger filter of `pelican.cache`: raised before the fatal logger sees
    the warning, so the writer reads our line instead of Pelican's.
    """
    if str(record.msg).startswith(UNPICKLE_WARNING):
        raise DamagedCache(str(record.args[0]))
    return True


def _cache_file_of(error: BaseException) -> str | None:
    """Return the cache file Pelican was loading when `error` was raised, or None."""
    for frame, _line in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename.endswith(os.path.join("pelican", "cache.py")):
            cacher = frame.f_locals.get("self")
            path = getattr(cacher, "_cache_path", None)
            if path:
                return str(path)
    return None


def _build_again_without(
    damaged: str, settings_file: str, output: str, options: tuple[str, ...]
) -> int:
    """Delete a damaged cache file and run this child build once more, afresh.

    A new process (exec), not a second run here: a run stopped midway leaves
    plugin state behind (pelican-sitemap's, the Typogrify memo).
    """
    shown = _shown(Path(damaged))
    if os.environ.get(CACHE_RETRY):
        sys.stderr.write(
            f"The build cache file {shown} is still unreadable after it was "
            "deleted: run `make clean`, then build again.\n"
        )
        return 1
    try:
        Path(damaged).unlink(missing_ok=True)
    except OSError as error:
        sys.stderr.write(
            f"The build cache file {shown} is damaged and could not be deleted "
            f"({error.strerror}): run `make clean`, then build again.\n"
        )
        return 1
    sys.stderr.write(
        f"The build cache file {shown} was damaged (a full disk or a stopped "
        "build can do that): deleted it, building again without it.\n"
    )
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(
        sys.executable,
        [sys.executable, "-m", "tools.build", settings_file, output, *options],
        {**os.environ, CACHE_RETRY: "1"},
    )
    return 1  # not reached: execve replaces this process


def _shown(path: Path) -> str:
    """Return `path` relative to the top of the repository when it is inside it."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT) if resolved.is_relative_to(ROOT) else path)


def _option_value(options: tuple[str, ...], name: str) -> str:
    """Return the value after option `name` in `options`, or "" without it."""
    if name not in options:
        return ""
    position = options.index(name) + 1
    if position >= len(options):
        raise SystemExit(f"{name} needs a file name")
    return options[position]


def item_addresses(generators) -> dict[str, str]:
    """Map every article's and page's source (relative to ROOT) to its address."""
    addresses = {}
    for generator in generators:
        for name in ITEM_LISTS:
            for item in getattr(generator, name, ()) or ():
                source = Path(item.source_path).resolve()
                shown = (
                    source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
                )
                addresses[shown.as_posix()] = "/" + item.url
    return addresses


def _problem_record(problem) -> dict:
    """Return one content problem as the report lists it, with its docs anchor."""
    return {
        "source": problem.source,
        "line": problem.line,
        "field": problem.field,
        "message": problem.message,
        "anchor": help_anchor(problem),
    }


def _write_report(path: Path, addresses: dict[str, str], problems: list[dict]) -> None:
    """Write the build's JSON report (see the module's docstring) to `path`."""
    path.write_text(
        json.dumps({"addresses": addresses, "problems": problems}, indent=1),
        encoding="utf-8",
    )


def _print_notices() -> None:
    """Print content_schema's notices (withheld, to fill in), as `make check` does.

    Also build_cache's (a damaged cache file, discarded). They are logged
    below WARNING so that `--fatal warnings` does not stop the build for
    them; this handler still shows them to the writer.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in (NOTICES_LOGGER, CACHE_NOTICES_LOGGER):
        notices = logging.getLogger(name)
        notices.handlers[:] = [handler]
        notices.setLevel(logging.INFO)
        notices.propagate = False


@dataclass(frozen=True)
class BuildProblem:
    """One content problem of a failed build, and the docs section explaining it.

    `anchor` is a heading id of docs/writing.md (content_schema.help_anchor).
    """

    source: str
    line: int | None
    field: str
    message: str
    anchor: str


@dataclass(frozen=True)
class BuildResult:
    """How a build went.

    `ok`; what it printed (`messages`, the problems when it failed);
    `addresses`, every article's and page's source mapped to its address
    (`/slug/`, `/drafts/slug/`), filled in when it succeeded; `problems`, its
    content problems when it stopped at them (empty for any other failure,
    such as a Pelican warning, which only `messages` describes).
    """

    ok: bool
    messages: str
    addresses: dict[str, str] = field(default_factory=dict)
    problems: tuple[BuildProblem, ...] = ()


def staging_folder(output: Path, role: str) -> Path:
    """Return the folder beside `output` for `role` ("staging", "previous").

    `output/` gives `.output-staging/`; a hidden `.preview/` gives
    `.preview-staging/`, never `..preview-staging/`.
    """
    return output.with_name(f".{output.name.lstrip('.')}-{role}")


def read_report(path: Path) -> tuple[dict[str, str], tuple[BuildProblem, ...]]:
    """Read a child build's JSON report: (addresses, problems); empty if absent.

    A build that stopped before writing one (a crash) reports nothing.
    """
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, ()
    problems = tuple(BuildProblem(**problem) for problem in report["problems"])
    return dict(report["addresses"]), problems


def lock_file(output: Path) -> Path:
    """Return the lock file of the builds of `output`: `.output-staging.lock`."""
    return output.with_name(f"{staging_folder(output, 'staging').name}.lock")


def leftovers(output: Path) -> list[Path]:
    """Return every file and folder a build of `output` makes, output included.

    What `make clean` removes: the output, its staging, previous and work folders,
    the report and the lock beside them, and the search index's renewal
    folders inside.
    """
    staging = staging_folder(output, "staging")
    index_dir = search_index_dir()
    return [
        output,
        staging,
        staging_folder(output, "previous"),
        # The preview worker's build folder (tools/preview_worker.py).
        staging_folder(output, "work"),
        output.with_name(f"{staging.name}.json"),
        lock_file(output),
        output / f"{index_dir}.new",
        output / f"{index_dir}.old",
    ]


def remove_leftovers(output: Path) -> bool:
    """Delete everything a build of `output` makes (`leftovers`); False if busy.

    A build running now is left alone: `make clean` says so instead of pulling
    the folders out from under it.
    """
    try:
        with one_build_at_a_time(output, timeout=0, notice=False):
            for path in leftovers(output):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
    except BuildBusy:
        return False
    return True


class BuildBusy(Exception):
    """Another build of the same folder kept it too long, or it cannot be locked."""


@contextmanager
def one_build_at_a_time(
    output: Path, timeout: float = LOCK_TIMEOUT, notice: bool = True
) -> Iterator[None]:
    """Hold the lock of `output`'s builds (see `lock_file`); wait for it if taken.

    Says once that it waits (unless not `notice`); raises BuildBusy after
    `timeout` seconds. The lock is an flock, so it is released whenever its
    holder ends, even killed. The holder deletes the lock file before
    releasing it, so nothing is left behind; a waiter that then gets the
    deleted file's lock opens the new one.
    """
    path = lock_file(output)
    deadline = time.monotonic() + timeout
    said = False
    while True:
        lock = _open_lock(path, output)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            if notice and not said:
                sys.stderr.write(
                    f"Waiting for the other build of {output.name}/ to finish "
                    "(make html, make publish or make regenerate in this copy)…\n"
                )
                sys.stderr.flush()
                said = True
            if time.monotonic() >= deadline:
                raise BuildBusy(
                    f"Another build of {output.name}/ has been running for over "
                    f"{timeout:.0f} seconds: wait for it, or stop it (Ctrl+C in "
                    "its terminal), then build again."
                ) from None
            time.sleep(0.2)
            continue
        if _still_there(path, lock):
            break
        lock.close()  # its holder deleted it meanwhile: lock the new one
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        lock.close()  # closing releases the flock


def _open_lock(path: Path, output: Path):
    """Open (creating it) the lock file, or raise BuildBusy saying why not."""
    try:
        return path.open("a")
    except OSError as error:
        raise BuildBusy(
            f"Cannot build {output.name}/: its lock file {path.name} cannot be "
            f"made ({error.strerror}); make the folder holding it writable, then "
            "build again."
        ) from None


def _still_there(path: Path, lock) -> bool:
    """Say whether `path` is still the file `lock` has open (not deleted)."""
    try:
        return os.stat(path).st_ino == os.fstat(lock.fileno()).st_ino
    except FileNotFoundError:
        return False


def build_site(
    settings: Path,
    output: Path,
    search_later: bool = False,
    lock_timeout: float = LOCK_TIMEOUT,
) -> BuildResult:
    """Build into a staging folder, then swap it into `output`.

    What the build prints is passed on to this process's output too. On
    failure `output` is left exactly as it was, and so it is when the swap
    itself fails: the result's message says why, in one line. With
    `search_later` the build skips the search index and carries the previous
    one over, for the caller to renew with `index_search` once the pages are
    live. A second build of the same `output` waits for the first (see
    `one_build_at_a_time`); after `lock_timeout` seconds it fails, saying so.
    """
    try:
        with one_build_at_a_time(output, lock_timeout):
            return _build_and_swap(settings, output, search_later)
    except BuildBusy as busy:
        sys.stderr.write(f"{busy}\n")
        return BuildResult(ok=False, messages=str(busy))


def _build_and_swap(settings: Path, output: Path, search_later: bool) -> BuildResult:
    """Build into the staging folder and swap it in; the caller holds the lock."""
    staging = staging_folder(output, "staging")
    # Beside the staging folder, not in it: it must never be published.
    report = output.with_name(f"{staging.name}.json")
    shutil.rmtree(staging, ignore_errors=True)
    report.unlink(missing_ok=True)
    try:
        result = subprocess.run(
            pelican_command(settings, staging, search=not search_later, report=report),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        addresses, problems = read_report(report)
    finally:
        report.unlink(missing_ok=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return BuildResult(
            ok=False,
            messages=(result.stderr or result.stdout).strip(),
            problems=problems,
        )
    try:
        index_dir = search_index_dir()
        if search_later and (output / index_dir).is_dir():
            shutil.copytree(output / index_dir, staging / index_dir, dirs_exist_ok=True)
        swap_in(staging, output)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        message = swap_failure(output, error)
        sys.stderr.write(f"{message}\n")
        return BuildResult(ok=False, messages=message)
    return BuildResult(ok=True, messages="", addresses=addresses)


def swap_in(staging: Path, output: Path) -> None:
    """Make `staging` the new `output`; the old one is deleted afterwards.

    One atomic exchange where the system has one (Linux's renameat2), so
    `output` never stops existing; else two renames, with the previous output
    put back if the second fails. Raises OSError, with `output` as it was.
    """
    if output.exists() and _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # now the previous output
        return
    previous = staging_folder(output, "previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        os.rename(output, previous)
    try:
        os.rename(staging, output)
    except OSError:
        if previous.exists() and not output.exists():
            os.rename(previous, output)
        raise
    shutil.rmtree(previous, ignore_errors=True)


# renameat2's flag: swap two paths in one step (Linux 3.15, glibc 2.28).
RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; return False where the system cannot.

    Raises OSError when it can but fails (a read-only folder, a busy one).
    """
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if (
        renameat2(
            AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE
        )
        == 0
    ):
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # the kernel or this file system cannot exchange
    raise OSError(code, os.strerror(code), str(second))


# What to do about a swap that failed, by its errno.
SWAP_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space",
    errno.EDQUOT: "the disk quota is used up: free some space",
    errno.EROFS: "the disk is read-only: build on a writable disk",
    errno.EACCES: "it or the folder holding it is not writable by you: "
    "give yourself write access",
    errno.EPERM: "it or the folder holding it may not be changed (read-only or "
    "locked): make it writable",
    errno.EBUSY: "it is in use (a mount point, or a program holding it open): "
    "close that program",
    errno.ENOTEMPTY: "a leftover folder is in the way: run `make clean`",
    errno.EEXIST: "a leftover folder is in the way: run `make clean`",
    errno.ENOTDIR: "a file stands where a folder should be: run `make clean`",
}


def swap_failure(output: Path, error: OSError) -> str:
    """Say in one line that `output` was not replaced, why, and what to do."""
    advice = SWAP_ADVICE.get(error.errno, "see the reason in brackets")
    return (
        f"The new site was built but could not replace {output.name}/ "
        f"({error.strerror or error}): {advice}, then build again. "
        f"{output.name}/ still holds the last good site."
    )


def build_or_exit(settings: Path, output: Path) -> None:
    """Build `settings` into `output`, or stop the task with what to do next."""
    if not build_site(settings, output).ok:
        raise Exit(
            "Build failed: nothing was published; the previous output/ is unchanged. "
            "Fix the problems listed above and run the command again.",
            code=1,
        )


def search_index_dir() -> str:
    """Return the folder plugins/search writes its index into."""
    return SEARCH_DEFAULTS["SEARCH_INDEX_DIR"]


def index_search(output: Path, settings_file: Path) -> None:
    """Renew the search index of a site built with `settings_file`, in place.

    See build_site; the index is in the settings' DEFAULT_LANG (index_site).

    Holds the builds' lock: two Pagefinds never write one `pagefind.new/`.
    """
    try:
        with one_build_at_a_time(output):
            problem = renew_search_index(output, settings_file)
    except BuildBusy as busy:
        problem = str(busy)
    if problem:
        sys.stderr.write(f"Search index not renewed: {problem}\n")


def renew_search_index(
    output: Path, settings_file: Path, low_priority: bool = False
) -> str:
    """Index `output` with its settings' language and part size; return "" or why not.

    Takes no lock: the caller makes sure one Pagefind at a time writes here.
    """
    settings = {**SEARCH_DEFAULTS, **read_settings(str(settings_file))}
    return index_site(
        output,
        search_index_dir(),
        settings["DEFAULT_LANG"],
        settings["SEARCH_PAGES_PER_INDEX"],
        low_priority=low_priority,
    )


# Where a build that failed on the tools' own error leaves the details, for
# the maintainer the writer reports it to.
FAILURE_LOG = ROOT / ".build-failure.log"


def build_or_report(*arguments: str) -> int:
    """Run `run_pelican(*arguments)`; turn an unexpected error into one plain line.

    A build that fails on an error in the tools (a plugin bug, input nobody
    foresaw) says so in a sentence and exits 1; the traceback goes to
    FAILURE_LOG, not to the writer.
    """
    try:
        return run_pelican(*arguments)
    except (Exception, RecursionError) as error:  # noqa: BLE001 - reported plainly
        report_tool_failure(error)
        return 1


def report_tool_failure(error: BaseException) -> None:
    """Say in plain words that the tools failed, and where; log the traceback.

    Called while `error` is being handled: the traceback goes to FAILURE_LOG,
    a sentence naming the last place in the site's own files to stderr.
    """
    FAILURE_LOG.write_text(traceback.format_exc(), encoding="utf-8")
    place = _innermost_place(error)
    where = f"The build stopped at {place}: " if place else "The build stopped: "
    sys.stderr.write(
        f"{where}{type(error).__name__}: {error}\n"
        "Nothing was published; the last good site is unchanged. If the file "
        "named is not yours to fix, report it to a maintainer with "
        f"{FAILURE_LOG.name}, which holds the full report.\n"
    )


def _innermost_place(error: BaseException) -> str:
    """Name the last place in the site's own files the error passed, or ""."""
    frames = traceback.extract_tb(error.__traceback__)
    venv = Path(sys.prefix).resolve()
    for frame in reversed(frames):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(ROOT) and not path.is_relative_to(venv):
            return f"{path.relative_to(ROOT).as_posix()}, line {frame.lineno}"
    return ""


if __name__ == "__main__":
    sys.exit(build_or_report(*sys.argv[1:]))
