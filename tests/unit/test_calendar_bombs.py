"""Calendars that crashed or hung the importer: a property given twice, recurrence bombs, an
event twice on one day, sizes past any school's. Each is refused with where it is, in Dutch;
a bomb is refused before it is worked out (these tests would hang otherwise)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from oudersbot.calendar_files.calendar_file import MAX_EVENTS, read_calendar_text
from oudersbot.calendar_files.common import School
from oudersbot.calendar_files.ics_reader import read_ics
from oudersbot.cli.calendar import problem_line
from oudersbot.domain.calendar import CalendarEvent, CalendarFileError
from oudersbot.translation.catalog import Words

ROOT = Path(__file__).parents[2]
WORDS = Words.load(ROOT / "src" / "oudersbot" / "locales")
ZONE = ZoneInfo("Europe/Brussels")
WINDOW = (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
TEMPLATES = {"zwemmen": {"datum": "date", "bedrag": "amount"}}


def ics(*bodies: str, header: str = "") -> str:
    blocks = "".join(f"BEGIN:VEVENT\n{body.strip()}\nEND:VEVENT\n" for body in bodies)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//NL\n{header}{blocks}END:VCALENDAR\n"


def read(text: str, kind: str = "ics") -> list[CalendarEvent]:
    return read_calendar_text(
        text,
        source=f"kalender.{kind}",
        kind="ics" if kind == "ics" else "csv",
        zone=ZONE,
        window=WINDOW,
        groups=("3A", "3B"),
        templates=TEMPLATES,
    )


def problems(text: str, kind: str = "ics") -> list[str]:
    with pytest.raises(CalendarFileError) as caught:
        read(text, kind)
    return [problem_line(WORDS, found) for found in caught.value.problems]


SWIM = "UID:z@s\nDTSTART:20261007T090000\nSUMMARY:Zwemmen\n"


def test_an_event_with_two_rrule_lines_is_refused_with_the_second_line() -> None:
    text = ics(SWIM + "RRULE:FREQ=WEEKLY;COUNT=5\nRRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=3")
    assert problems(text) == [
        "regel 9: RRULE staat twee keer in hetzelfde VEVENT-blok (ook op regel 8); het mag er "
        "maar één keer staan. Exporteer de kalender opnieuw."
    ]


def test_a_folded_property_given_twice_is_found_too() -> None:
    text = ics(SWIM + "DTST\n ART:20261008T090000")
    assert problems(text) == [
        "regel 8: DTSTART staat twee keer in hetzelfde VEVENT-blok (ook op regel 6); het mag er "
        "maar één keer staan. Exporteer de kalender opnieuw."
    ]


def test_time_zone_definitions_that_repeat_a_property_are_refused() -> None:
    zone = (
        "BEGIN:VTIMEZONE\nTZID:Europe/Brussels\nTZID:Europe/Brussels\nBEGIN:STANDARD\n"
        "DTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZOFFSETTO:+0100\n"
        "END:STANDARD\nEND:VTIMEZONE\n"
    )
    found = problems(ics(SWIM, header=zone))
    assert [line.split(" staat ")[0] for line in found] == [
        "regel 6: TZID",
        "regel 11: TZOFFSETTO",
    ]
    assert "twee keer in hetzelfde VTIMEZONE-blok (ook op regel 5)" in found[0]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("FREQ=DAILY;INTERVAL=0", "op regel 8 heeft INTERVAL=0; dat moet 1 of meer zijn."),
        ("FREQ=WEEKLY;INTERVAL=-2", "op regel 8 heeft INTERVAL=-2; dat moet 1 of meer zijn."),
        (
            "FREQ=DAILY;BYHOUR="
            + ",".join(map(str, range(24)))
            + ";BYMINUTE="
            + ",".join(map(str, range(60))),
            "op regel 8 valt 1440 keer per dag",
        ),
        ("FREQ=YEARLY;BYSECOND=0,30", "op regel 8 valt 2 keer per dag"),
        ("FREQ=DAILY;BYHOUR=9,14;COUNT=4", "op regel 8 valt 2 keer per dag"),
        ("FREQ=MINUTELY", "herhaalt zich elk uur of vaker (FREQ=MINUTELY)"),
    ],
)
def test_a_recurrence_bomb_is_refused_before_it_is_worked_out(rule: str, problem: str) -> None:
    [found] = problems(ics(SWIM + f"RRULE:{rule}"))
    assert found.startswith("UID z@s (Zwemmen): ")
    assert problem in found


def test_a_series_from_long_ago_is_refused() -> None:
    [found] = problems(ics("UID:z@s\nDTSTART:19000101T090000\nSUMMARY:Oud\nRRULE:FREQ=DAILY"))
    assert "begint in 1900, meer dan 100 jaar voor het schooljaar" in found


def test_a_daily_series_without_end_is_one_event_a_day_in_the_school_year() -> None:
    events = read(ics(SWIM + "RRULE:FREQ=DAILY"))
    assert len(events) == (WINDOW[1] - dt.date(2026, 10, 7)).days + 1
    assert len({event.key for event in events}) == len(events)


def test_an_event_twice_on_one_day_is_refused_one_reminder_per_event_a_day() -> None:
    text = ics(SWIM + "RDATE:20261007T140000")
    assert problems(text) == [
        "UID z@s (Zwemmen): Deze activiteit valt meer dan één keer op 7/10/2026; een activiteit "
        "valt hoogstens één keer per dag (één herinnering per dag). Maak aparte activiteiten."
    ]


def test_two_events_with_one_key_are_refused() -> None:
    text = ics(
        SWIM + "RRULE:FREQ=WEEKLY;COUNT=2",
        "UID:z@s/2026-10-14\nDTSTART:20261014T090000\nSUMMARY:Zwemmen extra",
    )
    assert problems(text) == [
        "UID z@s/2026-10-14: Twee activiteiten hebben dezelfde sleutel 'z@s/2026-10-14'; geef elke "
        "activiteit een eigen UID of id."
    ]


def test_more_events_than_any_school_has_are_refused() -> None:
    daily = [
        f"UID:d{n}@s\nDTSTART:20260901T0{n % 10}0000\nSUMMARY:Dag {n}\nRRULE:FREQ=DAILY"
        for n in range(MAX_EVENTS // 365 + 1)
    ]
    assert problems(ics(*daily)) == [
        f"Het bestand heeft meer dan {MAX_EVENTS} activiteiten (herhalingen meegeteld); een "
        "schoolkalender heeft er veel minder. Exporteer alleen de schoolkalender van dit "
        "schooljaar."
    ]


def test_a_title_too_long_is_refused_in_both_forms() -> None:
    long_title = "Zwemmen " * 50
    [in_ics] = problems(ics(f"UID:z@s\nDTSTART:20261007T090000\nSUMMARY:{long_title}"))
    [in_csv] = problems(f"datum;titel\n7/10/2026;{long_title}\n", "csv")
    assert "De titel heeft 399 tekens; houd hem onder 300." in in_ics
    assert in_csv == "regel 2: De titel heeft 399 tekens; houd hem onder 300."


def test_a_nul_byte_in_an_ics_is_refused_with_line_and_column() -> None:
    assert problems(ics("UID:z@s\nDTSTART:20261007T090000\nSUMMARY:Zwem\x00men")) == [
        "regel 7, kolom 13: Hier staat een onzichtbaar teken (U+0000) dat niet in een kalender "
        "hoort. Verwijder het, of bewaar het bestand opnieuw als 'CSV UTF-8'."
    ]


def test_a_csv_with_a_column_twice_is_refused() -> None:
    assert problems("datum;titel;Titel\n7/10/2026;Zwemmen;Turnen\n", "csv") == [
        "regel 1: Kolom 'titel' staat twee keer in de kopregel."
    ]


@pytest.mark.parametrize(
    ("slots", "problem"),
    [
        ("bedrag=12345678901234567890123456789", "'12345678901234567890123456789' kan niet"),
        ("bedrag=10000,01", "'10000,01' kan niet"),
        ("bedrag=2,505", "'2,505' kan niet"),
        ("bedrag=" + "9" * 100, "'" + "9" * 59 + "…' is geen bedrag"),
    ],
)
def test_an_amount_outside_what_parents_pay_is_refused(slots: str, problem: str) -> None:
    text = f"datum;titel;sjabloon;velden\n7/10/2026;Zwemmen;zwemmen;{slots}\n"
    [found] = problems(text, "csv")
    assert found.startswith("regel 2: Veld 'bedrag': ")
    assert problem in found


def test_an_amount_within_the_limits_is_read() -> None:
    text = "datum;titel;sjabloon;velden\n7/10/2026;Zwemmen;zwemmen;bedrag=10000\n"
    assert read(text, "csv")[0].slots == {"bedrag": "10000"}


def test_a_one_value_parameter_given_as_a_list_is_refused_with_its_line() -> None:
    text = ics("UID:p@s\nDTSTART;VALUE=DATE,:20270401\nSUMMARY:Paasontbijt")
    assert problems(text) == [
        "regel 6: De parameter VALUE heeft hier meer dan één waarde; exporteer de kalender opnieuw."
    ]


def test_working_out_the_series_stops_when_it_takes_too_long() -> None:
    school = School(ZONE, WINDOW[0], WINDOW[1], {"3a": "3A"}, TEMPLATES, {"zwemmen": "zwemmen"})
    events, found = read_ics(ics(SWIM + "RRULE:FREQ=WEEKLY"), school, seconds=-1)
    assert events == []
    assert [problem_line(WORDS, problem) for problem in found] == [
        "UID z@s: De herhalingen in dit bestand vragen te veel rekenwerk; het lezen is hier "
        "gestopt. Exporteer alleen de schoolkalender van dit schooljaar."
    ]
