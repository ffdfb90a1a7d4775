"""School holidays and days off of a Flemish school year, computed from the fixed rules.

The Flemish rules (Besluit van de Vlaamse Regering van 17 april 1991, still in force; see
vlaanderen.be "Schoolvakanties en vrije dagen op school") fix every holiday from the date of
Easter, so no table has to be kept up to date:

- herfstvakantie: one week, from the Monday of the week in which 1 November falls; when
  1 November is a Sunday, from Monday 2 November;
- kerstvakantie: two weeks, from the Monday of the week in which Christmas falls; when
  25 December is a Saturday or a Sunday, from the Monday after it;
- krokusvakantie: one week, from the seventh Monday before Easter (Easter Sunday - 48 days);
- paasvakantie: two weeks. "De paasvakantie begint op de eerste maandag van april. Valt Pasen
  in maart, dan begint de paasvakantie op paasmaandag. Valt Pasen na 15 april, dan begint de
  paasvakantie op de tweede maandag vóór Pasen." (Reading "paasmaandag na 15 april" instead
  gives the same dates: the two differ only when Easter is 15 April, and then the first Monday
  of April is also the second Monday before Easter.) With a late Easter the two weeks end on
  Easter Sunday and Easter Monday is a day off of its own;
- zomervakantie: 1 July to 31 August;
- the public holidays in the school year: 1 and 11 November, Easter Monday, 1 May, Ascension
  Day and Whit Monday.

The official text gives Ascension Day and the day after it off ("Hemelvaartsdag en de dag
erna"): `ascension` covers both, Thursday and Friday.

The 2022 reform of the school calendar (two-week autumn and carnival holidays, a shorter
summer) is that of the French Community (Fédération Wallonie-Bruxelles); Flanders kept these
rules, so they are the only ones here.

Weeks run Monday to Sunday; every date is inclusive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

# The school years `holidays` answers for (the year in which the school year starts).
FIRST_SCHOOL_YEAR = 2000
LAST_SCHOOL_YEAR = 2100

# How far `next_school_day` looks ahead; the longest break (summer) is about 62 days.
MAX_LOOKAHEAD_DAYS = 120

_MONDAY = 0
_SATURDAY = 5
_SUNDAY = 6
_WEEK = dt.timedelta(days=7)


class UnknownSchoolYearError(ValueError):
    """A school year for which no holidays are computed."""

    def __init__(self, school_year: int) -> None:
        super().__init__(
            f"school year {school_year}-{school_year + 1} is outside the supported range "
            f"{FIRST_SCHOOL_YEAR}-{FIRST_SCHOOL_YEAR + 1} to {LAST_SCHOOL_YEAR}-"
            f"{LAST_SCHOOL_YEAR + 1}"
        )
        self.school_year = school_year


@dataclass(frozen=True)
class Holiday:
    """A holiday or a day off, from `first` to `last`, both included.

    `name` is a stable key: summer, autumn, christmas, carnival, easter, all_saints, armistice,
    easter_monday, labour_day, ascension, whit_monday."""

    name: str
    first: dt.date
    last: dt.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"holiday {self.name!r} ends ({self.last}) before it starts")

    def covers(self, day: dt.date) -> bool:
        """True when `day` falls in this holiday."""
        return self.first <= day <= self.last


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    if year < 1583:
        raise ValueError(f"{year} is before the Gregorian calendar")
    golden = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    correction = (century + 8) // 25
    moon = (century - correction + 1) // 3
    epact = (19 * golden + century - leap_centuries - moon + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    weekday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    shift = (golden + 11 * epact + 22 * weekday) // 451
    month, day = divmod(epact + weekday - 7 * shift + 114, 31)
    return dt.date(year, month, day + 1)


def school_year_of(day: dt.date) -> int:
    """The calendar year in which the school year of `day` starts (1 September to 31 August).

    The summer holiday belongs to the school year that ends: 15 July 2027 gives 2026."""
    return day.year if day.month >= 9 else day.year - 1


def holidays(school_year: int) -> tuple[Holiday, ...]:
    """Every holiday and day off from 1 September of `school_year` to 31 August after it.

    Sorted by first day, then last day. A public holiday that falls inside a holiday period
    or on a weekend is still listed."""
    if not FIRST_SCHOOL_YEAR <= school_year <= LAST_SCHOOL_YEAR:
        raise UnknownSchoolYearError(school_year)
    return _holidays(school_year)


def is_school_day(
    day: dt.date,
    *,
    school_year_holidays: Sequence[Holiday],
    extra_free_days: Collection[dt.date] = (),
) -> bool:
    """True on Monday to Friday outside every holiday and the school's own free days.

    Only the holidays passed are considered: pass those of the school year of `day`."""
    if day.weekday() >= _SATURDAY or day in extra_free_days:
        return False
    return not any(holiday.covers(day) for holiday in school_year_holidays)


def next_school_day(
    day: dt.date, holidays: Sequence[Holiday], extra_free_days: Collection[dt.date] = ()
) -> dt.date:
    """The first school day on or after `day`, at most `MAX_LOOKAHEAD_DAYS` days later.

    Only the holidays passed are considered; near 1 September, pass the holidays of both
    school years. Raises ValueError when there is no school day in that window."""
    for offset in range(MAX_LOOKAHEAD_DAYS + 1):
        candidate = day + dt.timedelta(days=offset)
        if is_school_day(candidate, school_year_holidays=holidays, extra_free_days=extra_free_days):
            return candidate
    raise ValueError(f"no school day within {MAX_LOOKAHEAD_DAYS} days after {day.isoformat()}")


@lru_cache(maxsize=256)
def _holidays(school_year: int) -> tuple[Holiday, ...]:
    """The holidays of a supported school year; pure, so cached."""
    autumn_year, spring_year = school_year, school_year + 1
    easter = easter_sunday(spring_year)
    ascension = easter + dt.timedelta(days=39)
    found = [
        _weeks("autumn", _autumn_holiday_start(autumn_year), 1),
        _weeks("christmas", _christmas_holiday_start(autumn_year), 2),
        _weeks("carnival", easter - dt.timedelta(days=48), 1),
        _weeks("easter", _easter_holiday_start(easter), 2),
        Holiday("summer", dt.date(spring_year, 7, 1), dt.date(spring_year, 8, 31)),
        _day("all_saints", dt.date(autumn_year, 11, 1)),
        _day("armistice", dt.date(autumn_year, 11, 11)),
        _day("easter_monday", easter + dt.timedelta(days=1)),
        _day("labour_day", dt.date(spring_year, 5, 1)),
        Holiday("ascension", ascension, ascension + dt.timedelta(days=1)),
        _day("whit_monday", easter + dt.timedelta(days=50)),
    ]
    return tuple(sorted(found, key=lambda h: (h.first, h.last, h.name)))


def _easter_holiday_start(easter: dt.date) -> dt.date:
    """First Monday of April; Easter Monday if Easter is in March; the second Monday before
    Easter if Easter is after 15 April."""
    if easter.month == 3:
        return easter + dt.timedelta(days=1)
    if easter > dt.date(easter.year, 4, 15):
        return easter - 2 * _WEEK + dt.timedelta(days=1)
    return _first_weekday_from(dt.date(easter.year, 4, 1), _MONDAY)


def _autumn_holiday_start(year: int) -> dt.date:
    """The Monday of the week of 1 November; 2 November when 1 November is a Sunday."""
    all_saints = dt.date(year, 11, 1)
    if all_saints.weekday() == _SUNDAY:
        return all_saints + dt.timedelta(days=1)
    return _monday_of_week(all_saints)


def _christmas_holiday_start(year: int) -> dt.date:
    """The Monday of the week of Christmas; the Monday after it on a Saturday or Sunday."""
    christmas = dt.date(year, 12, 25)
    if christmas.weekday() >= _SATURDAY:
        return _first_weekday_from(christmas, _MONDAY)
    return _monday_of_week(christmas)


def _monday_of_week(day: dt.date) -> dt.date:
    """The Monday on or before `day`."""
    return day - dt.timedelta(days=day.weekday())


def _first_weekday_from(day: dt.date, weekday: int) -> dt.date:
    """The first date on or after `day` that falls on `weekday` (Monday is 0)."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _weeks(name: str, monday: dt.date, weeks: int) -> Holiday:
    """A holiday of whole weeks, Monday to Sunday."""
    return Holiday(name, monday, monday + weeks * _WEEK - dt.timedelta(days=1))


def _day(name: str, day: dt.date) -> Holiday:
    """A single day off."""
    return Holiday(name, day, day)
