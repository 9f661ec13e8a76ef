"""A seeded generator of realistic content that passes the content schema.

`write_corpus(folder, articles=N)` writes `folder/content/` with N articles
(headings, lists, quotes, links between articles, tags, categories, some with
testimonials), a few pages, testimonials with recorded consent, and the
taxonomy. The same seed always writes the same files. `edit_article` and
`edit_testimonial` change one file of it as a writer would save it, leaving a
marker that the rebuilt pages must show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
import random
import re

from tools import scaffold

# Plain words, so summaries and titles pass the schema's length rules.
WORDS_TEXT = """
    patient clinic treatment therapy session recovery symptom memory sleep anxiety
    mood trauma support care plan doctor nurse infusion dose research study evidence
    question answer family friend week month year hope calm change progress routine
    appointment integration intention safety comfort
"""
WORDS = tuple(WORDS_TEXT.split())
CATEGORIES = ("Mental health", "Research", "Patient stories", "Treatment")
TAGS = (
    "PTSD",
    "depression",
    "anxiety",
    "ketamine therapy",
    "integration",
    "sleep",
    "trauma",
    "research",
    "family",
    "first visit",
)
AUTHORS = ("Editorial team", "Clinical staff")
TESTIMONIALS = 20
# Article dates cycle through this many days from 2020-01-01.
DAYS = 2000


def article_slug(number: int) -> str:
    """Return the slug (and file stem) of article `number`."""
    return f"generated-{number}"


def newest_article(articles: int) -> int:
    """Return the number of the most recent article of a corpus of `articles`."""
    return min(articles, DAYS) - 1


def testimonial_id(number: int) -> str:
    """Return the id (and file stem) of testimonial `number`."""
    return f"patient-{number}"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(
        _sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(3, 6))
    )


def _article(rng: random.Random, number: int, total: int) -> str:
    date = dt.date(2020, 1, 1) + dt.timedelta(days=number % DAYS)
    tags = ", ".join(sorted(rng.sample(TAGS, rng.randint(1, 3))))
    lines = [
        f"Title: Generated article {number}: {_sentence(rng, 4)[:-1]}",
        f"Date: {date.isoformat()}",
        f"Summary: {_sentence(rng, 12)[:150]}",
        f"Author: {rng.choice(AUTHORS)}",
        f"Category: {rng.choice(CATEGORIES)}",
        f"Tags: {tags}",
        f"Slug: {article_slug(number)}",
    ]
    with_testimonials = number % 5 == 0
    if with_testimonials:
        ids = sorted(rng.sample(range(TESTIMONIALS), 2))
        lines.append("Testimonials: " + ", ".join(testimonial_id(i) for i in ids))
    body = [_paragraph(rng)]
    for section in range(rng.randint(3, 6)):
        body.append(f"## Section {section + 1}: {_sentence(rng, 3)[:-1]}")
        body.append(_paragraph(rng))
        if section == 1:
            body.append("\n".join(f"- {_sentence(rng, 6)}" for _ in range(4)))
        if section == 2:
            body.append("> " + _sentence(rng, 14))
            other = rng.randrange(total)
            body.append(
                f"See also [article {other}]({{filename}}{article_slug(other)}.md)."
            )
        if section == 2 and with_testimonials:
            body.append("[testimonials]")
        body.append(_paragraph(rng))
    return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"


def _testimonial(number: int) -> str:
    """Return a testimonial as `make new-testimonial` writes it, filled in."""
    return scaffold.testimonial(
        testimonial_id(number),
        {
            "name": f"Patient {number}",
            "place": "Generated Town, CA",
            "condition": "PTSD",
            "quote": f"Generated words of patient {number}, for benchmarks only.",
            "consent.status": "obtained",
            "consent.record": f"BENCH-{number:04d}",
            "consent.date": "2024-01-01",
            "consent.scope": "[website]",
        },
    )


def write_corpus(folder: Path, articles: int, seed: int = 20261129) -> Path:
    """Write a content folder with `articles` articles under `folder`; return it."""
    rng = random.Random(seed)
    content = folder / "content"
    for sub in ("articles", "pages", "testimonials", "images", "extra"):
        (content / sub).mkdir(parents=True, exist_ok=True)
    for number in range(articles):
        text = _article(rng, number, articles)
        (content / "articles" / f"{article_slug(number)}.md").write_text(text)
    for number in range(3):
        (content / "pages" / f"page-{number}.md").write_text(
            f"Title: Generated page {number}\n"
            f"Summary: {_sentence(rng, 12)[:150]}\n\n{_paragraph(rng)}\n"
        )
    for number in range(TESTIMONIALS):
        (content / "testimonials" / f"{testimonial_id(number)}.yaml").write_text(
            _testimonial(number)
        )
    (content / "taxonomy.yaml").write_text(
        "categories:\n"
        + "".join(f"  - {c}\n" for c in CATEGORIES)
        + "tags:\n"
        + "".join(f"  - {t}\n" for t in TAGS)
        + "authors:\n"
        + "".join(f"  - {a}\n" for a in AUTHORS)
    )
    return content


def edit_article(path: Path, marker: str) -> None:
    """Append a paragraph holding `marker` to a Markdown article."""
    # One append, so a watcher never sees a half-written file. The marker is
    # not last: Typogrify joins a paragraph's last two words with &nbsp;.
    with path.open("a", encoding="utf-8") as article:
        article.write(f"\nAn added paragraph, {marker}, saved by the benchmark.\n")


def edit_testimonial(path: Path, marker: str) -> None:
    """Give a testimonial YAML file a new one-line quote holding `marker`.

    Raises ValueError, leaving the file as it was, when it has no one-line quote.
    """
    text = path.read_text(encoding="utf-8")
    edited, count = re.subn(
        r"^quote:[ \t]*(?![>|\s]).+$",  # a one-line quote, not a block scalar
        f"quote: New words {marker} of this patient, for benchmarks only.",
        text,
        count=1,
        flags=re.MULTILINE,
    )
    if not count:
        raise ValueError(f"{path}: no one-line quote to edit")
    path.write_text(edited, encoding="utf-8")
