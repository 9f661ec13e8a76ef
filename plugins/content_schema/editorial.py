"""Advisory editorial rules: wording a health article should qualify or cite.

`CLAIM_RULES` is the one table of sentence rules; each row declares its
pattern, the sentences it spares, its message, its fix, why it exists, and
examples it must and must not flag (tests/test_claim_rules.py runs them).
`claim_warnings(source, meta, markdown, references)` walks the table over an
article's summary and each line of its text, and adds the article-level rule:
an article about ketamine needs a risks and side effects section that cites a
source. They are warnings for the editor: they never stop a build.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
import re
from typing import Any

from .languages import setting_for
from .markup import CITATION, CITATION_KEY
from .problems import Problem, quoted
from .settings import is_note

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Designs of evidence strong enough to call a finding "proven".
SYNTHESIS_DESIGNS = ("systematic review", "meta-analysis", "meta analysis")
# The reference keys the rules' examples cite, and their designs.
EXAMPLE_REFERENCES = {
    "example-review": "Systematic review and meta-analysis",
    "example-trial": "Randomized controlled pilot",
}
SOURCE_ADVERTISING = (
    "a 2023 JAMA Network Open study of ketamine clinic advertising found "
    "advertisers calling ketamine non-addictive, and many mentioning no risks"
)
SOURCE_FDA_2023 = (
    "the FDA warned in 2023 about the risks of compounded ketamine used outside "
    "clinical supervision"
)
SOURCE_FTC_EVIDENCE = (
    "the FTC's Health Products Compliance Guidance (2022): a health claim needs "
    "competent and reliable scientific evidence, and a claim of a level of proof "
    "needs that level"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage, with the sources it cites."""

    text: str
    keys: tuple[str, ...]
    designs: tuple[str, ...]

    @property
    def cites(self) -> bool:
        """Return whether the sentence cites any [@key]."""
        return bool(self.keys)


@dataclass(frozen=True)
class ClaimRule:
    """One row of the table: wording to flag in a sentence, and why.

    `hints` are lowercase substrings every match contains: a passage holding
    none skips the rule without running `pattern` (the speed of `make check`).
    `spares(sentence, match)` returns True for a sentence the rule lets pass.
    `secondary` rules stay silent on a sentence an earlier row flagged: one
    fix at a time. `flagged` and `not_flagged` are example sentences (they may
    cite the keys of EXAMPLE_REFERENCES); the tests require both and check them.
    """

    id: str
    hints: tuple[str, ...]
    pattern: re.Pattern[str]
    message: str
    fix: str
    why: str
    flagged: tuple[str, ...]
    not_flagged: tuple[str, ...]
    spares: Callable[[Sentence, re.Match[str]], bool] = lambda sentence, match: False
    secondary: bool = False


def _before(sentence: Sentence, match: re.Match[str], width: int = 30) -> str:
    return sentence.text[max(0, match.start() - width) : match.start()].lower()


SAFE_QUALIFIER = re.compile(
    r"\b(when|under|for most|generally|relatively|usually|often|may|can|if|"
    r"with)\b",
    re.IGNORECASE,
)
SAFE_INTENSIFIER = re.compile(
    r"(completely|totally|perfectly|entirely|absolutely|100\s?%|100 percent)"
    r"\s+$",
    re.IGNORECASE,
)
NEGATION = re.compile(r"\b(no|not|cannot|can't|never)\b")
PSYCHIATRIC = re.compile(
    r"\b(ptsd|depressi\w*|anxiety|bipolar|ocd|psychiatric|mental|suicid\w*|"
    r"mood|trauma\w*)",
    re.IGNORECASE,
)
ESKETAMINE_TRD = re.compile(
    r"(?=.*\b(esketamine|spravato)\b)(?=.*\btreatment[- ]resistant depression\b)",
    re.IGNORECASE | re.DOTALL,
)


def _safe_spared(sentence: Sentence, match: re.Match[str]) -> bool:
    if SAFE_INTENSIFIER.search(sentence.text[: match.start()]):
        return False
    return sentence.cites or SAFE_QUALIFIER.search(sentence.text) is not None


def _proven_spared(sentence: Sentence, match: re.Match[str]) -> bool:
    return any(
        design in cited.lower()
        for cited in sentence.designs
        for design in SYNTHESIS_DESIGNS
    )


