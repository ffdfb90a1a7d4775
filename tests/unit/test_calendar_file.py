"""Reading a school's year calendar (ICS or CSV) into events, or every problem in it."""

from __future__ import annotations

import csv
import datetime as dt
import string
from collections.abc import Callable
from pathlib import Path
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from oudersbot.calendar_files.calendar_file import read_calendar, read_calendar_text
from oudersbot.calendar_files.rules_file import RulesCode
from oudersbot.cli.calendar import problem_line, problem_text, where_text
from oudersbot.domain.calendar import (
    WHOLE_SCHOOL,
    CalendarCode,
    CalendarEvent,
    CalendarFileError,
    CalendarProblem,
    Phrase,
)
from oudersbot.domain.holidays import holidays, is_school_day
from oudersbot.domain.slots import SlotType
from oudersbot.translation.catalog import Words
from oudersbot.translation.keys import data_keys
from oudersbot.translation.phrasebook import Phrasebook

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "src" / "oudersbot"
FIXTURES = ROOT / "tests" / "fixtures" / "calendar"
ZONE = ZoneInfo("Europe/Brussels")
WINDOW = (dt.date(2026, 9, 1), dt.date(2027, 8, 31))
GROUPS = ("3A", "3B")
TEMPLATES = {
    "uitstap": {"datum": "date", "plaats": "place"},
    "zwemmen": {"datum": "date", "bedrag": "amount"},
    "sinterklaas": {"datum": "date"},
    "oudercontact": {"datum": "date", "uur": "time"},
    "meerdaagse-uitstap": {"van": "date", "tot": "date", "plaats": "place", "bedrag": "amount"},
}
OUTLOOK_SWIM = (
    "040000008200E00074C5B7101A82E00800000000C0A1B2C3D4E5D9010000000000000000"
    "10000000A1B2C3D4E5F60718293A4B5C6D7E8F90"
)
OUTLOOK_TRIP = (
    "040000008200E00074C5B7101A82E00800000000D1B2C3D4E5F6D9010000000000000000"
    "10000000B2C3D4E5F60718293A4B5C6D7E8F9001"
)
GOOGLE_SWIM = "7kq2v9d0c1n4hb5u0sl3f0a8qe@google.com"
WORDS = Words.load(PACKAGE / "locales")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ZONE)


