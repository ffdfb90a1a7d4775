"""Calendars from other programs, tried as staff do (`oudersbot calendar import`): read, or
refused with every problem listed; and a reminder that cannot be made stops only itself."""

from __future__ import annotations

import logging
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.domain.calendar import CalendarFileError
from oudersbot.services.calendar_import import import_calendar
from oudersbot.services.calendar_send import send_due_calendar
from oudersbot.settings import PACKAGE_DIR
from oudersbot.store.db import Database
from oudersbot.store.models import CalendarEventRow, PlannedSend, PlannedStatus
from oudersbot.store.planned import due_keys
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined

JOINED = {"Fatima El Amrani": 101, "Youssef El Amrani": 102, "Anna Nowak": 201}
STORED_CASES = 80


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    rules = tmp_path / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings = make_settings(tmp_path, school_slug="demo", scheduler_dir=rules)
    deps = bootstrap(settings, clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, JOINED)
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def imported_titles(deps: Deps) -> list[str]:
    with deps.db.session() as session:
        return sorted(session.scalars(select(CalendarEventRow.title)))


def test_a_huge_amount_is_refused_at_import_with_its_line(school: Deps, tmp_path: Path) -> None:
    path = tmp_path / "kalender.csv"
    path.write_text(
        "datum;uur;titel;klas;sjabloon;velden\n"
        "2026-12-03;09:00;Zwemmen;3A;zwemmen;bedrag=2,50\n"
        "2026-12-10;09:00;Zwemmen;3A;zwemmen;bedrag=12345678901234567890123456789\n"
        "2026-12-17;09:00;Zwemmen;3A;zwemmen;bedrag=2,505\n",
        encoding="utf-8",
    )

    result = run(school, "calendar", "import", str(path))

    assert result.exit_code == 1
    assert "Niets ingelezen uit kalender.csv: 2 probleem/problemen." in result.output
    assert (
        "  regel 3: Veld 'bedrag': '12345678901234567890123456789' kan niet: een bedrag is 0 "
        in (result.output)
    )
    assert "  regel 4: Veld 'bedrag': '2,505' kan niet" in result.output
    assert imported_titles(school) == []


def test_the_same_amount_is_refused_by_send_and_templates_show(school: Deps) -> None:
    huge = "bedrag=12345678901234567890123456789"

    shown = run(
        school, "templates", "show", "zwemmen", "--slot", "datum=2026-12-03", "--slot", huge
    )
    sent = run(
        school,
        "send",
        "--class",
        "3A",
        "--template",
        "zwemmen",
        "--slot",
        "datum=2026-12-03",
        "--slot",
        huge,
        "--preview",
    )

    for result in (shown, sent):
        assert result.exit_code == 1
        assert "een bedrag is 0 tot 10.000 euro, met hoogstens 2 cijfers na de komma" in (
            result.output + result.stderr
        )


def test_a_belgian_excel_file_in_windows_1252_imports(school: Deps, tmp_path: Path) -> None:
    path = tmp_path / "kalender.csv"
    path.write_bytes(
        "Datum;Uur;Titel;Klas\r\n"
        "4/12/2026;9u;Sinterklaasfeest – Lagere school;school\r\n"
        '8/12/2026;;"Koffie in het café; €2";3A\r\n'.encode("cp1252")
    )

    result = run(school, "calendar", "import", str(path))

    assert result.exit_code == 0, result.output
    assert imported_titles(school) == ["Koffie in het café; €2", "Sinterklaasfeest – Lagere school"]


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (
            "UID:z@s\nDTSTART:20261207T090000\nSUMMARY:Zwemmen\nRRULE:FREQ=WEEKLY;COUNT=5\n"
            "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=3\n",
            "  regel 9: RRULE staat twee keer in hetzelfde VEVENT-blok (ook op regel 8)",
        ),
        (
            "UID:z@s\nDTSTART:20261207T090000\nSUMMARY:Bom\nRRULE:FREQ=DAILY;INTERVAL=0\n",
            "De herhaling (RRULE) op regel 8 heeft INTERVAL=0; dat moet 1 of meer zijn.",
        ),
        (
            "UID:z@s\nDTSTART:20261207T090000\nSUMMARY:Bom\nRRULE:FREQ=DAILY;BYHOUR="
            + ",".join(str(h) for h in range(24))
            + ";BYMINUTE="
            + ",".join(str(m) for m in range(60))
            + "\n",
            "De herhaling (RRULE) op regel 8 valt 1440 keer per dag",
        ),
        (
            "UID:z@s\nDTSTART:20261207T090000\nSUMMARY:Twee keer\nRDATE:20261207T140000\n",
            "  UID z@s (Twee keer): Deze activiteit valt meer dan één keer op 7/12/2026",
        ),
    ],
)
def test_a_calendar_that_would_crash_or_hang_is_refused_with_its_line(
    school: Deps, tmp_path: Path, body: str, line: str
) -> None:
    path = tmp_path / "kalender.ics"
    path.write_text(
        f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//NL\nBEGIN:VEVENT\n{body}END:VEVENT\n"
        "END:VCALENDAR\n",
        encoding="utf-8",
    )

    result = run(school, "calendar", "import", str(path))

    assert result.exit_code == 1
    assert line in result.output
    assert imported_titles(school) == []


