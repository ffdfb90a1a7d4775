"""How long a parent waited, in school hours: school days outside the quiet hours only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from oudersbot.domain.school_hours import school_hours_between, waited_too_long
from oudersbot.domain.slips import QuietHours
from oudersbot.domain.time_rules import TimeRules

ZONE = ZoneInfo("Europe/Brussels")
RULES = TimeRules(ZONE)  # quiet 20:00-07:30: a school day has 12.5 school hours


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=ZONE)


def test_within_one_school_day_it_is_the_clock_time() -> None:
    assert school_hours_between(RULES, at(24, 10), at(24, 13, 30)) == 3.5


def test_quiet_hours_count_for_nothing() -> None:
    # Tuesday 19:00 to Wednesday 08:30: one hour before the quiet hours, one after.
    assert school_hours_between(RULES, at(24, 19), at(25, 8, 30)) == 2.0
    assert school_hours_between(RULES, at(24, 21), at(25, 7)) == 0.0


def test_a_weekend_counts_for_nothing() -> None:
    # Friday 27 November 19:00 to Monday 30 November 08:30.
    assert school_hours_between(RULES, at(27, 19), at(30, 8, 30)) == 2.0


def test_a_holiday_and_a_free_day_count_for_nothing() -> None:
    # The Christmas holiday 2026-2027 starts on Monday 21 December.
    friday, monday_after = at(18, 19, month=12), dt.datetime(2027, 1, 4, 8, 30, tzinfo=ZONE)
    assert school_hours_between(RULES, friday, monday_after) == 2.0
    free = TimeRules(ZONE, free_days=frozenset({dt.date(2026, 11, 25)}))
    assert school_hours_between(free, at(24, 19), at(26, 8, 30)) == 2.0


def test_twenty_four_school_hours_are_about_two_school_days() -> None:
    asked = at(24, 12)  # Tuesday noon
    assert school_hours_between(RULES, asked, at(26, 11)) == 24.0  # 8 + 12.5 + 3.5
    assert waited_too_long(RULES, asked, at(26, 11), 24)
    assert not waited_too_long(RULES, asked, at(26, 10, 59), 24)


def test_without_quiet_hours_a_school_day_counts_whole_and_the_end_must_be_later() -> None:
    always = TimeRules(ZONE, QuietHours(dt.time(0, 0), dt.time(0, 0)))
    assert school_hours_between(always, at(24, 0), at(25, 0)) == 24.0
    assert school_hours_between(RULES, at(25, 10), at(24, 10)) == 0.0