def ics(*events: str, header: str = "") -> str:
    """A calendar around VEVENT bodies (the lines between BEGIN:VEVENT and END:VEVENT)."""
    blocks = "".join(f"BEGIN:VEVENT\n{body.strip()}\nEND:VEVENT\n" for body in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//NL\n{header}{blocks}END:VCALENDAR\n"


def read_ics(text: str) -> list[CalendarEvent]:
    return read_calendar_text(
        text,
        source="test.ics",
        kind="ics",
        zone=ZONE,
        window=WINDOW,
        groups=GROUPS,
        templates=TEMPLATES,
    )


def read_csv(text: str) -> list[CalendarEvent]:
    return read_calendar_text(
        text,
        source="test.csv",
        kind="csv",
        zone=ZONE,
        window=WINDOW,
        groups=GROUPS,
        templates=TEMPLATES,
    )


def read_file(path: Path) -> list[CalendarEvent]:
    return read_calendar(path, zone=ZONE, window=WINDOW, groups=GROUPS, templates=TEMPLATES)


def placeholders(key: str) -> set[str]:
    """The names a catalog sentence is filled with."""
    return {name for _, name, _, _ in string.Formatter().parse(WORDS.text("nl", key)) if name}


def caught_problems(read: Callable[[], object]) -> list[CalendarProblem]:
    with pytest.raises(CalendarFileError) as caught:
        read()
    return caught.value.problems


def problems(read: Callable[[], object]) -> list[str]:
    """The problems as staff read them: "regel 7: ..." in Dutch, from the catalog."""
    found = caught_problems(read)
    for problem in found:  # every detail the reader gives is used by its sentence
        assert set(problem.params) == placeholders(f"calendar_file.{problem.code}"), problem
    return [problem_line(WORDS, problem) for problem in found]


def codes(read: Callable[[], object]) -> list[tuple[str, str]]:
    return [(problem.where, problem.code) for problem in caught_problems(read)]


def starts(events: list[CalendarEvent]) -> list[tuple[str, str]]:
    return [(event.key, event.start.isoformat()) for event in events]


# --- iCalendar: times --------------------------------------------------------------------


def test_a_single_timed_event_is_read_whole() -> None:
    text = ics(
        "UID:theater@demo\nSUMMARY:Theater\nDTSTART;TZID=Europe/Brussels:20261020T100000\n"
        "DTEND;TZID=Europe/Brussels:20261020T113000\nCATEGORIES:3A,3B"
    )
    assert read_ics(text) == [
        CalendarEvent(
            key="theater@demo",
            title="Theater",
            start=at(2026, 10, 20, 10),
            all_day=False,
            groups=("3A", "3B"),
            end=at(2026, 10, 20, 11, 30),
            where="uid:theater@demo",
        )
    ]


def test_an_all_day_event_starts_at_midnight_in_the_school_zone() -> None:
    [event] = read_ics(ics("UID:sint@demo\nSUMMARY:Sinterklaas\nDTSTART;VALUE=DATE:20261204"))
    assert (event.start, event.all_day, event.end) == (at(2026, 12, 4), True, at(2026, 12, 5))
    assert event.start.utcoffset() == dt.timedelta(hours=1)
    assert event.groups == (WHOLE_SCHOOL,)


SWIMMING = (
    "UID:zwem@demo\nSUMMARY:Zwemmen\nCATEGORIES:3A,zwemmen\nX-OUDERSBOT-SLOTS:bedrag=2\\,50\n"
    "DTSTART;TZID=Europe/Brussels:20261015T133000\nDTEND;TZID=Europe/Brussels:20261015T143000\n"
    "RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20261119T235900Z\n"
    "EXDATE;TZID=Europe/Brussels:20261105T133000"
)
MOVED = (
    "UID:zwem@demo\nSUMMARY:Zwemmen (verplaatst)\nCATEGORIES:3A,zwemmen\n"
    "X-OUDERSBOT-SLOTS:bedrag=2\\,50\nRECURRENCE-ID;TZID=Europe/Brussels:20261029T133000\n"
    "DTSTART;TZID=Europe/Brussels:20261030T100000\nDTEND;TZID=Europe/Brussels:20261030T110000"
)


def test_a_weekly_event_is_expanded_without_its_exdate_and_keeps_local_time_over_dst() -> None:
    events = read_ics(ics(SWIMMING))
    assert starts(events) == [
        ("zwem@demo/2026-10-15", "2026-10-15T13:30:00+02:00"),
        ("zwem@demo/2026-10-22", "2026-10-22T13:30:00+02:00"),
        ("zwem@demo/2026-10-29", "2026-10-29T13:30:00+01:00"),  # after the last Sunday of Oct
        ("zwem@demo/2026-11-12", "2026-11-12T13:30:00+01:00"),  # 5 Nov: autumn holiday
        ("zwem@demo/2026-11-19", "2026-11-19T13:30:00+01:00"),
    ]
    assert {(e.groups, e.template_id, tuple(e.slots.items())) for e in events} == {
        (("3A",), "zwemmen", (("bedrag", "2,50"),))
    }
    assert {e.where for e in events} == {"uid:zwem@demo"}


def test_a_moved_occurrence_keeps_the_key_of_its_original_date() -> None:
    plain = read_ics(ics(SWIMMING))
    moved = read_ics(ics(SWIMMING, MOVED))
    assert [e.key for e in moved] == [e.key for e in plain]
    [lesson] = [e for e in moved if e.key == "zwem@demo/2026-10-29"]
    assert (lesson.title, lesson.start, lesson.end) == (
        "Zwemmen (verplaatst)",
        at(2026, 10, 30, 10),
        at(2026, 10, 30, 11),
    )


def test_rdate_adds_an_occurrence_with_its_own_key() -> None:
    text = ics(
        "UID:bib@demo\nSUMMARY:Bibliotheek\nDTSTART;VALUE=DATE:20261118\n"
        "RDATE;VALUE=DATE:20261209,20270120"
    )
    assert [e.key for e in read_ics(text)] == [
        "bib@demo/2026-11-18",
        "bib@demo/2026-12-09",
        "bib@demo/2027-01-20",
    ]


@pytest.mark.parametrize(
    ("dtstart", "local"),
    [
        ("DTSTART:20261023T070000Z", "2026-10-23T09:00:00+02:00"),  # before the October change
        ("DTSTART:20261026T080000Z", "2026-10-26T09:00:00+01:00"),  # after it
        ("DTSTART:20270326T080000Z", "2027-03-26T09:00:00+01:00"),  # before the March change
        ("DTSTART:20270329T070000Z", "2027-03-29T09:00:00+02:00"),  # after it
        # New York changes a week later than Brussels: 04:00 EDT is 08:00 UTC.
        ("DTSTART;TZID=America/New_York:20261026T040000", "2026-10-26T09:00:00+01:00"),
        ("DTSTART;TZID=Asia/Tokyo:20270330T160000", "2027-03-30T09:00:00+02:00"),
        ("DTSTART:20261203T100000", "2026-12-03T10:00:00+01:00"),  # floating: school zone
        ("DTSTART:20270602T100000", "2027-06-02T10:00:00+02:00"),
    ],
)
def test_times_are_converted_to_the_school_zone(dtstart: str, local: str) -> None:
    [event] = read_ics(ics(f"UID:x@demo\nSUMMARY:Iets\n{dtstart}"))
    assert event.start.isoformat() == local
    assert event.start.tzinfo == ZONE
    assert event.all_day is False


def test_google_export_with_x_wr_timezone() -> None:
    events = read_file(FIXTURES / "google.ics")
    assert starts(events) == [
        (f"{GOOGLE_SWIM}/2026-10-20", "2026-10-20T09:00:00+02:00"),
        # 27 October is cancelled, 3 November an EXDATE; 10 November moved to the 12th.
        (f"{GOOGLE_SWIM}/2026-11-10", "2026-11-12T10:00:00+01:00"),
        (f"{GOOGLE_SWIM}/2026-11-17", "2026-11-17T09:00:00+01:00"),
        ("1f0s3c8d9n2m7q4p6r5t0u1v2w@google.com", "2026-12-04T00:00:00+01:00"),
    ]
    assert [e.title for e in events] == [
        "Zwemmen",
        "Zwemmen (verplaatst naar donderdag)",
        "Zwemmen",
        "Sinterklaas op school",
    ]
    assert {e.groups for e in events} == {(WHOLE_SCHOOL,)}


def test_without_x_wr_timezone_a_utc_series_keeps_utc_time() -> None:
    # Why X-WR-TIMEZONE matters: a weekly 07:00 UTC lesson moves an hour in local time.
    series = "UID:u@demo\nSUMMARY:Zwemmen\nDTSTART:20261020T070000Z\nRRULE:FREQ=WEEKLY;COUNT=2"
    assert [e.start.hour for e in read_ics(ics(series))] == [9, 8]
    google = read_ics(ics(series, header="X-WR-TIMEZONE:Europe/Brussels\n"))
    assert [e.start.hour for e in google] == [9, 9]


def test_outlook_export_with_a_windows_zone_categories_and_location() -> None:
    events = read_file(FIXTURES / "outlook.ics")
    assert starts(events) == [
        (f"{OUTLOOK_SWIM}/2027-03-16", "2027-03-16T09:00:00+01:00"),
        (f"{OUTLOOK_SWIM}/2027-03-23", "2027-03-23T09:00:00+01:00"),
        # 30 March and 6 April are EXDATEs (Easter holiday); summer time from 28 March.
        (f"{OUTLOOK_SWIM}/2027-04-13", "2027-04-13T09:00:00+02:00"),
        (OUTLOOK_TRIP, "2027-04-20T00:00:00+02:00"),
        (f"{OUTLOOK_SWIM}/2027-04-20", "2027-04-20T09:00:00+02:00"),
    ]
    swim, trip = events[0], events[3]
    # "Zwemmen" is a template in any case; "Rode categorie" is a colour and is ignored;
    # zwemmen has no place slot, so LOCATION is not used.
    assert (swim.groups, swim.template_id, dict(swim.slots)) == (
        ("3B",),
        "zwemmen",
        {"bedrag": "3"},
    )
    assert (trip.groups, trip.template_id, dict(trip.slots), trip.all_day) == (
        ("3A",),
        "uitstap",
        {"plaats": "Planckendael"},
        True,
    )


# --- iCalendar: audience, template and slots ---------------------------------------------


@pytest.mark.parametrize(
    ("lines", "groups", "template_id", "slots"),
    [
        ("", (WHOLE_SCHOOL,), None, {}),
        ("CATEGORIES:3a", ("3A",), None, {}),
        (
            "CATEGORIES:3B,3A,Uitstap\nLOCATION:Brugge",
            ("3A", "3B"),
            "uitstap",
            {"plaats": "Brugge"},
        ),
        ("CATEGORIES:School\nCATEGORIES:sinterklaas", (WHOLE_SCHOOL,), "sinterklaas", {}),
        ("CATEGORIES:3A,school", (WHOLE_SCHOOL,), None, {}),
        ("CATEGORIES:Belangrijk,Blauwe categorie", (WHOLE_SCHOOL,), None, {}),
        ("X-OUDERSBOT-CLASS:3a 3b", ("3A", "3B"), None, {}),
        ("X-OUDERSBOT-CLASS:3B\nX-OUDERSBOT-CLASS:3A", ("3A", "3B"), None, {}),
        ("X-OUDERSBOT-CLASS:school", (WHOLE_SCHOOL,), None, {}),
        (
            "X-OUDERSBOT-TEMPLATE:uitstap\nX-OUDERSBOT-SLOTS:plaats=Brugge; datum=7/12/2026\n"
            "LOCATION:Gent",
            (WHOLE_SCHOOL,),
            "uitstap",
            {"plaats": "Brugge", "datum": "2026-12-07"},
        ),
        (
            "CATEGORIES:oudercontact\nX-OUDERSBOT-SLOTS:uur=16u30",
            (WHOLE_SCHOOL,),
            "oudercontact",
            {"uur": "16:30"},
        ),
        (
            "X-OUDERSBOT-TEMPLATE:meerdaagse-uitstap\nLOCATION:Hamont-Achel\n"
            "X-OUDERSBOT-SLOTS:tot=2027-05-21\\; bedrag=95",
            (WHOLE_SCHOOL,),
            "meerdaagse-uitstap",
            {"tot": "2027-05-21", "bedrag": "95", "plaats": "Hamont-Achel"},
        ),
        ("LOCATION:Brugge", (WHOLE_SCHOOL,), None, {}),
    ],
)
def test_audience_template_and_slots(
    lines: str, groups: tuple[str, ...], template_id: str | None, slots: dict[str, str]
) -> None:
    body = "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\n" + lines
    [event] = read_ics(ics(body))
    assert (event.groups, event.template_id, dict(event.slots)) == (groups, template_id, slots)
    assert event.kind == (template_id or "event")


def test_events_are_sorted_by_start_then_key() -> None:
    text = ics(
        "UID:b@demo\nSUMMARY:B\nDTSTART;VALUE=DATE:20261204",
        "UID:c@demo\nSUMMARY:C\nDTSTART:20261203T080000",
        "UID:a@demo\nSUMMARY:A\nDTSTART;VALUE=DATE:20261204",
    )
    assert [e.key for e in read_ics(text)] == ["c@demo", "a@demo", "b@demo"]


@pytest.mark.parametrize(
    "path",
    [
        FIXTURES / "google.ics",
        FIXTURES / "outlook.ics",
        FIXTURES / "english.csv",
        PACKAGE / "scheduler" / "voorbeeld-kalender.ics",
    ],
    ids=lambda path: path.name,
)
def test_reading_a_file_again_gives_identical_events(path: Path) -> None:
    templates = TEMPLATES | _real_templates()
    first = read_calendar(path, zone=ZONE, window=WINDOW, groups=GROUPS, templates=templates)
    again = read_calendar(path, zone=ZONE, window=WINDOW, groups=GROUPS, templates=templates)
    assert first == again
    assert len({e.key for e in first}) == len(first)


# --- iCalendar: problems -----------------------------------------------------------------


def test_every_bad_event_is_listed_with_its_uid() -> None:
    assert codes(lambda: read_file(FIXTURES / "three-bad.ics")) == [
        ("uid:no-start@demo", "no_start"),
        ("uid:unknown-class@demo", "unknown_class"),
        ("uid:outside@demo", "outside"),
    ]
    assert problems(lambda: read_file(FIXTURES / "three-bad.ics")) == [
        "UID no-start@demo (Fotodag): Deze activiteit heeft geen begindatum (DTSTART).",
        "UID unknown-class@demo (Sinterklaas): Klas '4C' bestaat niet in deze school "
        "(klassen: 3A, 3B).",
        "UID outside@demo (Sportdag): 15/9/2025 ligt buiten schooljaar 2026-2027 "
        "(1/9/2026 tot en met 31/8/2027).",
    ]


def test_the_error_names_the_file() -> None:
    with pytest.raises(CalendarFileError) as caught:
        read_file(FIXTURES / "three-bad.ics")
    assert caught.value.source == "three-bad.ics"
    # The message (for logs) names codes; staff read the sentences from the catalog.
    assert str(caught.value).startswith("three-bad.ics: uid:no-start@demo (Fotodag): no_start; ")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            "UID:x@demo\nDTSTART;VALUE=DATE:20261207",
            "UID x@demo: Deze activiteit heeft geen titel (SUMMARY).",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART:20261345T100000",
            "UID x@demo (Iets): De begindatum (DTSTART) '20261345T100000' kan niet gelezen worden.",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:2026-12-07",
            "UID x@demo (Iets): De begindatum (DTSTART) '2026-12-07' kan niet gelezen worden.",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART:20261207T100000\nDTEND:20261207T090000",
            "UID x@demo (Iets): Deze activiteit eindigt (7/12/2026 09:00) voor ze begint "
            "(7/12/2026 10:00).",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;TZID=Mars/Olympus:20261207T100000",
            "UID x@demo (Iets): De tijdzone 'Mars/Olympus' van de begindatum is onbekend.",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART:20261207T100000\nRRULE:FREQ=HOURLY;COUNT=3",
            "UID x@demo (Iets): Deze activiteit herhaalt zich elk uur of vaker (FREQ=HOURLY); "
            "een schoolkalender herhaalt per dag, week, maand of jaar.",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART:20261207T100000\nRRULE:FREQ=SOMETIMES",
            "UID x@demo (Iets): De herhaling (RRULE) 'FREQ=SOMETIMES' kan niet gelezen worden.",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART:20250907T100000\nRRULE:FREQ=WEEKLY;COUNT=3",
            "UID x@demo (Iets): Deze reeks valt nooit binnen schooljaar 2026-2027 "
            "(1/9/2026 tot en met 31/8/2027).",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nX-OUDERSBOT-CLASS:3A 5C",
            "UID x@demo (Iets): Klas '5C' bestaat niet in deze school (klassen: 3A, 3B).",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nX-OUDERSBOT-TEMPLATE:uitsap",
            "UID x@demo (Iets): Sjabloon 'uitsap' bestaat niet; bedoelt u 'uitstap'?",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nX-OUDERSBOT-TEMPLATE:quiz",
            "UID x@demo (Iets): Sjabloon 'quiz' bestaat niet.",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nCATEGORIES:uitstap,zwemmen",
            "UID x@demo (Iets): Meer dan één sjabloon (uitstap, zwemmen); kies er één.",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nCATEGORIES:zwemmen\n"
            "X-OUDERSBOT-SLOTS:plaats=Brugge",
            "UID x@demo (Iets): Sjabloon 'zwemmen' heeft geen veld 'plaats' "
            "(velden: datum, bedrag).",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nCATEGORIES:zwemmen\n"
            "X-OUDERSBOT-SLOTS:bedrag=vijf euro",
            "UID x@demo (Iets): Veld 'bedrag': 'vijf euro' is geen bedrag (schrijf bv. 5 of "
            "12,50).",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nCATEGORIES:zwemmen\n"
            "X-OUDERSBOT-SLOTS:bedrag 5",
            "UID x@demo (Iets): Veld 'bedrag 5' heeft niet de vorm naam=waarde "
            "(bv. plaats=Brugge).",
        ),
        (
            "UID:x@demo\nSUMMARY:Iets\nDTSTART;VALUE=DATE:20261207\nX-OUDERSBOT-SLOTS:bedrag=5",
            "UID x@demo (Iets): Er staan velden bij, maar geen sjabloon: kies een sjabloon.",
        ),
        (
            "SUMMARY:Iets\nDTSTART;VALUE=DATE:20261207",
            "activiteit 1 (Iets): Deze activiteit heeft geen UID; exporteer opnieuw.",
        ),
    ],
)
def test_a_bad_event_is_named_with_a_dutch_sentence(body: str, problem: str) -> None:
    assert problems(lambda: read_ics(ics(body))) == [problem]


