"""The spreadsheet (.csv) side of `calendar_file`: one event per row, named by its line.

The file is read by `text_file.read_table` (encodings, delimiter, strict quoting, cell sizes,
control characters); the column names are Dutch or English (`COLUMNS`). A problem is named by
the physical line of the file, as a text editor shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import replace

from oudersbot.calendar_files.common import (
    MAX_KEY,
    MAX_TITLE,
    School,
    line,
    parse_date,
    parse_time,
    problem,
    split_names,
)
from oudersbot.calendar_files.text_file import Table
from oudersbot.domain.calendar import CalendarCode, CalendarEvent, CalendarProblem

# CSV columns: the first name of each is what we print (these are the file's own words, like
# roster.COLUMNS, not sentences).
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("datum", "date"),
    "time": ("uur", "time", "tijd"),
    "title": ("titel", "title"),
    "class": ("klas", "class", "klassen", "groep", "group"),
    "template": ("sjabloon", "template"),
    "slots": ("velden", "slots"),
    "id": ("id", "uid"),
}
_REQUIRED = ("date", "title")


def read_csv(table: Table, school: School) -> tuple[list[CalendarEvent], list[CalendarProblem]]:
    """The events of a spreadsheet read by `text_file.read_table`, and every problem in it."""
    header = list(table.header.cells)
    columns, problems = _columns(header)
    if any(key not in columns for key in _REQUIRED):
        return [], problems
    events: list[CalendarEvent] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        record, number = list(row.cells), row.line
        row_problems: list[CalendarProblem] = []
        event = _row(record, columns, len(header), school, number, row_problems)
        if event is not None and (earlier := seen.setdefault(event.key, number)) != number:
            same_id = bool(_cell(record, columns.get("id")))
            code: CalendarCode = "duplicate_id" if same_id else "duplicate_row"
            row_problems.append(problem(code, line=earlier))
        problems.extend(replace(p, where=line(number)) for p in row_problems)
        if event is not None and not row_problems:
            events.append(event)
    return events, problems


def _cell(record: list[str], index: int | None) -> str:
    return record[index].strip() if index is not None and index < len(record) else ""


def _columns(header: list[str]) -> tuple[dict[str, int], list[CalendarProblem]]:
    """Which column holds what; unknown, doubled or missing columns are problems of line 1."""
    columns: dict[str, int] = {}
    problems: list[CalendarProblem] = []
    names = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    for index, cell in enumerate(header):
        name = cell.strip().casefold()
        if not name:
            continue  # an empty column a spreadsheet added at the end
        key = names.get(name)
        if key is None:
            wanted = ", ".join(aliases[0] for aliases in COLUMNS.values())
            problems.append(problem("unknown_column", line(1), name=cell.strip(), columns=wanted))
        elif key in columns:
            problems.append(problem("column_twice", line(1), name=COLUMNS[key][0]))
        else:
            columns[key] = index
    for key in _REQUIRED:
        if key not in columns:
            problems.append(problem("missing_column", line(1), name=COLUMNS[key][0]))
    return columns, problems


def _row(
    record: list[str],
    columns: Mapping[str, int],
    width: int,
    school: School,
    number: int,
    problems: list[CalendarProblem],
) -> CalendarEvent | None:
    """One spreadsheet row as an event; None when a problem stops it."""

    def cell(key: str) -> str:
        return _cell(record, columns.get(key))

    if any(value.strip() for value in record[width:]):
        problems.append(problem("too_many_values"))
    day = parse_date(cell("date"))
    if not cell("date"):
        problems.append(problem("no_date"))
    elif day is None:
        problems.append(problem("bad_date", value=cell("date")))
    time = parse_time(cell("time")) if cell("time") else None
    if cell("time") and time is None:
        problems.append(problem("bad_time", value=cell("time")))
    title = cell("title")
    if not title:
        problems.append(problem("no_title"))
    elif len(title) > MAX_TITLE:
        problems.append(problem("title_too_long", count=len(title), limit=MAX_TITLE))
    groups = school.audience(split_names(cell("class")), problems)
    template_id = school.template([cell("template")] if cell("template") else [], problems)
    slots = school.slots(template_id, cell("slots"), "", problems)
    if day is not None and (outside := school.outside(day)):
        problems.append(outside)
    if problems or day is None:
        return None
    if cell("id"):
        key = f"csv:{cell('id')}"
    else:
        identity = f"{' '.join(title.casefold().split())}|{'+'.join(groups)}"
        key = f"csv:{day.isoformat()}/{hashlib.sha256(identity.encode()).hexdigest()[:12]}"
    if len(key) > MAX_KEY:
        problems.append(problem("id_too_long", limit=MAX_KEY - 4))
        return None
    return CalendarEvent(
        key=key,
        title=title,
        start=dt.datetime.combine(day, time or dt.time(0, 0), tzinfo=school.zone),
        all_day=time is None,
        groups=groups,
        template_id=template_id,
        slots=slots,
        where=line(number),
    )
