"""The pull-request comment that goes with a preview: its address and what changed.

Contract: `preview_report(changes, result, preview_url)` returns Markdown for
a reviewer: the preview's address, the pages the pull request adds, edits or
removes (with their preview links), the testimonials it touches and where
they show, then what `make check --publish` found: the problems that block
publishing, the placeholders still to fill in, the testimonials the site
leaves out (with why), and the advisory editorial report, each one line
`file:line: field: message`. `changed_files(repository,
base)` lists the pull request's changes from git. The first line is a marker
the workflow uses to update its one comment rather than add another.

Every file name, title, id and message comes from the pull request: each
reaches the comment through markdown_code or markdown_text (one line, no
markup, no @mention or issue reference), and each address percent-encoded.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from pathlib import Path
import subprocess
from urllib.parse import quote

from deploy.errors import DeployError
from tools.check_report import (
    findings_sections,
    markdown_code,
    markdown_section,
    markdown_text,
)

MARKER = "<!-- clinic-blog-preview -->"
CONTENT = "content/"
TESTIMONIALS = "content/testimonials/"
SITE_WIDE = ("theme/", "plugins/", "pelicanconf.py", "publishconf.py")
VERBS = {"A": "new", "M": "edited", "R": "renamed", "C": "copied", "T": "edited"}


@dataclass(frozen=True)
class Change:
    """One changed file: git's status letter (A, M, D, R…) and its path."""

    status: str
    path: str
    old_path: str = ""


def changed_files(repository: Path, base: str) -> list[Change]:
    """List what HEAD changes since it left `base` (git diff base...HEAD).

    Paths are as git stores them: no quoting, whatever characters they hold.
    """
    result = subprocess.run(
        ["git", "diff", "--name-status", "--find-renames", "-z", f"{base}...HEAD"],
        cwd=repository,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        error = result.stderr.decode(errors="replace").strip()
        raise DeployError(f"git diff {base}...HEAD failed: {error}")
    # -z: `status NUL path NUL`, or `R100 NUL old NUL new NUL` for a rename,
    # so a name with a tab, a newline or a quote arrives whole; bytes, since
    # text mode would turn a carriage return in a name into a newline.
    fields = result.stdout.decode("utf-8", errors="replace").split("\0")
    changes = []
    while len(fields) > 1:
        status = fields.pop(0)
        if status[0] in "RC":
            old, new = fields.pop(0), fields.pop(0)
            changes.append(Change(status[0], new, old))
        else:
            changes.append(Change(status[0], fields.pop(0)))
    return changes


def _link(item, preview_url: str) -> str:
    # Percent-encoded: a parenthesis or a space in a slug would end the link.
    address = quote(item.url, safe="/#?&=%~-._")
    return f"[{markdown_text(item.title)}]({preview_url}/{address})"


def _page_lines(changes: list[Change], result, preview_url: str, today) -> list[str]:
    items = {item.source: item for item in result.items}
    lines = []
    for change in changes:
        if not change.path.startswith(CONTENT) or change.path.startswith(TESTIMONIALS):
            continue
        item = items.get(change.path)
        path = markdown_code(change.path)
        if change.status == "D":
            lines.append(f"- {path}: removed; its address will say not found")
        elif item is None:
            lines.append(f"- {path}: {VERBS.get(change.status, 'changed')}")
        elif item.status == "draft":
            lines.append(f"- {path}: a draft, not in the published site")
        elif item.date is not None and _as_date(item.date) > today:
            lines.append(
                f"- {_link(item, preview_url)}: scheduled for "
                f"{_as_date(item.date).isoformat()}, so not in this preview yet"
            )
        else:
            verb = VERBS.get(change.status, "changed")
            hidden = " (hidden: left out of lists)" if item.status == "hidden" else ""
            lines.append(f"- {_link(item, preview_url)}: {verb}{hidden}")
    return lines


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _testimonial_lines(changes: list[Change], result, preview_url: str) -> list[str]:
    by_source = {t.source: t for t in result.testimonials}
    withheld = {finding.source: finding.message for finding in result.withheld}
    lines = []
    for change in changes:
        if not change.path.startswith(TESTIMONIALS) or not change.path.endswith(
            (".yaml", ".yml")
        ):
            continue
        testimonial = by_source.get(change.path)
        if change.status == "D" or testimonial is None:
            lines.append(f"- {markdown_code(change.path)}: removed")
            continue
        named = (
            f"{markdown_code(testimonial.id)} ({markdown_code(change.path)}, "
            f"consent {markdown_text(testimonial.consent.status)})"
        )
        verb = VERBS.get(change.status, "changed")
        if change.path in withheld:
            lines.append(
                f"- {named}: {verb}; "
                f"**left out of the site**: {markdown_text(withheld[change.path])}"
            )
            continue
        shown_on = [
            _link(item, preview_url)
            for item in result.items
            if testimonial.id in item.testimonials
        ]
        places = ", ".join([*shown_on, f"[Testimonials]({preview_url}/testimonials/)"])
        lines.append(f"- {named}: {verb}; shown on {places}")
    return lines


def preview_report(
    changes: list[Change],
    result,
    preview_url: str,
    today: dt.date | None = None,
) -> str:
    """Return the Markdown comment for a preview at `preview_url` (no trailing /).

    `result` is content_schema's CheckResult for the pull request's content.
    """
    today = today or dt.date.today()
    preview_url = preview_url.rstrip("/")
    site_wide = sorted(
        {c.path.split("/", 1)[0] for c in changes if c.path.startswith(SITE_WIDE)}
    )
    pages = _page_lines(changes, result, preview_url, today)
    if site_wide:
        pages.append(
            f"- The {', '.join(site_wide)} changed too: every page may look "
            "different, so look at a few."
        )

    lines = [
        MARKER,
        "### Preview",
        "",
        (
            f"**{preview_url}/**: built with the publish settings, so it is what "
            "the site will show once this is merged. Search engines are asked "
            "not to index it."
        ),
        "",
        *markdown_section("Pages changed", pages, "No article or page changed."),
        *markdown_section(
            "Testimonials touched",
            _testimonial_lines(changes, result, preview_url),
            "None.",
        ),
    ]
    lines += findings_sections(result)
    return "\n".join(lines).rstrip() + "\n"