def test_one_event_can_have_several_problems() -> None:
    body = "UID:x@demo\nDTSTART:20261345T100000\nCATEGORIES:7Z"
    assert problems(lambda: read_ics(ics(body))) == [
        "UID x@demo: De begindatum (DTSTART) '20261345T100000' kan niet gelezen worden.",
        "UID x@demo: Deze activiteit heeft geen titel (SUMMARY).",
        "UID x@demo: Klas '7Z' bestaat niet in deze school (klassen: 3A, 3B).",
    ]


def test_a_uid_used_twice_is_a_problem() -> None:
    one = "UID:x@demo\nSUMMARY:Eén\nDTSTART;VALUE=DATE:20261207"
    two = "UID:x@demo\nSUMMARY:Twee\nDTSTART;VALUE=DATE:20261208"
    assert problems(lambda: read_ics(ics(one, two))) == [
        "UID x@demo (Eén): Deze UID staat 2 keer in het bestand; elke activiteit heeft een "
        "eigen UID nodig."
    ]


def test_a_bad_moved_occurrence_names_its_date() -> None:
    moved = MOVED.replace("CATEGORIES:3A,zwemmen", "CATEGORIES:3C,zwemmen")
    [problem] = caught_problems(lambda: read_ics(ics(SWIMMING, moved)))
    assert (problem.code, problem.params["date"]) == ("occurrence", "29/10/2026")
    assert problem.params["problem"] == Phrase(
        "calendar_file.unknown_class", {"name": "3C", "known": "3A, 3B"}
    )
    assert problems(lambda: read_ics(ics(SWIMMING, moved))) == [
        "UID zwem@demo (Zwemmen): De keer van 29/10/2026: Klas '3C' bestaat niet in deze school "
        "(klassen: 3A, 3B)."
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "Dit is een brief, geen kalender.\n",
            "Dit is geen iCalendar-bestand: het begint niet met BEGIN:VCALENDAR.",
        ),
        ("   \n", "Het bestand is leeg."),
        (
            "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:a\nDTSTART:20261203T100000\n",
            "Het bestand is onvolledig: BEGIN:VEVENT op regel 3 heeft geen END:VEVENT.",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:x\nDTSTART:20261203T100000\n"
            "END:VCALENDAR\n",
            "Het bestand is beschadigd: END:VCALENDAR op regel 6 past bij niets.",
        ),
        (
            "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n",
            "Het bestand bevat geen enkele activiteit.",
        ),
        (
            "BEGIN:VCALENDAR\nX-WR-TIMEZONE:Mars/Olympus\nBEGIN:VEVENT\nUID:a\nSUMMARY:x\n"
            "DTSTART:20261203T100000Z\nEND:VEVENT\nEND:VCALENDAR\n",
            "De tijdzone X-WR-TIMEZONE 'Mars/Olympus' is onbekend.",
        ),
    ],
)
def test_a_broken_ics_file_is_one_problem(text: str, problem: str) -> None:
    assert problems(lambda: read_ics(text)) == [problem]


