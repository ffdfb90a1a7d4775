"""The buttons under a parent's /stop: "yes, stop" or "no", for the guardian who asked.

The data names the guardian; the server only acts when the tap comes from the chat that guardian
is linked to, so a forged or stale press changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

STOP_PREFIX = "stop:"
CALLBACK_LIMIT = 64
YES, NO = "y", "n"


@dataclass(frozen=True)
class StopTap:
    """A tap on a /stop confirmation button."""

    guardian_id: int
    confirmed: bool


def encode_stop(tap: StopTap) -> str:
    """The callback data of one button."""
    return f"{STOP_PREFIX}{YES if tap.confirmed else NO}:{tap.guardian_id}"


def decode_stop(data: str) -> StopTap | None:
    """The tap a button's data stands for, or None for anything malformed."""
    if not data.startswith(STOP_PREFIX) or len(data.encode()) > CALLBACK_LIMIT:
        return None
    choice, _, number = data[len(STOP_PREFIX) :].partition(":")
    if choice not in (YES, NO) or not number.isdigit() or len(number) > 18:
        return None
    return StopTap(int(number), choice == YES)
