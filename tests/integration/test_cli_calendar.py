"""`oudersbot calendar import / upcoming / cancel / move`, as staff type them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.settings import PACKAGE_DIR
from oudersbot.store.db import Database
from tests.conftest import import_fixture_roster, make_settings, mark_joined


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    rules = tmp_path / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings = make_settings(tmp_path, school_slug="demo", scheduler_dir=rules)
    deps = bootstrap(settings, clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": 103})
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def test_the_example_calendar_imports_and_the_next_two_weeks_are_listed(school: Deps) -> None:
    example = str(PACKAGE_DIR / "scheduler" / "voorbeeld-kalender.ics")

    imported = run(school, "calendar", "import", example)
    again = run(school, "calendar", "import", example)
    soon = run(school, "calendar", "upcoming", "--days", "14")

    assert imported.exit_code == 0, imported.output
    assert "Kalender voorbeeld-kalender.ics ingelezen:" in imported.output
    assert "0 nieuw, 0 gewijzigd" in again.output
    assert "Herinneringen: 0 nieuw gepland, 0 verplaatst, 0 geannuleerd" in again.output
    assert soon.exit_code == 0, soon.output
    assert "dinsdag 1 december 2026" in soon.output
    assert "(overview) · klas - · 9 ouders, 1 in de bot" in soon.output


def test_a_bad_file_lists_every_problem_and_imports_nothing(school: Deps, tmp_path: Path) -> None:
    bad = tmp_path / "kalender.csv"
    bad.write_text(
        "datum;uur;titel;klas\n2026-02-30;;Geen dag;3A\n2026-12-04;;Klas die er niet is;7C\n",
        encoding="utf-8",
    )

    result = run(school, "calendar", "import", str(bad))
    after = run(school, "calendar", "upcoming")

    assert result.exit_code == 1
    assert "Niets ingelezen uit kalender.csv: 2 probleem/problemen." in result.output
    assert "  regel 2: Datum '2026-02-30' kan niet gelezen worden; schrijf bv. 3/12/2026.\n" in (
        result.output
    )
    assert "  regel 3: Klas '7C' bestaat niet in deze school (klassen: 3A, 3B).\n" in result.output
    assert "Niets gepland in de komende 14 dagen." in after.output


def test_a_bad_ics_names_events_by_uid_and_title(school: Deps, tmp_path: Path) -> None:
    bad = tmp_path / "kalender.ics"
    bad.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//NL\nBEGIN:VEVENT\nUID:f@demo\n"
        "SUMMARY:Fotodag\nEND:VEVENT\nEND:VCALENDAR\n",
        encoding="utf-8",
    )

    result = run(school, "calendar", "import", str(bad))

    assert result.exit_code == 1
    assert "  UID f@demo (Fotodag): Deze activiteit heeft geen begindatum (DTSTART).\n" in (
        result.output
    )


def test_bad_reminder_rules_are_listed_in_dutch(school: Deps) -> None:
    rules = school.settings.scheduler_dir / "rules.toml"
    rules.write_text(
        'kleur = 1\n[quiet_hours]\nstart = "9u"\n[[rule]]\nkind = "*"\nname = "x"\nat = "18:00"\n',
        encoding="utf-8",
    )

    result = run(school, "calendar", "plan")

    assert result.exit_code == 1
    assert result.stderr == (
        f"De herinneringsregels in {rules} kloppen niet:\n"
        "onbekende sleutel 'kleur'\n"
        "[quiet_hours]: start = '9u' is geen uur zoals \"18:00\"\n"
        "regel 1 (*): days_before of school_days_before ontbreekt\n"
    )


def test_staff_cancel_and_move_a_planned_reminder_by_its_key(school: Deps, tmp_path: Path) -> None:
    path = tmp_path / "k.csv"
    path.write_text(
        "datum;uur;titel;klas;sjabloon;velden\n2026-12-03;09:00;Uitstap;3A;uitstap;plaats=Brugge\n",
        encoding="utf-8",
    )
    run(school, "calendar", "import", str(path))
    listing = run(school, "calendar", "upcoming").output
    keys = [line.rsplit("[", 1)[1].rstrip("]") for line in listing.splitlines() if "[e" in line]

    moved = run(school, "calendar", "move", keys[0], "--naar", "2026-11-27T17:00")
    late = run(school, "calendar", "move", keys[0], "--naar", "2026-12-03T12:00")
    cancelled = run(school, "calendar", "cancel", keys[1])
    gone = run(school, "calendar", "cancel", keys[1])

    assert moved.exit_code == 0 and "gaat op 2026-11-27 17:00 naar 5 ouders" in moved.output
    assert late.exit_code == 1 and "vóór de activiteit" in late.output
    assert cancelled.exit_code == 0 and "gaat niet naar 5 ouders" in cancelled.output
    assert gone.exit_code == 1 and "Er staat niets gepland" in gone.output
    assert "met de hand aangepast door cli" in run(school, "calendar", "upcoming").output
