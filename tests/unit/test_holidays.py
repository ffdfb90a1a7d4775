"""Flemish school holidays from the fixed rules, checked against published school calendars."""

from __future__ import annotations

import datetime as dt

import pytest

from oudersbot.domain.holidays import (
    Holiday,
    UnknownSchoolYearError,
    easter_sunday,
    holidays,
    is_school_day,
    next_school_day,
    school_year_of,
)

D = dt.date
ALL_YEARS = range(2000, 2101)
PERIODS = {"autumn", "christmas", "carnival", "easter", "summer"}


def period(school_year: int, name: str) -> Holiday:
    """The one holiday with that name in a school year."""
    (found,) = [h for h in holidays(school_year) if h.name == name]
    return found


@pytest.mark.parametrize(
    "year, expected",
    [
        (2008, D(2008, 3, 23)),
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2027, D(2027, 3, 28)),
        (2028, D(2028, 4, 16)),
        (2030, D(2030, 4, 21)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, expected: dt.date) -> None:
    assert easter_sunday(year) == expected


def test_easter_is_always_a_sunday_between_22_march_and_25_april() -> None:
    for year in range(1583, 2500):
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert D(year, 3, 22) <= easter <= D(year, 4, 25)


def test_easter_before_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(ValueError, match="Gregorian"):
        easter_sunday(1500)


# (school year, first, last) of the CLASSIC paasvakantie.
@pytest.mark.parametrize(
    "school_year, first, last",
    [
        # Easter 27 March 2016, in March: from Easter Monday.
        (2015, D(2016, 3, 28), D(2016, 4, 10)),
        # Easter 21 April 2019, after 15 April: from the second Monday before Easter.
        (2018, D(2019, 4, 8), D(2019, 4, 21)),
        # Easter 5 April 2026: from the first Monday of April (which is Easter Monday).
        (2025, D(2026, 4, 6), D(2026, 4, 19)),
        # Easter 31 March 2024, in March.
        (2023, D(2024, 4, 1), D(2024, 4, 14)),
        # Easter 9 April 2023: first Monday of April.
        (2022, D(2023, 4, 3), D(2023, 4, 16)),
        # Easter 20 April 2025, after 15 April.
        (2024, D(2025, 4, 7), D(2025, 4, 20)),
        # Easter 15 April 2001: not after 15 April, first Monday of April.
        (2000, D(2001, 4, 2), D(2001, 4, 15)),
    ],
)
def test_classic_easter_holiday(school_year: int, first: dt.date, last: dt.date) -> None:
    assert period(school_year, "easter") == Holiday("easter", first, last)


def test_with_a_late_easter_easter_monday_is_a_day_off_after_the_two_weeks() -> None:
    assert period(2018, "easter_monday") == Holiday("easter_monday", D(2019, 4, 22), D(2019, 4, 22))
    assert not is_school_day(D(2019, 4, 22), school_year_holidays=holidays(2018))
    assert next_school_day(D(2019, 4, 8), holidays(2018)) == D(2019, 4, 23)


def test_both_readings_of_the_late_easter_rule_agree() -> None:
    """ "Pasen na 15 april" and "paasmaandag na 15 april" give the same holiday every year."""
    for school_year in ALL_YEARS:
        easter = easter_sunday(school_year + 1)
        start = period(school_year, "easter").first
        if easter.month == 3:
            assert start == easter + dt.timedelta(days=1)
        elif easter + dt.timedelta(days=1) > D(easter.year, 4, 15):
            assert start == easter - dt.timedelta(days=13)
        else:
            assert start.month == 4
            assert start.day <= 7
            assert start.weekday() == 0


@pytest.mark.parametrize(
    "school_year, first, last",
    [
        (2021, D(2021, 12, 27), D(2022, 1, 9)),  # 25 December a Saturday: the Monday after
        (2026, D(2026, 12, 21), D(2027, 1, 3)),  # a Friday: the Monday of that week
        (2022, D(2022, 12, 26), D(2023, 1, 8)),  # a Sunday: the Monday after
        (2023, D(2023, 12, 25), D(2024, 1, 7)),  # a Monday: that day
        (2024, D(2024, 12, 23), D(2025, 1, 5)),  # a Wednesday
    ],
)
def test_christmas_holiday(school_year: int, first: dt.date, last: dt.date) -> None:
    assert period(school_year, "christmas") == Holiday("christmas", first, last)


@pytest.mark.parametrize(
    "school_year, first, last",
    [
        (2026, D(2026, 11, 2), D(2026, 11, 8)),  # 1 November a Sunday: from 2 November
        (2025, D(2025, 10, 27), D(2025, 11, 2)),  # a Saturday: the Monday of that week
        (2022, D(2022, 10, 31), D(2022, 11, 6)),
        (2023, D(2023, 10, 30), D(2023, 11, 5)),
        (2024, D(2024, 10, 28), D(2024, 11, 3)),
        (2018, D(2018, 10, 29), D(2018, 11, 4)),
    ],
)
def test_classic_autumn_holiday(school_year: int, first: dt.date, last: dt.date) -> None:
    assert period(school_year, "autumn") == Holiday("autumn", first, last)


@pytest.mark.parametrize(
    "school_year, first, last",
    [
        (2026, D(2027, 2, 8), D(2027, 2, 14)),  # Easter 28 March 2027
        (2022, D(2023, 2, 20), D(2023, 2, 26)),
        (2023, D(2024, 2, 12), D(2024, 2, 18)),
        (2024, D(2025, 3, 3), D(2025, 3, 9)),
        (2018, D(2019, 3, 4), D(2019, 3, 10)),
    ],
)
def test_classic_carnival_holiday(school_year: int, first: dt.date, last: dt.date) -> None:
    assert period(school_year, "carnival") == Holiday("carnival", first, last)


def test_a_whole_classic_school_year_matches_a_published_calendar() -> None:
    """2019-2020 as a Flemish primary school published it."""
    assert holidays(2019) == (
        Holiday("autumn", D(2019, 10, 28), D(2019, 11, 3)),
        Holiday("all_saints", D(2019, 11, 1), D(2019, 11, 1)),
        Holiday("armistice", D(2019, 11, 11), D(2019, 11, 11)),
        Holiday("christmas", D(2019, 12, 23), D(2020, 1, 5)),
        Holiday("carnival", D(2020, 2, 24), D(2020, 3, 1)),
        Holiday("easter", D(2020, 4, 6), D(2020, 4, 19)),
        Holiday("easter_monday", D(2020, 4, 13), D(2020, 4, 13)),
        Holiday("labour_day", D(2020, 5, 1), D(2020, 5, 1)),
        Holiday("ascension", D(2020, 5, 21), D(2020, 5, 22)),
        Holiday("whit_monday", D(2020, 6, 1), D(2020, 6, 1)),
        Holiday("summer", D(2020, 7, 1), D(2020, 8, 31)),
    )


@pytest.mark.parametrize(
    "name, day",
    [
        ("all_saints", D(2024, 11, 1)),
        ("armistice", D(2024, 11, 11)),
        ("easter_monday", D(2025, 4, 21)),
        ("labour_day", D(2025, 5, 1)),
        ("whit_monday", D(2025, 6, 9)),
    ],
)
def test_public_holidays(name: str, day: dt.date) -> None:
    assert period(2024, name) == Holiday(name, day, day)


def test_ascension_day_and_the_friday_after_are_free() -> None:
    assert period(2024, "ascension") == Holiday("ascension", D(2025, 5, 29), D(2025, 5, 30))


def test_classic_summer_is_july_and_august_of_the_year_that_ends() -> None:
    assert period(2026, "summer") == Holiday("summer", D(2027, 7, 1), D(2027, 8, 31))


def test_every_school_year_is_consistent() -> None:
    for school_year in ALL_YEARS:
        found = holidays(school_year)
        assert list(found) == sorted(found, key=lambda h: (h.first, h.last, h.name))
        assert {h.name for h in found} == PERIODS | {
            "all_saints",
            "armistice",
            "easter_monday",
            "labour_day",
            "ascension",
            "whit_monday",
        }
        assert all(D(school_year, 9, 1) <= h.first <= h.last for h in found)
        assert all(h.last <= D(school_year + 1, 8, 31) for h in found)
        breaks = sorted((h for h in found if h.name in PERIODS), key=lambda h: h.first)
        for earlier, later in zip(breaks, breaks[1:], strict=False):
            assert earlier.last < later.first
        for holiday in breaks:
            if holiday.name != "summer":
                assert holiday.first.weekday() == 0
                assert holiday.last.weekday() == 6


def test_holidays_are_cached() -> None:
    assert holidays(2026) is holidays(2026)


@pytest.mark.parametrize("school_year", [1850, 1999, 2101])
def test_unknown_school_years_are_refused(school_year: int) -> None:
    with pytest.raises(UnknownSchoolYearError, match=f"school year {school_year}-"):
        holidays(school_year)


def test_unknown_school_year_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="outside the supported range 2000-2001 to 2100-2101"):
        holidays(1850)