def _fda_spared(sentence: Sentence, match: re.Match[str]) -> bool:
    return (
        PSYCHIATRIC.search(sentence.text) is None
        or ESKETAMINE_TRD.match(sentence.text) is not None
    )


ABSOLUTE = "absolute health wording"

CLAIM_RULES: tuple[ClaimRule, ...] = (
    ClaimRule(
        id="not-addictive",
        hints=("addictive",),
        pattern=re.compile(r"\b(non-?\s?addictive|not\s+addictive)\b", re.I),
        message=ABSOLUTE,
        fix="remove it; say what the cited evidence shows about misuse and "
        "dependence instead",
        why=SOURCE_ADVERTISING,
        flagged=("Ketamine is non-addictive.", "It is not addictive."),
        not_flagged=("Addiction is one of the risks the doctor discusses.",),
    ),
    ClaimRule(
        id="no-side-effects",
        hints=("side effect", "side-effect"),
        pattern=re.compile(r"\b(no|without)\s+side[- ]effects?\b", re.I),
        message=ABSOLUTE,
        fix="remove it; list the side effects in the risks section, with a source",
        why=SOURCE_ADVERTISING,
        flagged=("A treatment with no side effects.", "Relief without side effects."),
        not_flagged=("Ask your doctor about side effects.",),
    ),
    ClaimRule(
        id="unqualified-safe",
        hints=("safe",),
        pattern=re.compile(r"\bsafe\b", re.I),
        message="unqualified safety wording",
        fix="say for whom and under which conditions, and cite a source",
        why=f"{SOURCE_ADVERTISING}; {SOURCE_FDA_2023}",
        flagged=(
            "Ketamine is safe.",
            "The treatment is completely safe when you follow the plan.",
            "It is 100% safe.",
        ),
        not_flagged=(
            "It is generally safe under medical supervision.",
            "Infusions were safe for most participants [@example-trial].",
            "It is safely administered in the clinic.",
        ),
        spares=_safe_spared,
    ),
    ClaimRule(
        id="cure",
        hints=("cure",),
        pattern=re.compile(r"\bcure[sd]?\b", re.I),
        message=ABSOLUTE,
        fix="say what the cited studies measured (for example, fewer symptoms)",
        why="nothing cures PTSD or depression; studies measure symptom change; "
        + SOURCE_FTC_EVIDENCE,
        flagged=("Ketamine cures depression.", "Many patients were cured."),
        not_flagged=("A secure room is ready for you.",),
    ),
    ClaimRule(
        id="guaranteed",
        hints=("guarantee",),
        pattern=re.compile(r"\bguarantee[sd]?\b", re.I),
        message=ABSOLUTE,
        fix="remove the promise; results vary from person to person",
        why="no treatment can promise a result; " + SOURCE_FTC_EVIDENCE,
        flagged=("Relief is guaranteed.", "We guarantee results."),
        not_flagged=(
            "There is no guarantee that it helps.",
            "Results are not guaranteed.",
        ),
        spares=lambda sentence, match: (
            NEGATION.search(_before(sentence, match)) is not None
        ),
    ),
    ClaimRule(
        id="hundred-percent",
        hints=("100",),
        pattern=re.compile(r"\b100\s?(%|percent\b)", re.I),
        message=ABSOLUTE,
        fix="give the figure the cited study reports, with its [@key]",
        why="no study finds every patient helped; " + SOURCE_FTC_EVIDENCE,
        flagged=("It works for 100% of patients.", "We are 100 percent sure."),
        not_flagged=("The trial enrolled 100 veterans.",),
    ),
    ClaimRule(
        id="proven",
        hints=("prove",),
        pattern=re.compile(r"\bprove[nd]\b", re.I),
        message=ABSOLUTE,
        fix="say 'studies suggest', or cite a systematic review or meta-analysis",
        why="one small trial proves nothing; only a synthesis of studies "
        "approaches it; " + SOURCE_FTC_EVIDENCE,
        flagged=("Ketamine is proven to help.", "It is proven [@example-trial]."),
        not_flagged=("Its benefit is proven [@example-review].",),
        spares=_proven_spared,
    ),
    ClaimRule(
        id="fda-psychiatric",
        hints=("fda",),
        pattern=re.compile(
            r"\bFDA[- ]approv\w*|\bapproved by the (U\.?S\.? )?FDA\b|"
            r"\bFDA approval\b",
            re.I,
        ),
        message="FDA approval claimed for a psychiatric use",
        fix="ketamine is FDA-approved as an anesthetic only; say its psychiatric "
        "use is off-label",
        why="the FDA approved ketamine as an anesthetic and esketamine nasal "
        "spray for treatment-resistant depression; nothing is approved for PTSD "
        "(FDA labels; the FDA's 2023 warning on compounded ketamine)",
        flagged=(
            "Ketamine is FDA-approved for PTSD.",
            "It is approved by the FDA to treat depression.",
        ),
        not_flagged=(
            "Ketamine is FDA-approved as an anesthetic.",
            "Esketamine (Spravato) is FDA-approved for treatment-resistant depression.",
        ),
        spares=_fda_spared,
    ),
    ClaimRule(
        id="uncited-efficacy",
        hints=("reduc", "relie", "treat", "effective", "efficacy", "significant", "%"),
        pattern=re.compile(
            r"\b(reduc(?:e|es|ed|tions?)|relie(?:f|ve|ves|ved)|treats?|effective|"
            r"efficacy|significant(?:ly)?)\b|\b\d+(?:\.\d+)?\s?%",
            re.I,
        ),
        message="efficacy wording without a citation",
        fix="add [@key] or rephrase",
        why="a claim that a treatment works needs its evidence beside it; "
        + SOURCE_FTC_EVIDENCE,
        flagged=("It reduces symptoms.", "Half saw a 50% drop."),
        not_flagged=("It reduces symptoms [@example-trial].",),
        spares=lambda sentence, match: sentence.cites,
        secondary=True,
    ),
)

