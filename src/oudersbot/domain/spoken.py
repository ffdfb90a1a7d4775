"""A message as a voice reads it: the words a parent reads, with times and amounts said the
way they are said in the language, and nothing a voice should not read (the markup, the
pictograms, links, the Dutch original under a translation)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

import emoji

_ORIGINAL = re.compile(r"<blockquote[^>]*>.*?</blockquote>", re.DOTALL)
_NOTE = re.compile(r"<i>.*?</i>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_ISOLATES = re.compile("[\u2066-\u2069\u200e\u200f\u061c]")
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|t\.me/\S+", re.IGNORECASE)
# 14:30, 2:30 PM, 2:30 م, 2:30 ድ.ቀ. (the period word as CLDR writes it, kept as it is)
_TIME = re.compile(r"(?<![\d:.,])([01]?\d|2[0-3])[:.h]([0-5]\d)(?![\d:]|[.,]\d)")
# € 12,50 / 12,50 € / €12.50 / 12,50 EUR / 12 euro
_NUMBER = r"(\d{1,3}(?:[ .\u00a0\u202f]\d{3})*|\d+)(?:[.,](\d{2}))?"
_CURRENCY = r"(?:€|EUR\b|euros?\b)"
_GAP = r"[\s\u00a0\u200e\u200f]*"
# One pass, the leftmost amount first: "12,50 € 14:30" is an amount and then a time.
_AMOUNT = re.compile(
    rf"(?<![\d.,]){_NUMBER}{_GAP}{_CURRENCY}|{_CURRENCY}{_GAP}{_NUMBER}(?![\d:])",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_LOOSE = re.compile(r"\s+([.,!?;:])")


@dataclass(frozen=True)
class SpokenForms:
    """How a language says a time and an amount, with {hour} {minute} and {euro} {cent} in
    digits (the voice reads digits in its own language)."""

    time: str  # "{hour} uur {minute}"
    time_on_hour: str  # "{hour} uur"
    amount: str  # "{euro} euro {cent}"
    amount_whole: str  # "{euro} euro"


def spoken_text(parts: Sequence[str], forms: SpokenForms) -> str:
    """The text a voice reads for a rendered message (Telegram HTML parts)."""
    text = "\n\n".join(parts)
    text = _ORIGINAL.sub(" ", text)
    text = _NOTE.sub(" ", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _ISOLATES.sub("", text)
    text = _URL.sub(" ", text)
    text = emoji.replace_emoji(text, replace=" ")
    text = text.replace("·", ",")
    text = _AMOUNT.sub(
        lambda m: _amount(m.group(1) or m.group(3), m.group(2) or m.group(4), forms), text
    )
    # "9.00 uur", "saat 14:30": the language's own word for the hour is said once, not twice.
    own = re.escape(_SPACES.sub(" ", forms.time_on_hour.replace("{hour}", "")).strip())
    before = rf"(?:(?<!\w){own}\s+)?" if own else ""
    after = rf"(?:\s*{own}(?!\w))?" if own else ""
    timed = re.compile(before + _TIME.pattern + after, re.IGNORECASE)
    text = timed.sub(lambda m: _time(m.group(1), m.group(2), forms), text)
    lines = [_LOOSE.sub(r"\1", _SPACES.sub(" ", line)).strip(" ,") for line in text.splitlines()]
    # Every line ends a sentence: the voice pauses after a heading or a list item.
    sentences = [line if line[-1] in ".!?:;،؟።" else f"{line}." for line in lines if line]
    return " ".join(sentences)


def _time(hour: str, minute: str, forms: SpokenForms) -> str:
    if int(minute) == 0:
        return forms.time_on_hour.format(hour=int(hour))
    return forms.time.format(hour=int(hour), minute=int(minute))


def _amount(whole: str, cents: str | None, forms: SpokenForms) -> str:
    euro = int(re.sub(r"\D", "", whole))
    if not cents or int(cents) == 0:
        return forms.amount_whole.format(euro=euro)
    return forms.amount.format(euro=euro, cent=int(cents))
