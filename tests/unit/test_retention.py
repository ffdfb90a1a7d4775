"""The retention rule in school years (1 September to 31 August), with dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oudersbot.domain.retention import (
    RetentionError,
    RetentionPolicy,
    cutoff,
    cutoffs,
    expires_on,
    run_due,
    school_year_of,
)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 8, 31), 2025),
        (date(2026, 9, 1), 2026),
        (date(2027, 1, 1), 2026),
        (date(2024, 2, 29), 2023),
    ],
)
def test_a_school_year_begins_on_1_september(day: date, year: int) -> None:
    assert school_year_of(day) == year


@pytest.mark.parametrize(
    ("left", "years", "gone_on"),
    [
        (date(2026, 6, 30), 1, date(2027, 9, 1)),  # left at the end of a year: one more year
        (date(2026, 8, 31), 1, date(2027, 9, 1)),
        (date(2026, 9, 15), 1, date(2028, 9, 1)),  # left early in a year: kept to its end + 1
        (date(2026, 6, 30), 0, date(2026, 9, 1)),  # zero: gone when their school year ends
        (date(2025, 3, 10), 2, date(2027, 9, 1)),  # history: two school years after its own
    ],
)
def test_data_goes_on_the_first_of_september_after_its_year_and_n_more(
    left: date, years: int, gone_on: date
) -> None:
    assert expires_on(left, years) == gone_on
    assert left < cutoff(gone_on, years)  # expired on that day
    assert not left < cutoff(gone_on - timedelta(days=1), years)  # kept the day before


def test_the_cutoff_and_the_expiry_agree_on_every_day_of_four_years() -> None:
    days = [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 4 * 366, 5)]
    for years in (0, 1, 2, 3):
        for day in days:
            for today in days[::7]:
                assert (day < cutoff(today, years)) == (today >= expires_on(day, years))


def test_a_policy_is_zero_to_ten_school_years() -> None:
    assert cutoffs(RetentionPolicy(1, 2), date(2026, 11, 23)) == cutoffs(
        RetentionPolicy(), date(2026, 9, 1)
    )
    assert cutoffs(RetentionPolicy(1, 2), date(2026, 11, 23)).leavers == date(2025, 9, 1)
    with pytest.raises(RetentionError) as caught:
        RetentionPolicy(11, 2)
    assert caught.value.params == {"value": 11, "maximum": 10}
    with pytest.raises(RetentionError):
        RetentionPolicy(1, -1)


def test_retention_runs_once_a_day() -> None:
    assert run_due(None, date(2026, 11, 23))
    assert not run_due(date(2026, 11, 23), date(2026, 11, 23))
    assert run_due(date(2026, 11, 22), date(2026, 11, 23))
