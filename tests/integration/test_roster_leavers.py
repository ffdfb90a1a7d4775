"""`roster import --volledig`: the file is the complete list; who is not on it has left, gets
nothing more and drops off every list and count; who comes back is back (SQLite and
PostgreSQL)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.domain.slips import parse_answers
from oudersbot.services import messages
from oudersbot.services.reminders import send_due_reminders
from oudersbot.store.audience import guardians_by_id, recipient_of_guardian
from oudersbot.store.db import Database
from oudersbot.store.models import AuditEntry, Child, Delivery, Guardian
from tests.conftest import BRUSSELS, FIXTURE_DIR, import_fixture_roster, make_settings, mark_joined
from tests.fakes import RecordingSender

FULL = (FIXTURE_DIR / "roster_3a_3b.csv").read_text(encoding="utf-8")
# Emre (3A, only parent Ayşe) and Sami (3B, whose mother Fatima keeps Amira in 3A) have left.
WITHOUT = "".join(
    line for line in FULL.splitlines(keepends=True) if not line.startswith(("3A,Emre", "3B,Sami"))
)


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": 103, "Fatima El Amrani": 101})
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leerlingen.csv"
    path.write_text(text, encoding="utf-8")
    return path


def left(deps: Deps) -> tuple[list[str], list[str]]:
    """The first names of the children and the names of the guardians who have left."""
    with deps.db.session() as s:
        return (
            sorted(s.scalars(select(Child.first_name).where(Child.left_at.is_not(None)))),
            sorted(s.scalars(select(Guardian.name).where(Guardian.left_at.is_not(None)))),
        )


def test_without_a_terminal_and_without_yes_it_shows_the_change_and_refuses_in_one_line(
    school: Deps, tmp_path: Path
) -> None:
    result = run(school, "roster", "import", "--volledig", str(write(tmp_path, WITHOUT)))
    assert result.exit_code == 1
    assert "volledige lijst van de hele school" in result.output
    assert "Kinderen die vertrokken zijn (2): Emre (3A), Sami (3B)" in result.output
    assert "Ouders die vertrokken zijn (1): Ayşe Yılmaz" in result.output
    assert result.output.strip().splitlines()[-1].startswith("Een volledige lijst markeert")
    assert left(school) == ([], [])


def test_a_complete_list_marks_leavers_who_then_get_nothing_and_drop_off_every_count(
    school: Deps, tmp_path: Path
) -> None:
    result = run(school, "roster", "import", "--volledig", "--yes", str(write(tmp_path, WITHOUT)))
    assert result.exit_code == 0, result.output
    assert "leerlingen.csv: ingelezen." in result.output
    assert left(school) == (["Emre", "Sami"], ["Ayşe Yılmaz"])
    with school.db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.action == "roster.import"
        assert last.detail is not None and "left=2" in last.detail and "Emre" not in last.detail

    draft = messages.prepare_message(
        school, school="demo", groups=["3A", "3B"], text="Morgen is er geen school."
    )
    names = {r.name: r.children for r in draft.recipients}
    assert "Ayşe Yılmaz" not in names
    assert names["Fatima El Amrani"] == ("Amira",)

    sent = run(
        school,
        "send",
        "--class",
        "3A",
        "--text",
        "Gaat uw kind mee naar de zoo?",
        "--answers",
        "Ja / Nee",
        "--deadline",
        "2026-12-01T18:00",
        "--yes",
    )
    assert sent.exit_code == 0, sent.output
    status = run(school, "slips", "status").output
    assert "klas 3A, tegen 2026-12-01 18:00: 0 beantwoord, 3 niet beantwoord" in status
    assert "Emre" not in status
    assert "Ayşe" not in run(school, "followup", "list").output

    with school.db.session() as s:
        ayse = s.scalars(select(Guardian).where(Guardian.name == "Ayşe Yılmaz")).one()
        fatima = s.scalars(select(Guardian).where(Guardian.name == "Fatima El Amrani")).one()
        assert guardians_by_id(s, guardian_ids=[ayse.id, fatima.id]) == [fatima]
        assert recipient_of_guardian(s, guardian_id=ayse.id).left
        assert recipient_of_guardian(s, guardian_id=fatima.id).children == ("Amira",)


def test_the_same_complete_list_again_changes_nothing_and_asks_nothing(
    school: Deps, tmp_path: Path
) -> None:
    path = write(tmp_path, WITHOUT)
    run(school, "roster", "import", "--volledig", "--yes", str(path))
    again = run(school, "roster", "import", "--volledig", str(path))
    assert again.exit_code == 0, again.output
    assert "Niets te veranderen" in again.output


def test_a_child_who_comes_back_on_a_later_complete_list_is_back(
    school: Deps, tmp_path: Path
) -> None:
    run(school, "roster", "import", "--volledig", "--yes", str(write(tmp_path, WITHOUT)))
    result = run(school, "roster", "import", "--volledig", "--yes", str(write(tmp_path, FULL)))
    assert result.exit_code == 0, result.output
    assert "Kinderen die terug zijn (2): Emre (3A), Sami (3B)" in result.output
    assert "Ouders die terug zijn (1): Ayşe Yılmaz" in result.output
    assert left(school) == ([], [])


def test_a_plain_import_never_marks_leavers(school: Deps, tmp_path: Path) -> None:
    result = run(school, "roster", "import", str(write(tmp_path, WITHOUT)))
    assert result.exit_code == 0, result.output
    assert left(school) == ([], [])


def test_a_complete_list_of_the_classes_in_the_file_leaves_other_classes_alone(
    school: Deps, tmp_path: Path
) -> None:
    only_3a = "".join(
        line
        for line in FULL.splitlines(keepends=True)
        if line.startswith(("klas", "3A")) and not line.startswith("3A,Emre")
    )
    result = run(
        school,
        "roster",
        "import",
        "--volledig",
        "--klassen-in-bestand",
        "--yes",
        str(write(tmp_path, only_3a)),
    )
    assert result.exit_code == 0, result.output
    assert "volledige lijst van de klassen 3A" in result.output
    assert left(school) == (["Emre"], ["Ayşe Yılmaz"])


def test_a_parent_the_complete_list_no_longer_gives_a_child_is_no_longer_its_parent(
    school: Deps, tmp_path: Path
) -> None:
    without_youssef = FULL.replace("3A,Amira,Youssef El Amrani,nl,\n", "")
    result = run(
        school, "roster", "import", "--volledig", "--yes", str(write(tmp_path, without_youssef))
    )
    assert result.exit_code == 0, result.output
    assert "Gewijzigde kinderen (1): Amira (3A)" in result.output
    assert left(school) == ([], ["Youssef El Amrani"])
    draft = messages.prepare_message(school, school="demo", groups=["3A"], text="Morgen vrij.")
    assert "Youssef El Amrani" not in {r.name for r in draft.recipients}


def test_klassen_in_bestand_alone_is_refused(school: Deps, tmp_path: Path) -> None:
    result = run(school, "roster", "import", "--klassen-in-bestand", str(write(tmp_path, FULL)))
    assert result.exit_code == 1
    assert "--klassen-in-bestand hoort bij --volledig" in result.output


def test_what_still_waited_in_the_outbox_for_a_leaving_parent_is_cancelled(
    school: Deps, tmp_path: Path
) -> None:
    sent = run(school, "send", "--class", "3A", "--text", "Morgen is er turnen.", "--yes")
    assert sent.exit_code == 0, sent.output
    run(school, "roster", "import", "--volledig", "--yes", str(write(tmp_path, WITHOUT)))
    with school.db.session() as s:
        statuses = dict(
            s.execute(
                select(Guardian.name, Delivery.status).join(
                    Delivery, Delivery.guardian_id == Guardian.id
                )
            ).all()
        )
    assert (statuses["Ayşe Yılmaz"], statuses["Fatima El Amrani"]) == ("cancelled", "pending")


async def test_a_slip_reminder_skips_children_and_parents_who_have_left(
    school: Deps, clock: FixedClock, tmp_path: Path
) -> None:
    mark_joined(school, {"Iryna Kovalenko": 104})
    draft = messages.prepare_message(
        school,
        school="demo",
        groups=["3A"],
        text="Gaat uw kind mee?",
        answers=parse_answers("ja,nee"),
        deadline=datetime(2026, 12, 1, 18, 0, tzinfo=BRUSSELS),
    )
    messages.send_message(school, draft)
    await Dispatcher(school.db, RecordingSender(), school.clock, rate=None).drain()
    # Olena (Iryna's only child) and Emre (Ayşe's) leave; Fatima keeps Amira.
    gone = WITHOUT.replace("3A,Olena,Iryna Kovalenko,uk,\n", "")
    run(school, "roster", "import", "--volledig", "--yes", str(write(tmp_path, gone)))
    clock.advance(datetime(2026, 11, 30, 7, 0, tzinfo=BRUSSELS) - clock.now())
    assert send_due_reminders(school) == 1
    sender = RecordingSender()
    await Dispatcher(school.db, sender, school.clock, rate=None).drain()
    assert sender.chats() == [101]
