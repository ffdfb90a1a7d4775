"""The check for the facts a kind of message needs: a date, a time, an amount, a place."""

from __future__ import annotations

import re

from oudersbot.domain.plain_language.findings import Finding, FindingKind
from oudersbot.domain.plain_language.lexicon import Lexicon

FACTS = ("date", "time", "amount", "place")
"""The facts a kind of message can need, as named in ``Lexicon.essentials``."""

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_FACT_PATTERNS = {
    "date": re.compile(
        r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b"
        r"|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b"
        r"|\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
        r"|\b(?:vandaag|morgen|overmorgen)\b"
        rf"|\b\d{{1,2}}(?:ste|de|e)?\s+(?:{_MONTHS})\b",
        re.IGNORECASE,
    ),
    "time": re.compile(
        r"(?<![\d.])\d{1,2}[:.hu]\d{2}(?!\.?\d)|\b\d{1,2}\s*(?:uur|u)\b", re.IGNORECASE
    ),
    "amount": re.compile(
        r"€\s*\d|\d\s*(?:€|euro\b|eur\b)|\b(?:euro|eur)\s*\d|\bgratis\b", re.IGNORECASE
    ),
    "place": re.compile(r"\b(?:naar|in|te|op|aan|bij)\s+(?:de\s+|het\s+)?[A-Z]"),
}


def missing(text: str, kind: str, lexicon: Lexicon) -> list[Finding]:
    """One finding, empty at 0, for each fact ``lexicon.essentials[kind]`` names and the text
    lacks."""
    findings = []
    for fact in lexicon.essentials.get(kind, ()):
        pattern = _FACT_PATTERNS.get(fact)
        if pattern is not None and pattern.search(text) is None:
            detail = {"fact": fact, "kind": kind}
            findings.append(Finding(FindingKind.MISSING_ESSENTIAL, 0, 0, "", None, detail))
    return findings


def has_date(text: str) -> bool:
    """True when the text names a day or a date (*maandag*, *3 mei*, *12/10*, *morgen*)."""
    return _FACT_PATTERNS["date"].search(text) is not None
