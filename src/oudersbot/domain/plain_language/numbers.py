"""The check for numbers written as words (*drie*, *vijfentwintig*): write digits."""

from __future__ import annotations

import re

from oudersbot.domain.plain_language.findings import Finding, FindingKind
from oudersbot.domain.plain_language.text import Word

_UNITS = {
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
}
_UNDER_TWENTY = {
    **_UNITS,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_TENS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_NUMBER_START = re.compile(
    r"(?:een|twee|twin|drie|der|vier|veer|vijf|zes|zeven|acht|tach|negen|tien|elf|twaalf|hon|duiz)"
)


def number_value(word: str) -> int | None:
    """The value of a Dutch number written as one word (``vijfentwintig`` is 25), or None.

    The article *een* alone is no number; *één* is left alone too (it stresses "just one").
    """
    lower = word.lower()
    if lower == "een" or not _NUMBER_START.match(lower):
        return None
    if "duizend" in lower:
        head, _, tail = lower.partition("duizend")
        thousands = 1 if head == "" else _under_thousand(head)
        rest = 0 if tail == "" else _under_thousand(_without_link(tail))
        if thousands is None or rest is None:
            return None
        return thousands * 1000 + rest
    return _under_thousand(lower)


def _without_link(tail: str) -> str:
    return tail[2:] if tail.startswith("en") and len(tail) > 2 else tail


def _under_thousand(word: str) -> int | None:
    if "honderd" not in word:
        return _under_hundred(word)
    head, _, tail = word.partition("honderd")
    hundreds = 1 if head == "" else _UNITS.get(head)
    rest = 0 if tail == "" else _under_hundred(_without_link(tail))
    if hundreds is None or rest is None:
        return None
    return hundreds * 100 + rest


def _under_hundred(word: str) -> int | None:
    if word in _UNDER_TWENTY:
        return _UNDER_TWENTY[word]
    if word in _TENS:
        return _TENS[word]
    for unit, value in _UNITS.items():
        for link in ("en", "ën"):
            if word.startswith(unit + link) and word[len(unit) + len(link) :] in _TENS:
                return value + _TENS[word[len(unit) + len(link) :]]
    return None


def numbers_in_words(words: list[Word]) -> list[Finding]:
    """Each number written as a word, with its digits as the suggestion."""
    findings = []
    for index, word in enumerate(words):
        value = number_value(word.text)
        if value == 8 and index > 0 and words[index - 1].text.lower() == "in":
            continue  # "in acht nemen": take into account
        if value is not None:
            detail = {"value": value}
            findings.append(
                Finding(
                    FindingKind.NUMBER_IN_WORDS, word.start, word.end, word.text, str(value), detail
                )
            )
    return findings
