"""How long a parent has waited, counted in school hours: the time on school days outside the
school's quiet hours (the same rules the outbox's door applies to what it sends).

With the default quiet hours (20:00-07:30) a school day has 12.5 school hours, so a question
asked on Friday at 19:00 has waited 1 school hour on Monday at 08:30; weekends, Flemish
holidays and the school's own free days count for nothing. A day outside the supported school
years counts as a school day from Monday to Friday (the list rather shows a question too early
than never).
"""

from __future__ import annotations

import datetime as dt

from oudersbot.domain.holidays import UnknownSchoolYearError
from oudersbot.domain.reminder_plan import local_moment
from oudersbot.domain.time_rules import TimeRules

_DAY = dt.timedelta(days=1)
_HOUR = dt.timedelta(hours=1)
_MIDNIGHT = dt.time(0, 0)


def _school_day(rules: TimeRules, day: dt.date) -> bool:
    try:
        return rules.is_school_day(day)
    except UnknownSchoolYearError:
        return day.weekday() < 5


def _open_windows(rules: TimeRules, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The stretches of one school day outside the quiet hours, as real moments."""
    zone, quiet = rules.zone, rules.quiet
    start_of_day = local_moment(day, _MIDNIGHT, zone)
    end_of_day = local_moment(day + _DAY, _MIDNIGHT, zone)
    quiet_start = local_moment(day, quiet.start, zone)
    quiet_end = local_moment(day, quiet.end, zone)
    if quiet.start > quiet.end:  # overnight quiet hours: open from their end to their start
        return [(quiet_end, quiet_start)]
    if quiet.start == quiet.end:  # no quiet hours at all
        return [(start_of_day, end_of_day)]
    return [(start_of_day, quiet_start), (quiet_end, end_of_day)]


def school_time_between(rules: TimeRules, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """The school time from `start` to `end` (both aware); zero when `end` is not later."""
    if end <= start:
        return dt.timedelta(0)
    total = dt.timedelta(0)
    day = start.astimezone(rules.zone).date()
    last = end.astimezone(rules.zone).date()
    while day <= last:
        if _school_day(rules, day):
            for opens, closes in _open_windows(rules, day):
                lower, upper = max(opens, start), min(closes, end)
                if upper > lower:
                    total += upper - lower
        day += _DAY
    return total


def school_hours_between(rules: TimeRules, start: dt.datetime, end: dt.datetime) -> float:
    """The same, in hours."""
    return school_time_between(rules, start, end) / _HOUR


def waited_too_long(rules: TimeRules, since: dt.datetime, now: dt.datetime, hours: int) -> bool:
    """True when a question asked at `since` has waited `hours` school hours or more."""
    return school_time_between(rules, since, now) >= hours * _HOUR