def test_a_line_that_is_not_icalendar_between_events_is_one_problem() -> None:
    text = ics("UID:a\nSUMMARY:x\nDTSTART:20261203T100000").replace(
        "END:VCALENDAR", "Dit hoort hier niet\nEND:VCALENDAR"
    )
    assert problems(lambda: read_ics(text)) == [
        "Regel 9 ('Dit hoort hier niet') is geen geldige iCalendar-regel."
    ]


def test_a_line_that_is_not_icalendar_inside_an_event_is_a_problem_of_that_event() -> None:
    text = ics("UID:a\nSUMMARY:x\nDTSTART:20261203T100000\nDit hoort hier niet")
    assert problems(lambda: read_ics(text)) == [
        "UID a (x): De regel ('Dit hoort hier niet') is geen geldige iCalendar-regel. "
        "Exporteer de kalender opnieuw."
    ]


# --- CSV ---------------------------------------------------------------------------------


def test_belgian_excel_csv_with_semicolons_and_a_bom() -> None:
    path = FIXTURES / "belgisch-excel.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    events = read_file(path)
    assert [
        (e.start, e.all_day, e.title, e.groups, e.template_id, dict(e.slots)) for e in events
    ] == [
        (at(2026, 12, 3, 13, 30), False, "Zwemmen", ("3A",), "zwemmen", {"bedrag": "2,50"}),
        (at(2026, 12, 4), True, "Sinterklaas op school", (WHOLE_SCHOOL,), "sinterklaas", {}),
        (
            at(2026, 12, 7, 9),
            False,
            "Uitstap naar Brugge",
            ("3A", "3B"),
            "uitstap",
            {"plaats": "Brugge", "datum": "2026-12-07"},
        ),
        (at(2026, 12, 8, 14), False, "Toneel in de turnzaal", (WHOLE_SCHOOL,), None, {}),
    ]
    assert [e.where for e in events] == ["line:2", "line:3", "line:4", "line:5"]
    assert {e.end for e in events} == {None}


