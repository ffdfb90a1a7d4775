"""Words and sentences of a Dutch text, as spans the checks share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

LETTERS = re.compile(r"[^\W\d_]+")
# What counts as one word in a sentence's length: 12,50 and 08:30 and foto's are one word.
COUNTED = re.compile(r"\w+(?:['’.,:/-]\w+)*")
_BOUNDARY = re.compile(r"[.!?…]+(?=[\s\"'”’)]|$)|\n")
_DOTTED = re.compile(r"[^\W\d_][\w.]*$")
ABBREVIATIONS = frozenset(
    ("bv.", "bijv.", "nl.", "enz.", "o.a.", "i.v.m.", "m.a.w.", "d.w.z.", "a.u.b.", "t.e.m.")
)
"""Abbreviations whose dot ends no sentence (the lexicon's dotted terms are added to these)."""


@dataclass(frozen=True)
class Word:
    """A run of letters: ``text`` is the source text's ``[start:end]``."""

    start: int
    end: int
    text: str


def split_words(text: str) -> list[Word]:
    """Every run of letters in the text, in order."""
    return [Word(m.start(), m.end(), m.group()) for m in LETTERS.finditer(text)]


def split_sentences(text: str, dotted: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Spans of the sentences, without surrounding blanks; the dot of an abbreviation in
    ``dotted`` (lowercase, with its dots) ends none."""
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group() == "." and _abbreviation_dot(text, match.start(), dotted):
            continue
        yield from _trimmed(text, start, match.end())
        start = match.end()
    yield from _trimmed(text, start, len(text))


def _abbreviation_dot(text: str, dot: int, dotted: frozenset[str]) -> bool:
    """True when the dot closes a listed abbreviation and the sentence goes on in lowercase."""
    before = _DOTTED.search(text, max(0, dot - 12), dot)
    if before is None or text[before.start() : dot + 1].lower() not in dotted:
        return False
    rest = text[dot + 1 :].lstrip(" \t")
    return bool(rest) and (rest[0].islower() or rest[0].isdigit())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if any(c.isalnum() for c in text[start:end]):
        yield start, end


def first_words(words: list[Word], sentences: list[tuple[int, int]]) -> frozenset[int]:
    """Start offsets of the first word of each sentence (capitals there are no names)."""
    firsts = set()
    index = 0
    for start, end in sentences:
        while index < len(words) and words[index].start < start:
            index += 1
        if index < len(words) and words[index].start < end:
            firsts.add(words[index].start)
    return frozenset(firsts)


def capitalised_like(model: str, phrase: str) -> str:
    """The phrase with a capital first letter when the model starts a sentence-like capital."""
    if model[:1].isupper() and not model.isupper() and phrase:
        return phrase[0].upper() + phrase[1:]
    return phrase
