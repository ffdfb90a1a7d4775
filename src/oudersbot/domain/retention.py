"""How long a school keeps personal data, in school years (pure: dates in, dates out).

A Flemish school year runs from 1 September to 31 August. The school keeps what belongs to a
school year for the rest of that year and then `years` whole school years more; it goes on the
1 September after that. So with one year, a pupil who left on 30 June 2026 (school year
2025-2026) is erased on 1 September 2027, and one who left on 15 September 2026 (school year
2026-2027) on 1 September 2028: a leaver is never kept less than a full school year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SCHOOL_YEAR_START_MONTH = 9  # 1 September
MAX_YEARS = 10


class RetentionError(ValueError):
    """A retention setting out of range."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def school_year_of(day: date) -> int:
    """The calendar year in which the school year holding `day` began (2026-03-01 -> 2025)."""
    return day.year if day.month >= SCHOOL_YEAR_START_MONTH else day.year - 1


def school_year_start(year: int) -> date:
    """1 September of `year`: the first day of that school year."""
    return date(year, SCHOOL_YEAR_START_MONTH, 1)


def expires_on(day: date, years: int) -> date:
    """The first day on which something dated `day` is no longer kept."""
    return school_year_start(school_year_of(day) + 1 + years)


def cutoff(today: date, years: int) -> date:
    """Everything dated before this day has expired on `today` (the same rule as `expires_on`,
    turned around for a query: day < cutoff(today, n) exactly when today >= expires_on(day, n))."""
    return school_year_start(school_year_of(today) - years)


@dataclass(frozen=True)
class RetentionPolicy:
    """A school's retention: leavers' personal data, and everyone's messages and answers."""

    leavers_years: int = 1
    history_years: int = 2

    def __post_init__(self) -> None:
        for name, value in (("leavers", self.leavers_years), ("history", self.history_years)):
            if not 0 <= value <= MAX_YEARS:
                raise RetentionError(
                    "years_out_of_range",
                    f"{name} years must be 0 to {MAX_YEARS}, not {value}",
                    value=value,
                    maximum=MAX_YEARS,
                )


@dataclass(frozen=True)
class Cutoffs:
    """The days before which a school's leavers and history have expired, on one day."""

    leavers: date
    history: date


def cutoffs(policy: RetentionPolicy, today: date) -> Cutoffs:
    """A policy's cutoffs on a day."""
    return Cutoffs(cutoff(today, policy.leavers_years), cutoff(today, policy.history_years))


def run_due(last_run: date | None, today: date) -> bool:
    """Retention runs once a day: on the first wake of a day it has not run on yet."""
    return last_run is None or last_run < today