def test_csv_with_commas_english_headers_and_an_id_column() -> None:
    events = read_file(FIXTURES / "english.csv")
    assert [(e.key, e.title, e.start, e.groups, dict(e.slots)) for e in events] == [
        ("csv:trip-1", "Trip to Ghent, with lunch", at(2026, 12, 3), ("3B",), {"plaats": "Gent"}),
        ("csv:swim-3a-1", "Swimming", at(2026, 12, 3, 13, 30), ("3A", "3B"), {"bedrag": "3"}),
    ]


@pytest.mark.parametrize(
    "written", ["2026-12-03", "3/12/2026", "03-12-2026", "3.12.2026", "03/12/2026"]
)
def test_csv_date_forms(written: str) -> None:
    [event] = read_csv(f"datum;titel\n{written};Zwemmen\n")
    assert (event.start, event.all_day) == (at(2026, 12, 3), True)


@pytest.mark.parametrize(
    ("written", "time"),
    [
        ("13:30", dt.time(13, 30)),
        ("13u30", dt.time(13, 30)),
        ("13U30", dt.time(13, 30)),
        ("9u", dt.time(9, 0)),
        ("9h", dt.time(9, 0)),
        ("09:05", dt.time(9, 5)),
        ("13:30:00", dt.time(13, 30)),
        ("13.30", dt.time(13, 30)),
    ],
)
def test_csv_time_forms(written: str, time: dt.time) -> None:
    [event] = read_csv(f"datum;uur;titel\n3/12/2026;{written};Zwemmen\n")
    assert (event.start, event.all_day) == (dt.datetime.combine(event.day, time, ZONE), False)
    assert event.day == dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("written", "groups"),
    [
        ("3A", ("3A",)),
        ("3b+3a", ("3A", "3B")),
        ('"3A, 3B"', ("3A", "3B")),
        ("3A 3B", ("3A", "3B")),
        ("school", (WHOLE_SCHOOL,)),
        ("School", (WHOLE_SCHOOL,)),
        ("", (WHOLE_SCHOOL,)),
    ],
)
def test_csv_classes(written: str, groups: tuple[str, ...]) -> None:
    [event] = read_csv(f"datum;titel;klas\n3/12/2026;Zwemmen;{written}\n")
    assert event.groups == groups


def test_csv_key_follows_date_title_and_classes_but_not_time() -> None:
    def key(row: str) -> str:
        [event] = read_csv(f"datum;uur;titel;klas\n{row}\n")
        return event.key

    base = key("3/12/2026;13u30;Zwemmen;3A")
    assert base.startswith("csv:2026-12-03/")
    assert key("2026-12-03;9u;  zwemmen ;3a") == base  # time, case and spaces don't count
    assert key("4/12/2026;13u30;Zwemmen;3A") != base
    assert key("3/12/2026;13u30;Zwemmen in Brugge;3A") != base
    assert key("3/12/2026;13u30;Zwemmen;3A+3B") != base


