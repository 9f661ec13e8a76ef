"""Reading level of an article's text: its grade, and its hardest sentences.

`measure(source, markdown, lang, target)` strips the Markdown from an
article's body (headings, code, HTML, images, link addresses, citations
`[@key]`, the `[testimonials]` marker) and scores the prose that is left with
textstat 0.7.8, the formula of the article's language (FORMULAS):

- English: the Flesch–Kincaid grade, a US school grade;
- Spanish: Fernández-Huerta's reading ease, 0 to 100 (higher is easier). It
  is not a grade: the target grade is compared through the school grades
  Fernández-Huerta's own table gives each band of scores (EASE_BANDS);
- any other language: not measured, and said so (no made-up figure).

The five hardest sentences (three words or more, scored alone) come with the
line each starts on. `Readability` is the record `make check` and the
pull-request comment print; an article above the target gets an advisory
warning (check.py), never a problem. Only `make check`, the editor and the
comment measure: the build does not, as nothing it renders needs it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import partial
import html
import re

from .headings import ATX_HEADING, SETEXT_UNDERLINE, outside_fences
from .languages import LANGUAGES
from .markup import CITATION, TESTIMONIALS_MARKER

HARDEST = 5  # sentences listed per article
MIN_WORDS = 3  # shorter fragments are no sentences to textstat either


@dataclass(frozen=True)
class Band:
    """One band of a reading-ease scale, as its author's table names it."""

    minimum: float  # the lowest score in the band
    level: str  # e.g. "normal (for adults)"
    readers: str  # the school grade or stage, e.g. "7th or 8th grade"
    # The highest US school grade the band stands for; None past school.
    grade: int | None


# Fernández Huerta J. Medidas sencillas de lecturabilidad. Consigna 1959;
# (214):29-32, adapting Flesch's scale to Spanish; the table as legible.es
# gives it (https://legible.es/blog/lecturabilidad-fernandez-huerta/).
# "Pre-university" counts as grade 12: the last school years, which Flesch's
# scale reads for the same scores (50 to 60: 10th to 12th grade).
EASE_BANDS = (
    Band(90, "very easy", "4th grade", 4),
    Band(80, "easy", "5th grade", 5),
    Band(70, "fairly easy", "6th grade", 6),
    Band(60, "normal (for adults)", "7th or 8th grade", 8),
    Band(50, "fairly difficult", "pre-university", 12),
    Band(30, "difficult", "selective courses", None),
    Band(0, "very difficult", "university (specialisation)", None),
)


@dataclass(frozen=True)
class Formula:
    """How one language's text is scored, and how a score meets a target grade.

    `method` is textstat's, run with `textstat_lang`. A formula with `bands`
    gives a reading ease (higher is easier), judged against the lowest score
    of the band for the target grade; one without gives a grade itself.
    """

    name: str  # as writers read it
    method: str
    textstat_lang: str
    bands: tuple[Band, ...] = ()

    def score(self, text: str) -> float:
        """Return `text`'s score, as textstat computes it."""
        # Imported here: only `make check` and the comment measure, and the
        # build should not pay for loading it.
        from textstat.textstat import textstatistics  # noqa: PLC0415

        from .syllables import use_cached_counts  # noqa: PLC0415

        use_cached_counts()
        stats = textstatistics()  # its own language, not textstat's shared one
        stats.set_lang(self.textstat_lang)
        return getattr(stats, self.method)(text)

    def lowest_ease(self, target: float) -> float:
        """Return the lowest ease score that reads at `target` grade or below."""
        graded = [band for band in self.bands if band.grade is not None]
        within = [band for band in graded if band.grade <= target]
        # A target below the easiest band's grade: the easiest band is the best.
        return min(band.minimum for band in within) if within else graded[0].minimum

    def harder(self, score: float, target: float) -> bool:
        """Return whether `score` reads above the `target` grade."""
        if self.bands:
            return score < self.lowest_ease(target)
        return score > target

    def hardness(self, score: float) -> float:
        """Return a key that sorts the hardest first."""
        return score if self.bands else -score

    def shown(self, score: float) -> str:
        """Return `score` as writers read it: 'grade 16.4', 'ease 54.3 (…)'."""
        if not self.bands:
            return f"grade {score:.1f}"
        band = next((b for b in self.bands if score >= b.minimum), self.bands[-1])
        return f"ease {score:.1f} ({band.level}: {band.readers})"


FORMULAS = {
    "en": Formula("Flesch–Kincaid", "flesch_kincaid_grade", "en_US"),
    "es": Formula("Fernández-Huerta", "fernandez_huerta", "es", EASE_BANDS),
}


@dataclass(frozen=True)
class HardSentence:
    """One sentence of the text, scored alone, and the line it starts on."""

    line: int
    text: str  # as readers read it: Markdown stripped
    score: float


@dataclass(frozen=True)
class Readability:
    """An article's reading level: what `make check` and the comment print.

    `formula` is None for a language no formula is declared for, `score`
    None when there is no prose to score; `note` then says why.
    """

    source: str
    line: int | None  # the text's first line, where a warning points
    lang: str
    target: float
    formula: Formula | None
    score: float | None
    hardest: tuple[HardSentence, ...] = ()
    note: str = ""

    @property
    def above_target(self) -> bool:
        """Return whether the text reads above the target grade."""
        if self.formula is None or self.score is None:
            return False
        return self.formula.harder(self.score, self.target)

    def summary(self) -> str:
        """Return the figure and how it meets the target, in one phrase.

        'grade 15.8 (Flesch–Kincaid), above the target of grade 8'.
        """
        if self.formula is None or self.score is None:
            return self.note
        formula = self.formula
        figure = formula.shown(self.score)
        figure = (
            f"{formula.name} {figure}"
            if formula.bands
            else f"{figure} ({formula.name})"
        )
        verdict = "above" if self.above_target else "within"
        target = f"{verdict} the target of grade {self.target:g}"
        if formula.bands:
            target += f" (ease {formula.lowest_ease(self.target):g} or more)"
        return f"{figure}, {target}"

    def sentence(self, sentence: HardSentence) -> str:
        """Return one of the hardest sentences after its score: 'grade 28.9: …'."""
        shown = self.formula.shown(sentence.score) if self.formula else ""
        return f"{shown}: {sentence.text}"


