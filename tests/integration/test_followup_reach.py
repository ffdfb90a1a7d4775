"""The brugfiguur's list as staff use it: four reach states, 'not reached' stays open with its
attempts, outcomes per child, answers in Dutch words, exports a spreadsheet cannot run, names
without control characters, and leavers and stopped parents left off."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.domain.slips import parse_answers
from oudersbot.services import followup, messages, slip_answers, slip_status
from oudersbot.services.viewers import Viewer
from oudersbot.store.db import Database
from oudersbot.store.models import Child, Delivery, Guardian, Reply
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined

JOINED = {
    "Fatima El Amrani": 101,
    "Youssef El Amrani": 102,
    "Ayşe Yılmaz": 103,
    "Iryna Kovalenko": 104,
}
LIAISON = Viewer(1, "liaison", name="Brugfiguur Sara")
FIRST_DEADLINE = datetime(2026, 11, 24, 18, 0, tzinfo=BRUSSELS)
LATER_DEADLINE = datetime(2026, 12, 4, 18, 0, tzinfo=BRUSSELS)


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    """The fixture roster on school 'demo'; four guardians joined, Sarah blocked the bot."""
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(
        deps,
        {
            "Fatima El Amrani": 101,
            "Youssef El Amrani": 102,
            "Ayşe Yılmaz": 103,
            "Iryna Kovalenko": 104,
        },
    )
    set_guardian(deps, "Sarah Johnson", reachability="blocked")
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def set_guardian(deps: Deps, who: str, **values: object) -> None:
    with deps.db.session() as session:
        session.execute(update(Guardian).where(Guardian.name == who).values(**values))


def set_child(deps: Deps, who: str, **values: object) -> None:
    with deps.db.session() as session:
        session.execute(update(Child).where(Child.first_name == who).values(**values))


def child_id(deps: Deps, name: str) -> int:
    with deps.db.session() as session:
        return session.scalars(select(Child.id).where(Child.first_name == name)).one()


def send_slip(
    deps: Deps,
    groups: list[str],
    deadline: datetime = LATER_DEADLINE,
    answers: str = "ja,nee",
    text: str = "Gaat uw kind mee naar de zoo?",
) -> int:
    """A slip, its copies marked as the sender leaves them: sent to the joined guardians."""
    draft = messages.prepare_message(
        deps,
        school="demo",
        groups=groups,
        text=text,
        answers=parse_answers(answers),
        deadline=deadline,
    )
    slip = messages.send_message(deps, draft).message_id
    with deps.db.session() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.message_id == slip, Delivery.status == "pending")
            .values(status="sent")
        )
    return slip


def reach_by_guardian(deps: Deps, slip: int) -> dict[str, str]:
    return {
        g.name: g.reach.value
        for item in followup.followup_list(deps, LIAISON, slip_id=slip)
        for g in item.state.guardians
    }


def three_slips_then_a_fourth(deps: Deps, clock: FixedClock) -> int:
    """Three slips to 3A whose deadline passed, Ayşe answered the second; then a new one."""
    for place in ("bib", "zwembad", "bos"):
        send_slip(deps, ["3A"], FIRST_DEADLINE, text=f"Gaat uw kind mee naar de {place}?")
    kept = slip_answers.record_text(deps, chat_id=103, text="1", text_id="t-ayse")
    assert kept.tap is not None  # "1" answers the newest open slip, the third
    clock.advance(FIRST_DEADLINE + timedelta(hours=1) - clock.now())
    return send_slip(deps, ["3A", "3B"])


def test_four_states_silent_after_n_slips_which_the_school_sets(
    school: Deps, clock: FixedClock
) -> None:
    slip = three_slips_then_a_fourth(school, clock)
    assert reach_by_guardian(school, slip) == {
        "Fatima El Amrani": "silent",
        "Youssef El Amrani": "silent",
        "Ayşe Yılmaz": "reached",
        "Iryna Kovalenko": "silent",
        "Katrien Peeters": "never_joined",
        "Anna Nowak": "never_joined",
        "Elena Popescu": "never_joined",
        "Sophie Dubois": "never_joined",
        "Sarah Johnson": "blocked",
    }
    listing = run(school, "followup", "list", "--slip", str(slip)).output
    assert "Iryna Kovalenko (nr. " in listing
    assert "stil: antwoordde op geen van de laatste 3 strookjes" in listing
    assert "Sarah Johnson" in listing and "geblokkeerd of gestopt" in listing
    assert "Ayşe Yılmaz" in listing and "bereikbaar via de bot" in listing
    assert "nooit aangesloten" in listing

    changed = run(school, "followup", "instellen", "--stil-na", "4")
    assert changed.exit_code == 0 and "laatste 4 strookjes" in changed.output
    assert reach_by_guardian(school, slip)["Iryna Kovalenko"] == "reached"
    wrong = run(school, "followup", "instellen", "--stil-na", "0")
    assert wrong.exit_code == 1 and "kies een aantal strookjes van 1 tot 20" in wrong.output


def test_stopped_parents_and_leavers_are_not_on_the_open_list(school: Deps) -> None:
    slip = send_slip(school, ["3A", "3B"])
    set_guardian(school, "Iryna Kovalenko", reachability="stopped", chat_id=None)
    set_guardian(school, "Youssef El Amrani", stopped_at=school.clock.now())
    set_child(school, "Jan", left_at=school.clock.now())
    set_guardian(school, "Sarah Johnson", left_at=school.clock.now())
    set_child(school, "Noah", left_at=school.clock.now())
    items = followup.followup_list(school, LIAISON, slip_id=slip)
    children = {item.state.child for item in items}
    assert {"Olena", "Jan", "Noah"}.isdisjoint(children)  # only a stopped parent, or left
    assert {"Amira", "Emre", "Sami"} <= children
    amira = next(item for item in items if item.state.child == "Amira")
    assert [g.name for g in amira.state.guardians] == ["Fatima El Amrani"]
    tallies = slip_status.slip_status(school, LIAISON, slip_id=slip)
    tally_3a = next(t for t in tallies if t.group == "3A")
    assert tally_3a.not_answered == 3  # Amira, Emre, Olena (her parent stopped); Jan left
    assert tally_3a.unreachable == 1  # Olena: her only parent stopped


def record(deps: Deps, slip: int, *extra: str) -> Result:
    return run(deps, "followup", "record", "--slip", str(slip), *extra)


def test_not_reached_stays_open_with_its_attempts_until_an_answer(school: Deps) -> None:
    slip = send_slip(school, ["3A"])
    for _ in range(2):
        done = record(school, slip, "--ouder", "Katrien Peeters", "--actie", "called",
                      "--uitkomst", "not_reached")  # fmt: skip
        assert done.exit_code == 0, done.output
    listing = run(school, "followup", "list").output
    assert "Katrien Peeters" in listing and "nog open na 2 pogingen" in listing
    record(school, slip, "--ouder", "Katrien Peeters", "--actie", "school_gate",
           "--uitkomst", "reached_answered", "--antwoord", "nee")  # fmt: skip
    assert "Katrien Peeters" not in run(school, "followup", "list").output
    assert "- Jan: Nee" in run(school, "slips", "status").output


def test_outcomes_are_per_child_and_a_sibling_keeps_their_own(school: Deps) -> None:
    slip = send_slip(school, ["3A", "3B"], answers="Ja, ik kom / Nee, ik kan niet")
    fatima = ("--ouder", "Fatima El Amrani", "--actie", "called")
    ambiguous = record(school, slip, *fatima, "--uitkomst", "not_reached")
    amira, sami = child_id(school, "Amira"), child_id(school, "Sami")
    assert ambiguous.exit_code == 1
    assert "Deze ouder heeft 2 kinderen op strookje" in ambiguous.output
    assert f"Amira (3A, nr. {amira}), Sami (3B, nr. {sami})" in ambiguous.output
    assert "--kind" in ambiguous.output

    bad_word = record(school, slip, *fatima, "--kind", "Sami", "--uitkomst", "reached_answered",
                      "--antwoord", "misschien")  # fmt: skip
    assert bad_word.exit_code == 1
    assert "Kies uit: Ja, ik kom / Nee, ik kan niet." in bad_word.output
    sami_done = record(school, slip, *fatima, "--kind", "sami", "--uitkomst", "reached_answered",
                       "--antwoord", "komt")  # fmt: skip
    assert sami_done.exit_code == 0, sami_done.output
    amira_done = record(school, slip, *fatima, "--kind", str(amira), "--uitkomst", "not_reached")
    assert amira_done.exit_code == 0, amira_done.output
    other = record(school, slip, *fatima, "--kind", "Emre", "--uitkomst", "not_reached")
    assert other.exit_code == 1 and "Kind 'Emre' staat bij deze ouder niet" in other.output

    with school.db.session() as session:
        answers = session.execute(select(Reply.child_id, Reply.answer, Reply.source)).all()
    assert answers == [(sami, "coming", "liaison")]
    items = {i.state.child: i for i in followup.followup_list(school, LIAISON, slip_id=slip)}
    assert "Sami" not in items  # answered
    assert items["Amira"].open and items["Amira"].attempts == 1
    assert items["Amira"].state.guardians[0].followups == (("called", "not_reached"),)


def test_two_guardians_with_one_name_are_told_apart_by_number(school: Deps) -> None:
    slip = send_slip(school, ["3A"])
    set_guardian(school, "Iryna Kovalenko", name="Katrien Peeters")
    same = record(school, slip, "--ouder", "Katrien Peeters", "--actie", "called",
                  "--uitkomst", "not_reached")  # fmt: skip
    assert same.exit_code == 1 and "meerdere ouders met de naam 'Katrien Peeters'" in same.output


HOSTILE_GUARDIAN = '=HYPERLINK("http://evil.example","klik")'


def hostile_names(deps: Deps) -> int:
    """A guardian named like a formula, a child with accents and an escape sequence, a
    question like a formula; a slip for 3A."""
    set_guardian(deps, "Katrien Peeters", name=HOSTILE_GUARDIAN)
    set_child(deps, "Olena", first_name="Zoë\x1b[2J\x1b[31m Çelik")
    slip = send_slip(deps, ["3A"])
    asked = slip_answers.record_question(deps, chat_id=104, text="@SUM(1+1)\x1b]0;pwned\x07")
    assert asked is not None and asked.message_id == slip
    return slip


def test_the_exports_are_csv_with_a_bom_and_xlsx_and_run_no_formula(
    school: Deps, tmp_path: Path
) -> None:
    hostile_names(school)
    out = tmp_path / "opvolgen.csv"
    assert run(school, "followup", "list", "--export", "csv", "--out", str(out)).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "strookje", "klas", "kind", "ouder", "taal", "telefoon", "bereikbaarheid", "vraag",
        "opvolging", "pogingen", "status", "ouder_nr", "kind_nr",
    ]  # fmt: skip
    by_child = {row[2]: row for row in rows[1:]}
    assert by_child["Zoë Çelik"][7] == "'@SUM(1+1)"
    assert "'" + HOSTILE_GUARDIAN in {row[3] for row in rows}
    assert "'+32470123456" in {row[5] for row in rows}
    assert all(row[10] == "open" for row in rows[1:])
    assert "\x1b" not in data.decode("utf-8-sig")

    to_stdout = run(school, "followup", "list", "--export", "csv")
    assert to_stdout.stdout_bytes == data

    book = tmp_path / "opvolgen.xlsx"
    written = run(school, "followup", "list", "--export", "xlsx", "--out", str(book))
    assert written.exit_code == 0 and "regels geschreven" in written.output
    sheet = load_workbook(book).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None)
    hostile = next(cell for cell in cells if cell.value == HOSTILE_GUARDIAN)
    assert hostile.quotePrefix
    assert "Zoë Çelik" in {cell.value for cell in cells}

    needs_out = run(school, "followup", "list", "--export", "xlsx")
    assert needs_out.exit_code == 1 and "geef --out" in needs_out.output


def test_control_characters_never_reach_the_staff_terminal(school: Deps) -> None:
    hostile_names(school)
    listing = run(school, "followup", "list").output + run(school, "slips", "status").output
    assert "Zoë Çelik" in listing and "@SUM(1+1)" in listing and HOSTILE_GUARDIAN in listing
    assert not any(ord(c) < 32 and c not in "\n\t" for c in listing)


def test_what_the_liaison_records_or_exports_is_in_the_audit_log_without_names(
    school: Deps, tmp_path: Path
) -> None:
    slip = send_slip(school, ["3A"])
    record(school, slip, "--ouder", "Katrien Peeters", "--actie", "called",
           "--uitkomst", "not_reached")  # fmt: skip
    out = tmp_path / "opvolgen.xlsx"
    assert run(school, "followup", "list", "--export", "xlsx", "--out", str(out)).exit_code == 0
    with school.db.session() as session:
        katrien = session.scalars(select(Guardian).where(Guardian.name == "Katrien Peeters")).one()
    lines = [line for line in run(school, "privacy", "audit").output.splitlines() if line]
    recorded = next(line for line in lines if "followup.record" in line)
    assert "cli:" in recorded and f"guardian:{katrien.id}" in recorded
    exported = next(line for line in lines if "followup.export" in line)
    assert "cli:" in exported and "xlsx" in exported
    assert not any("Katrien" in line or "Peeters" in line for line in lines)
