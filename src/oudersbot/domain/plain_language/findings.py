"""What the plain-language check reports: a finding, of one kind, on a span of the text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class FindingKind(StrEnum):
    """What a finding is about."""

    LONG_SENTENCE = "long_sentence"
    PASSIVE = "passive"
    JARGON = "jargon"
    NUMBER_IN_WORDS = "number_in_words"
    SEVERAL_MESSAGES = "several_messages"
    RARE_WORD = "rare_word"
    INDIRECT = "indirect"
    MISSING_ESSENTIAL = "missing_essential"
    NOMINALISATION = "nominalisation"
    VAGUE_WORD = "vague_word"
    BRACKETED_MESSAGE = "bracketed_message"


@dataclass(frozen=True)
class Finding:
    """One warning: ``text[start:end] == excerpt`` (empty at 0 for a missing fact)."""

    kind: FindingKind
    start: int
    end: int
    excerpt: str
    suggestion: str | None = None
    detail: Mapping[str, str | int] = field(default_factory=dict)