@pytest.mark.parametrize(
    "day, school_year",
    [
        (D(2026, 9, 1), 2026),
        (D(2026, 8, 31), 2025),
        (D(2026, 12, 31), 2026),
        (D(2027, 1, 1), 2026),
        (D(2027, 3, 15), 2026),
        (D(2027, 6, 30), 2026),
        (D(2027, 7, 15), 2026),
        (D(2027, 8, 31), 2026),
    ],
)
def test_school_year_of(day: dt.date, school_year: int) -> None:
    assert school_year_of(day) == school_year


@pytest.mark.parametrize(
    "day, expected",
    [
        (D(2026, 10, 7), True),  # a Wednesday
        (D(2026, 10, 3), False),  # a Saturday
        (D(2026, 10, 4), False),  # a Sunday
        (D(2026, 11, 4), False),  # autumn holiday
        (D(2026, 11, 11), False),  # Armistice
        (D(2026, 12, 24), False),  # Christmas holiday
        (D(2027, 5, 6), False),  # Ascension
        (D(2027, 5, 7), False),  # the Friday after Ascension is free too
        (D(2027, 6, 30), True),
        (D(2027, 7, 1), False),  # summer
    ],
)
def test_is_school_day(day: dt.date, expected: bool) -> None:
    assert is_school_day(day, school_year_holidays=holidays(2026)) is expected


