"""The iCalendar (.ics) side of `calendar_file`: events by UID, recurring ones expanded.

A problem of one event is named by its UID (or, without one, by its number in the file) and
its title; a problem of a moved occurrence also names the date it was moved from.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
import x_wr_timezone  # type: ignore[import-untyped]

from oudersbot.calendar_files.common import (
    MAX_KEY,
    MAX_TITLE,
    School,
    day_text,
    problem,
    short,
    split_names,
)
from oudersbot.calendar_files.ics_lines import rule_problems, scan_lines
from oudersbot.domain.calendar import (
    WHOLE_SCHOOL,
    CalendarCode,
    CalendarEvent,
    CalendarProblem,
    Phrase,
)

# Properties whose broken value stops an event; a broken CREATED or DESCRIPTION does not.
_TIME_PROPERTIES = {
    "DTSTART": Phrase("calendar_file.property.DTSTART"),
    "DTEND": Phrase("calendar_file.property.DTEND"),
    "DURATION": Phrase("calendar_file.property.DURATION"),
    "RRULE": Phrase("calendar_file.property.RRULE"),
    "RDATE": Phrase("calendar_file.property.RDATE"),
    "EXDATE": Phrase("calendar_file.property.EXDATE"),
    "RECURRENCE-ID": Phrase("calendar_file.property.RECURRENCE-ID"),
}
# What icalendar and recurring_ical_events raise on input their own checks let through
# (`ics_lines` catches what we know of beforehand; this is the net under it).
_LIBRARY_ERRORS = (AttributeError, TypeError, IndexError, KeyError)
# A series that starts this many years before the school year is refused: working out its
# occurrences would start that far back.
MAX_YEARS_BACK = 100
# Working out the occurrences of one file stops after this many seconds (a backstop: the
# checks in `ics_lines` already keep every series to at most one occurrence a day).
MAX_SECONDS = 20.0
# A CATEGORIES value shaped like a class name ("4C", "K2", "L6B") that is not a class is
# reported; any other unknown category is someone's colour label and is ignored.
_CLASS_LIKE = re.compile(r"^[A-Za-z]{0,2}\d{1,2}[A-Za-z]{0,2}$")


def read_ics(
    text: str, school: School, *, most: int = 5_000, seconds: float = MAX_SECONDS
) -> tuple[list[CalendarEvent], list[CalendarProblem]]:
    """The events of an iCalendar text, and every problem in it; stops past `most` events or
    when working out the recurring ones takes more than `seconds`."""
    scan = scan_lines(text)
    if scan.broken is not None:
        return [], [scan.broken]
    if scan.refused:
        return [], scan.refused
    if len(scan.events) > most:
        return [], [problem("too_many_events", limit=most)]
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        return [], [_unreadable(str(exc), text)]
    except OSError:  # a zone name too long to look up as a file
        return [], [problem("unreadable_line", error="TZID")]
    except _LIBRARY_ERRORS:
        return [], [problem("not_readable")]
    if str(calendar.get("CALSCALE", "GREGORIAN")).upper() != "GREGORIAN":
        return [], [problem("not_gregorian")]
    try:
        # Google's calendar-wide zone, made explicit on every time, before anything is read.
        calendar = x_wr_timezone.to_standard(calendar)
    except (ZoneInfoNotFoundError, ValueError, OSError, *_LIBRARY_ERRORS):
        zone_name = short(str(calendar.get("X-WR-TIMEZONE")))
        return [], [problem("unknown_x_wr_timezone", zone=zone_name)]
    series: dict[str, list[Any]] = {}
    problems: list[CalendarProblem] = []
    vevents = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    lines = {id(c): scan.events[n] if n < len(scan.events) else {} for n, c in enumerate(vevents)}
    for number, component in enumerate(vevents, start=1):
        uid = str(component.get("UID", "")).strip()
        if uid:
            series.setdefault(uid, []).append(component)
        else:
            summary = short(str(component.get("SUMMARY", "")).strip())
            problems.append(CalendarProblem(f"event:{number}", "no_uid", title=summary))
    events: list[CalendarEvent] = []
    deadline = time.monotonic() + seconds
    for uid, components in series.items():
        if len(events) > most:
            return [], [problem("too_many_events", limit=most)]
        if time.monotonic() > deadline:
            return [], [replace(problem("too_slow"), where=f"uid:{uid}")]
        found, trouble = _read_series(uid, components, school, lines)
        events.extend(found)
        problems.extend(trouble)
    return events, problems


def _read_series(
    uid: str, components: list[Any], school: School, lines: Mapping[int, Mapping[str, list[int]]]
) -> tuple[list[CalendarEvent], list[CalendarProblem]]:
    """The events of one UID: a single event, or the occurrences of a recurring one."""
    masters = [c for c in components if "RECURRENCE-ID" not in c]
    summary = short(str((masters or components)[0].get("SUMMARY", "")).strip())

    def here(found: CalendarProblem) -> CalendarProblem:
        return replace(found, where=f"uid:{uid}", title=summary)

    problems: list[CalendarProblem] = []
    if len(masters) > 1:
        problems.append(problem("uid_twice", count=len(masters)))
    for component in components:
        _check_component(component, school, lines.get(id(component), {}), problems)
    recurring = any(name in c for c in components for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    if len(uid) + (len("/2026-12-03") if recurring else 0) > MAX_KEY:
        problems.append(problem("uid_too_long", limit=MAX_KEY - 11))
    if problems:
        return [], [here(found) for found in _unique(problems)]
    if not recurring:
        if _cancelled(components[0]):
            return [], []
        event = _event(components[0], uid, uid, school)
        outside = school.outside(event.day)
        return ([], [here(outside)]) if outside else ([event], [])
    calendar = icalendar.Calendar()
    for component in components:
        calendar.add_component(component)
    margin = dt.timedelta(days=1)
    try:
        occurrences = recurring_ical_events.of(calendar).between(
            school.first - margin, school.last + 2 * margin
        )
    except (ValueError, KeyError) as exc:
        return [], [here(problem("recurrence_error", error=short(str(exc))))]
    except _LIBRARY_ERRORS:
        return [], [here(problem("not_readable"))]
    events = []
    days: dict[str, int] = {}
    for occurrence in occurrences:
        original = occurrence.get("RECURRENCE-ID", occurrence["DTSTART"]).dt
        day = _local(original, school.zone)[0].date()
        key = f"{uid}/{day.isoformat()}"
        days[key] = days.get(key, 0) + 1
        if days[key] == 2:
            # An occurrence is known by its day: one event, one reminder a day.
            problems.append(here(problem("twice_on_a_day", date=day_text(day))))
        event = _event(occurrence, key, uid, school)
        if not _cancelled(occurrence) and school.outside(event.day) is None:
            events.append(event)
    if problems:
        return [], problems
    if not events:
        return [], [here(problem("never_in_window", school_year=school.school_year()))]
    return events, []


def _check_component(
    component: Any,
    school: School,
    lines: Mapping[str, list[int]],
    problems: list[CalendarProblem],
) -> None:
    """Add what is wrong with one VEVENT (a series, one event or a moved occurrence)."""
    errors = _errors(component)
    found: list[CalendarProblem] = []
    for name, label in _TIME_PROPERTIES.items():
        if name in errors:
            found.append(problem("bad_property", property=label, value=str(component[name])))
    if None in errors:
        found.append(_unreadable(str(errors[None]), "", in_event=True))
    if "DTSTART" not in component:
        found.append(problem("no_start"))
    elif "DTSTART" not in errors:
        found.extend(_time_problems(component, errors, school, lines))
    summary = str(component.get("SUMMARY", "")).strip()
    if not summary:
        found.append(problem("no_summary"))
    elif len(summary) > MAX_TITLE:
        found.append(problem("title_too_long", count=len(summary), limit=MAX_TITLE))
    _meaning(component, school, found)
    if "RECURRENCE-ID" in component and "RECURRENCE-ID" not in errors:
        moved = day_text(_local(component["RECURRENCE-ID"].dt, school.zone)[0].date())
        found = [problem("occurrence", date=moved, problem=p.phrase) for p in found]
    problems.extend(found)


def _errors(component: Any) -> dict[str | None, str]:
    """The properties icalendar could not read: its own list, and every value it left broken
    (a copy made by `x_wr_timezone` keeps the broken values but not the list)."""
    errors: dict[str | None, str] = dict(component.errors)
    for name, value in component.items():
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, icalendar.vBroken) for v in values):
            errors.setdefault(name, "")
    return errors


def _time_problems(
    component: Any, errors: Mapping[str | None, str], school: School, lines: Mapping[str, list[int]]
) -> list[CalendarProblem]:
    """An unknown zone, an end before the start, a rule that repeats too often."""
    start = component["DTSTART"]
    tzid = start.params.get("TZID")
    if tzid and isinstance(start.dt, dt.datetime) and start.dt.tzinfo is None:
        return [problem("unknown_tzid", zone=str(tzid))]
    found = []
    if not {"DTEND", "DURATION"} & set(errors):
        begin = _local(start.dt, school.zone)[0]
        end = _local(_end(component), school.zone)[0]
        if end < begin:
            found.append(problem("ends_before_start", end=_moment(end), start=_moment(begin)))
    recurring = "RRULE" in component or "RDATE" in component
    if recurring and start.dt.year < school.first.year - MAX_YEARS_BACK:
        found.append(problem("starts_too_early", year=start.dt.year, most=MAX_YEARS_BACK))
    if isinstance(component.get("RRULE"), icalendar.vRecur):
        found.extend(rule_problems(component["RRULE"], lines.get("RRULE", [0])[0]))
    return found


def _unreadable(message: str, text: str, *, in_event: bool = False) -> CalendarProblem:
    """icalendar's message about a line it cannot read, with the line number if found."""
    match = re.search(r"parts: '(.*)': ", message)
    if match is None:
        code: CalendarCode = "event_unreadable_line" if in_event else "unreadable_line"
        return problem(code, error=short(message))
    line = match.group(1)
    lines = [number for number, raw in enumerate(text.splitlines(), 1) if raw.strip() == line]
    if in_event:
        return problem("event_bad_line", text=short(line))
    if lines:
        return problem("bad_line", line=lines[0], text=short(line))
    return problem("bad_line_somewhere", text=short(line))


