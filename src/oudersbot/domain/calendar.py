"""The school's year calendar as plain data: events, reminder rules, planned moments.

An event comes from an iCalendar or CSV file (see `oudersbot.scheduling.calendar_file`); a
reminder rule says when before an event of a kind its guardians are reminded (see
`oudersbot.scheduling.rules`); `oudersbot.domain.reminder_plan` turns both into moments.
Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

# The audience word for "every class of the school".
WHOLE_SCHOOL = "school"

# The kind of an event without a template: reminded by the default rules, shown with its title.
PLAIN_EVENT = "event"


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence of an event, as read from a calendar file.

    `key` is the event's stable identity across imports: the iCalendar UID (plus the
    occurrence's start date for a recurring event, "UID/2026-12-07"), or for a CSV row a key
    built from its date, title and audience. `where` says where it came from for error
    messages ("regel 7" or "UID abc@school").
    """

    key: str
    title: str
    start: dt.datetime  # aware; an all-day event starts at 00:00 local time
    all_day: bool
    groups: tuple[str, ...] = (WHOLE_SCHOOL,)  # class names, or WHOLE_SCHOOL
    template_id: str | None = None
    slots: Mapping[str, str] = field(default_factory=dict)  # raw slot values, as typed
    end: dt.datetime | None = None
    where: str = ""

    @property
    def kind(self) -> str:
        """What reminder rules match on: the template id, or PLAIN_EVENT."""
        return self.template_id or PLAIN_EVENT

    @property
    def day(self) -> dt.date:
        """The local date the event starts on."""
        return self.start.date()


@dataclass(frozen=True)
class CalendarProblem:
    """One thing wrong in a calendar file, with where it is."""

    where: str  # "regel 7", "UID abc@school" or "" for the whole file
    problem: str  # a Dutch sentence for staff

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}" if self.where else self.problem


class CalendarFileError(ValueError):
    """A calendar file that cannot be imported; lists every problem found, not just the first."""

    def __init__(self, source: str, problems: list[CalendarProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class ReminderRule:
    """Remind the guardians of an event of `kind` some days before it, at a local time.

    `school_days_before` counts school days (no weekends, holidays or the school's own free
    days) instead of calendar days; `urgent` reminders may go out on weekends and holidays (never
    in quiet hours); `slip` asks for an answer with buttons (e.g. booking a time).
    """

    kind: str  # a template id, PLAIN_EVENT, or "*" for every kind without rules of its own
    name: str  # unique per kind, e.g. "week_before"
    days_before: int = 0
    school_days_before: int | None = None
    at: dt.time = dt.time(18, 0)
    urgent: bool = False
    slip: bool = False


@dataclass(frozen=True)
class PlannedMoment:
    """When one rule reminds of one event, after moving out of quiet hours and days off."""

    event_key: str
    rule: str
    due: dt.datetime  # aware, in the school's zone
    moved: bool = False  # True when it was shifted from the rule's own moment