def test_csv_an_empty_id_falls_back_to_the_built_key() -> None:
    events = read_csv("id;datum;titel\nzw-1;3/12/2026;Zwemmen\n;4/12/2026;Sinterklaas\n")
    assert events[0].key == "csv:zw-1"
    assert events[1].key.startswith("csv:2026-12-04/")


def test_every_bad_csv_row_is_listed_with_its_physical_line() -> None:
    assert codes(lambda: read_file(FIXTURES / "bad.csv")) == [
        ("line:3", "bad_date"),
        ("line:4", "bad_time"),
        ("line:4", "unknown_class"),
        ("line:6", "unknown_template_guess"),
        ("line:8", "unknown_slot"),
        ("line:9", "outside"),
        ("line:10", "duplicate_row"),
        ("line:11", "no_date"),
        ("line:11", "no_title"),
    ]
    assert problems(lambda: read_file(FIXTURES / "bad.csv")) == [
        "regel 3: Datum '31/02/2027' kan niet gelezen worden; schrijf bv. 3/12/2026.",
        # Line 4 holds a title over two lines, so the next row is on line 6.
        "regel 4: Uur '25u' kan niet gelezen worden; schrijf bv. 13:30 of 9u.",
        "regel 4: Klas '4C' bestaat niet in deze school (klassen: 3A, 3B).",
        "regel 6: Sjabloon 'uitsap' bestaat niet; bedoelt u 'uitstap'?",
        "regel 8: Sjabloon 'uitstap' heeft geen veld 'kleur' (velden: datum, plaats).",
        "regel 9: 1/9/2027 ligt buiten schooljaar 2026-2027 (1/9/2026 tot en met 31/8/2027).",
        "regel 10: Deze activiteit (zelfde datum, titel en klas) staat al op regel 2.",
        "regel 11: De datum ontbreekt.",
        "regel 11: De titel ontbreekt.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "datum;titel;kleur\n3/12/2026;Zwemmen;rood\n",
            [
                "regel 1: Onbekende kolom 'kleur' in de kopregel (kolommen: datum, uur, titel, "
                "klas, sjabloon, velden, id)."
            ],
        ),
        ("datum;klas\n3/12/2026;3A\n", ["regel 1: De kopregel mist de kolom 'titel'."]),
        (
            "3/12/2026;Zwemmen;3A\n",
            [
                "regel 1: Onbekende kolom '3/12/2026' in de kopregel (kolommen: datum, uur, titel, "
                "klas, sjabloon, velden, id).",
                "regel 1: Onbekende kolom 'Zwemmen' in de kopregel (kolommen: datum, uur, titel, "
                "klas, sjabloon, velden, id).",
                "regel 1: Onbekende kolom '3A' in de kopregel (kolommen: datum, uur, titel, klas, "
                "sjabloon, velden, id).",
                "regel 1: De kopregel mist de kolom 'datum'.",
                "regel 1: De kopregel mist de kolom 'titel'.",
            ],
        ),
        (
            "datum;titel;klas;class\n3/12/2026;Zwemmen;3A;3B\n",
            ["regel 1: Kolom 'klas' staat twee keer in de kopregel."],
        ),
        ("datum;titel\n", ["Het bestand bevat geen enkele activiteit."]),
        ("datum;titel\n\n;;\n3/12/2026;\n", ["regel 4: De titel ontbreekt."]),
        (
            "id;datum;titel\nzw-1;3/12/2026;Zwemmen\nzw-1;4/12/2026;Sint\n",
            ["regel 3: Deze activiteit (zelfde id) staat al op regel 2."],
        ),
        (
            "datum,titel\n3/12/2026,Zwemmen, met handdoek\n",
            [
                "regel 2: Deze regel heeft meer waarden dan de kopregel kolommen heeft; zet een "
                "titel met ';' of ',' tussen aanhalingstekens."
            ],
        ),
        (
            'datum;titel;sjabloon;velden\n3/12/2026;Zwemmen;zwemmen;"bedrag=5; bedrag=6"\n',
            ["regel 2: Veld 'bedrag' staat twee keer in de velden."],
        ),
    ],
)
def test_csv_header_and_row_problems(text: str, expected: list[str]) -> None:
    assert problems(lambda: read_csv(text)) == expected


def test_a_csv_with_a_utf8_bom_that_is_not_utf8_names_its_lines(tmp_path: Path) -> None:
    # A BOM says UTF-8; lines that are not are named rather than guessed at.
    path = tmp_path / "kalender.csv"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + "datum;titel\n3/12/2026;Café\n4/12/2026;Sint\n5/12/2026;Fête\n".encode("cp1252")
    )
    assert problems(lambda: read_file(path)) == [
        "regel 2: Deze regel is geen UTF-8. Bewaar het bestand opnieuw als 'CSV UTF-8' (Excel) "
        "of exporteer de kalender opnieuw.",
        "regel 4: Deze regel is geen UTF-8. Bewaar het bestand opnieuw als 'CSV UTF-8' (Excel) "
        "of exporteer de kalender opnieuw.",
    ]


def test_another_kind_of_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kalender.xlsx"
    path.write_bytes(b"PK\x03\x04")
    assert problems(lambda: read_file(path)) == [
        "Onbekend bestandstype '.xlsx': gebruik een .ics- of .csv-bestand."
    ]


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    assert problems(lambda: read_file(tmp_path / "weg.ics")) == [
        "Het bestand bestaat niet of kan niet geopend worden."
    ]


def test_a_school_without_classes_and_a_template_without_slots_say_none() -> None:
    text = "datum;titel;klas;sjabloon;velden\n3/12/2026;Vrij;3A;leeg;kleur=rood\n"
    found = problems(
        lambda: read_calendar_text(
            text,
            source="t.csv",
            kind="csv",
            zone=ZONE,
            window=WINDOW,
            groups=(),
            templates={"leeg": {}},
        )
    )
    assert found == [
        "regel 2: Klas '3A' bestaat niet in deze school (klassen: geen).",
        "regel 2: Sjabloon 'leeg' heeft geen veld 'kleur' (velden: geen).",
    ]