RISKS_RULE_WHY = (
    f"{SOURCE_ADVERTISING}; {SOURCE_FDA_2023}; a reader deciding on a treatment "
    "needs its risks as much as its benefits"
)
RISK_HEADING = re.compile(r"risk|side[- ]effect", re.I)
HEADING = re.compile(r"^\s*(#+)\s")
RISKS_FIX = (
    "add a section under a heading naming risks or side effects that cites at "
    "least one source [@key], or have the clinic's medical reviewer write the "
    "standard risks text (RISKS_NOTES in pelicanconf.py), which such articles "
    "then show; its medical content is the reviewer's to write"
)


def about_terms(terms: Any, title: str, category: str, tags: Any) -> bool:
    """Whether a title, category or tags name one of `terms` (whole words).

    What an article is "about" for the notes of the health plugin
    (OFF_LABEL_NOTES, RISKS_NOTES) and for the check that reads them.
    """
    text = " ".join([title or "", str(category or ""), *map(str, tags or ())]).lower()
    return any(re.search(rf"\b{re.escape(term.lower())}\b", text) for term in terms)


def notes_about(
    settings: Mapping[str, Any],
    lang: str,
    name: str,
    title: str,
    category: str,
    tags: Any,
) -> list[Mapping[str, Any]]:
    """Return the entries of note setting `name` about an item, in its language.

    `name` is OFF_LABEL_NOTES or RISKS_NOTES; entries that are no notes are
    passed over (the settings' checks name them).
    """
    notes = setting_for(settings, lang, name)
    entries = notes if isinstance(notes, (list, tuple)) else ()
    return [
        note
        for note in entries
        if is_note(note) and about_terms(note["terms"], title, category, tags)
    ]


def claim_warnings(
    source: str,
    meta: Any,
    markdown: Any,
    references: Mapping[str, Any] | None = None,
    *,
    risks_shown: bool = False,
) -> list[Problem]:
    """Warn of each sentence a rule of CLAIM_RULES flags, and of no risks section.

    `references` maps keys to reference records; a record's `design`, if any,
    decides whether it is a systematic review or meta-analysis. `risks_shown`
    says the page shows the clinic's standard risks text (RISKS_NOTES), which
    then stands for the article's own risks section.
    """
    lines = markdown.metadata.key_lines
    summary = getattr(meta, "summary", "") or ""
    passages = [(lines.get("summary"), "summary", summary)]
    passages += [
        (number, "text", text)
        for number, text in markdown.body
        if text.strip() and not text.lstrip().startswith(("#", "[testimonials]"))
    ]
    references = references or {}
    warnings = []
    for number, name, text in passages:
        for rule, wording, sentence in sentence_claims(text, references):
            warnings.append(
                Problem(
                    source,
                    number,
                    name,
                    f"{rule.message} {quoted(wording)} in {quoted(_short(sentence))}"
                    f": {rule.fix}",
                )
            )
    if (
        not risks_shown
        and _about_ketamine(meta, markdown)
        and not has_risks_section(markdown)
    ):
        warnings.append(
            Problem(
                source,
                lines.get("title"),
                "title",
                f"an article about ketamine without a risks and side effects "
                f"section that cites a source: {RISKS_FIX}",
            )
        )
    return warnings


