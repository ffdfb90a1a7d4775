"""A school's year calendar, read from an iCalendar (.ics) or spreadsheet (.csv) file.

The answer is every event of the file, or a `CalendarFileError` that lists every problem with
where it is (a line, or an event's UID): nothing is returned from a file with one mistake in it.
Problems are codes with their details; staff read them in Dutch from the catalog
(`calendar_file.<code>`, rendered by `oudersbot.cli.calendar.problem_text`).

This module reads the file and hands it to `ics_reader` or `csv_reader`; what both forms check
alike (the school-year window, classes, template and slot values) is in `common`. The bytes are
decoded by `text_file` (UTF-8 first, then Windows-1252, Latin-1, UTF-16, Mac Roman); a CSV is
read strictly by `text_file.read_table`; an iCalendar text is looked at line by line by
`ics_lines` before icalendar reads it. Nothing of a file with a problem is returned, and a file
is never more than MAX_FILE_BYTES or MAX_EVENTS events.

Identity (`CalendarEvent.key`), so that importing the same file again changes nothing:

- ICS: the UID; for an occurrence of a recurring event "UID/YYYY-MM-DD", the local date the
  occurrence was first planned on (its RECURRENCE-ID), so one moved swimming lesson keeps its key.
- CSV: "csv:<id>" when the file has an id column (and the row a value in it); otherwise
  "csv:<date>/<hash of title and classes>". A changed time keeps the event; a changed date,
  title or class makes it a new event, and the old one disappears from the calendar.

Audience and kind: an ICS CATEGORIES value that is a class of the school (any case), "school"
or a template id, or the properties X-OUDERSBOT-CLASS, X-OUDERSBOT-TEMPLATE and
X-OUDERSBOT-SLOTS ("plaats=Brugge; bedrag=5"); other categories (Outlook's colours) are ignored
unless they look like a class name ("4C"), which is then reported as unknown. No class means
the whole school; "school" next to classes also means the whole school. LOCATION fills the
template's place slot when the file does not give it. Slot values are checked against their
type; dates and times are stored as 2026-12-03 and 13:30 whatever form staff typed.

Times: an all-day event starts at 00:00 in the school's zone; a time with a zone (TZID, UTC)
is converted to it; a time without one is in it; Google's X-WR-TIMEZONE is applied by
`x_wr_timezone` before anything else. Cancelled occurrences (STATUS:CANCELLED) are left
out. An event starting outside `window` is a problem; a recurring event keeps its occurrences in
the window and is a problem only when none falls in it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from oudersbot.calendar_files.common import School, problem
from oudersbot.calendar_files.csv_reader import read_csv
from oudersbot.calendar_files.ics_reader import read_ics
from oudersbot.calendar_files.text_file import (
    MAX_FILE_BYTES,
    TableProblem,
    TableRefused,
    control_characters,
    decode_checked,
    read_table,
)
from oudersbot.domain.calendar import CalendarEvent, CalendarFileError, CalendarProblem

# A file with more events than this (occurrences of recurring ones counted) is not a school's.
MAX_EVENTS = 5_000


def read_calendar(
    path: Path,
    *,
    zone: ZoneInfo,
    window: tuple[dt.date, dt.date],
    groups: Collection[str],
    templates: Mapping[str, Mapping[str, str]],
) -> list[CalendarEvent]:
    """The events of a .ics or .csv file with their start day in `window`, sorted by start."""
    kind = _kind(path.name)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # more is refused unread
    except OSError:
        raise CalendarFileError(path.name, [problem("unreadable_file")]) from None
    return read_calendar_bytes(
        data,
        source=path.name,
        kind=kind,
        zone=zone,
        window=window,
        groups=groups,
        templates=templates,
    )


def _kind(name: str) -> Literal["ics", "csv"]:
    """The kind of a calendar file by the end of its name, or the problem of any other."""
    suffix = Path(name).suffix
    kind = suffix.lower().lstrip(".")
    if kind not in ("ics", "csv"):
        raise CalendarFileError(name, [problem("unknown_type", suffix=suffix)])
    return "ics" if kind == "ics" else "csv"


def read_named_calendar(
    data: bytes,
    *,
    name: str,
    zone: ZoneInfo,
    window: tuple[dt.date, dt.date],
    groups: Collection[str],
    templates: Mapping[str, Mapping[str, str]],
) -> list[CalendarEvent]:
    """Like `read_calendar`, for the bytes of a file called `name` (an upload): its suffix
    tells the kind."""
    return read_calendar_bytes(
        data,
        source=name,
        kind=_kind(name),
        zone=zone,
        window=window,
        groups=groups,
        templates=templates,
    )


def read_calendar_text(
    text: str,
    *,
    source: str,
    kind: Literal["ics", "csv"],
    zone: ZoneInfo,
    window: tuple[dt.date, dt.date],
    groups: Collection[str],
    templates: Mapping[str, Mapping[str, str]],
) -> list[CalendarEvent]:
    """Like `read_calendar`, for the text of a file; `source` names it in the error."""
    return read_calendar_bytes(
        text.encode("utf-8", "surrogatepass"),
        source=source,
        kind=kind,
        zone=zone,
        window=window,
        groups=groups,
        templates=templates,
    )


def read_calendar_bytes(
    data: bytes,
    *,
    source: str,
    kind: Literal["ics", "csv"],
    zone: ZoneInfo,
    window: tuple[dt.date, dt.date],
    groups: Collection[str],
    templates: Mapping[str, Mapping[str, str]],
) -> list[CalendarEvent]:
    """Like `read_calendar`, for the bytes of a file; `source` names it in the error."""
    school = School(
        zone=zone,
        first=window[0],
        last=window[1],
        classes={name.casefold(): name for name in groups},
        templates=templates,
        template_ids={name.casefold(): name for name in templates},
    )
    if kind == "csv":
        table = read_table(data, source)
        if isinstance(table, TableRefused):
            raise CalendarFileError(source, [_table_problem(p) for p in table.problems])
        events, problems = read_csv(table, school)
    else:
        decoded = decode_checked(data)
        if not isinstance(decoded, tuple):
            raise CalendarFileError(source, [_table_problem(p) for p in decoded])
        text = decoded[0].removeprefix("\ufeff")
        controls = [_table_problem(p) for p in control_characters(text)]
        if controls:
            raise CalendarFileError(source, controls)
        events, problems = read_ics(text, school, most=MAX_EVENTS)
    if not problems and not events:
        problems = [problem("no_events")]
    if not problems and len(events) > MAX_EVENTS:
        problems = [problem("too_many_events", limit=MAX_EVENTS)]
    if not problems:
        problems = _keys_twice(events)
    if problems:
        raise CalendarFileError(source, problems)
    return sorted(events, key=lambda event: (event.start, event.key))


def _table_problem(found: TableProblem) -> CalendarProblem:
    """A problem of the text or the table as a calendar problem: same code, line and column."""
    made = problem(found.code, f"line:{found.line}" if found.line else "", **found.params)
    return replace(made, column=found.column)


def _keys_twice(events: list[CalendarEvent]) -> list[CalendarProblem]:
    """Two events with one key (a UID "a/2026-12-07" and an occurrence of "a" that day)."""
    seen: set[str] = set()
    twice = []
    for event in events:
        if event.key in seen:
            twice.append(problem("key_twice", event.where, key=event.key))
        seen.add(event.key)
    return twice
