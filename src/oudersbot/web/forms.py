"""What the desk's routes read from a posted form, the same way on every page: an id (digits
only, or nothing), an aware moment in ISO form, and one lock per kind of send in this process
(a double click finds the first send already queued)."""

from __future__ import annotations

import asyncio
import datetime as dt

from starlette.requests import Request


def number(raw: object) -> int | None:
    """A form's id: digits only (and not absurdly long), else None."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def moment(raw: object) -> dt.datetime | None:
    """An aware moment in ISO form, or None."""
    try:
        found = dt.datetime.fromisoformat(str(raw or "")[:40])
    except ValueError:
        return None
    return found if found.tzinfo is not None else None


def send_lock(request: Request, name: str) -> asyncio.Lock:
    """One send of this kind at a time in this process."""
    locks: dict[str, asyncio.Lock] | None = getattr(request.app.state, "send_locks", None)
    if locks is None:
        locks = request.app.state.send_locks = {}
    return locks.setdefault(name, asyncio.Lock())