def test_a_time_zone_with_a_property_twice_is_refused_with_its_line(
    school: Deps, tmp_path: Path
) -> None:
    path = tmp_path / "kalender.ics"
    path.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//NL\n"
        "BEGIN:VTIMEZONE\nTZID:Europe/Brussels\nTZID:Europe/Brussels\n"
        "BEGIN:STANDARD\nDTSTART:19701025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
        "END:STANDARD\nEND:VTIMEZONE\n"
        "BEGIN:VEVENT\nUID:f@s\nDTSTART;TZID=Europe/Brussels:20261207T090000\nSUMMARY:Foto\n"
        "END:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )

    result = run(school, "calendar", "import", str(path))

    assert result.exit_code == 1
    assert "  regel 6: TZID staat twee keer in hetzelfde VTIMEZONE-blok (ook op regel 5)" in (
        result.output
    )


def test_a_nul_byte_is_refused_with_line_and_column(school: Deps, tmp_path: Path) -> None:
    path = tmp_path / "kalender.csv"
    path.write_bytes(b"datum;titel;klas\n3/12/2026;Uit\x00stap;3A\n")

    result = run(school, "calendar", "import", str(path))

    assert result.exit_code == 1
    assert "  regel 2, kolom 2: Hier staat een onzichtbaar teken (U+0000)" in result.output
    assert imported_titles(school) == []


def test_one_reminder_that_cannot_be_made_stops_only_itself(
    school: Deps, clock: FixedClock, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "kalender.csv"
    path.write_text(
        "datum;uur;titel;klas;sjabloon;velden\n"
        "2026-12-03;09:00;Zwemmen;3A;zwemmen;bedrag=2,50\n"
        "2026-12-03;09:00;Zwemmen;3B;zwemmen;bedrag=2,50\n",
        encoding="utf-8",
    )
    assert run(school, "calendar", "import", str(path)).exit_code == 0
    clock.advance(datetime(2026, 12, 2, 18, 0, tzinfo=BRUSSELS) - clock.now())
    with school.db.session() as session:
        first, second = [k for k in due_keys(session, now=clock.now()) if k.event_id]
        # As an import before the amount had its limits left it in the database.
        session.execute(
            update(CalendarEventRow)
            .where(CalendarEventRow.id == first.event_id)
            .values(slots={"bedrag": "12345678901234567890123456789"})
        )

    with caplog.at_level(logging.ERROR):
        queued = send_due_calendar(school)

    with school.db.session() as session:
        rows = session.execute(select(PlannedSend.key, PlannedSend.status).distinct())
        statuses: dict[str, set[str]] = {}
        for key, status in rows:
            statuses.setdefault(key, set()).add(status)
    assert queued >= 1  # the other class's reminder went out in the same sweep
    assert PlannedStatus.QUEUED.value in statuses[second.key]
    assert statuses[first.key] == {PlannedStatus.SKIPPED.value}
    assert f"calendar send {first.key} of school" in caplog.text
    assert "Zwemmen" not in caplog.text and "1234567890" not in caplog.text
    assert send_due_calendar(school) == 0  # skipped, not tried again at every sweep


def event_count(deps: Deps) -> int:
    with deps.db.session() as session:
        return len(session.scalars(select(CalendarEventRow.id)).all())


def test_fuzzed_calendars_are_stored_whole_or_not_at_all(school: Deps, tmp_path: Path) -> None:
    # Through the service and into the database (PostgreSQL refuses what SQLite lets through,
    # like a NUL): every case imports, or is refused and leaves the calendar as it was.
    from tests.unit.test_calendar_fuzz import fuzzed_cases

    stored = refused = 0
    for case, name, data in fuzzed_cases()[:STORED_CASES]:
        path = tmp_path / name
        path.write_bytes(data)
        before = event_count(school)
        try:
            import_calendar(school, school="demo", path=path)
        except CalendarFileError:
            refused += 1
            assert event_count(school) == before, case
        else:
            stored += 1
    assert stored and refused


def test_a_file_with_many_problems_shows_the_first_fifty(school: Deps, tmp_path: Path) -> None:
    path = tmp_path / "kalender.csv"
    path.write_text("datum;titel\n" + "31/02/2027;Geen dag\n" * 60, encoding="utf-8")

    result = run(school, "calendar", "import", str(path))

    assert result.exit_code == 1
    assert "Niets ingelezen uit kalender.csv: 60 probleem/problemen." in result.output
    assert "  regel 51: Datum '31/02/2027'" in result.output
    assert "regel 52:" not in result.output
    assert result.output.endswith("  … en nog 10 probleem/problemen.\n")
