"""One build of the site: a child process, a staging folder, then the swap.

Every build runs Pelican with fatal warnings in a child process (edited plugin
code is loaded afresh each time) into a staging folder, and only then replaces
the output folder: a failed build leaves the last good site in place, so the
preview keeps working while a writer fixes an error.

`python -m tools.build SETTINGS OUTPUT [--no-search]`, run from the top of
the repository, is that child: one build, with content problems printed as a
plain list.
"""

from __future__ import annotations

from dataclasses import dataclass
import logging
from pathlib import Path
import shutil
import subprocess
import sys

from content_schema import NOTICES_LOGGER, ContentError
from invoke import Exit
from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings
from search import index_site
from search.settings import DEFAULTS as SEARCH_DEFAULTS

from tools.config import ROOT

# The child build's option that leaves the search index out (see build_site).
NO_SEARCH = "--no-search"


def pelican_command(settings: Path, output: Path, search: bool = True) -> list[str]:
    """Return the command of one child build of `settings` into `output`."""
    # Absolute paths: the child runs from the top of the repository (`-m`).
    command = [
        sys.executable,
        "-m",
        "tools.build",
        str(Path(settings).resolve()),
        str(Path(output).resolve()),
    ]
    return command if search else [*command, NO_SEARCH]


def run_pelican(settings_file: str, output: str, *options: str) -> int:
    """Build once in this process like `pelican --fatal warnings`; return the exit code.

    With the option NO_SEARCH the search index is left out (the development
    server indexes after the browser has reloaded).

    Content problems collected by our plugins (ContentError) are printed as a
    plain list, one `path:line: field: message` per line and no traceback,
    because writers, not programmers, read them.
    """
    init_logging(level=logging.WARNING, fatal="warnings")
    _print_content_notices()
    override = {"OUTPUT_PATH": output}
    if NO_SEARCH in options:
        override["SEARCH_INDEX"] = False
    try:
        settings = read_settings(settings_file, override=override)
        Pelican(settings).run()
    except ContentError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    except RuntimeError as error:
        # Pelican's fatal logger raises this after printing the warning itself.
        if str(error) != "Warning or error encountered":
            raise
        sys.stderr.write("The build stopped at the warning above.\n")
        return 1
    return 0


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
class BuildResult:
    """How a build went: `ok`, and what it printed (the problems, when it failed)."""

    ok: bool
    messages: str


def build_site(settings: Path, output: Path, search_later: bool = False) -> BuildResult:
    """Build into a staging folder, then swap it into `output`.

    What the build prints is passed on to this process's output too. On
    failure `output` is left exactly as it was. With `search_later` the build
    skips the search index and carries the previous one over, for the caller
    to renew with `index_search` once the pages are live.
    """
    staging = output.with_name(f".{output.name}-staging")
    shutil.rmtree(staging, ignore_errors=True)
    result = subprocess.run(
        pelican_command(settings, staging, search=not search_later),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return BuildResult(ok=False, messages=(result.stderr or result.stdout).strip())
    index_dir = search_index_dir()
    if search_later and (output / index_dir).is_dir():
        shutil.copytree(output / index_dir, staging / index_dir, dirs_exist_ok=True)
    previous = output.with_name(f".{output.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    shutil.rmtree(previous, ignore_errors=True)
    return BuildResult(ok=True, messages="")


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
