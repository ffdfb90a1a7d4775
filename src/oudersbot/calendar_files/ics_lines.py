"""The lines of an iCalendar text, looked at before icalendar reads them, and the checks on a
recurrence rule that keep its expansion small.

`scan_lines` finds the BEGIN/END structure, a property that a block may hold once given twice
(two RRULE lines, a time zone with two TZID: icalendar breaks on both), a one-value parameter
given as a list, and for each VEVENT the line each of its properties starts on, so that a
problem can name its line. `rule_problems` refuses a rule that repeats more than once a day
or never moves on (INTERVAL=0), before recurring_ical_events works it out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from oudersbot.calendar_files.common import problem
from oudersbot.domain.calendar import CalendarProblem

_TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}
# Properties a block may hold once (RFC 5545 says so, and a second one breaks the readers);
# others that RFC 5545 allows once (DESCRIPTION, URL, ...) are not read and do no harm twice.
_ONCE = {
    "VCALENDAR": {"CALSCALE", "METHOD", "X-WR-TIMEZONE", "VERSION", "PRODID"},
    "VEVENT": {
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "SUMMARY",
        "RRULE",
        "RECURRENCE-ID",
        "STATUS",
        "LOCATION",
        "SEQUENCE",
        "DTSTAMP",
        "LAST-MODIFIED",
        "CREATED",
        "TRANSP",
        "CLASS",
        "PRIORITY",
    },
    "VTIMEZONE": {"TZID"},
    "STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE"},
    "DAYLIGHT": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE"},
}
# Parameters that hold one value: "VALUE=DATE,x" makes a list icalendar cannot read.
_SINGLE_PARAMETERS = {"VALUE", "TZID", "RANGE", "RELATED", "ENCODING"}


@dataclass
class LineScan:
    """What a look at the lines finds before icalendar reads them."""

    broken: CalendarProblem | None = None  # the first BEGIN/END that does not match
    refused: list[CalendarProblem] = field(default_factory=list)  # given twice, or as a list
    # For each VEVENT of the calendar, in order: its properties and the lines they start on.
    events: list[dict[str, list[int]]] = field(default_factory=list)


def scan_lines(text: str) -> LineScan:
    """The structure of the text: blocks, properties given twice, where each event's are."""
    scan = LineScan()
    logical = _unfolded(text)
    first = next((line for _, line in logical if line.strip()), "")
    if not first.strip().upper().startswith("BEGIN:VCALENDAR"):
        scan.broken = problem("not_icalendar")
        return scan
    open_blocks: list[tuple[str, int, dict[str, list[int]]]] = []
    for number, line in logical:
        name = re.split(r"[:;]", line.strip(), maxsplit=1)[0].upper()
        value = line.strip().partition(":")[2].strip().upper()
        if name == "BEGIN":
            open_blocks.append((value, number, {}))
            if value == "VEVENT" and len(open_blocks) == 2:
                scan.events.append(open_blocks[-1][2])
        elif name == "END":
            if not open_blocks or open_blocks[-1][0] != value:
                scan.broken = problem("unmatched_end", name=value, line=number)
                return scan
            open_blocks.pop()
            if not open_blocks and value == "VCALENDAR":
                return scan
        elif open_blocks:
            if parameter := _parameter_with_list(line):
                found = problem("bad_parameter", parameter=parameter)
                scan.refused.append(replace(found, where=f"line:{number}"))
            block, _, properties = open_blocks[-1]
            properties.setdefault(name, []).append(number)
            if name in _ONCE.get(block, ()) and len(properties[name]) == 2:
                first_line = properties[name][0]
                found = problem("property_twice", property=name, block=block, first=first_line)
                scan.refused.append(replace(found, where=f"line:{number}"))
    if open_blocks:
        name, number, _ = open_blocks[-1]
        scan.broken = problem("unclosed", name=name, line=number)
    return scan


def _parameter_with_list(line: str) -> str | None:
    """The name of a one-value parameter given several values ("DTSTART;VALUE=DATE,X:...")."""
    head = re.split(r':(?=(?:[^"]*"[^"]*")*[^"]*$)', line, maxsplit=1)[0]
    for part in head.split(";")[1:]:
        name, _, value = part.partition("=")
        unquoted = re.sub(r'"[^"]*"', "", value)
        if name.strip().upper() in _SINGLE_PARAMETERS and "," in unquoted:
            return name.strip().upper()
    return None


def _unfolded(text: str) -> list[tuple[int, str]]:
    """The content lines (folded lines joined) with the line each starts on."""
    logical: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line[:1] in (" ", "\t") and logical:
            start, joined = logical[-1]
            logical[-1] = (start, joined + line[1:])
        else:
            logical.append((number, line))
    return logical


def rule_problems(rule: Any, line: int) -> list[CalendarProblem]:
    """A rule that repeats more than once a day (or never moves on) is not a school's."""
    frequency = str(rule.get("FREQ", [""])[0]).upper()
    if frequency in _TOO_FREQUENT:
        return [problem("too_frequent", frequency=frequency)]
    interval = rule.get("INTERVAL", [1])[0]
    if not isinstance(interval, int) or interval < 1:
        return [problem("bad_interval", interval=str(interval), line=line)]
    parts = ("BYHOUR", "BYMINUTE", "BYSECOND")
    times = math.prod(len(rule.get(part, [])) or 1 for part in parts)
    if times > 1:
        return [problem("several_per_day", count=times, line=line)]
    return []
