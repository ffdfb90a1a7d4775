"""A school's year calendar, read from an iCalendar (.ics) or spreadsheet (.csv) file.

The answer is every event of the file, or a `CalendarFileError` that lists every problem with
where it is (a line, or an event's UID): nothing is returned from a file with one mistake in it.
Problems are codes with their details; staff read them in Dutch from the catalog
(`calendar_file.<code>`, rendered by `oudersbot.cli.calendar.problem_text`).

This module reads the file and hands its text to `ics_reader` or `csv_reader`; what both forms
check alike (the school-year window, classes, template and slot values) is in `common`.

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
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from oudersbot.calendar_files.common import School, line, problem
from oudersbot.calendar_files.csv_reader import read_csv
from oudersbot.calendar_files.ics_reader import read_ics
from oudersbot.domain.calendar import CalendarEvent, CalendarFileError, CalendarProblem


def read_calendar(
    path: Path,
    *,
    zone: ZoneInfo,
    window: tuple[dt.date, dt.date],
    groups: Collection[str],
    templates: Mapping[str, Mapping[str, str]],
) -> list[CalendarEvent]:
    """The events of a .ics or .csv file with their start day in `window`, sorted by start."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("ics", "csv"):
        raise CalendarFileError(path.name, [problem("unknown_type", suffix=path.suffix)])
    try:
        data = path.read_bytes()
    except OSError:
        raise CalendarFileError(path.name, [problem("unreadable_file")]) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarFileError(path.name, _not_utf8(data)) from None
    return read_calendar_text(
        text,
        source=path.name,
        kind="ics" if kind == "ics" else "csv",
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
    school = School(
        zone=zone,
        first=window[0],
        last=window[1],
        classes={name.casefold(): name for name in groups},
        templates=templates,
        template_ids={name.casefold(): name for name in templates},
    )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CalendarFileError(source, [problem("empty")])
    read = read_ics if kind == "ics" else read_csv
    events, problems = read(text, school)
    if not problems and not events:
        problems = [problem("no_events")]
    if problems:
        raise CalendarFileError(source, problems)
    return sorted(events, key=lambda event: (event.start, event.key))


def _not_utf8(data: bytes) -> list[CalendarProblem]:
    problems = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(problem("not_utf8", line(number)))
    return problems
