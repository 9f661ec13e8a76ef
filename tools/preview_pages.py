"""The preview's own pages: the build-failed page and the writers' guide.

`error_page` renders what a writer sees while the preview cannot be rebuilt:
one list item per problem, file names that wrap at slashes, each problem
linked to the guide's section on it. `guide_page` renders docs/writing.md,
which the dev server serves at GUIDE. Both use the theme's own stylesheet,
served by the dev server at STYLESHEETS, so they read like the site even
before any build has succeeded. Nothing they show names a place on the
machine: `local_names` turns the absolute paths of the repository, the
virtualenv, Python's standard library and the home folder into relative
names, and a Python traceback is cut down to where and why the build
stopped (`failure_lines`).
"""

from __future__ import annotations

from collections.abc import Iterable
import os
from pathlib import Path
import re
import sys
import sysconfig

from jinja2 import Environment, FileSystemLoader
import markdown
from markupsafe import Markup, escape
from sanitize.prose import shape_prose

from tools.build import BuildProblem
from tools.config import ROOT

# The dev server's own pages live under this path, never a site address: the
# theme's stylesheets and the writers' guide, which the error page needs even
# when no build ever succeeded.
OWN_PAGES = "/_preview/"
STYLESHEETS = OWN_PAGES + "css/"
GUIDE = OWN_PAGES + "writing/"


def wrap_at_slashes(path: str) -> Markup:
    """Escape `path` and let it wrap after each slash (`<wbr>`), for narrow screens."""
    return Markup("/<wbr>").join(escape(part) for part in str(path).split("/"))


# Autoescaped: build messages quote writers' text.
PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True
)
PAGES.filters["wrap_at_slashes"] = wrap_at_slashes


TRACEBACK = "Traceback (most recent call last):"
# A traceback's frame: `  File "/abs/path.py", line 12, in name`.
FRAME = re.compile(r'^\s+File "(?P<file>[^"]+)", line (?P<line>\d+)')
# Where a writer or a theme developer can act: the frame to name.
EDITABLE = ("content/", "theme/", "plugins/", "pelicanconf.py", "publishconf.py")


def _machine_places() -> list[tuple[str, str]]:
    """Return (absolute path, its relative name) pairs, the longest path first.

    Both the path as Python knows it and with symlinks resolved: a
    virtualenv linked in from elsewhere shows up under either.
    """
    named = (
        (Path.home(), "~"),
        # Python's own modules, not all of its prefix: that is often /usr.
        (Path(sysconfig.get_path("stdlib")), "<python>"),
        (Path(sys.prefix), ".venv"),
        (ROOT, ""),  # last: when the repository is the home folder, it wins
    )
    places: dict[str, str] = {}
    for path, name in named:
        for form in (str(path), os.path.realpath(path)):
            # "/" or a relative "~" (no home known) would match everything.
            if os.path.isabs(form) and form.rstrip("/"):
                places[form.rstrip("/")] = name
    return sorted(places.items(), key=lambda place: -len(place[0]))


def local_names(text: str) -> str:
    """Return `text` with the machine's absolute paths as relative names.

    The repository's files become repository paths (`theme/templates/x.html`),
    the virtualenv `.venv/…`, Python's standard library `<python>/…`, the
    home folder `~/…`. A longer path that merely starts with the same letters
    (`/home/writer/blog-old` beside `/home/writer/blog`) is not taken for it.
    """
    for place, name in _machine_places():

        def named(match: re.Match, name: str = name) -> str:
            if match["slash"]:
                return f"{name}/" if name else ""
            return name or "."

        text = re.sub(re.escape(place) + r"(?:(?P<slash>/)|(?![\w.-]))", named, text)
    return text


def failure_lines(errors: str) -> list[str]:
    """Return the lines of a failed build's text to show a writer, paths local.

    A Python traceback becomes one line: the innermost place in the site's
    own files (content, theme, plugins, settings), if any, and the error's
    message, then where the full report is; the lines before it stay.
    """
    lines = local_names(errors).splitlines()
    if TRACEBACK not in lines:
        return lines
    start = lines.index(TRACEBACK)
    after = lines[start + 1 :]
    # The error itself: the last line that is neither a frame nor its source.
    message = next(
        (line for line in reversed(after) if line.strip() and not line[0].isspace()),
        "",
    )
    message = re.sub(r"^[\w.]*\.(?=\w+(Error|Exception|Exit)\b)", "", message)
    frames = [FRAME.match(line) for line in after]
    places = [
        f"{frame['file']}, line {frame['line']}"
        for frame in frames
        if frame and frame["file"].startswith(EDITABLE)
    ]
    stopped = (
        f"The build stopped at {places[-1]}: " if places else "The build stopped: "
    )
    return [
        *lines[:start],
        stopped + (message or "an unexpected error."),
        "The terminal where `make serve` runs shows the full report.",
    ]


def render_guide(guide: Path) -> tuple[Markup, dict[str, str]]:
    """Render the writers' guide: (its HTML, {heading id: heading text}).

    The ids are python-markdown's `toc` slugs of the headings, the ids that
    content_schema.help_anchor names. A missing guide renders as a short note.
    """
    try:
        text = guide.read_text(encoding="utf-8")
    except OSError:
        return Markup("<p>The writers' guide, docs/writing.md, is missing.</p>"), {}
    converter = markdown.Markdown(extensions=["toc", "tables", "fenced_code"])
    # The project's own docs, not writers' text; shaped like an article's, so
    # that its code blocks and tables scroll where a keyboard can reach them.
    body = Markup(shape_prose(converter.convert(text), lambda n: f"Table {n}"))
    sections = {}
    pending = list(converter.toc_tokens)
    while pending:
        token = pending.pop(0)
        sections[token["id"]] = Markup(token["name"]).striptags()
        pending[:0] = token["children"]
    return body, sections


def guide_sections(guide: Path) -> dict[str, str]:
    """Return the guide's {heading id: heading text} (see render_guide)."""
    return render_guide(guide)[1]


def guide_page(guide: Path) -> bytes:
    """Render the page at GUIDE: docs/writing.md as HTML, in the site's style."""
    body, _sections = render_guide(guide)
    return (
        PAGES.get_template("writing_guide.html")
        .render(body=body, stylesheet=STYLESHEETS + "site.css")
        .encode()
    )


def error_page(
    errors: str,
    problems: Iterable[BuildProblem] = (),
    sections: dict[str, str] | None = None,
) -> bytes:
    """Render the page a writer sees while the preview cannot be rebuilt.

    One list item per content problem, each linking to the guide's section on
    it (`sections`: the guide's heading ids; a problem whose anchor the guide
    does not have yet links to the guide's top); without content problems
    (a Pelican warning, a broken template) the build's own text, `errors`
    (as failure_lines shows it). No absolute path of the machine is shown.
    """
    sections = sections or {}
    shown = [
        {
            "source": local_names(problem.source),
            "line": problem.line,
            "field": local_names(problem.field),
            "message": local_names(problem.message),
            "help": GUIDE
            + (f"#{problem.anchor}" if problem.anchor in sections else ""),
            "section": sections.get(problem.anchor, ""),
        }
        for problem in problems
    ]
    return (
        PAGES.get_template("build_failed.html")
        .render(
            errors=failure_lines(errors),
            problems=shown,
            guide=GUIDE,
            stylesheet=STYLESHEETS + "site.css",
        )
        .encode()
    )
