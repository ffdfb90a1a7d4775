"""A school's year calendar, read from an iCalendar (.ics) or spreadsheet (.csv) file.

The answer is every event of the file, or a `CalendarFileError` that lists every problem with
where it is ("regel 7", "UID abc@school (Zwemmen)") in a Dutch sentence for school staff:
nothing is returned from a file with one mistake in it.

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

import csv
import datetime as dt
import difflib
import hashlib
import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
import x_wr_timezone  # type: ignore[import-untyped]

from oudersbot.domain.calendar import (
    WHOLE_SCHOOL,
    CalendarEvent,
    CalendarFileError,
    CalendarProblem,
)
from oudersbot.domain.slots import SlotError, SlotType, parse_slot

# The length of calendar_event.key in the database.
MAX_KEY = 300

# Properties whose broken value stops an event; a broken CREATED or DESCRIPTION does not.
_TIME_PROPERTIES = {
    "DTSTART": "de begindatum (DTSTART)",
    "DTEND": "de einddatum (DTEND)",
    "DURATION": "de duur (DURATION)",
    "RRULE": "de herhaling (RRULE)",
    "RDATE": "een extra datum (RDATE)",
    "EXDATE": "een uitzondering (EXDATE)",
    "RECURRENCE-ID": "de oorspronkelijke datum (RECURRENCE-ID)",
}
_TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}
# A CATEGORIES value shaped like a class name ("4C", "K2", "L6B") that is not a class is
# reported; any other unknown category is someone's colour label and is ignored.
_CLASS_LIKE = re.compile(r"^[A-Za-z]{0,2}\d{1,2}[A-Za-z]{0,2}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:uh.]\s*(\d{2})?(?::\d{2})?)?$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,+]+")
_SLOT_HINTS = {
    SlotType.DATE: "geen datum (schrijf bv. 3/12/2026)",
    SlotType.TIME: "geen uur (schrijf bv. 13:30)",
    SlotType.AMOUNT: "geen bedrag (schrijf bv. 5 of 12,50)",
}
# CSV columns: the first name of each is what we print.
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
        raise CalendarFileError(
            path.name,
            [_whole(f"Onbekend bestandstype '{path.suffix}': gebruik een .ics- of .csv-bestand.")],
        )
    try:
        data = path.read_bytes()
    except OSError:
        raise CalendarFileError(
            path.name, [_whole("Het bestand bestaat niet of kan niet geopend worden.")]
        ) from None
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
    school = _School(
        zone=zone,
        first=window[0],
        last=window[1],
        classes={name.casefold(): name for name in groups},
        templates=templates,
        template_ids={name.casefold(): name for name in templates},
    )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise CalendarFileError(source, [_whole("Het bestand is leeg.")])
    read = _read_ics if kind == "ics" else _read_csv
    events, problems = read(text, school)
    if not problems and not events:
        problems = [_whole("Het bestand bevat geen enkele activiteit.")]
    if problems:
        raise CalendarFileError(source, problems)
    return sorted(events, key=lambda event: (event.start, event.key))


@dataclass(frozen=True)
class _School:
    """What a file is checked against."""

    zone: ZoneInfo
    first: dt.date
    last: dt.date
    classes: Mapping[str, str]  # casefolded name -> the school's spelling
    templates: Mapping[str, Mapping[str, str]]
    template_ids: Mapping[str, str]  # casefolded id -> id

    def outside(self, day: dt.date) -> str | None:
        """The problem when `day` is outside the window, else None."""
        if self.first <= day <= self.last:
            return None
        return f"{_d(day)} ligt buiten {self.school_year()}."

    def school_year(self) -> str:
        """The window in words: "schooljaar 2026-2027 (1/9/2026 tot en met 31/8/2027)"."""
        years = f"{self.first.year}-{self.last.year}"
        name = "schooljaar" if self.last.year - self.first.year == 1 else "de schooljaren"
        return f"{name} {years} ({_d(self.first)} tot en met {_d(self.last)})"

    def audience(self, names: list[str], problems: list[str]) -> tuple[str, ...]:
        """Canonical class names, or (WHOLE_SCHOOL,) for none or "school"."""
        found: set[str] = set()
        for name in names:
            if name.casefold() == WHOLE_SCHOOL:
                found.add(WHOLE_SCHOOL)
            elif name.casefold() in self.classes:
                found.add(self.classes[name.casefold()])
            else:
                known = ", ".join(sorted(self.classes.values())) or "geen"
                problems.append(f"Klas '{name}' bestaat niet in deze school (klassen: {known}).")
        if not found or WHOLE_SCHOOL in found:
            return (WHOLE_SCHOOL,)
        return tuple(sorted(found))

    def template(self, names: list[str], problems: list[str]) -> str | None:
        """The one template id named, in its own spelling."""
        found: list[str] = []
        for name in names:
            template_id = self.template_ids.get(name.casefold())
            if template_id is None:
                guess = difflib.get_close_matches(name.casefold(), list(self.template_ids), 1)
                hint = f"; bedoelt u '{self.template_ids[guess[0]]}'?" if guess else "."
                problems.append(f"Sjabloon '{name}' bestaat niet{hint}")
            elif template_id not in found:
                found.append(template_id)
        if len(found) > 1:
            problems.append(f"Meer dan één sjabloon ({', '.join(found)}); kies er één.")
        return found[0] if found else None

    def slots(
        self, template_id: str | None, text: str, place: str, problems: list[str]
    ) -> dict[str, str]:
        """Slot values from "plaats=Brugge; bedrag=5" (and a place), checked by the template."""
        raw: dict[str, str] = {}
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            name, equals, value = part.partition("=")
            name = name.strip()
            if not equals or not name:
                problems.append(
                    f"Veld '{part}' heeft niet de vorm naam=waarde (bv. plaats=Brugge)."
                )
            elif name in raw:
                problems.append(f"Veld '{name}' staat twee keer in de velden.")
            else:
                raw[name] = value.strip()
        if template_id is None:
            if raw:
                problems.append("Er staan velden bij, maar geen sjabloon: kies een sjabloon.")
            return {}
        declared = self.templates[template_id]
        places = [name for name, kind in declared.items() if kind == SlotType.PLACE]
        if place.strip() and len(places) == 1 and places[0] not in raw:
            raw[places[0]] = place.strip()
        slots: dict[str, str] = {}
        for name, value in raw.items():
            if name not in declared:
                names = ", ".join(declared) or "geen"
                problems.append(
                    f"Sjabloon '{template_id}' heeft geen veld '{name}' (velden: {names})."
                )
                continue
            checked = _slot_value(declared[name], value)
            if checked is None:
                kind = SlotType(declared[name])
                hint = _SLOT_HINTS.get(kind, "niet geldig (leeg of te lang)")
                problems.append(f"Veld '{name}': '{value}' is {hint}.")
            else:
                slots[name] = checked
        return slots


def _slot_value(kind_name: str, value: str) -> str | None:
    """The value as stored (dates and times in ISO form), or None when it is not valid."""
    try:
        kind = SlotType(kind_name)
    except ValueError:
        return value  # a slot type this version does not know is left to the template
    if kind is SlotType.DATE:
        day = _parse_date(value)
        return day.isoformat() if day else None
    if kind is SlotType.TIME:
        time = _parse_time(value)
        return time.strftime("%H:%M") if time else None
    try:
        parse_slot(kind, value)
    except SlotError:
        return None
    return value


def _parse_date(text: str) -> dt.date | None:
    """2026-12-03, 3/12/2026, 03-12-2026 or 3.12.2026 (day first)."""
    text = text.strip()
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _parse_time(text: str) -> dt.time | None:
    """13:30, 13u30, 9u, 9h, 13.30 or 13:30:00."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