def sentence_claims(text: str, references: Mapping[str, Any]):
    """Yield (rule, wording, sentence text) for each rule each sentence breaks.

    Each rule's pattern runs once over the whole passage, and only when a hint
    is in it (per-sentence searches cost most of `make check`); matches are
    then assigned to their sentences.
    """
    lowered = text.lower()
    rules = [r for r in CLAIM_RULES if any(hint in lowered for hint in r.hints)]
    if not rules:
        return
    bounds = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
    sentences: dict[int, Sentence] = {}
    flagged: set[int] = set()
    for rule in rules:
        # Matches come in order, so each sentence's first unspared one is met
        # first: a sentence is found by bisection, not by a scan of them all.
        done: set[int] = set()
        for match in rule.pattern.finditer(text):
            index = bisect_right(bounds, match.start()) - 1
            if index in done or (rule.secondary and index in flagged):
                continue
            start, end = bounds[index], bounds[index + 1]
            if index not in sentences:
                sentences[index] = _sentence(text[start:end], references)
            sentence = sentences[index]
            local = rule.pattern.search(sentence.text, match.start() - start)
            if local is not None and not rule.spares(sentence, local):
                done.add(index)
                flagged.add(index)
                yield rule, match[0], sentence.text.strip()


def _sentence(text: str, references: Mapping[str, Any]) -> Sentence:
    keys = tuple(
        key
        for citation in CITATION.finditer(text)
        for key in CITATION_KEY.findall(citation["keys"])
    )
    designs = tuple(
        str(getattr(references.get(key), "design", None) or "") for key in keys
    )
    return Sentence(text, keys, designs)


def _short(sentence: str, limit: int = 100) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _about_ketamine(meta: Any, markdown: Any) -> bool:
    words = [getattr(meta, "title", "") or "", *(getattr(meta, "tags", ()) or ())]
    words += [text for _number, text in markdown.body]
    return any("ketamine" in str(word).lower() for word in words)


def has_risks_section(markdown: Any) -> bool:
    """Return whether a risks or side effects heading's section cites a source.

    A section runs down to the next heading of its level or higher.
    """
    level = None
    for _number, text in markdown.body:
        heading = HEADING.match(text)
        if heading:
            depth = len(heading[1])
            if level is not None and depth <= level:
                level = None
            if level is None and RISK_HEADING.search(text):
                level = depth
        elif level is not None and CITATION.search(text):
            return True
    return False


# --- The writers' guide ------------------------------------------------------------

DOCS_BLOCK = re.compile(
    r"(<!-- claim-rules -->\n).*?(<!-- end claim-rules -->)", re.DOTALL
)


def render_claim_rules(text: str) -> str:
    """Return `text` with its claim-rules block rewritten from CLAIM_RULES.

    docs/writing.md lists every rule, what it flags and spares, its fix and its
    source, from the one table (tools/docs.py runs this with `invoke docs`).
    """
    return DOCS_BLOCK.sub(lambda m: m[1] + _rules_markdown() + m[2], text)


def _rules_markdown() -> str:
    lines = [
        "| Rule | Flags, for example | Lets pass | Fix | Why |",
        "| --- " * 5 + "|",
    ]
    for rule in CLAIM_RULES:
        cells = (
            f"`{rule.id}`: {rule.message}",
            "; ".join(f"`{example}`" for example in rule.flagged),
            "; ".join(f"`{example}`" for example in rule.not_flagged),
            rule.fix,
            rule.why,
        )
        lines.append(
            "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
        )
    lines.append(
        "| `risks-section`: an article about ketamine without a cited risks "
        "section | an article that names ketamine and has no heading about risks "
        "or side effects citing a source | an article with one, or one that shows "
        f"the clinic's RISKS_NOTES text | {RISKS_FIX} | {RISKS_RULE_WHY} |"
    )
    return "\n".join(lines) + "\n"
