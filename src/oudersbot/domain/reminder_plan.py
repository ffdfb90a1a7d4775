"""When the guardians of a calendar event are reminded: rules, quiet hours and days off.

A rule's own moment is its `at` time on the day `days_before` calendar days before the event,
or on the `school_days_before`-th school day before it. School days are Monday to Friday
outside the Flemish school holidays (`oudersbot.domain.holidays`, each day in its own school
year) and outside the school's own free days.

Choices, each one tested:

- A moment in quiet hours, or (unless the rule is urgent) on a weekend, a holiday or a free
  day, moves forward to the next allowed moment: the end of the quiet hours, on the first
  school day for a non-urgent rule. It is then `moved`.
- A reminder never goes out at or after the event: before its start for a timed event, before
  00:00 of its day for an all-day event. A reminder that cannot fit is left out rather than
  sent late; no exception.
- Moments at or before `now` are left out: an event in the past plans nothing.
- Two rules of one event that land on the same moment give one reminder, the first rule's.
- Local wall-clock time counts: "7 days before at 18:00" is 18:00 across a change of daylight
  saving time. A time that does not exist (02:30 on the last Sunday of March) becomes the
  real time an hour later; a time that exists twice (the last Sunday of October) is the first.
- A day outside the supported school years raises `UnknownSchoolYearError`; the caller
  reports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from zoneinfo import ZoneInfo

from oudersbot.domain.calendar import WHOLE_SCHOOL, CalendarEvent, PlannedMoment, ReminderRule
from oudersbot.domain.holidays import holidays, is_school_day, school_year_of
from oudersbot.domain.slips import QuietHours

# The event kinds that are the school's own days off.
FREE_DAY_KINDS = frozenset({"vrije-dag", "studiedag"})

_DAY = dt.timedelta(days=1)
_MIDNIGHT = dt.time(0, 0)


def plan_event(
    event: CalendarEvent,
    rules: Sequence[ReminderRule],
    *,
    now: dt.datetime,
    quiet: QuietHours,
    free_days: Collection[dt.date] = (),
) -> list[PlannedMoment]:
    """The future reminders of one event, one per rule that fits before it, earliest first."""
    zone = event.start.tzinfo
    if zone is None:
        raise ValueError(f"event {event.key!r} starts at a naive time: {event.start}")
    limit = local_moment(event.day, _MIDNIGHT, zone) if event.all_day else event.start
    if limit <= now:
        return []
    planned: dict[dt.datetime, PlannedMoment] = {}
    for rule in rules:
        wanted = dt.datetime.combine(_rule_day(event.day, rule, free_days), rule.at)
        due = allowed_moment(
            local_moment(wanted.date(), wanted.time(), zone), rule.urgent, quiet, free_days
        )
        if now < due < limit and due not in planned:
            moved = due.replace(tzinfo=None) != wanted
            planned[due] = PlannedMoment(event.key, rule.name, due, moved)
    return sorted(planned.values(), key=lambda moment: moment.due)


def school_free_days(events: Iterable[CalendarEvent]) -> set[dt.date]:
    """The school's own free days: every day of its whole-school free days and study days."""
    days: set[dt.date] = set()
    for event in events:
        if event.kind not in FREE_DAY_KINDS or WHOLE_SCHOOL not in event.groups:
            continue
        days.update(_days_of(event))
    return days


def overview_moments(
    months: Iterable[tuple[int, int]],
    *,
    at: dt.time,
    zone: ZoneInfo,
    quiet: QuietHours,
    free_days: Collection[dt.date] = (),
) -> dict[tuple[int, int], dt.datetime]:
    """When each month's overview goes out: its first school day at `at` (out of quiet hours).

    A month without a school day in it (July, August) has no overview and is left out."""
    moments: dict[tuple[int, int], dt.datetime] = {}
    for year, month in months:
        first = _next_school_day(dt.date(year, month, 1), free_days)
        due = allowed_moment(local_moment(first, at, zone), False, quiet, free_days)
        if (due.year, due.month) == (year, month):
            moments[(year, month)] = due
    return moments


def is_free(day: dt.date, free_days: Collection[dt.date] = ()) -> bool:
    """True on a weekend, a Flemish school holiday or one of the school's own free days."""
    year_holidays = holidays(school_year_of(day))
    return not is_school_day(day, school_year_holidays=year_holidays, extra_free_days=free_days)


def _rule_day(event_day: dt.date, rule: ReminderRule, free_days: Collection[dt.date]) -> dt.date:
    """The day of a rule's own moment, before any move."""
    if rule.school_days_before is None:
        return event_day - rule.days_before * _DAY
    day = event_day
    for _ in range(rule.school_days_before):
        day -= _DAY
        while is_free(day, free_days):
            day -= _DAY
    return day


def allowed_moment(
    moment: dt.datetime, urgent: bool, quiet: QuietHours, free_days: Collection[dt.date]
) -> dt.datetime:
    """The moment itself, or the next one out of quiet hours (and on a school day unless urgent)."""
    moment = _normal(quiet.next_allowed(moment))
    if urgent or not is_free(moment.date(), free_days):
        return moment
    return local_moment(_next_school_day(moment.date(), free_days), quiet.end, moment.tzinfo)


def _next_school_day(day: dt.date, free_days: Collection[dt.date]) -> dt.date:
    """The first school day on or after `day`, each day judged in its own school year."""
    while is_free(day, free_days):
        day += _DAY
    return day


def local_moment(day: dt.date, at: dt.time, zone: dt.tzinfo | None) -> dt.datetime:
    """A real local moment: a wall-clock time in a daylight-saving gap moves an hour on."""
    return _normal(dt.datetime.combine(day, at, tzinfo=zone))


def _normal(moment: dt.datetime) -> dt.datetime:
    """The same instant, with fold and offset as the zone really has them."""
    zone = moment.tzinfo
    return moment.astimezone(dt.UTC).astimezone(zone)


def _days_of(event: CalendarEvent) -> list[dt.date]:
    """Every local date an event covers: an all-day end is exclusive (as in iCalendar)."""
    last = event.day
    if event.end is not None:
        end = event.end.astimezone(event.start.tzinfo)
        last = end.date() - _DAY if event.all_day or end.time() == _MIDNIGHT else end.date()
    count = max((last - event.day).days, 0) + 1
    return [event.day + offset * _DAY for offset in range(count)]