def test_the_schools_own_free_days_are_not_school_days() -> None:
    free = {D(2026, 10, 7)}
    assert not is_school_day(D(2026, 10, 7), school_year_holidays=(), extra_free_days=free)
    assert is_school_day(D(2026, 10, 8), school_year_holidays=(), extra_free_days=free)


@pytest.mark.parametrize(
    "day, extra, expected",
    [
        (D(2026, 10, 5), (), D(2026, 10, 5)),  # a school day is its own answer
        (D(2026, 10, 3), (), D(2026, 10, 5)),  # a Saturday: the Monday
        (D(2026, 12, 24), (), D(2027, 1, 4)),  # in the Christmas holiday: the Monday after
        (D(2026, 10, 3), (D(2026, 10, 5),), D(2026, 10, 6)),  # an extra free day is skipped
        (D(2026, 10, 31), (), D(2026, 11, 9)),  # autumn holiday after a Sunday 1 November
        (D(2019, 4, 6), (), D(2019, 4, 23)),  # a late Easter: two weeks and Easter Monday
    ],
)
def test_next_school_day(day: dt.date, extra: tuple[dt.date, ...], expected: dt.date) -> None:
    found = holidays(2026) + holidays(2018)
    assert next_school_day(day, found, extra) == expected


def test_next_school_day_crosses_the_summer_with_both_school_years() -> None:
    both = holidays(2025) + holidays(2026)
    assert next_school_day(D(2026, 7, 15), both) == D(2026, 9, 1)


def test_next_school_day_gives_up_after_120_days() -> None:
    closed = (Holiday("closed", D(2026, 9, 1), D(2027, 6, 30)),)
    with pytest.raises(ValueError, match="no school day within 120 days"):
        next_school_day(D(2026, 9, 1), closed)
    reopens = (Holiday("closed", D(2026, 9, 1), D(2026, 12, 29)),)
    assert next_school_day(D(2026, 9, 1), reopens) == D(2026, 12, 30)


def test_a_holiday_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends"):
        Holiday("summer", D(2027, 8, 31), D(2027, 7, 1))