def _meaning(
    component: Any, school: School, problems: list[CalendarProblem]
) -> tuple[tuple[str, ...], str | None, dict[str, str]]:
    """Audience, template and slots of a VEVENT, from its CATEGORIES and X-OUDERSBOT-*."""
    classes = [n for text in _texts(component, "X-OUDERSBOT-CLASS") for n in split_names(text)]
    templates = [t.strip() for t in _texts(component, "X-OUDERSBOT-TEMPLATE") if t.strip()]
    for category in (c.strip() for c in component.categories):
        folded = category.casefold()
        if folded in school.classes or folded == WHOLE_SCHOOL or _CLASS_LIKE.match(category):
            classes.append(category)
        elif folded in school.template_ids:
            templates.append(category)
    groups = school.audience(classes, problems)
    template_id = school.template(templates, problems)
    slots_text = "; ".join(_texts(component, "X-OUDERSBOT-SLOTS"))
    place = str(component.get("LOCATION", ""))
    slots = school.slots(template_id, slots_text, place, problems)
    return groups, template_id, slots


def _event(component: Any, key: str, uid: str, school: School) -> CalendarEvent:
    """A checked VEVENT (or an occurrence of one) as an event."""
    start, all_day = _local(component["DTSTART"].dt, school.zone)
    end = _local(_end(component), school.zone)[0]
    groups, template_id, slots = _meaning(component, school, [])
    return CalendarEvent(
        key=key,
        title=str(component["SUMMARY"]).strip(),
        start=start,
        all_day=all_day,
        groups=groups,
        template_id=template_id,
        slots=slots,
        end=end,
        where=f"uid:{uid}",
    )


