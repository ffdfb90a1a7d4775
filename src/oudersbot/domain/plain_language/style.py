"""The checks on writing style: nominal style, vague words and a second message in brackets.

- ``nominalisation``: a noun made of a verb (*betaling*, *inschrijving*, *evaluatie*) with a light
  verb that only says it happens (*gebeurt*, *vindt plaats*, *zal plaatsvinden*). Say who does
  what: *Betaal de rekening ...*.
- ``vague_words``: a word from ``Lexicon.vague`` (*eventueel*, *enkele*); a word about time
  (*binnenkort*, *later*, *zo snel mogelijk*) only when the sentence gives no date.
- ``bracketed_messages``: a part in brackets that is a sentence of its own: an instruction
  (*(vergeet het strookje niet)*) or a clause with a finite verb and its subject.
"""

from __future__ import annotations

import re

from oudersbot.domain.plain_language.essentials import has_date
from oudersbot.domain.plain_language.findings import Finding, FindingKind
from oudersbot.domain.plain_language.lexicon import Lexicon, Patterns
from oudersbot.domain.plain_language.text import LETTERS, capitalised_like

# --- Nominalisation ------------------------------------------------------------------------

_LIGHT_VERB = re.compile(
    r"\b(?:gebeurt|gebeuren|gebeurde|gebeurden|geschiedt|geschieden"
    r"|vindt\s+(?:\w+\s+){0,3}?plaats|vinden\s+(?:\w+\s+){0,3}?plaats|vond\s+plaats"
    r"|plaatsvinden|plaatsvindt)\b",
    re.IGNORECASE,
)
# A noun made of a verb: -ing (betaling), -atie/-tie (evaluatie), -heid, or a listed one.
_VERBAL_NOUN = re.compile(r"[^\W\d_]{3,}(?:ing|atie|itie|heid)|controle|levering", re.IGNORECASE)
_DETERMINER = frozenset(("de", "het", "een", "deze", "die", "uw", "onze"))
_MAX_GAP = 8  # words between the noun and its light verb


def nominalisations(text: str, sentences: list[tuple[int, int]]) -> list[Finding]:
    """Each sentence whose subject is a verbal noun that a light verb says happens."""
    findings = []
    for start, end in sentences:
        verb = _LIGHT_VERB.search(text, start, end)
        if verb is None:
            continue
        words = list(LETTERS.finditer(text, start, verb.start()))
        for index, word in enumerate(words):
            if len(words) - index > _MAX_GAP:
                continue
            before = words[index - 1].group().lower() if index else ""
            if before in _DETERMINER and _VERBAL_NOUN.fullmatch(word.group()):
                first, last = words[index - 1].start(), verb.end()
                detail = {"noun": word.group().lower(), "verb": verb.group().lower()}
                findings.append(
                    Finding(FindingKind.NOMINALISATION, first, last, text[first:last], None, detail)
                )
                break
    return findings


# --- Vague words ---------------------------------------------------------------------------

_ABOUT_TIME = frozenset(
    ("binnenkort", "later", "zo snel mogelijk", "zo vlug mogelijk", "zo spoedig mogelijk")
)


def vague_words(
    text: str, sentences: list[tuple[int, int]], lexicon: Lexicon, patterns: Patterns
) -> list[Finding]:
    """Each vague word or phrase; one about time only in a sentence without a date."""
    pattern = patterns.vague
    if pattern is None:
        return []
    findings = []
    for start, end in sentences:
        dated: bool | None = None
        for match in pattern.finditer(text, start, end):
            term = match.group().lower()
            if term in _ABOUT_TIME:
                if dated is None:
                    dated = has_date(text[start:end])
                if dated:
                    continue
            suggestion = capitalised_like(match.group(), lexicon.vague[term])
            findings.append(
                Finding(
                    FindingKind.VAGUE_WORD,
                    match.start(),
                    match.end(),
                    match.group(),
                    suggestion,
                    {"term": term},
                )
            )
    return findings


# --- A second message in brackets ----------------------------------------------------------

_BRACKETED = re.compile(r"\(([^()]*)\)")
_FINITE = frozenset(
    (
        "is", "zijn", "was", "waren", "heeft", "hebben", "had", "kan", "kunnen", "mag", "mogen",
        "moet", "moeten", "wordt", "worden", "werd", "zal", "zullen", "gaat", "gaan", "komt",
        "komen", "ligt", "staat", "hangt", "blijft", "krijgt", "raakt", "vindt", "wil", "kost",
    )
)  # fmt: skip
_IMPERATIVE = frozenset(
    (
        "betaal", "vergeet", "breng", "geef", "neem", "trek", "bel", "mail", "kijk", "lees",
        "schrijf", "zet", "stuur", "vul", "teken", "laat", "denk", "let", "kom", "doe", "bezorg",
        "meld", "vraag", "hou", "houd", "gelieve", "opgelet", "opgepast", "noteer",
    )
)  # fmt: skip
_MIN_WORDS = 3


def bracketed_messages(text: str) -> list[Finding]:
    """Each part in brackets that is a sentence or an instruction of its own."""
    findings = []
    for match in _BRACKETED.finditer(text):
        words = [w.lower() for w in LETTERS.findall(match.group(1))]
        if len(words) < _MIN_WORDS:
            continue
        if words[0] in _IMPERATIVE or any(w in _FINITE for w in words[1:]):
            findings.append(
                Finding(
                    FindingKind.BRACKETED_MESSAGE,
                    match.start(),
                    match.end(),
                    match.group(),
                    None,
                    {"words": len(words)},
                )
            )
    return findings