def test_a_window_of_two_school_years_is_named_as_such() -> None:
    found = problems(
        lambda: read_calendar_text(
            "datum;titel\n1/9/2028;Te laat\n",
            source="t.csv",
            kind="csv",
            zone=ZONE,
            window=(dt.date(2026, 9, 1), dt.date(2028, 8, 31)),
            groups=GROUPS,
            templates=TEMPLATES,
        )
    )
    assert found == [
        "regel 2: 1/9/2028 ligt buiten de schooljaren 2026-2028 (1/9/2026 tot en met 31/8/2028)."
    ]


@pytest.mark.parametrize(
    ("slots", "problem"),
    [
        ("datum=morgen", "Veld 'datum': 'morgen' is geen datum (schrijf bv. 3/12/2026)."),
        ("uur=half vier", "Veld 'uur': 'half vier' is geen uur (schrijf bv. 13:30)."),
        ("plaats=", "Veld 'plaats': '' is niet geldig (leeg of te lang)."),
    ],
)
def test_a_slot_value_of_the_wrong_type_says_how_to_write_it(slots: str, problem: str) -> None:
    templates = TEMPLATES | {"t": {"datum": "date", "uur": "time", "plaats": "place"}}
    found = problems(
        lambda: read_calendar_text(
            f"datum;titel;sjabloon;velden\n3/12/2026;Iets;t;{slots}\n",
            source="t.csv",
            kind="csv",
            zone=ZONE,
            window=WINDOW,
            groups=GROUPS,
            templates=templates,
        )
    )
    assert found == [f"regel 2: {problem}"]


def test_keys_too_long_for_the_database_are_refused() -> None:
    uid = "x" * 290
    [single] = read_ics(ics(f"UID:{uid}\nSUMMARY:Iets\nDTSTART:20261207T100000"))
    assert single.key == uid  # a single event's key is its UID; a series adds "/2026-12-07"
    series = f"UID:{uid}\nSUMMARY:Iets\nDTSTART:20261207T100000\nRRULE:FREQ=WEEKLY;COUNT=2"
    assert problems(lambda: read_ics(ics(series))) == [
        f"UID {uid} (Iets): De UID is langer dan 289 tekens."
    ]
    assert problems(lambda: read_csv(f"id;datum;titel\n{'y' * 297};3/12/2026;Iets\n")) == [
        "regel 2: De id is langer dan 296 tekens."
    ]


def test_an_event_without_uid_or_title_is_named_by_its_number() -> None:
    assert problems(lambda: read_ics(ics("DTSTART;VALUE=DATE:20261207"))) == [
        "activiteit 1: Deze activiteit heeft geen UID; exporteer opnieuw."
    ]


# Every code a calendar file problem can have, with details as the readers give them: each
# must have its Dutch sentence, filled by exactly these details.
SCHOOL_YEAR = Phrase(
    "calendar_file.school_year",
    {"first_year": 2026, "last_year": 2027, "first": "1/9/2026", "last": "31/8/2027"},
)
EXAMPLES: dict[str, dict[str, object]] = {
    "unknown_type": {"suffix": ".xlsx"},
    "unreadable_file": {},
    "not_utf8": {},
    "empty": {},
    "no_events": {},
    "outside": {"day": "1/9/2027", "school_year": SCHOOL_YEAR},
    "unknown_class": {"name": "4C", "known": Phrase("calendar_file.none")},
    "unknown_template": {"name": "quiz"},
    "unknown_template_guess": {"name": "uitsap", "guess": "uitstap"},
    "several_templates": {"templates": "uitstap, zwemmen"},
    "slot_form": {"part": "bedrag 5"},
    "slot_twice": {"name": "bedrag"},
    "slots_without_template": {},
    "unknown_slot": {"template": "zwemmen", "name": "plaats", "names": "datum, bedrag"},
    "slot_not_date": {"name": "datum", "value": "morgen"},
    "slot_not_time": {"name": "uur", "value": "laat"},
    "slot_not_amount": {"name": "bedrag", "value": "veel"},
    "slot_invalid": {"name": "plaats", "value": ""},
    "not_icalendar": {},
    "unmatched_end": {"name": "VCALENDAR", "line": 6},
    "unclosed": {"name": "VEVENT", "line": 3},
    "unreadable_line": {"error": "Content line could not be parsed"},
    "bad_line": {"line": 9, "text": "Dit hoort hier niet"},
    "bad_line_somewhere": {"text": "Dit hoort hier niet"},
    "event_unreadable_line": {"error": "Content line could not be parsed"},
    "event_bad_line": {"text": "Dit hoort hier niet"},
    "not_gregorian": {},
    "unknown_x_wr_timezone": {"zone": "Mars/Olympus"},
    "no_uid": {},
    "uid_twice": {"count": 2},
    "uid_too_long": {"limit": 289},
    "recurrence_error": {"error": "bad rule"},
    "never_in_window": {"school_year": SCHOOL_YEAR},
    "bad_property": {"property": Phrase("calendar_file.property.RDATE"), "value": "x"},
    "no_start": {},
    "no_summary": {},
    "occurrence": {"date": "29/10/2026", "problem": Phrase("calendar_file.no_summary")},
    "unknown_tzid": {"zone": "Mars/Olympus"},
    "ends_before_start": {"end": "7/12/2026 09:00", "start": "7/12/2026 10:00"},
    "too_frequent": {"frequency": "HOURLY"},
    "bad_header": {"error": "field larger than field limit (131072)"},
    "unreadable_row": {"error": "field larger than field limit (131072)"},
    "duplicate_id": {"line": 2},
    "duplicate_row": {"line": 2},
    "unknown_column": {"name": "kleur", "columns": "datum, uur, titel"},
    "column_twice": {"name": "klas"},
    "missing_column": {"name": "titel"},
    "too_many_values": {},
    "no_date": {},
    "bad_date": {"value": "31/02/2027"},
    "bad_time": {"value": "25u"},
    "no_title": {},
    "id_too_long": {"limit": 296},
    "bad_slot": {"title": "Uitstap", "reason": Phrase("slot.empty", {"slot": "?"})},
    "too_big": {"limit": 5},
    "not_text": {},
    "control_character": {"char": "U+0000"},
    "cell_too_long": {"limit": 2000},
    "open_quote": {"end": 3},
    "bad_quote": {},
    "slot_amount_limits": {"name": "bedrag", "value": "12345678901234567890123456789"},
    "title_too_long": {"count": 301, "limit": 300},
    "too_many_events": {"limit": 5000},
    "key_twice": {"key": "a/2026-12-07"},
    "property_twice": {"property": "RRULE", "block": "VEVENT", "first": 9},
    "bad_interval": {"interval": "0", "line": 8},
    "several_per_day": {"count": 1440, "line": 8},
    "twice_on_a_day": {"date": "7/12/2026"},
    "starts_too_early": {"year": 1, "most": 100},
    "too_slow": {},
    "bad_parameter": {"parameter": "VALUE"},
    "not_readable": {},
}