def _end(component: Any) -> dt.date | dt.datetime:
    """DTEND, or DTSTART plus DURATION, or RFC 5545's default: one day, or no time at all."""
    start: dt.date | dt.datetime = component["DTSTART"].dt
    if "DTEND" in component:
        end: dt.date | dt.datetime = component["DTEND"].dt
        return end
    if "DURATION" in component:
        duration: dt.timedelta = component["DURATION"].dt
        return start + duration
    return start if isinstance(start, dt.datetime) else start + dt.timedelta(days=1)


def _local(value: dt.date | dt.datetime, zone: ZoneInfo) -> tuple[dt.datetime, bool]:
    """An iCalendar date or time in the school's zone, and whether it was a whole day."""
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(0, 0), tzinfo=zone), True
    if value.tzinfo is None:
        return value.replace(tzinfo=zone), False
    return value.astimezone(zone), False


def _moment(moment: dt.datetime) -> str:
    return f"{day_text(moment.date())} {moment:%H:%M}"


def _cancelled(component: Any) -> bool:
    return str(component.get("STATUS", "")).upper() == "CANCELLED"


def _texts(component: Any, name: str) -> list[str]:
    """A text property's values (it may appear more than once), with iCalendar escapes undone."""
    value = component.get(name)
    values = value if isinstance(value, list) else [] if value is None else [value]
    return [re.sub(r"\\([\\;,])", r"\1", str(v)) for v in values]


def _unique(problems: list[CalendarProblem]) -> list[CalendarProblem]:
    """The problems without repeats (two parts of a series can have the same one)."""
    return [p for index, p in enumerate(problems) if p not in problems[:index]]
