"""Time behind a small protocol, so tests move time instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current, timezone-aware time."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; for tests and the demo."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._now = start

    def now(self) -> datetime:
        """The time the clock was set to."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._now += delta


class ShiftedClock:
    """Real time that runs from a chosen moment: for end-to-end tests, benchmarks and the demo,
    where the running bot must see time pass but the calendar must be at a known day."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ShiftedClock needs a timezone-aware datetime")
        self._offset = start - datetime.now(UTC)

    def now(self) -> datetime:
        """The chosen start plus the real time passed since."""
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        """Jump forward (a process that was down for a while)."""
        self._offset += delta
