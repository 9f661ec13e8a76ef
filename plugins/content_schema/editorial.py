"""Advisory editorial rules: wording a health article should qualify or cite.

`claim_warnings(source, meta, markdown)` returns, for an article's summary and
each line of its text, the absolute promises ("cure", "proven") and the
efficacy claims that cite nothing. They are warnings for the editor: they
never stop a build.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from .markup import CITATION
from .problems import Problem, quoted

ABSOLUTE_WORDING = re.compile(
    r"\b(cures?|cured|guaranteed?|proven|100\s?%|no side[- ]effects|not addictive|"
    r"FDA[- ]approved)\b|100\s?%",
    re.IGNORECASE,
)
EFFICACY_WORDING = re.compile(
    r"\b(reduc(?:e|es|ed|tions?)|relie(?:f|ve|ves|ved)|treats?|effective|efficacy|"
    r"significant(?:ly)?)\b|\b\d+(?:\.\d+)?\s?%",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A pre-filter for the two patterns above, which are slow on long text: every
# match contains one of these words or phrases, or a percentage.
CLAIM_WORD = re.compile(r"[a-z0-9%-]+")
CLAIM_WORDS = frozenset(
    (
        "cure",
        "cures",
        "cured",
        "guarantee",
        "guaranteed",
        "proven",
        "fda-approved",
        "reduce",
        "reduces",
        "reduced",
        "reduction",
        "reductions",
        "relief",
        "relieve",
        "relieves",
        "relieved",
        "treat",
        "treats",
        "effective",
        "efficacy",
        "significant",
        "significantly",
    )
)
CLAIM_PHRASES = ("side effect", "side-effect", "not addictive", "fda approved")


def claim_warnings(source: str, meta: Any, markdown: Any) -> list[Problem]:
    """Warn of each sentence with absolute wording, or uncited efficacy wording."""
    lines = markdown.metadata.key_lines
    summary = getattr(meta, "summary", "") or ""
    passages = [(lines.get("summary"), "summary", summary)]
    passages += [
        (number, "text", text)
        for number, text in markdown.body
        if text.strip() and not text.lstrip().startswith(("#", "[testimonials]"))
    ]
    warnings = []
    for number, name, text in passages:
        for absolute, efficacy, cited in _claims_by_sentence(text):
            if absolute:
                warnings.append(
                    Problem(
                        source,
                        number,
                        name,
                        f"absolute health wording {quoted(absolute)}: qualify it, or "
                        "cite evidence that supports it",
                    )
                )
            elif efficacy and not cited:
                warnings.append(
                    Problem(
                        source,
                        number,
                        name,
                        f"efficacy wording {quoted(efficacy)} without a citation: "
                        "add [@key] or rephrase",
                    )
                )
    return warnings


def _may_claim(lowered: str) -> bool:
    """Cheap test (substrings, a word set) that a passage may hold claim wording."""
    if "%" in lowered or any(phrase in lowered for phrase in CLAIM_PHRASES):
        return True
    return not CLAIM_WORDS.isdisjoint(CLAIM_WORD.findall(lowered))


def _claims_by_sentence(text: str):
    """Yield (absolute wording, efficacy wording, cites?) for each sentence with either.

    Each pattern runs once over the whole passage (per-sentence searches cost
    most of `make check`); matches are then assigned to their sentences.
    """
    if not _may_claim(text.lower()):
        return
    absolute = list(ABSOLUTE_WORDING.finditer(text))
    efficacy = list(EFFICACY_WORDING.finditer(text))
    if not absolute and not efficacy:
        return
    bounds = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
    for start, end in itertools.pairwise(bounds):
        first_absolute = next(
            (m[0] for m in absolute if start <= m.start() < end), None
        )
        first_efficacy = next(
            (m[0] for m in efficacy if start <= m.start() < end), None
        )
        if first_absolute or first_efficacy:
            cited = CITATION.search(text, start, end) is not None
            yield first_absolute, first_efficacy, cited
