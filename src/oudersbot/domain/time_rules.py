"""When a send may reach a family: the time rules the outbox's door applies to every kind.

- Nothing goes out in a school's quiet hours (20:00–07:30 by default, per school).
- Nothing goes out on a weekend, a Flemish school holiday or one of the school's own free
  days: it moves to the end of the quiet hours on the next school day. A send that may go out
  on any day (an urgent calendar rule) still waits for the end of the quiet hours.
- A send that must go now (staff chose "now (urgent)", or the answer to what a parent just
  did) ignores every rule.
- A send that cannot go out before its `latest` moment (the event it announces, the deadline
  of the slip it reminds of) is left out rather than sent late.
- A family's prikkels of one week fall on different school days, at most `limit` a week; one
  that does not fit waits for the next school day with room, at the same local time.
- Local wall-clock time counts; a time in a daylight-saving gap becomes the real time an hour
  later, a time that exists twice is the first (see `reminder_plan`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from oudersbot.domain.prikkels import DEFAULT_WEEKLY_LIMIT, week_of
from oudersbot.domain.reminder_plan import allowed_moment, is_free, local_moment
from oudersbot.domain.slips import QuietHours

_DAY = dt.timedelta(days=1)
# How far ahead a prikkel looks for a free school day before it gives up.
_PRIKKEL_HORIZON = 366


class Urgency(StrEnum):
    """How much of the time rules a send may skip."""

    NORMAL = "normal"  # school days, out of quiet hours
    ANY_DAY = "any_day"  # weekends and holidays too, still out of quiet hours
    NOW = "now"  # no rule at all


@dataclass(frozen=True)
class TimeRules:
    """One school's quiet hours, its own free days and its zone."""

    zone: ZoneInfo
    quiet: QuietHours = field(default_factory=QuietHours)
    free_days: frozenset[dt.date] = frozenset()

    def earliest(self, moment: dt.datetime, urgency: Urgency = Urgency.NORMAL) -> dt.datetime:
        """The first moment at or after `moment` that a send of this urgency may go out."""
        local = moment.astimezone(self.zone)
        if urgency is Urgency.NOW:
            return local
        return allowed_moment(local, urgency is Urgency.ANY_DAY, self.quiet, self.free_days)

    def in_quiet_hours(self, moment: dt.datetime) -> bool:
        """True when a moment falls in this school's quiet hours."""
        return self.quiet.contains(moment.astimezone(self.zone))

    def is_school_day(self, day: dt.date) -> bool:
        """Monday to Friday, outside the holidays and the school's own free days."""
        return not is_free(day, self.free_days)


def send_moment(
    rules: TimeRules,
    not_before: dt.datetime,
    *,
    urgency: Urgency,
    latest: dt.datetime | None = None,
) -> dt.datetime | None:
    """When a send goes out under the rules, or None when that would be at or after `latest`."""
    moment = rules.earliest(not_before, urgency)
    if latest is not None and moment >= latest:
        return None
    return moment


def prikkel_moment(
    rules: TimeRules,
    not_before: dt.datetime,
    taken: Collection[dt.date],
    *,
    limit: int = DEFAULT_WEEKLY_LIMIT,
) -> dt.datetime:
    """The first allowed moment for one family's prikkel: on a school day that has none of
    their prikkels yet (`taken`, local dates), in a week with fewer than `limit` of them."""
    if limit < 1:
        raise ValueError("the weekly limit must be at least 1")
    first = rules.earliest(not_before)
    at = first.timetz().replace(tzinfo=None)
    per_week: dict[dt.date, int] = {}
    for day in taken:
        monday = day - dt.timedelta(days=day.weekday())
        per_week[monday] = per_week.get(monday, 0) + 1
    day = first.date()
    for _ in range(_PRIKKEL_HORIZON):
        if rules.is_school_day(day) and day not in taken:
            candidate = first if day == first.date() else local_moment(day, at, rules.zone)
            if per_week.get(week_of(candidate), 0) < limit:
                return rules.earliest(candidate)
        day += _DAY
    raise ValueError("no school day with room for a prikkel within a year")
