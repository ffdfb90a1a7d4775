"""Invites and joining, through the services (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps
from oudersbot.clock import FixedClock
from oudersbot.domain.invites import InviteProblem
from oudersbot.services import invites, joining
from oudersbot.services.invites import ChildOnCard, UnknownGuardianError
from oudersbot.store.models import Child, Guardian, Invite, Role
from oudersbot.store.schools import UnknownGroupError
from tests.conftest import import_fixture_roster


@pytest.fixture
def school(deps: Deps) -> Deps:
    import_fixture_roster(deps)
    return deps


def test_invites_for_a_class_are_stored_only_as_hashes(school: Deps) -> None:
    issued = invites.issue_guardian_invites(school, school="demo", group="3A").issued
    assert sorted(i.name for i in issued) == [
        "Ayşe Yılmaz",
        "Fatima El Amrani",
        "Iryna Kovalenko",
        "Katrien Peeters",
        "Youssef El Amrani",
    ]
    fatima = next(i for i in issued if i.name == "Fatima El Amrani")
    assert fatima.children == (ChildOnCard("Amira", "3A"), ChildOnCard("Sami", "3B"))
    assert fatima.link == f"https://t.me/testschool_bot?start={fatima.code}"
    with school.db.session() as s:
        stored = list(s.scalars(select(Invite.code_hash)))
    assert len(stored) == 5
    assert all(i.code not in stored for i in issued)


def test_a_code_links_the_chat_once(school: Deps) -> None:
    code = (
        invites.issue_guardian_invites(
            school, school="demo", group="3A", guardian="Iryna Kovalenko"
        )
        .issued[0]
        .code
    )
    outcome = joining.redeem_invite(school, chat_id=501, code=code)
    assert outcome.member is not None
    assert (outcome.member.name, outcome.member.language, outcome.member.children) == (
        "Iryna Kovalenko",
        "uk",
        ("Olena",),
    )
    assert outcome.member.school_name == "De Regenboog"
    again = joining.redeem_invite(school, chat_id=502, code=code)
    assert again.member is None and again.problem is InviteProblem.USED
    # The school's home languages, the most spoken first (here all once: in tag order).
    assert again.languages[:3] == ("ar", "en", "fr")
    assert [m.name for m in joining.identify(school, chat_id=501)] == ["Iryna Kovalenko"]
    assert joining.identify(school, chat_id=502) == []


def test_an_expired_code_links_nothing(school: Deps, clock: FixedClock) -> None:
    code = (
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Anna Nowak")
        .issued[0]
        .code
    )
    clock.advance(timedelta(days=30, seconds=1))
    outcome = joining.redeem_invite(school, chat_id=600, code=code)
    assert outcome.problem is InviteProblem.EXPIRED
    assert joining.identify(school, chat_id=600) == []


def test_reissuing_revokes_the_old_code(school: Deps) -> None:
    old = (
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Anna Nowak")
        .issued[0]
        .code
    )
    new = (
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Anna Nowak")
        .issued[0]
        .code
    )
    assert joining.redeem_invite(school, chat_id=700, code=old).problem is InviteProblem.REVOKED
    assert joining.redeem_invite(school, chat_id=700, code=new).member is not None


def test_joined_guardians_get_no_new_code_unless_asked(school: Deps) -> None:
    code = (
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Anna Nowak")
        .issued[0]
        .code
    )
    joining.redeem_invite(school, chat_id=800, code=code)
    names = [
        i.name
        for i in invites.issue_guardian_invites(
            school, school="demo", group="3B", reissue=True
        ).issued
    ]
    assert "Anna Nowak" not in names
    everyone = invites.issue_guardian_invites(
        school, school="demo", group="3B", include_joined=True
    )
    assert "Anna Nowak" in [i.name for i in everyone.issued]


def test_repeated_wrong_codes_slow_a_chat_down_even_for_a_good_code(
    school: Deps, clock: FixedClock
) -> None:
    good = (
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Sarah Johnson")
        .issued[0]
        .code
    )
    problems = [
        joining.redeem_invite(school, chat_id=900, code=f"wrong-code-{n:08d}").problem
        for n in range(3)
    ]
    assert problems == [InviteProblem.UNKNOWN] * 3
    slowed = joining.redeem_invite(school, chat_id=900, code=good)
    assert slowed.problem is InviteProblem.SLOWED_DOWN and slowed.wait == timedelta(minutes=1)
    clock.advance(timedelta(minutes=1, seconds=1))
    assert joining.redeem_invite(school, chat_id=900, code=good).member is not None
    # Another chat was never slowed down.
    assert joining.redeem_invite(school, chat_id=901, code="x" * 32).wait == timedelta(0)


def test_staff_join_with_a_role(school: Deps) -> None:
    issued = invites.issue_staff_invite(
        school, school="demo", name="Juf Lies", role=Role.TEACHER, groups=["3A"]
    )
    member = joining.redeem_invite(school, chat_id=42, code=issued.code).member
    assert member is not None and (member.kind, member.role) == ("staff", "teacher")
    with pytest.raises(UnknownGroupError):
        invites.issue_staff_invite(
            school, school="demo", name="X", role=Role.TEACHER, groups=["9Z"]
        )


def test_a_parent_chooses_a_language_and_odd_text_is_kept_as_written(school: Deps) -> None:
    with pytest.raises(UnknownGuardianError):  # Lucas is a child, not a guardian
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Lucas")
    code2 = (
        invites.issue_guardian_invites(school, school="demo", group="3B", guardian="Sophie Dubois")
        .issued[0]
        .code
    )
    joining.redeem_invite(school, chat_id=77, code=code2)
    assert joining.set_language(school, chat_id=77, language="klingon") == []
    (member,) = joining.set_language(school, chat_id=77, language="en")
    assert member.language == "en"
    with school.db.session() as s:
        sophie = s.scalars(select(Guardian).where(Guardian.name == "Sophie Dubois")).one()
        assert sophie.language_source == "parent"
    odd = "<b>hallo</b> 😀 '; DROP TABLE guardian; --"
    (writer,) = joining.record_inbound_text(school, chat_id=77, text=odd)
    assert writer.name == "Sophie Dubois"
    from oudersbot.store.models import InboundText

    with school.db.session() as s:
        assert s.scalars(select(InboundText.text)).one() == odd


def test_a_guardian_in_two_classes_keeps_the_first_letter_working(school: Deps) -> None:
    first = invites.issue_guardian_invites(school, school="demo", group="3A")
    second = invites.issue_guardian_invites(school, school="demo", group="3B")
    assert "Fatima El Amrani" in [i.name for i in first.issued]
    assert [n.name for n in second.still_invited] == ["Fatima El Amrani"]
    code = next(i.code for i in first.issued if i.name == "Fatima El Amrani")
    member = joining.redeem_invite(school, chat_id=321, code=code).member
    assert member is not None and member.children == ("Amira", "Sami")


def _code_for(deps: Deps, name: str, group: str = "3B") -> str:
    batch = invites.issue_guardian_invites(deps, school="demo", group=group, guardian=name)
    return batch.issued[0].code


def _stop(deps: Deps, name: str, clock: FixedClock) -> None:
    """What a confirmed /stop leaves behind: the moment, no chat, reachability 'stopped'."""
    with deps.db.session() as s:
        s.execute(
            update(Guardian)
            .where(Guardian.name == name)
            .values(stopped_at=clock.now(), chat_id=None, reachability="stopped")
        )


def test_the_own_used_code_again_says_already_joined_and_never_slows_down(school: Deps) -> None:
    code = _code_for(school, "Anna Nowak")
    assert joining.redeem_invite(school, chat_id=810, code=code).member is not None
    for _ in range(5):  # a parent scanning the letter again and again is not guessing
        again = joining.redeem_invite(school, chat_id=810, code=code)
        assert again.already_joined and again.problem is None
        assert again.member is not None and again.member.name == "Anna Nowak"
    other = joining.redeem_invite(school, chat_id=811, code=code)
    assert (other.member, other.already_joined, other.problem) == (None, False, InviteProblem.USED)


def test_the_own_used_code_of_a_chat_that_moved_on_is_just_used(school: Deps) -> None:
    anna, elena = _code_for(school, "Anna Nowak"), _code_for(school, "Elena Popescu")
    joining.redeem_invite(school, chat_id=820, code=anna)
    joining.redeem_invite(school, chat_id=820, code=elena)  # the chat is Elena's now
    again = joining.redeem_invite(school, chat_id=820, code=anna)
    assert (again.member, again.problem) == (None, InviteProblem.USED)


def test_a_leaver_joins_with_no_code(school: Deps, clock: FixedClock) -> None:
    unused = _code_for(school, "Elena Popescu")
    used = _code_for(school, "Sophie Dubois")
    joining.redeem_invite(school, chat_id=830, code=used)
    with school.db.session() as s:
        s.execute(
            update(Guardian)
            .where(Guardian.name.in_(["Elena Popescu", "Sophie Dubois"]))
            .values(left_at=clock.now())
        )
    refused = joining.redeem_invite(school, chat_id=831, code=unused)
    assert (refused.member, refused.problem) == (None, InviteProblem.VOID)
    assert joining.identify(school, chat_id=831) == []
    own = joining.redeem_invite(school, chat_id=830, code=used)
    assert (own.member, own.already_joined, own.problem) == (None, False, InviteProblem.VOID)
    # Someone else's used code says no more than that it is used.
    assert joining.redeem_invite(school, chat_id=832, code=used).problem is InviteProblem.USED


def test_a_stopped_parent_comes_back_only_with_a_letter_made_after_the_stop(
    school: Deps, clock: FixedClock
) -> None:
    old = _code_for(school, "Sarah Johnson")
    joined = _code_for(school, "Sophie Dubois")
    joining.redeem_invite(school, chat_id=840, code=joined)
    clock.advance(timedelta(days=1))
    _stop(school, "Sarah Johnson", clock)
    _stop(school, "Sophie Dubois", clock)
    assert joining.redeem_invite(school, chat_id=841, code=old).problem is InviteProblem.VOID
    assert joining.redeem_invite(school, chat_id=840, code=joined).problem is InviteProblem.VOID
    clock.advance(timedelta(days=3))
    new = _code_for(school, "Sarah Johnson")
    member = joining.redeem_invite(school, chat_id=841, code=new).member
    assert member is not None and member.name == "Sarah Johnson"
    with school.db.session() as s:
        sarah = s.scalars(select(Guardian).where(Guardian.name == "Sarah Johnson")).one()
        assert (sarah.chat_id, sarah.reachability, sarah.stopped_at) == (841, "joined", None)
    assert joining.redeem_invite(school, chat_id=841, code=new).already_joined


def test_a_child_who_left_is_not_named_when_joining(school: Deps, clock: FixedClock) -> None:
    code = _code_for(school, "Fatima El Amrani", group="3A")
    with school.db.session() as s:
        s.execute(update(Child).where(Child.first_name == "Sami").values(left_at=clock.now()))
    member = joining.redeem_invite(school, chat_id=850, code=code).member
    assert member is not None and member.children == ("Amira",)
