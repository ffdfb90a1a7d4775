"""Text as Telegram measures it: UTF-16 lengths, entity-aware trimming, bot commands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]
"""A MessageEntity as JSON: type, offset and length in UTF-16 code units, extras."""

_TRIMMED = " \t\r\n"
_COMMAND_RE = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")


def utf16_length(text: str) -> int:
    """Return the length of `text` in UTF-16 code units, as Telegram counts."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class FormattedText:
    """Plain text plus its entities, after parsing."""

    text: str
    entities: list[Entity] = field(default_factory=list)

    @property
    def length(self) -> int:
        """Length of the plain text in UTF-16 code units."""
        return utf16_length(self.text)


def trim(formatted: FormattedText) -> FormattedText:
    """Strip leading and trailing whitespace like Telegram, clipping entities to the rest."""
    text = formatted.text
    stripped = text.strip(_TRIMMED)
    if stripped == text:
        return formatted
    if not stripped:
        return FormattedText("", [])
    left = utf16_length(text[: len(text) - len(text.lstrip(_TRIMMED))])
    end = left + utf16_length(stripped)
    entities: list[Entity] = []
    for entity in formatted.entities:
        start = max(entity["offset"], left)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            entities.append({**entity, "offset": start - left, "length": stop - start})
    return FormattedText(stripped, entities)


def command_entities(text: str) -> list[Entity]:
    """Return the bot_command entities Telegram attaches to a user's text."""
    if "/" not in text:
        return []
    entities: list[Entity] = []
    for match in _COMMAND_RE.finditer(text):
        offset = utf16_length(text[: match.start()])
        entities.append({"type": "bot_command", "offset": offset, "length": len(match.group())})
    return entities


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Sort entities like Telegram: by offset, outer (longer) entities first."""
    return sorted(entities, key=lambda entity: (entity["offset"], -entity["length"]))