def _d(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def _whole(problem: str) -> CalendarProblem:
    return CalendarProblem("", problem)


def _not_utf8(data: bytes) -> list[CalendarProblem]:
    problems = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(
                CalendarProblem(
                    f"regel {number}",
                    "Deze regel is geen UTF-8. Bewaar het bestand opnieuw als 'CSV UTF-8' "
                    "(Excel) of exporteer de kalender opnieuw.",
                )
            )
    return problems


# --- iCalendar -----------------------------------------------------------------------------


def _read_ics(text: str, school: _School) -> tuple[list[CalendarEvent], list[CalendarProblem]]:
    broken = _broken_structure(text)
    if broken:
        return [], [_whole(broken)]
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        return [], [_whole(_unreadable(str(exc), text))]
    if str(calendar.get("CALSCALE", "GREGORIAN")).upper() != "GREGORIAN":
        return [], [_whole("Alleen de gewone (gregoriaanse) kalender wordt ondersteund.")]
    try:
        # Google's calendar-wide zone, made explicit on every time, before anything is read.
        calendar = x_wr_timezone.to_standard(calendar)
    except (ZoneInfoNotFoundError, ValueError):
        zone_name = calendar.get("X-WR-TIMEZONE")
        return [], [_whole(f"De tijdzone X-WR-TIMEZONE '{zone_name}' is onbekend.")]
    series: dict[str, list[Any]] = {}
    problems: list[CalendarProblem] = []
    vevents = [c for c in calendar.subcomponents if c.name == "VEVENT"]
    for number, component in enumerate(vevents, start=1):
        uid = str(component.get("UID", "")).strip()
        if uid:
            series.setdefault(uid, []).append(component)
        else:
            summary = str(component.get("SUMMARY", "")).strip()
            where = f"activiteit {number}" + (f" ({summary})" if summary else "")
            problems.append(
                CalendarProblem(where, "Deze activiteit heeft geen UID; exporteer opnieuw.")
            )
    events: list[CalendarEvent] = []
    for uid, components in series.items():
        found, trouble = _read_series(uid, components, school)
        events.extend(found)
        problems.extend(trouble)
    return events, problems


def _broken_structure(text: str) -> str | None:
    """The first BEGIN/END that does not match, as a sentence; None for a sound structure."""
    lines = text.splitlines()
    first = next(line for line in lines if line.strip())
    if not first.strip().upper().startswith("BEGIN:VCALENDAR"):
        return "Dit is geen iCalendar-bestand: het begint niet met BEGIN:VCALENDAR."
    open_blocks: list[tuple[str, int]] = []
    for number, line in enumerate(lines, start=1):
        word, _, name = line.strip().upper().partition(":")
        if word == "BEGIN":
            open_blocks.append((name, number))
        elif word == "END":
            if not open_blocks or open_blocks[-1][0] != name:
                return f"Het bestand is beschadigd: END:{name} op regel {number} past bij niets."
            open_blocks.pop()
            if not open_blocks and name == "VCALENDAR":
                return None
    if open_blocks:
        name, number = open_blocks[-1]
        return f"Het bestand is onvolledig: BEGIN:{name} op regel {number} heeft geen END:{name}."
    return None


def _read_series(
    uid: str, components: list[Any], school: _School
) -> tuple[list[CalendarEvent], list[CalendarProblem]]:
    """The events of one UID: a single event, or the occurrences of a recurring one."""
    masters = [c for c in components if "RECURRENCE-ID" not in c]
    summary = str((masters or components)[0].get("SUMMARY", "")).strip()
    where = f"UID {uid}" + (f" ({summary})" if summary else "")
    problems: list[str] = []
    if len(masters) > 1:
        problems.append(
            f"Deze UID staat {len(masters)} keer in het bestand; elke activiteit "
            "heeft een eigen UID nodig."
        )
    for component in components:
        _check_component(component, school, problems)
    recurring = any(name in c for c in components for name in ("RRULE", "RDATE", "RECURRENCE-ID"))
    if len(uid) + (len("/2026-12-03") if recurring else 0) > MAX_KEY:
        problems.append(f"De UID is langer dan {MAX_KEY - 11} tekens.")
    if problems:
        return [], [CalendarProblem(where, problem) for problem in _unique(problems)]
    if not recurring:
        if _cancelled(components[0]):
            return [], []
        event = _event(components[0], uid, uid, school)
        outside = school.outside(event.day)
        return ([], [CalendarProblem(where, outside)]) if outside else ([event], [])
    calendar = icalendar.Calendar()
    for component in components:
        calendar.add_component(component)
    margin = dt.timedelta(days=1)
    try:
        occurrences = recurring_ical_events.of(calendar).between(
            school.first - margin, school.last + 2 * margin
        )
    except (ValueError, KeyError) as exc:
        return [], [CalendarProblem(where, f"De herhaling kan niet berekend worden ({exc}).")]
    events = []
    for occurrence in occurrences:
        original = occurrence.get("RECURRENCE-ID", occurrence["DTSTART"]).dt
        key = f"{uid}/{_local(original, school.zone)[0].date().isoformat()}"
        event = _event(occurrence, key, uid, school)
        if not _cancelled(occurrence) and school.outside(event.day) is None:
            events.append(event)
    if not events:
        return [], [CalendarProblem(where, f"Deze reeks valt nooit binnen {school.school_year()}.")]
    return events, []


def _check_component(component: Any, school: _School, problems: list[str]) -> None:
    """Add what is wrong with one VEVENT (a series, one event or a moved occurrence)."""
    errors = dict(component.errors)
    found: list[str] = []
    for name, label in _TIME_PROPERTIES.items():
        if name in errors:
            found.append(
                f"{label[0].upper()}{label[1:]} '{component[name]}' kan niet gelezen worden."
            )
    if None in errors:
        found.append(f"{_unreadable(str(errors[None]), '')} Exporteer de kalender opnieuw.")
    if "DTSTART" not in component:
        found.append("Deze activiteit heeft geen begindatum (DTSTART).")
    elif "DTSTART" not in errors:
        found.extend(_time_problems(component, errors, school))
    if not str(component.get("SUMMARY", "")).strip():
        found.append("Deze activiteit heeft geen titel (SUMMARY).")
    _meaning(component, school, found)
    if "RECURRENCE-ID" in component and "RECURRENCE-ID" not in errors:
        moved = _local(component["RECURRENCE-ID"].dt, school.zone)[0].date()
        found = [f"De keer van {_d(moved)}: {problem}" for problem in found]
    problems.extend(found)


def _time_problems(component: Any, errors: Mapping[str, str], school: _School) -> list[str]:
    """An unknown zone, an end before the start, a rule that repeats too often."""
    start = component["DTSTART"]
    tzid = start.params.get("TZID")
    if tzid and isinstance(start.dt, dt.datetime) and start.dt.tzinfo is None:
        return [f"De tijdzone '{tzid}' van de begindatum is onbekend."]
    found = []
    if not {"DTEND", "DURATION"} & set(errors):
        begin = _local(start.dt, school.zone)[0]
        end = _local(_end(component), school.zone)[0]
        if end < begin:
            found.append(f"Deze activiteit eindigt ({_dt(end)}) voor ze begint ({_dt(begin)}).")
    if "RRULE" in component and "RRULE" not in errors:
        frequency = component["RRULE"].get("FREQ", [""])[0]
        if str(frequency).upper() in _TOO_FREQUENT:
            found.append(
                f"Deze activiteit herhaalt zich elk uur of vaker (FREQ={frequency}); "
                "een schoolkalender herhaalt per dag, week, maand of jaar."
            )
    return found


def _unreadable(message: str, text: str) -> str:
    """icalendar's message about a line it cannot read, in Dutch, with the line number if found."""
    match = re.search(r"parts: '(.*)': ", message)
    if match is None:
        return f"Een regel kan niet gelezen worden ({message})."
    line = match.group(1)
    lines = [number for number, raw in enumerate(text.splitlines(), 1) if raw.strip() == line]
    where = f"Regel {lines[0]}" if lines else "De regel"
    return f"{where} ('{line}') is geen geldige iCalendar-regel."


def _meaning(
    component: Any, school: _School, problems: list[str]
) -> tuple[tuple[str, ...], str | None, dict[str, str]]:
    """Audience, template and slots of a VEVENT, from its CATEGORIES and X-OUDERSBOT-*."""
    classes = [n for text in _texts(component, "X-OUDERSBOT-CLASS") for n in _split(text)]
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


def _event(component: Any, key: str, uid: str, school: _School) -> CalendarEvent:
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
        where=f"UID {uid}",
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


def _dt(moment: dt.datetime) -> str:
    return f"{_d(moment.date())} {moment:%H:%M}"


def _cancelled(component: Any) -> bool:
    return str(component.get("STATUS", "")).upper() == "CANCELLED"


def _texts(component: Any, name: str) -> list[str]:
    """A text property's values (it may appear more than once), with iCalendar escapes undone."""
    value = component.get(name)
    values = value if isinstance(value, list) else [] if value is None else [value]
    return [re.sub(r"\\([\\;,])", r"\1", str(v)) for v in values]


def _split(text: str) -> list[str]:
    return [name for name in _SEPARATORS.split(text) if name]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --- CSV -----------------------------------------------------------------------------------


def _read_csv(text: str, school: _School) -> tuple[list[CalendarEvent], list[CalendarProblem]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        return [], [CalendarProblem("regel 1", f"De kopregel kan niet gelezen worden ({exc}).")]
    columns, problems = _columns(header)
    if any(key not in columns for key in _REQUIRED):
        return [], problems
    events: list[CalendarEvent] = []
    seen: dict[str, int] = {}
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader, None)
        except csv.Error as exc:
            problems.append(CalendarProblem(f"regel {line}", f"Kan niet gelezen worden ({exc})."))
            break
        if record is None:
            break
        if not any(cell.strip() for cell in record):
            continue
        row_problems: list[str] = []
        event = _row(record, columns, len(header), school, line, row_problems)
        if event is not None and (earlier := seen.setdefault(event.key, line)) != line:
            same = "id" if _cell(record, columns.get("id")) else "datum, titel en klas"
            row_problems.append(f"Deze activiteit (zelfde {same}) staat al op regel {earlier}.")
        problems.extend(CalendarProblem(f"regel {line}", p) for p in row_problems)
        if event is not None and not row_problems:
            events.append(event)
    return events, problems


def _cell(record: list[str], index: int | None) -> str:
    return record[index].strip() if index is not None and index < len(record) else ""


def _columns(header: list[str]) -> tuple[dict[str, int], list[CalendarProblem]]:
    """Which column holds what; unknown, doubled or missing columns are problems of line 1."""
    columns: dict[str, int] = {}
    problems: list[str] = []
    names = {alias: key for key, aliases in COLUMNS.items() for alias in aliases}
    for index, cell in enumerate(header):
        name = cell.strip().casefold()
        if not name:
            continue  # an empty column a spreadsheet added at the end
        key = names.get(name)
        if key is None:
            wanted = ", ".join(aliases[0] for aliases in COLUMNS.values())
            problems.append(
                f"Onbekende kolom '{cell.strip()}' in de kopregel (kolommen: {wanted})."
            )
        elif key in columns:
            problems.append(f"Kolom '{COLUMNS[key][0]}' staat twee keer in de kopregel.")
        else:
            columns[key] = index
    for key in _REQUIRED:
        if key not in columns:
            problems.append(f"De kopregel mist de kolom '{COLUMNS[key][0]}'.")
    return columns, [CalendarProblem("regel 1", problem) for problem in problems]


def _row(
    record: list[str],
    columns: Mapping[str, int],
    width: int,
    school: _School,
    line: int,
    problems: list[str],
) -> CalendarEvent | None:
    """One spreadsheet row as an event; None when a problem stops it."""

    def cell(key: str) -> str:
        return _cell(record, columns.get(key))

    if any(value.strip() for value in record[width:]):
        problems.append(
            "Deze regel heeft meer waarden dan de kopregel kolommen heeft; zet een "
            "titel met ';' of ',' tussen aanhalingstekens."
        )
    day = _parse_date(cell("date"))
    if not cell("date"):
        problems.append("De datum ontbreekt.")
    elif day is None:
        problems.append(f"Datum '{cell('date')}' kan niet gelezen worden; schrijf bv. 3/12/2026.")
    time = _parse_time(cell("time")) if cell("time") else None
    if cell("time") and time is None:
        problems.append(f"Uur '{cell('time')}' kan niet gelezen worden; schrijf bv. 13:30 of 9u.")
    title = cell("title")
    if not title:
        problems.append("De titel ontbreekt.")
    groups = school.audience(_split(cell("class")), problems)
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
        problems.append(f"De id is langer dan {MAX_KEY - 4} tekens.")
        return None
    return CalendarEvent(
        key=key,
        title=title,
        start=dt.datetime.combine(day, time or dt.time(0, 0), tzinfo=school.zone),
        all_day=time is None,
        groups=groups,
        template_id=template_id,
        slots=slots,
        where=f"regel {line}",
    )
