"""The school's year calendar as plain data: events, reminder rules, planned moments.

An event comes from an iCalendar or CSV file (see `oudersbot.calendar_files.calendar_file`);
a reminder rule says when before an event of a kind its guardians are reminded (see
`oudersbot.calendar_files.rules_file`); `oudersbot.domain.reminder_plan` turns both into
moments.
Nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

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
    messages, as `CalendarProblem.where` does ("line:7" or "uid:abc@school").
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


# What can be wrong with a calendar file: the staff words are `calendar_file.<code>` in the
# Dutch catalog (see `oudersbot.cli.calendar.problem_text`).
CalendarCode = Literal[
    # the file as a whole
    "unknown_type",
    "unreadable_file",
    "not_utf8",
    "empty",
    "no_events",
    # when, for whom, which template and slots (iCalendar and CSV)
    "outside",
    "unknown_class",
    "unknown_template",
    "unknown_template_guess",
    "several_templates",
    "slot_form",
    "slot_twice",
    "slots_without_template",
    "unknown_slot",
    "slot_not_date",
    "slot_not_time",
    "slot_not_amount",
    "slot_invalid",
    # iCalendar
    "not_icalendar",
    "unmatched_end",
    "unclosed",
    "unreadable_line",
    "bad_line",
    "bad_line_somewhere",
    "event_unreadable_line",
    "event_bad_line",
    "not_gregorian",
    "unknown_x_wr_timezone",
    "no_uid",
    "uid_twice",
    "uid_too_long",
    "recurrence_error",
    "never_in_window",
    "bad_property",
    "no_start",
    "no_summary",
    "occurrence",
    "unknown_tzid",
    "ends_before_start",
    "too_frequent",
    # CSV
    "bad_header",
    "unreadable_row",
    "duplicate_id",
    "duplicate_row",
    "unknown_column",
    "column_twice",
    "missing_column",
    "too_many_values",
    "no_date",
    "bad_date",
    "bad_time",
    "no_title",
    "id_too_long",
    # the importer: a slot value the template refuses
    "bad_slot",
    # the text of any file (see `calendar_files.text_file`)
    "too_big",
    "not_text",
    "control_character",
    # CSV quoting and sizes
    "cell_too_long",
    "open_quote",
    "bad_quote",
    # values and sizes
    "slot_amount_limits",
    "title_too_long",
    "too_many_events",
    "key_twice",
    # iCalendar structure and recurrence
    "property_twice",
    "bad_interval",
    "several_per_day",
    "twice_on_a_day",
    "starts_too_early",
    "too_slow",
    "bad_parameter",
    "not_readable",
]


@dataclass(frozen=True)
class Phrase:
    """Staff words not rendered yet: the catalog key `key` filled with `params`, where a param
    may be a Phrase itself (rendered first). Used inside a problem's params."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class CalendarProblem:
    """One thing wrong in a calendar file, with where it is.

    The words are `calendar_file.<code>` filled with `params`; a param may be a `Phrase`.
    `where` is "line:7" (a line of the file), "uid:abc@school" (an iCalendar event),
    "event:3" (the third event, which has no UID) or "" (the whole file); `title` is the
    event's title, shown after its UID or number; `column` the cell (CSV, from 1) or the
    character (iCalendar) on that line, 0 when not known."""

    where: str
    code: CalendarCode
    params: Mapping[str, object] = field(default_factory=dict)
    title: str = ""
    column: int = 0

    @property
    def phrase(self) -> Phrase:
        """The problem's words, to put inside another problem."""
        return Phrase(f"calendar_file.{self.code}", self.params)

    def __str__(self) -> str:
        """For logs: where and code, not the staff words."""
        where = f"{self.where} ({self.title})" if self.title else self.where
        where += f" column {self.column}" if self.column else ""
        text = f"{self.code} {dict(self.params)}" if self.params else self.code
        return f"{where}: {text}" if where else text


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
