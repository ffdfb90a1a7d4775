"""Planning reminder moments: rules, quiet hours, weekends, holidays, free days and DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from oudersbot.domain.calendar import CalendarEvent, ReminderRule
from oudersbot.domain.holidays import UnknownSchoolYearError
from oudersbot.domain.reminder_plan import overview_moments, plan_event, school_free_days
from oudersbot.domain.slips import QuietHours

BRUSSELS = ZoneInfo("Europe/Brussels")
QUIET = QuietHours()  # 20:00-07:30
# Quiet hours that stay out of the way of a rule at 02:30, for the daylight-saving tests.
LATE_QUIET = QuietHours(dt.time(22, 0), dt.time(23, 0))
LONG_AGO = dt.datetime(2026, 9, 1, 0, 0, tzinfo=BRUSSELS)

WEEK_BEFORE = ReminderRule("uitstap", "week_before", days_before=7, at=dt.time(18, 0))
DAY_BEFORE = ReminderRule("uitstap", "day_before", days_before=1, at=dt.time(18, 0))
SCHOOL_DAY_BEFORE = ReminderRule(
    "vrije-dag", "school_day_before", school_days_before=1, at=dt.time(15, 45)
)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A local moment in Brussels."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def event(
    start: dt.datetime,
    *,
    all_day: bool = False,
    kind: str = "uitstap",
    end: dt.datetime | None = None,
    groups: tuple[str, ...] = ("school",),
) -> CalendarEvent:
    return CalendarEvent(
        key=f"{kind}-{start:%Y%m%d}",
        title=kind,
        start=start,
        all_day=all_day,
        groups=groups,
        template_id=kind,
        end=end,
    )


def rule(days: int, hour: int, minute: int = 0, *, urgent: bool = False) -> ReminderRule:
    return ReminderRule("x", f"r{days}", days_before=days, at=dt.time(hour, minute), urgent=urgent)


def dues(trip: CalendarEvent, rules: list[ReminderRule], **kwargs: object) -> list[dt.datetime]:
    kwargs.setdefault("now", LONG_AGO)
    kwargs.setdefault("quiet", QUIET)
    return [moment.due for moment in plan_event(trip, rules, **kwargs)]  # type: ignore[arg-type]


def test_a_trip_is_reminded_a_week_and_a_day_before_at_18() -> None:
    trip = event(at(2026, 12, 3, 10))  # Thursday
    planned = plan_event(trip, [WEEK_BEFORE, DAY_BEFORE], now=LONG_AGO, quiet=QUIET)
    assert [(m.rule, m.due, m.moved) for m in planned] == [
        ("week_before", at(2026, 11, 26, 18), False),
        ("day_before", at(2026, 12, 2, 18), False),
    ]
    assert all(m.event_key == trip.key for m in planned)


def test_a_free_day_is_announced_the_school_day_before_after_school() -> None:
    free_day = event(at(2027, 2, 5), all_day=True, kind="vrije-dag")  # Friday
    assert dues(free_day, [SCHOOL_DAY_BEFORE]) == [at(2027, 2, 4, 15, 45)]


def test_school_days_before_skips_the_weekend_and_the_christmas_holiday() -> None:
    back_to_school = event(at(2027, 1, 4), all_day=True, kind="vrije-dag")  # Monday
    assert dues(back_to_school, [SCHOOL_DAY_BEFORE]) == [at(2026, 12, 18, 15, 45)]


def test_school_days_before_skips_the_schools_own_free_days() -> None:
    free_day = event(at(2027, 2, 5), all_day=True, kind="vrije-dag")
    planned = dues(free_day, [SCHOOL_DAY_BEFORE], free_days={dt.date(2027, 2, 4)})
    assert planned == [at(2027, 2, 3, 15, 45)]


def test_school_days_before_across_1_september_uses_both_school_years() -> None:
    first_day = event(at(2026, 9, 1), all_day=True, kind="vrije-dag")  # Tuesday
    second_day = event(at(2026, 9, 2), all_day=True, kind="vrije-dag")
    assert dues(first_day, [SCHOOL_DAY_BEFORE], now=at(2026, 6, 1)) == [at(2026, 6, 30, 15, 45)]
    assert dues(second_day, [SCHOOL_DAY_BEFORE]) == [at(2026, 9, 1, 15, 45)]


def test_a_sunday_reminder_moves_to_monday_morning_when_that_is_before_the_event() -> None:
    monday_trip = event(at(2026, 12, 7, 10))
    (moment,) = plan_event(monday_trip, [DAY_BEFORE], now=LONG_AGO, quiet=QUIET)
    assert (moment.due, moment.moved) == (at(2026, 12, 7, 7, 30), True)


@pytest.mark.parametrize(
    "monday", [event(at(2026, 12, 7), all_day=True), event(at(2026, 12, 7, 7, 30))]
)
def test_a_sunday_reminder_is_left_out_when_monday_morning_is_too_late(
    monday: CalendarEvent,
) -> None:
    assert dues(monday, [DAY_BEFORE]) == []


def test_the_day_before_falls_in_the_christmas_holiday() -> None:
    morning = event(at(2027, 1, 4, 8, 30))  # Monday after the holiday; Sunday 3 Jan is in it
    assert dues(morning, [DAY_BEFORE]) == [at(2027, 1, 4, 7, 30)]
    assert dues(event(at(2027, 1, 4), all_day=True), [DAY_BEFORE]) == []


def test_the_day_before_falls_on_a_school_free_day_and_moves_on() -> None:
    trip = event(at(2027, 2, 5, 10))  # Friday; Thursday is the school's study day
    assert dues(trip, [DAY_BEFORE], free_days={dt.date(2027, 2, 4)}) == [at(2027, 2, 5, 7, 30)]


def test_the_summer_holiday_before_1_september_is_not_a_school_day() -> None:
    first_day = event(at(2026, 9, 1, 10))
    assert dues(first_day, [DAY_BEFORE], now=at(2026, 8, 1)) == [at(2026, 9, 1, 7, 30)]


def test_an_urgent_reminder_may_go_out_on_a_sunday() -> None:
    strike = event(at(2026, 12, 7), all_day=True, kind="staking")
    (moment,) = plan_event(strike, [rule(1, 18, urgent=True)], now=LONG_AGO, quiet=QUIET)
    assert (moment.due, moment.moved) == (at(2026, 12, 6, 18), False)


def test_an_urgent_reminder_still_respects_quiet_hours() -> None:
    strike = event(at(2026, 12, 7, 12), kind="staking")
    assert dues(strike, [rule(1, 22, urgent=True)]) == [at(2026, 12, 7, 7, 30)]


def test_quiet_hours_move_a_reminder_to_0730_the_next_school_day() -> None:
    thursday = event(at(2026, 12, 3, 10))
    (moment,) = plan_event(thursday, [rule(1, 22)], now=LONG_AGO, quiet=QUIET)
    assert (moment.due, moment.moved) == (at(2026, 12, 3, 7, 30), True)
    tuesday = event(at(2026, 12, 8, 12))  # 4 days before is Friday 22:00: on to Monday
    assert dues(tuesday, [rule(4, 22)]) == [at(2026, 12, 7, 7, 30)]


def test_a_reminder_in_the_early_morning_moves_to_the_end_of_quiet_hours_the_same_day() -> None:
    thursday = event(at(2026, 12, 3, 10))
    assert dues(thursday, [rule(1, 6)]) == [at(2026, 12, 2, 7, 30)]


def test_a_timed_event_cuts_off_a_reminder_that_would_come_at_or_after_its_start() -> None:
    early = event(at(2026, 12, 3, 7, 30))
    assert dues(early, [rule(1, 22)]) == []
    assert dues(early, [rule(0, 7)]) == []


def test_two_rules_moved_to_the_same_moment_give_one_reminder() -> None:
    tuesday = event(at(2027, 1, 5, 10))  # 3 and 2 days before are Saturday and Sunday
    planned = plan_event(tuesday, [rule(3, 18), rule(2, 18)], now=LONG_AGO, quiet=QUIET)
    assert [(m.rule, m.due) for m in planned] == [("r3", at(2027, 1, 4, 7, 30))]


def test_days_before_counts_calendar_days_across_the_autumn_clock_change() -> None:
    trip = event(at(2026, 10, 29, 10))  # the clocks go back on Sunday 25 October
    planned = dues(trip, [WEEK_BEFORE, DAY_BEFORE])
    assert planned == [at(2026, 10, 22, 18), at(2026, 10, 28, 18)]
    assert [m.utcoffset() for m in planned] == [dt.timedelta(hours=2), dt.timedelta(hours=1)]


def test_days_before_counts_calendar_days_across_the_spring_clock_change() -> None:
    trip = event(at(2026, 4, 2, 10))  # the clocks go forward on Sunday 29 March 2026
    planned = dues(trip, [WEEK_BEFORE], now=at(2026, 3, 1))
    assert planned == [at(2026, 3, 26, 18)]
    assert planned[0].utcoffset() == dt.timedelta(hours=1)


def test_a_time_that_does_not_exist_in_spring_moves_to_a_real_time() -> None:
    sunday = event(at(2027, 3, 28, 10), kind="staking")  # 02:00 -> 03:00
    (moment,) = plan_event(sunday, [rule(0, 2, 30, urgent=True)], now=LONG_AGO, quiet=LATE_QUIET)
    assert moment.moved
    assert moment.due.utcoffset() == dt.timedelta(hours=2)
    assert moment.due.time() >= dt.time(3, 0)
    assert moment.due == dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)


def test_a_time_that_exists_twice_in_autumn_is_planned_once_the_first_time() -> None:
    sunday = event(at(2026, 10, 25, 10), kind="staking")  # 03:00 -> 02:00
    planned = plan_event(sunday, [rule(0, 2, 30, urgent=True)], now=LONG_AGO, quiet=LATE_QUIET)
    assert len(planned) == 1
    (moment,) = planned
    assert (moment.due.fold, moment.due.utcoffset(), moment.moved) == (
        0,
        dt.timedelta(hours=2),
        False,
    )
    # Compared in UTC: Python never finds an ambiguous time equal to one in another zone.
    assert moment.due.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)


def test_an_event_in_the_past_plans_nothing() -> None:
    trip = event(at(2026, 12, 3, 10))
    assert dues(trip, [WEEK_BEFORE, DAY_BEFORE], now=at(2026, 12, 3, 10)) == []
    assert dues(trip, [WEEK_BEFORE, DAY_BEFORE], now=at(2027, 1, 1)) == []
    ancient = event(at(1990, 5, 2, 10))  # outside the known school years: still no exception
    assert dues(ancient, [WEEK_BEFORE]) == []


def test_only_moments_after_now_are_planned() -> None:
    trip = event(at(2026, 12, 3, 10))
    assert dues(trip, [WEEK_BEFORE, DAY_BEFORE], now=at(2026, 11, 30, 9)) == [at(2026, 12, 2, 18)]
    assert dues(trip, [WEEK_BEFORE, DAY_BEFORE], now=at(2026, 11, 26, 18)) == [at(2026, 12, 2, 18)]


def test_an_event_outside_the_known_school_years_is_reported_by_the_caller() -> None:
    with pytest.raises(UnknownSchoolYearError):
        plan_event(event(at(2150, 5, 2, 10)), [DAY_BEFORE], now=LONG_AGO, quiet=QUIET)


def test_school_free_days_are_the_whole_school_free_and_study_days() -> None:
    events = [
        event(at(2027, 2, 5), all_day=True, kind="vrije-dag"),
        event(at(2027, 3, 15), all_day=True, kind="studiedag", end=at(2027, 3, 17)),
        event(at(2027, 4, 20), all_day=True, kind="vrije-dag", groups=("1A",)),
        event(at(2027, 5, 20), all_day=True, kind="uitstap"),
        event(at(2027, 6, 2, 8, 30), kind="studiedag", end=at(2027, 6, 3, 15, 30)),
    ]
    assert school_free_days(events) == {
        dt.date(2027, 2, 5),
        dt.date(2027, 3, 15),
        dt.date(2027, 3, 16),
        dt.date(2027, 6, 2),
        dt.date(2027, 6, 3),
    }


SCHOOL_YEAR = [(2026, month) for month in range(9, 13)] + [(2027, m) for m in range(1, 9)]


def test_the_month_overview_goes_out_on_the_first_school_day_of_each_month() -> None:
    moments = overview_moments(SCHOOL_YEAR, at=dt.time(16), zone=BRUSSELS, quiet=QUIET)
    assert moments == {
        (2026, 9): at(2026, 9, 1, 16),  # Tuesday
        (2026, 10): at(2026, 10, 1, 16),
        (2026, 11): at(2026, 11, 9, 16),  # autumn holiday 2-8, 1 November a Sunday
        (2026, 12): at(2026, 12, 1, 16),
        (2027, 1): at(2027, 1, 4, 16),  # after the Christmas holiday
        (2027, 2): at(2027, 2, 1, 16),
        (2027, 3): at(2027, 3, 1, 16),
        (2027, 4): at(2027, 4, 12, 16),  # after the Easter holiday (Easter in March)
        (2027, 5): at(2027, 5, 3, 16),  # 1 May is a Saturday
        (2027, 6): at(2027, 6, 1, 16),
    }  # no school day in July and August: no overview


def test_the_month_overview_skips_the_schools_free_day_and_quiet_hours() -> None:
    free = {dt.date(2026, 10, 1)}
    moments = overview_moments(
        [(2026, 9), (2026, 10)], at=dt.time(21), zone=BRUSSELS, quiet=QUIET, free_days=free
    )
    assert moments == {(2026, 9): at(2026, 9, 2, 7, 30), (2026, 10): at(2026, 10, 5, 7, 30)}
