"""Importing rosters: idempotent, updating, all or nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from oudersbot.bootstrap import Deps
from oudersbot.services.roster import import_roster
from oudersbot.store.models import Child, Group, Guardian, GuardianChild

FIXTURE = Path(__file__).parents[1] / "fixtures" / "roster_3a_3b.csv"


def counts(deps: Deps) -> tuple[int, int, int, int]:
    with deps.db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Group)) or 0,
            s.scalar(select(func.count()).select_from(Child)) or 0,
            s.scalar(select(func.count()).select_from(Guardian)) or 0,
            s.scalar(select(func.count()).select_from(GuardianChild)) or 0,
        )


def test_import_creates_classes_children_guardians_and_links(deps: Deps) -> None:
    report = import_roster(deps, data=FIXTURE.read_bytes(), filename="lijst.csv", school="demo")
    assert report.ok and report.changes is not None
    changes = report.changes
    assert (changes.groups, changes.children, len(changes.new_guardians)) == (("3A", "3B"), 9, 9)
    assert counts(deps) == (2, 9, 9, 10)
    with deps.db.session() as s:
        fatima = s.scalars(select(Guardian).where(Guardian.name == "Fatima El Amrani")).one()
        assert sorted(c.first_name for c in fatima.children) == ["Amira", "Sami"]
        assert fatima.language == "ar" and fatima.phone == "+32470123456"
        amira = s.scalars(select(Child).where(Child.first_name == "Amira")).one()
        languages = sorted(
            s.scalars(
                select(Guardian.language)
                .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
                .where(GuardianChild.child_id == amira.id)
            )
        )
        assert languages == ["ar", "nl"]


def test_reimporting_the_same_file_changes_nothing(deps: Deps) -> None:
    import_roster(deps, data=FIXTURE.read_bytes(), filename="lijst.csv", school="demo")
    again = import_roster(deps, data=FIXTURE.read_bytes(), filename="lijst.csv", school="demo")
    assert again.changes is not None and again.changes.changes == 0
    assert (again.changes.unchanged_guardians, again.changes.unchanged_children) == (9, 9)
    assert counts(deps) == (2, 9, 9, 10)


def test_a_changed_file_updates_rows_and_never_duplicates(deps: Deps) -> None:
    import_roster(deps, data=FIXTURE.read_bytes(), filename="lijst.csv", school="demo")
    changed = FIXTURE.read_text(encoding="utf-8").replace(
        "3B,Zofia,Anna Nowak,pl,\n",
        "3B,Zofia,Anna Nowak,pl,0470 55 66 77\n3B,Zofia,Piotr Nowak,pl,\n",
    )
    report = import_roster(deps, data=changed.encode(), filename="lijst.csv", school="demo")
    assert report.changes is not None
    assert report.changes.new_guardians == ("Piotr Nowak",)
    assert report.changes.changed_guardians == ("Anna Nowak",)
    assert report.changes.changed_children == ("Zofia (3B)",)
    assert counts(deps) == (2, 9, 10, 11)
    with deps.db.session() as s:
        anna = s.scalars(select(Guardian).where(Guardian.name == "Anna Nowak")).one()
        assert anna.phone == "+32470556677"


def test_a_parents_own_language_choice_survives_a_reimport(deps: Deps) -> None:
    import_roster(deps, data=FIXTURE.read_bytes(), filename="lijst.csv", school="demo")
    with deps.db.session() as s:
        s.scalars(
            select(Guardian).where(Guardian.name == "Sophie Dubois")
        ).one().language_source = "parent"
    changed = FIXTURE.read_text(encoding="utf-8").replace("Sophie Dubois,fr", "Sophie Dubois,en")
    import_roster(deps, data=changed.encode(), filename="lijst.csv", school="demo")
    with deps.db.session() as s:
        assert (
            s.scalars(select(Guardian.language).where(Guardian.name == "Sophie Dubois")).one()
            == "fr"
        )


def test_a_bad_file_imports_nothing_even_its_good_lines(deps: Deps) -> None:
    bad = FIXTURE.read_text(encoding="utf-8") + "3C,Mila,,nl,\n3C,Tom,Els,zz,\n"
    report = import_roster(deps, data=bad.encode(), filename="lijst.csv", school="demo")
    assert not report.ok
    assert [(p.line, p.column, p.code) for p in report.problems] == [
        (12, "ouder", "empty"),
        (13, "taal", "unknown_language"),
    ]
    assert counts(deps) == (0, 0, 0, 0)
