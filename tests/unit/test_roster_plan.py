"""Matching a checked roster to the school's people, as a pure function: who is new, who is the
same, who has left, and what cannot be decided."""

from __future__ import annotations

from oudersbot.domain.roster import parse_roster
from oudersbot.domain.roster_changes import Scope
from oudersbot.domain.roster_plan import KnownChild, KnownGuardian, RosterPlan, plan_import

KNOWN_CHILDREN = [
    KnownChild(1, "3A", "Amira", None, False, frozenset({10, 11})),
    KnownChild(2, "3A", "Emre", None, False, frozenset({12})),
    KnownChild(3, "3B", "Sami", None, False, frozenset({10})),
    KnownChild(4, "3B", "Lucas", None, True, frozenset({13})),
]
KNOWN_GUARDIANS = [
    KnownGuardian(10, "Fatima", None, "ar", True, "+32470123456", False),
    KnownGuardian(11, "Youssef", None, "nl", True, None, False),
    KnownGuardian(12, "Ayşe", None, "tr", False, None, False),
    KnownGuardian(13, "Sophie", None, "fr", True, None, True),
]


def plan(text: str, scope: Scope) -> RosterPlan:
    parsed = parse_roster(text.encode(), "lijst.csv")
    assert parsed.ok, parsed.problems
    return plan_import(
        parsed.rows,
        filename="lijst.csv",
        children=KNOWN_CHILDREN,
        guardians=KNOWN_GUARDIANS,
        scope=scope,
    )


def test_a_plain_file_adds_and_updates_and_nobody_leaves() -> None:
    result = plan("klas,kind,ouder,taal\n3A,Amira,Fatima,ar\n3A,Jan,Katrien,nl\n", Scope.PART)
    changes = result.changes
    assert changes.new_children == ("Jan (3A)",) and changes.new_guardians == ("Katrien",)
    assert changes.left_children == changes.left_guardians == ()
    assert result.links_removed == () and changes.unchanged_children == 1


def test_the_complete_school_list_marks_who_is_missing_as_left() -> None:
    result = plan("klas,kind,ouder,taal\n3A,Amira,Fatima,ar\n3A,Amira,Youssef,nl\n", Scope.SCHOOL)
    assert result.changes.left_children == ("Emre (3A)", "Sami (3B)")
    assert result.changes.left_guardians == ("Ayşe",)  # Sophie had left already
    assert (result.children_leaving, result.guardians_leaving) == ((2, 3), (12,))


def test_the_complete_list_of_its_classes_leaves_other_classes_alone() -> None:
    result = plan("klas,kind,ouder,taal\n3A,Amira,Fatima,ar\n", Scope.CLASSES)
    assert result.changes.left_children == ("Emre (3A)",)
    assert result.changes.changed_children == ("Amira (3A)",)  # Youssef is no longer hers
    assert result.links_removed == ((1, 11),)
    assert result.changes.left_guardians == ("Youssef", "Ayşe")


def test_a_child_who_had_left_is_back_and_a_parents_own_language_stays() -> None:
    result = plan("klas,kind,ouder,taal\n3B,Lucas,Sophie,fr\n3A,Emre,Ayşe,nl\n", Scope.PART)
    assert result.changes.returned_children == ("Lucas (3B)",)
    assert result.changes.returned_guardians == ("Sophie",)
    ayse = next(g for g in result.guardians if g.existing_id == 12)
    assert ayse.language == "tr" and not ayse.write


def test_a_title_line_above_the_header_is_skipped() -> None:
    parsed = parse_roster(
        b"Klaslijst 2026-2027;;;\nklas;kind;ouder;taal\n3A;Amira;Fatima;ar\n", "x.csv"
    )
    assert parsed.ok and parsed.rows[0].line == 3


def test_a_known_name_with_another_phone_and_none_of_their_children_is_refused() -> None:
    parsed = parse_roster(b"klas,kind,ouder,taal,gsm\n1A,Nora,Fatima,ar,0470999999\n", "x.csv")
    result = plan_import(
        parsed.rows,
        filename="x.csv",
        children=KNOWN_CHILDREN,
        guardians=KNOWN_GUARDIANS,
        scope=Scope.PART,
    )
    assert [(p.line, p.code) for p in result.problems] == [(2, "existing_guardian_other_phone")]


def test_a_known_parent_with_a_new_phone_and_their_child_is_a_phone_change() -> None:
    result = plan("klas,kind,ouder,taal,gsm\n3A,Amira,Fatima,ar,0470999999\n", Scope.PART)
    assert result.problems == ()
    assert result.changes.changed_guardians == ("Fatima",)
