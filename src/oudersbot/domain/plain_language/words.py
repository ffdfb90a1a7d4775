"""The checks on single words: school jargon and abbreviations, and words few readers know."""

from __future__ import annotations

import re
from collections.abc import Callable

from oudersbot.domain.plain_language.findings import Finding, FindingKind
from oudersbot.domain.plain_language.lexicon import Lexicon, Patterns
from oudersbot.domain.plain_language.text import Word, capitalised_like

# --- Jargon --------------------------------------------------------------------------------

_ABBREVIATION = re.compile(r"[A-Z]{2,6}")
# An unlisted dotted abbreviation: t.a.v., v.z.w. (two or more short parts, each with a dot).
_DOTTED = re.compile(r"(?<![\w.])(?:[^\W\d_]{1,3}\.){2,}(?![^\W_])")


def jargon(text: str, words: list[Word], lexicon: Lexicon, patterns: Patterns) -> list[Finding]:
    """Each listed school term, and each unlisted all-capitals abbreviation that is rare."""
    findings = []
    taken: set[int] = set()
    if patterns.jargon is not None:
        for match in patterns.jargon.finditer(text):
            term = match.group().lower()
            detail = {"term": term, "source": "lexicon"}
            findings.append(
                Finding(
                    FindingKind.JARGON,
                    match.start(),
                    match.end(),
                    match.group(),
                    capitalised_like(match.group(), lexicon.jargon[term]),
                    detail,
                )
            )
            taken.update(range(match.start(), match.end()))
    for match in _DOTTED.finditer(text):
        lower = match.group().lower()
        if match.start() in taken or lower in patterns.dotted_markers:
            continue
        detail = {"term": match.group(), "source": "dotted"}
        findings.append(
            Finding(FindingKind.JARGON, match.start(), match.end(), match.group(), None, detail)
        )
        taken.update(range(match.start(), match.end()))
    for word in words:
        if not _ABBREVIATION.fullmatch(word.text) or word.start in taken:
            continue
        lower = word.text.lower()
        if lower in lexicon.common or lexicon.frequency(lower) >= lexicon.rare_below:
            continue
        detail = {"term": word.text, "source": "abbreviation"}
        findings.append(Finding(FindingKind.JARGON, word.start, word.end, word.text, None, detail))
    return findings


# --- Rare words ----------------------------------------------------------------------------


def rare_words(
    words: list[Word],
    firsts: frozenset[int],
    taken: frozenset[int],
    lexicon: Lexicon,
) -> list[Finding]:
    """Each word listed in ``lexicon.simpler``, or rare and no known form or compound.

    Names, abbreviations and the offsets in ``taken`` (already found as jargon or a number) are
    left alone.
    """
    cache: dict[str, float] = {}

    def zipf(word: str) -> float:
        if word not in cache:
            cache[word] = lexicon.frequency(word)
        return cache[word]

    findings = []
    for word in words:
        if len(word.text) < 4 or (word.text.isupper() and len(word.text) <= 6):
            continue  # short, or an abbreviation (see jargon)
        if word.text[0].isupper() and word.start not in firsts and not word.text.isupper():
            continue  # a name
        lower = word.text.lower()
        if lower in lexicon.common or word.start in taken:
            continue
        if lower in lexicon.simpler:
            detail: dict[str, str | int] = {"source": "list"}
            suggestion = capitalised_like(word.text, lexicon.simpler[lower])
            findings.append(
                Finding(FindingKind.RARE_WORD, word.start, word.end, word.text, suggestion, detail)
            )
            continue
        value = zipf(lower)
        if value >= lexicon.rare_below or _known_form(lower, zipf, lexicon):
            continue
        detail = {"source": "frequency", "zipf": f"{value:.2f}"}
        findings.append(
            Finding(FindingKind.RARE_WORD, word.start, word.end, word.text, None, detail)
        )
    return findings


# Endings that make a known word rare-looking: diminutive, plural, inflection (muntjes, knuffels).
_ENDINGS = ("tjes", "jes", "tje", "je", "en", "s", "e", "t", "d")
_MIN_STEM = 4


def _known_form(word: str, zipf: Callable[[str], float], lexicon: Lexicon) -> bool:
    """True when a stem without an ending is common, or the word is a compound of known words."""
    for ending in _ENDINGS:
        stem = word[: -len(ending)]
        if (
            word.endswith(ending)
            and len(stem) >= _MIN_STEM
            and (stem in lexicon.common or zipf(stem) >= lexicon.rare_below)
        ):
            return True
    return _compound(word, zipf, lexicon)


_PREFIXES = frozenset(("ver", "ont", "her", "mis", "be", "ge", "er"))
_MIN_COMPOUND = 7
_MIN_PART = 3


def _compound(word: str, zipf: Callable[[str], float], lexicon: Lexicon, *, depth: int = 2) -> bool:
    """True when the word is two (or three) known words glued together (*turnkledij*)."""

    def known(part: str) -> bool:
        return part in lexicon.common or zipf(part) >= lexicon.rare_below

    if depth == 0 or len(word) < _MIN_COMPOUND:
        return False
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if head in _PREFIXES:
            continue
        # A head may carry a linking s (verkeersdag) or stand for its plural (wafelverkoop).
        head_known = (
            known(head)
            or (len(head) > _MIN_PART and head[-1] == "s" and known(head[:-1]))
            or known(head + "s")
            or known(head + "en")
        )
        if head_known and (
            known(tail) or (depth > 1 and _compound(tail, zipf, lexicon, depth=depth - 1))
        ):
            return True
    return False
