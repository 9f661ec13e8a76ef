"""The preview's own pages: the build-failed page and the writers' guide.

`error_page` renders what a writer sees while the preview cannot be rebuilt:
one list item per problem, file names that wrap at slashes, each problem
linked to the guide's section on it. `guide_page` renders docs/writing.md,
which the dev server serves at GUIDE. Both use the theme's own stylesheet,
served by the dev server at STYLESHEETS, so they read like the site even
before any build has succeeded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
import markdown
from markupsafe import Markup, escape

from tools.build import BuildProblem

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


# Autoescaped: build messages quote writers' text.
PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True
)
PAGES.filters["wrap_at_slashes"] = wrap_at_slashes


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
    body = Markup(converter.convert(text))  # the project's own docs, not writers' text
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
    (a Pelican warning, a broken template) the build's own text, `errors`.
    """
    sections = sections or {}
    shown = [
        {
            "source": problem.source,
            "line": problem.line,
            "field": problem.field,
            "message": problem.message,
            "help": GUIDE
            + (f"#{problem.anchor}" if problem.anchor in sections else ""),
            "section": sections.get(problem.anchor, ""),
        }
        for problem in problems
    ]
    return (
        PAGES.get_template("build_failed.html")
        .render(
            errors=errors,
            problems=shown,
            guide=GUIDE,
            stylesheet=STYLESHEETS + "site.css",
        )
        .encode()
    )
