"""`make review FILE=… REVIEWER=…`: record that a reviewer read this text.

`record_review` writes three front matter lines into the article, replacing
any it already has: `Reviewed_by` (the reviewer's id in content/reviewers.yaml),
`Last_reviewed` (the date) and `Reviewed_text` (the fingerprint of the title,
summary and text, content_schema/review.py). Every other line of the file is
left exactly as it was. A file that is not a valid article, or a reviewer the
reviewers file does not list, stops with what to do instead; nothing is
written then.
"""

from __future__ import annotations

from collections.abc import Mapping
import datetime as dt
import os
from pathlib import Path
import tempfile

from content_schema.front_matter import FENCE, FENCE_END, KEY_LINE, split_markdown
from content_schema.paths import display_path
from content_schema.problems import Reporter
from content_schema.review import fingerprint_of
from content_schema.schema import ArticleMeta, load_reviewers_file, parse_front_matter
from invoke import Exit
from pelican.settings import read_settings

from tools.config import CONFIG, ROOT

USAGE = (
    "make review FILE=content/articles/<slug>.md REVIEWER=<id from "
    "content/reviewers.yaml>"
)
# The review's lines, in the order a new review adds them.
REVIEW_KEYS = ("Reviewed_by", "Last_reviewed", "Reviewed_text")


def record_review(
    file: str,
    reviewer: str,
    date: str = "",
    *,
    content: Path | None = None,
    settings: Mapping | None = None,
    today: dt.date | None = None,
) -> str:
    """Stamp the review into `file`; return what was recorded, in plain words.

    `date` (YYYY-MM-DD) is the day of the review, today when empty; it may
    not be in the future. `content` and `settings` default to the site's.
    """
    content = (content or CONFIG["content"]).resolve()
    settings = settings or read_settings(str(CONFIG["dev_settings"]))
    today = today or dt.date.today()
    path = _article_path(file, content)
    source = display_path(content, path)
    reviewed_on = _review_date(date, today)
    who = _reviewer(reviewer, content, settings["CONTENT_REVIEWERS_FILE"])
    meta, markdown, problems = parse_front_matter(path, source, ArticleMeta)
    if meta is None:
        raise Exit(
            "\n".join(str(p) for p in problems)
            + f"\nFix these first: a review records a valid article ({source}).",
            code=1,
        )
    values = {
        "Reviewed_by": reviewer,
        "Last_reviewed": reviewed_on.isoformat(),
        "Reviewed_text": fingerprint_of(meta, markdown),
    }
    text = path.read_text(encoding="utf-8")
    _write(path, stamped(text, values))
    return (
        f"Recorded in {source}: medically reviewed by {who} on "
        f"{values['Last_reviewed']}, text {values['Reviewed_text']}. If the title, "
        "summary or text changes, the page says it was updated since this review "
        "until the next `make review`."
    )


def stamped(text: str, values: Mapping[str, str]) -> str:
    """Return `text` with each front matter key of `values` set to its value.

    The header is found as the build reads it (front_matter.split_markdown).
    A key already in it (in any letter case) keeps its line and spelling; a
    new one goes at the end of the header, before a closing fence.
    """
    source = split_markdown(text, Reporter(""))
    lines = text.split("\n")
    end = len(source.header)
    if end > 1 and FENCE.match(lines[0]) and FENCE_END.match(lines[end - 1]):
        end -= 1
    added = []
    for key, value in values.items():
        number = source.metadata.key_lines.get(key.lower())
        if number is None:
            added.append(f"{key}: {value}")
        else:
            lines[number - 1] = f"{KEY_LINE.match(lines[number - 1])['key']}: {value}"
    lines[end:end] = added
    return "\n".join(lines)


def _article_path(file: str, content: Path) -> Path:
    if not file.strip():
        raise Exit(f"Name the article: {USAGE}", code=1)
    given = Path(file)
    candidates = [given] if given.is_absolute() else [ROOT / given, content / given]
    for candidate in candidates:
        path = candidate.resolve()
        if path.is_file():
            articles = content / "articles"
            if path.suffix != ".md" or not path.is_relative_to(articles):
                raise Exit(
                    f"{file} is not an article: a review is recorded in a Markdown "
                    f"file under {display_path(content, articles)}/; {USAGE}",
                    code=1,
                )
            return path
    raise Exit(f"There is no file {file}; {USAGE}", code=1)


def _review_date(date: str, today: dt.date) -> dt.date:
    if not date:
        return today
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Exit(
            f"DATE={date} is not a date; write the day of the review as "
            "YYYY-MM-DD, or leave DATE out for today",
            code=1,
        ) from None
    if day > today:
        raise Exit(
            f"DATE={date} is in the future; give the day the review took place",
            code=1,
        )
    return day


def _reviewer(reviewer: str, content: Path, name: str) -> str:
    reviewers_file = content / name
    shown = display_path(content, reviewers_file)
    reviewers, problems = load_reviewers_file(reviewers_file, shown)
    if problems:
        raise Exit("\n".join(str(p) for p in problems), code=1)
    if reviewer in reviewers:
        found = reviewers[reviewer]
        return f"{found.name}, {found.credentials}"
    known = ", ".join(sorted(reviewers))
    listed = (
        f"the reviewers listed are: {known}"
        if known
        else "it lists no reviewer yet: the clinic adds each of its medical "
        "reviewers there first"
    )
    raise Exit(
        f"REVIEWER={reviewer or '(empty)'} is not in {shown}; {listed}. {USAGE}",
        code=1,
    )


def _write(path: Path, text: str) -> None:
    """Replace `path` in one step, so an interrupted run leaves it whole."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