def measure(source: str, markdown, lang: str, target: float) -> Readability:
    """Return the reading level of an article's body (`markdown`, front_matter's).

    `lang` is the article's language (its `Lang:`, else DEFAULT_LANG).
    """
    code = lang.lower().split("-")[0]
    units = prose(markdown.body)
    first = units[0][0][0] if units else None
    formula = FORMULAS.get(code)
    level = partial(Readability, source, first, code, target, formula)
    if formula is None:
        known = LANGUAGES.get(code)
        name = f"{known.english} ({code})" if known else repr(lang)
        return level(
            None,
            note=f"readability is not measured for {name}: no reading-level "
            "formula for it is declared here",
        )
    text = scored_text(units)
    sentences = [
        HardSentence(line, sentence, formula.score(sentence))
        for line, sentence in sentences_of(units)
    ]
    if not sentences:
        return level(None, note="not measured: no sentence of three words or more yet")
    hardest = sorted(sentences, key=lambda s: (formula.hardness(s.score), s.line))
    return level(formula.score(text), tuple(hardest[:HARDEST]))


# --- Markdown to prose -----------------------------------------------------------

IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
LINK = re.compile(r"\[(?P<text>[^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
FOOTNOTE_MARK = re.compile(r"\[\^[^\]]+\]")
INLINE_CODE = re.compile(r"(`+).+?\1")
AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^>]*>", re.IGNORECASE)
HTML_COMMENT = re.compile(r"<!--.*?-->")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
URL = re.compile(r"\bhttps?://\S+", re.IGNORECASE)
EMPHASIS = re.compile(r"\*+|~~|(?<!\w)_+|_+(?!\w)")
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
LINK_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s")
FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^[^\]]+\]:\s*")
BLOCK_START = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s+")
QUOTE = re.compile(r"^ {0,3}(?:>\s?)+")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# A sentence ends at . ! or ? (and any closing quotes or brackets) before a space.
SENTENCE = re.compile(r"\S.*?(?:[.!?]+[\"'”’)\]]*(?=\s|$)|$)", re.DOTALL)


def plain(text: str) -> str:
    """Return one line of Markdown as the words readers read, markup removed."""
    text = CITATION.sub("", text)
    text = INLINE_CODE.sub("", text)
    text = IMAGE.sub("", text)
    text = FOOTNOTE_MARK.sub("", text)
    text = LINK.sub(lambda link: link["text"], text)
    text = AUTOLINK.sub("", text)
    text = HTML_COMMENT.sub("", text)
    text = HTML_TAG.sub("", text)
    text = URL.sub("", text)
    text = EMPHASIS.sub("", text)
    text = ESCAPE.sub(r"\1", text)
    return " ".join(html.unescape(text).split())


def prose(body) -> list[list[tuple[int, str]]]:
    """Return the body's prose as blocks of (line, plain text), headings and code out.

    A block is a paragraph, a list item, a table row or a footnote: each is
    read on its own, so a heading or an item without a full stop never runs
    into the next sentence.
    """
    units: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []

    def flush() -> None:
        if current:
            units.append(list(current))
            current.clear()

    for number, text in outside_fences(body):
        if text is None or not text.strip():
            flush()
            continue
        if text.startswith(("    ", "\t")) and not current:
            continue  # an indented code block
        if SETEXT_UNDERLINE.match(text):
            current.clear()  # the paragraph above was a heading (or a rule)
            continue
        if (
            ATX_HEADING.match(text)
            or TESTIMONIALS_MARKER.match(text)
            or LINK_DEFINITION.match(text)
            or TABLE_RULE.match(text)
        ):
            flush()
            continue
        line = QUOTE.sub("", text)
        row = line.lstrip().startswith("|")
        starts = BLOCK_START.match(line) or FOOTNOTE_DEFINITION.match(line)
        if starts or row:
            flush()
            line = line[starts.end() :] if starts else line.replace("|", " ")
        words = plain(line)
        if words:
            current.append((number, words))
        if row:
            flush()
    flush()
    return units


def sentences_of(units: list[list[tuple[int, str]]]):
    """Yield (line it starts on, text) of each sentence of three words or more."""
    for unit in units:
        starts, parts, offset = [], [], 0
        for _line, part in unit:
            starts.append(offset)
            parts.append(part)
            offset += len(part) + 1
        joined = " ".join(parts)
        for match in SENTENCE.finditer(joined):
            sentence = match[0].strip()
            if len(sentence.split()) >= MIN_WORDS:
                yield unit[bisect_right(starts, match.start()) - 1][0], sentence


def scored_text(units: list[list[tuple[int, str]]]) -> str:
    """Return the prose the article's score is computed on: a block a line."""
    return "\n".join(_ended(" ".join(part for _line, part in unit)) for unit in units)


def _ended(text: str) -> str:
    """Return `text` ending a sentence, so it never joins the next block's first."""
    return text if re.search(r"[.!?][\"'”’)\]]*$", text) else text + "."
