"""What both calendar readers (`ics_reader`, `csv_reader`) share: the `School` a file is
checked against (the school-year window, classes, templates and their slots), the problem
helpers, and dates, times and class lists as staff type them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from oudersbot.domain.calendar import (
    WHOLE_SCHOOL,
    CalendarCode,
    CalendarProblem,
    Phrase,
)
from oudersbot.domain.slots import SlotError, SlotType, parse_slot

# The length of calendar_event.key in the database.
MAX_KEY = 300
# An event's title is the first line of its reminder; a longer one is a mistake in the file.
MAX_TITLE = 300

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:uh.]\s*(\d{2})?(?::\d{2})?)?$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,+]+")
# A refused slot value by `SlotError.code`, else by the slot's type.
_SLOT_PROBLEMS: dict[str, CalendarCode] = {
    "amount_limits": "slot_amount_limits",
    SlotType.DATE: "slot_not_date",
    SlotType.TIME: "slot_not_time",
    SlotType.AMOUNT: "slot_not_amount",
}
# How much of a refused value a problem quotes back.
_SHOWN = 60


def problem(code: CalendarCode, where: str = "", **params: object) -> CalendarProblem:
    """A problem of the whole file, or of `where` ("line:7", "uid:abc@school")."""
    return CalendarProblem(where, code, params)


def line(number: int) -> str:
    """The `where` of a line of the file."""
    return f"line:{number}"


@dataclass(frozen=True)
class School:
    """What a file is checked against. The checks add their problems (without `where`: the
    caller knows where) to the list they are given."""

    zone: ZoneInfo
    first: dt.date
    last: dt.date
    classes: Mapping[str, str]  # casefolded name -> the school's spelling
    templates: Mapping[str, Mapping[str, str]]
    template_ids: Mapping[str, str]  # casefolded id -> id

    def outside(self, day: dt.date) -> CalendarProblem | None:
        """The problem when `day` is outside the window, else None."""
        if self.first <= day <= self.last:
            return None
        return problem("outside", day=day_text(day), school_year=self.school_year())

    def school_year(self) -> Phrase:
        """The window in words: "schooljaar 2026-2027 (1/9/2026 tot en met 31/8/2027)"."""
        params = {
            "first_year": self.first.year,
            "last_year": self.last.year,
            "first": day_text(self.first),
            "last": day_text(self.last),
        }
        if self.last.year - self.first.year == 1:
            return Phrase("calendar_file.school_year", params)
        return Phrase("calendar_file.school_years", params)

    def audience(self, names: list[str], problems: list[CalendarProblem]) -> tuple[str, ...]:
        """Canonical class names, or (WHOLE_SCHOOL,) for none or "school"."""
        found: set[str] = set()
        for name in names:
            if name.casefold() == WHOLE_SCHOOL:
                found.add(WHOLE_SCHOOL)
            elif name.casefold() in self.classes:
                found.add(self.classes[name.casefold()])
            else:
                known = _listing(sorted(self.classes.values()))
                problems.append(problem("unknown_class", name=name, known=known))
        if not found or WHOLE_SCHOOL in found:
            return (WHOLE_SCHOOL,)
        return tuple(sorted(found))

    def template(self, names: list[str], problems: list[CalendarProblem]) -> str | None:
        """The one template id named, in its own spelling."""
        found: list[str] = []
        for name in names:
            template_id = self.template_ids.get(name.casefold())
            if template_id is None:
                guess = difflib.get_close_matches(name.casefold(), list(self.template_ids), 1)
                if guess:
                    guessed = self.template_ids[guess[0]]
                    problems.append(problem("unknown_template_guess", name=name, guess=guessed))
                else:
                    problems.append(problem("unknown_template", name=name))
            elif template_id not in found:
                found.append(template_id)
        if len(found) > 1:
            problems.append(problem("several_templates", templates=", ".join(found)))
        return found[0] if found else None

    def slots(
        self, template_id: str | None, text: str, place: str, problems: list[CalendarProblem]
    ) -> dict[str, str]:
        """Slot values from "plaats=Brugge; bedrag=5" (and a place), checked by the template."""
        raw: dict[str, str] = {}
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            name, equals, value = part.partition("=")
            name = name.strip()
            if not equals or not name:
                problems.append(problem("slot_form", part=part))
            elif name in raw:
                problems.append(problem("slot_twice", name=name))
            else:
                raw[name] = value.strip()
        if template_id is None:
            if raw:
                problems.append(problem("slots_without_template"))
            return {}
        declared = self.templates[template_id]
        places = [name for name, kind in declared.items() if kind == SlotType.PLACE]
        if place.strip() and len(places) == 1 and places[0] not in raw:
            raw[places[0]] = place.strip()
        slots: dict[str, str] = {}
        for name, value in raw.items():
            if name not in declared:
                names = _listing(list(declared))
                problems.append(
                    problem("unknown_slot", template=template_id, name=name, names=names)
                )
                continue
            try:
                slots[name] = _slot_value(declared[name], value)
            except SlotError as exc:
                code = _SLOT_PROBLEMS.get(exc.code) or _SLOT_PROBLEMS.get(
                    declared[name], "slot_invalid"
                )
                problems.append(problem(code, name=name, value=short(value)))
        return slots


def _listing(names: list[str]) -> str | Phrase:
    """Names separated by commas, or the word for none."""
    return ", ".join(names) if names else Phrase("calendar_file.none")


def _slot_value(kind_name: str, value: str) -> str:
    """The value as stored (dates and times in ISO form); SlotError when it is not valid.

    The value is checked by `parse_slot`, the same rules that read it when a reminder is
    rendered, so a value that imports is a value that sends."""
    try:
        kind = SlotType(kind_name)
    except ValueError:
        return value  # a slot type this version does not know is left to the template
    if kind is SlotType.DATE:
        day = parse_date(value)
        if day is None:
            raise SlotError("not_date", "not a date")
        return day.isoformat()
    if kind is SlotType.TIME:
        time = parse_time(value)
        if time is None:
            raise SlotError("not_time", "not a time")
        return time.strftime("%H:%M")
    parse_slot(kind, value)
    return value


def short(value: str) -> str:
    """A value as quoted back to staff: a very long one cut short."""
    return value if len(value) <= _SHOWN else value[: _SHOWN - 1] + "…"


def parse_date(text: str) -> dt.date | None:
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


def parse_time(text: str) -> dt.time | None:
    """13:30, 13u30, 9u, 9h, 13.30 or 13:30:00."""
    match = _TIME.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


def split_names(text: str) -> list[str]:
    """Class names separated by spaces, commas or '+'."""
    return [name for name in _SEPARATORS.split(text) if name]


def day_text(day: dt.date) -> str:
    """A date as Belgian staff write it: 3/12/2026."""
    return f"{day.day}/{day.month}/{day.year}"
