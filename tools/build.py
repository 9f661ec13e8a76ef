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
"""

from __future__ import annotations

from dataclasses import dataclass, field
import json
import logging
from pathlib import Path
import shutil
import subprocess
import sys

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
    _print_content_notices()
    report = _option_value(options, REPORT)
    override = {"OUTPUT_PATH": output}
    if NO_SEARCH in options:
        override["SEARCH_INDEX"] = False
    addresses: dict[str, str] = {}

    def record_addresses(generators) -> None:
        addresses.update(item_addresses(generators))

    # Connected for this build only: a test may run several in one process.
    signals.all_generators_finalized.connect(record_addresses)
    try:
        settings = read_settings(settings_file, override=override)
        Pelican(settings).run()
    except ContentError as error:
        sys.stderr.write(f"{error}\n")
        if report:
            _write_report(
                Path(report), {}, [_problem_record(p) for p in error.problems]
            )
        return 1
    except RuntimeError as error:
        # Pelican's fatal logger raises this after printing the warning itself.
        if str(error) != "Warning or error encountered":
            raise
        sys.stderr.write("The build stopped at the warning above.\n")
        if report:
            _write_report(Path(report), {}, [])
        return 1
    finally:
        signals.all_generators_finalized.disconnect(record_addresses)
    if report:
        _write_report(Path(report), addresses, [])
    return 0


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


def _print_content_notices() -> None:
    """Print content_schema's notices (withheld, to fill in), as `make check` does.

    They are logged below WARNING so that `--fatal warnings` does not stop the
    build for them; this handler still shows them to the writer.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    notices = logging.getLogger(NOTICES_LOGGER)
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


def build_site(settings: Path, output: Path, search_later: bool = False) -> BuildResult:
    """Build into a staging folder, then swap it into `output`.

    What the build prints is passed on to this process's output too. On
    failure `output` is left exactly as it was. With `search_later` the build
    skips the search index and carries the previous one over, for the caller
    to renew with `index_search` once the pages are live.
    """
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
    index_dir = search_index_dir()
    if search_later and (output / index_dir).is_dir():
        shutil.copytree(output / index_dir, staging / index_dir, dirs_exist_ok=True)
    previous = staging_folder(output, "previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    shutil.rmtree(previous, ignore_errors=True)
    return BuildResult(ok=True, messages="", addresses=addresses)


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


def index_search(output: Path) -> None:
    """Renew the search index of a built site in place (see build_site)."""
    problem = index_site(output, search_index_dir())
    if problem:
        sys.stderr.write(f"Search index not renewed: {problem}\n")


if __name__ == "__main__":
    sys.exit(run_pelican(*sys.argv[1:]))
