"""Invite letters as a school prints them: one card per guardian naming all their children,
one working code per guardian, namesakes told apart, leavers and stopped parents respected,
and sheets that never overwrite an earlier one (services and `oudersbot invites print`)."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.domain.invites import InviteProblem
from oudersbot.services import invites, joining
from oudersbot.services.invites import AmbiguousGuardianError, ChildOnCard
from oudersbot.store.db import Database
from oudersbot.store.models import Child, Group, Guardian, GuardianChild, Invite, School
from tests.conftest import import_fixture_roster, make_settings


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def guardian_id(deps: Deps, name: str) -> int:
    with deps.db.session() as s:
        return s.scalars(select(Guardian.id).where(Guardian.name == name)).one()


def working_codes(deps: Deps, guardian: int) -> int:
    with deps.db.session() as s:
        rows = s.scalars(
            select(Invite).where(
                Invite.guardian_id == guardian,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
                Invite.expires_at > deps.clock.now(),
            )
        ).all()
        return len(rows)


def add_family(
    deps: Deps, guardian: str, children: list[tuple[str, str]], *, external_id: str | None = None
) -> int:
    """A guardian with children (first name, class) as a roster with the school's ids gives
    them: names need not be unique."""
    with deps.db.session() as s:
        school_id = s.scalars(select(School.id).where(School.slug == "demo")).one()
        row = Guardian(school_id=school_id, name=guardian, language="nl", external_id=external_id)
        s.add(row)
        s.flush()
        for first_name, group in children:
            group_id = s.scalars(
                select(Group.id).where(Group.school_id == school_id, Group.name == group)
            ).one()
            child = Child(school_id=school_id, group_id=group_id, first_name=first_name)
            s.add(child)
            s.flush()
            s.add(GuardianChild(guardian_id=row.id, child_id=child.id))
        return row.id


def pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- one card per guardian, one working code --------------------------------------------------


def test_a_card_names_all_children_of_the_guardian_in_every_class(school: Deps) -> None:
    fatima = guardian_id(school, "Fatima El Amrani")
    first = invites.issue_guardian_invites(school, school="demo", group="3A")
    (card,) = [i for i in first.issued if i.guardian_id == fatima]
    assert card.children == (ChildOnCard("Amira", "3A"), ChildOnCard("Sami", "3B"))
    assert card.group == "3A"
    assert len([i for i in first.issued if i.guardian_id == fatima]) == 1
    # The 3B sheet leaves her out: her letter from 3A names Sami too, and still works.
    second = invites.issue_guardian_invites(school, school="demo", group="3B")
    assert fatima not in [i.guardian_id for i in second.issued]
    assert [(n.guardian_id, n.children) for n in second.still_invited] == [(fatima, card.children)]
    assert working_codes(school, fatima) == 1
    member = joining.redeem_invite(school, chat_id=321, code=card.code).member
    assert member is not None and member.children == ("Amira", "Sami")


def test_new_letters_for_a_class_leave_each_guardian_one_working_code(school: Deps) -> None:
    fatima = guardian_id(school, "Fatima El Amrani")
    old = next(
        i.code
        for i in invites.issue_guardian_invites(school, school="demo", group="3A").issued
        if i.guardian_id == fatima
    )
    again = invites.issue_guardian_invites(school, school="demo", group="3B", reissue=True)
    (new,) = [i for i in again.issued if i.guardian_id == fatima]
    assert new.children == (ChildOnCard("Amira", "3A"), ChildOnCard("Sami", "3B"))
    assert working_codes(school, fatima) == 1
    assert joining.redeem_invite(school, chat_id=5, code=old).problem is InviteProblem.REVOKED
    assert joining.redeem_invite(school, chat_id=5, code=new.code).member is not None


def test_namesakes_are_two_guardians_with_two_cards(school: Deps) -> None:
    first = add_family(school, "Marie Janssens", [("Adam", "3A")], external_id="P-101")
    second = add_family(school, "Marie Janssens", [("Adam", "3A"), ("Lina", "3B")])
    issued = invites.issue_guardian_invites(school, school="demo", group="3A").issued
    cards = {i.guardian_id: i.children for i in issued if i.name == "Marie Janssens"}
    assert cards == {
        first: (ChildOnCard("Adam", "3A"),),
        second: (ChildOnCard("Adam", "3A"), ChildOnCard("Lina", "3B")),
    }
    with pytest.raises(AmbiguousGuardianError) as raised:
        invites.issue_guardian_invites(school, school="demo", group="3A", guardian="marie janssens")
    assert sorted(n.ref for n in raised.value.candidates) == sorted(["P-101", f"#{second}"])
    by_school_id = invites.issue_guardian_invites(
        school, school="demo", group="3A", guardian="P-101"
    )
    by_our_number = invites.issue_guardian_invites(
        school, school="demo", group="3A", guardian=f"#{second}"
    )
    assert [i.guardian_id for i in by_school_id.issued] == [first]
    assert [i.guardian_id for i in by_our_number.issued] == [second]


def test_leavers_get_no_card_and_a_child_who_left_is_not_named(
    school: Deps, clock: FixedClock
) -> None:
    with school.db.session() as s:
        s.execute(update(Child).where(Child.first_name == "Sami").values(left_at=clock.now()))
        s.execute(update(Guardian).where(Guardian.name == "Anna Nowak").values(left_at=clock.now()))
    fatima = guardian_id(school, "Fatima El Amrani")
    first = invites.issue_guardian_invites(school, school="demo", group="3A")
    assert next(i for i in first.issued if i.guardian_id == fatima).children == (
        ChildOnCard("Amira", "3A"),
    )
    second = invites.issue_guardian_invites(school, school="demo", group="3B")
    names = [i.name for i in second.issued]
    assert "Anna Nowak" not in names and "Fatima El Amrani" not in names
    with pytest.raises(invites.UnknownGuardianError):
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Anna Nowak")


def test_a_stopped_parent_gets_a_letter_only_when_named(school: Deps, clock: FixedClock) -> None:
    with school.db.session() as s:
        s.execute(
            update(Guardian)
            .where(Guardian.name == "Sarah Johnson")
            .values(stopped_at=clock.now(), reachability="stopped")
        )
    batch = invites.issue_guardian_invites(school, school="demo", group="3B")
    assert "Sarah Johnson" not in [i.name for i in batch.issued]
    assert [n.name for n in batch.stopped] == ["Sarah Johnson"]
    reissued = invites.issue_guardian_invites(school, school="demo", group="3B", reissue=True)
    assert "Sarah Johnson" not in [i.name for i in reissued.issued]
    clock.advance(timedelta(days=2))
    asked = invites.issue_guardian_invites(
        school, school="demo", group="3B", guardian="Sarah Johnson"
    )
    assert [i.name for i in asked.issued] == ["Sarah Johnson"]


# --- the command --------------------------------------------------------------------------------


def test_print_names_every_child_with_its_class_and_keeps_earlier_sheets(
    school: Deps, clock: FixedClock
) -> None:
    folder = school.settings.data_dir / "invites"
    first = run(school, "invites", "print", "--class", "3A")
    assert first.exit_code == 0, first.output
    sheet = folder / "uitnodigingen-3A-2026-11-23-0900.pdf"
    assert str(sheet) in first.output
    assert (folder / "uitnodigingen-3A-2026-11-23-0900.html").exists()
    text = pdf_text(sheet)
    assert "Amira (3A) · Sami (3B)" in text
    assert "Fatima El Amrani" in text and "Emre" in text
    assert "(3A)" not in text.replace("Amira (3A)", "")  # one-class families: names only
    kept = sheet.read_bytes()

    # The same minute, new letters for the class: a second file, the first one untouched.
    again = run(school, "invites", "print", "--class", "3A", "--opnieuw")
    assert again.exit_code == 0, again.output
    assert str(folder / "uitnodigingen-3A-2026-11-23-0900-2.pdf") in again.output
    assert sheet.read_bytes() == kept
    clock.advance(timedelta(minutes=15))
    later = run(school, "invites", "print", "--class", "3A", "--guardian", "Iryna Kovalenko")
    assert str(folder / "uitnodigingen-3A-2026-11-23-0915.pdf") in later.output
    assert sorted(p.name for p in folder.glob("*.pdf")) == [
        "uitnodigingen-3A-2026-11-23-0900-2.pdf",
        "uitnodigingen-3A-2026-11-23-0900.pdf",
        "uitnodigingen-3A-2026-11-23-0915.pdf",
    ]


def test_print_says_who_has_a_working_letter_or_stopped(school: Deps, clock: FixedClock) -> None:
    run(school, "invites", "print", "--class", "3A")
    with school.db.session() as s:
        s.execute(
            update(Guardian)
            .where(Guardian.name == "Sarah Johnson")
            .values(stopped_at=clock.now(), reachability="stopped")
        )
    result = run(school, "invites", "print", "--class", "3B")
    assert result.exit_code == 0, result.output
    assert "hun vorige brief werkt nog" in result.output
    assert "Fatima El Amrani (Amira 3A, Sami 3B)" in result.output
    assert "stopte met de bot" in result.output and "Sarah Johnson (Noah 3B)" in result.output
    assert "3 uitnodigingen voor klas 3B" in result.output
    # Nothing new to print: no sheet, and no claim that everyone joined.
    nothing = run(school, "invites", "print", "--class", "3B")
    assert "zijn al aangesloten" not in nothing.output
    assert len(list((school.settings.data_dir / "invites").glob("*3B*.pdf"))) == 1


def test_print_asks_which_namesake_and_names_an_unknown_guardian(school: Deps) -> None:
    add_family(school, "Marie Janssens", [("Adam", "3A")], external_id="P-101")
    other = add_family(school, "Marie Janssens", [("Adam", "3A")])
    result = run(school, "invites", "print", "--class", "3A", "--guardian", "Marie Janssens")
    assert result.exit_code == 1
    assert "Meer dan één ouder in klas 3A heet 'Marie Janssens'" in result.output
    assert "Marie Janssens (Adam 3A): --guardian P-101" in result.output
    assert f"Marie Janssens (Adam 3A): --guardian #{other}" in result.output
    chosen = run(school, "invites", "print", "--class", "3A", "--guardian", f"#{other}")
    assert chosen.exit_code == 0 and "1 uitnodigingen voor klas 3A" in chosen.output
    unknown = run(school, "invites", "print", "--class", "3A", "--guardian", "Lucas")
    assert unknown.exit_code == 1
    assert "Klas 3A heeft geen ouder 'Lucas'" in unknown.output
    assert "Traceback" not in unknown.output


def test_a_class_name_never_leaves_the_invites_folder(school: Deps) -> None:
    from oudersbot.cli.output import sheet_basename

    moment = school.clock.now()
    assert sheet_basename("3A", moment) == "uitnodigingen-3A-2026-11-23-0900"
    assert sheet_basename("../3 B", moment) == "uitnodigingen-3-B-2026-11-23-0900"
    assert re.fullmatch(r"uitnodigingen-klas-[\d-]+", sheet_basename("//", moment))
