"""'Begrepen' / 'Uitleg graag': the two small buttons under a school message, as callback data.

A parent taps one of them per message; the latest tap counts. The data names the message and
the reaction only: who tapped is the chat, checked on the server against the deliveries.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

UNDERSTANDING_PREFIX = "und:"
CALLBACK_LIMIT = 64  # bytes, Telegram's callback_data budget
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class Reaction(StrEnum):
    """What a parent said about a message with one tap."""

    UNDERSTOOD = "understood"
    EXPLAIN = "explain"


_CODES = {Reaction.UNDERSTOOD: "b", Reaction.EXPLAIN: "u"}
_REACTIONS = {code: reaction for reaction, code in _CODES.items()}


@dataclass(frozen=True)
class UnderstandingTap:
    """What one of the two buttons says: which message, which reaction."""

    message_id: int
    reaction: Reaction


def encode_understanding(tap: UnderstandingTap) -> str:
    """Compact callback data, e.g. 'und:2s:b' (far under 64 bytes)."""
    number, digits = tap.message_id, ""
    while True:
        number, rest = divmod(number, 36)
        digits = _DIGITS[rest] + digits
        if number == 0:
            break
    return f"{UNDERSTANDING_PREFIX}{digits}:{_CODES[tap.reaction]}"


def decode_understanding(data: str) -> UnderstandingTap | None:
    """The tap in callback data, or None when it is not one of ours (forged, garbled)."""
    if not data.startswith(UNDERSTANDING_PREFIX) or len(data.encode()) > CALLBACK_LIMIT:
        return None
    parts = data[len(UNDERSTANDING_PREFIX) :].split(":")
    if len(parts) != 2 or parts[1] not in _REACTIONS:
        return None
    number = parts[0]
    if not number or len(number) > 12 or any(c not in _DIGITS for c in number):
        return None
    message_id = int(number, 36)
    if message_id <= 0:
        return None
    return UnderstandingTap(message_id, _REACTIONS[parts[1]])


@dataclass(frozen=True)
class Counts:
    """Per message: how many guardians it reached tapped 'understood', 'please explain', or
    nothing."""

    understood: int = 0
    explain: int = 0
    no_tap: int = 0


def counts_of(reached: int, understood: int, explain: int) -> Counts:
    """The counts from the guardians reached and how many of them tapped each button; a
    guardian reached by a copy that is not counted (e.g. erased) never makes 'no tap' negative."""
    return Counts(understood, explain, max(0, reached - understood - explain))