def test_the_examples_cover_every_code() -> None:
    assert sorted(EXAMPLES) == sorted(get_args(CalendarCode))


def test_the_catalog_keys_of_every_code_are_needed_keys() -> None:
    # So that `make catalogs` keeps them and test_catalog fails when one has no Dutch words.
    needed = data_keys(Phrasebook.load(PACKAGE / "messages"), (), ())
    assert {f"calendar_file.{code}" for code in get_args(CalendarCode)} <= needed
    assert {f"rules_file.{code}" for code in get_args(RulesCode)} <= needed


@pytest.mark.parametrize("code", sorted(get_args(CalendarCode)))
def test_every_code_has_a_dutch_sentence_filled_by_its_details(code: CalendarCode) -> None:
    params = EXAMPLES[code]
    assert placeholders(f"calendar_file.{code}") == set(params)
    text = problem_text(WORDS, CalendarProblem("", code, params))
    assert text and "{" not in text and code not in text


@pytest.mark.parametrize(
    ("problem", "where"),
    [
        (CalendarProblem("", "empty"), ""),
        (CalendarProblem("line:7", "no_date"), "regel 7"),
        (CalendarProblem("uid:abc@school", "no_summary"), "UID abc@school"),
        (CalendarProblem("uid:a:b", "no_start", title="Zwemmen"), "UID a:b (Zwemmen)"),
        (CalendarProblem("event:3", "no_uid"), "activiteit 3"),
        (CalendarProblem("event:3", "no_uid", title="Fotodag"), "activiteit 3 (Fotodag)"),
    ],
)
def test_where_a_problem_is_in_dutch(problem: CalendarProblem, where: str) -> None:
    assert where_text(WORDS, problem) == where


# --- the example calendars in scheduler/ -------------------------------------------------


def _real_templates() -> dict[str, dict[str, str]]:
    phrasebook = Phrasebook.load(PACKAGE / "messages")
    return {
        template_id: {name: kind.value for name, kind in template.slots.items()}
        for template_id, template in phrasebook.templates.items()
    }


def _demo_classes() -> set[str]:
    with (PACKAGE / "examples" / "roster-demo.csv").open(encoding="utf-8") as roster:
        return {row["klas"] for row in csv.DictReader(roster)}


def _example(suffix: str) -> list[CalendarEvent]:
    return read_calendar(
        PACKAGE / "scheduler" / f"voorbeeld-kalender.{suffix}",
        zone=ZONE,
        window=WINDOW,
        groups=_demo_classes(),
        templates=_real_templates(),
    )


@pytest.mark.parametrize("suffix", ["ics", "csv"])
def test_the_example_calendars_read_cleanly_with_complete_slots(suffix: str) -> None:
    events = _example(suffix)
    assert len(events) == 37
    school_year = holidays(2026)
    assert [
        e.day for e in events if not is_school_day(e.day, school_year_holidays=school_year)
    ] == []
    phrasebook = Phrasebook.load(PACKAGE / "messages")
    for event in events:
        assert event.template_id is not None, event.title
        template = phrasebook.templates[event.template_id]
        # As the importer fills them: the event's date and time where the template wants them.
        values = dict(event.slots)
        for name, kind in template.slots.items():
            if kind is SlotType.DATE:
                values.setdefault(name, event.day.isoformat())
            elif kind is SlotType.TIME and not event.all_day:
                values.setdefault(name, event.start.strftime("%H:%M"))
        template.parse_slots(values)  # raises when a slot is missing or does not parse
    assert {g for e in events for g in e.groups} == {"3A", "3B", WHOLE_SCHOOL}
    swimming = [e for e in events if e.template_id == "zwemmen"]
    assert [e.day.isoformat() for e in swimming] == [
        "2026-10-01",
        "2026-10-08",
        "2026-10-16",  # the lesson of the 15th, moved to Friday
        "2026-10-22",
        "2026-10-29",
        "2026-11-12",  # not 5 November: autumn holiday
        "2026-11-19",
        "2026-11-26",
    ]


def test_the_two_example_calendars_say_the_same() -> None:
    def content(events: list[CalendarEvent]) -> list[tuple[object, ...]]:
        return [
            (e.start, e.all_day, e.title, e.groups, e.template_id, dict(e.slots)) for e in events
        ]

    assert content(_example("ics")) == content(_example("csv"))
    ics_keys = [e.key for e in _example("ics") if e.template_id == "zwemmen"]
    assert ics_keys[2] == "zwemmen-3a@demo.oudersbot.be/2026-10-15"
