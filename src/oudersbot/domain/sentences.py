"""Cutting text into pieces a translation provider accepts, on sentence boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@dataclass(frozen=True)
class Piece:
    """A piece of text and the separator that followed it in the original."""

    text: str
    separator: str = ""


def sentences(line: str) -> list[str]:
    """The sentences of one line (split after . ! ? … followed by white space)."""
    return [s for s in _SENTENCE_END.split(line) if s]


def chunk(text: str, limit: int) -> list[Piece]:
    """Pieces of at most `limit` characters; lines stay whole when they fit, then sentences,
    then words. Joining each piece's text and separator gives back the text (modulo the white
    space inside a line)."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        return [Piece(text)]
    units: list[Piece] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        newline = "\n" if index < len(lines) - 1 else ""
        if not line.strip() and units:
            previous = units[-1]
            units[-1] = Piece(previous.text, previous.separator + line + newline)
            continue
        parts = sentences(line) if len(line) > limit else [line]
        for position, sentence in enumerate(parts):
            last = position == len(parts) - 1
            for word_piece in _words(sentence, limit):
                units.append(Piece(word_piece, " "))
            units[-1] = Piece(units[-1].text, newline if last else " ")
    pieces: list[Piece] = []
    current, separator = "", ""
    for unit in units:
        candidate = current + separator + unit.text if current else unit.text
        if current and len(candidate) > limit:
            pieces.append(Piece(current, separator))
            candidate = unit.text
        current, separator = candidate, unit.separator
    pieces.append(Piece(current, separator))
    return pieces


def _words(sentence: str, limit: int) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    out: list[str] = []
    current = ""
    for word in sentence.split(" "):
        while len(word) > limit:
            if current:
                out.append(current)
                current = ""
            out.append(word[:limit])
            word = word[limit:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) > limit:
            out.append(current)
            candidate = word
        current = candidate
    if current:
        out.append(current)
    return out


def join(pieces: list[Piece]) -> str:
    """Put pieces back together with their separators."""
    return "".join(p.text + p.separator for p in pieces).rstrip(" ")
