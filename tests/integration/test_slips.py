"""Slips: one tap per child, the latest answer counts, reminders planned, the liaison's list."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from oudersbot.bootstrap import Deps
from oudersbot.clock import FixedClock
from oudersbot.domain.slips import AnswerTap, SlipError, encode_tap, parse_answers
from oudersbot.services import followup, messages, slip_answers, slip_status, viewers
from oudersbot.services.slip_answers import TapOutcome
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.models import (
    Child,
    Delivery,
    Group,
    Guardian,
    Reply,
    SlipReminder,
    Staff,
    StaffGroup,
)
from tests.conftest import BRUSSELS, import_fixture_roster, mark_joined
from tests.fakes import RecordingTranslator

DEADLINE = datetime(2026, 12, 1, 18, 0, tzinfo=BRUSSELS)
CHATS = {
    "Fatima El Amrani": 101,
    "Youssef El Amrani": 102,
    "Ayşe Yılmaz": 103,
    "Iryna Kovalenko": 104,
    "Sophie Dubois": 108,
}


@pytest.fixture
def school(deps: Deps) -> Deps:
    """The fixture roster; some guardians joined, Katrien never did, Sarah blocked the bot."""
    import_fixture_roster(deps)
    mark_joined(deps, CHATS)
    with deps.db.session() as session:
        session.execute(
            update(Guardian).where(Guardian.name == "Sarah Johnson").values(reachability="blocked")
        )
    return deps


def send_slip(deps: Deps, group: str = "3A", answers: str = "ja,nee,ik heb een vraag") -> int:
    draft = messages.prepare_message(
        deps,
        school="demo",
        groups=[group],
        text="Gaat uw kind mee naar de zoo?",
        answers=parse_answers(answers),
        deadline=DEADLINE,
    )
    return messages.send_message(deps, draft).message_id


def child_id(deps: Deps, name: str) -> int:
    with deps.db.session() as session:
        return session.scalars(select(Child.id).where(Child.first_name == name)).one()


def tap(deps: Deps, chat: int, slip: int, child: str, option: int, tap_id: str) -> TapOutcome:
    data = encode_tap(AnswerTap(slip, child_id(deps, child), option))
    return slip_answers.record_tap(deps, chat_id=chat, data=data, tap_id=tap_id).outcome


def replies(deps: Deps) -> list[tuple[str | None, str]]:
    with deps.db.session() as session:
        rows = session.execute(select(Reply.answer, Reply.source).order_by(Reply.id)).all()
        return [(a, s) for a, s in rows]


def test_a_slip_carries_buttons_per_child_a_deadline_line_and_planned_reminders(
    school: Deps,
) -> None:
    slip = send_slip(school)
    with school.db.session() as session:
        query = select(Guardian.name, Delivery.buttons).join(
            Delivery, Delivery.guardian_id == Guardian.id
        )
        rows = {name: buttons for name, buttons in session.execute(query)}
        reminders = session.execute(
            select(SlipReminder.rule, SlipReminder.due_at).where(SlipReminder.message_id == slip)
        ).all()
    ayse = rows["Ayşe Yılmaz"]
    # The answers, one per row, and below them the small row of every message, then 🔊.
    assert [row[0][0] for row in ayse] == [
        "Evet",
        "Hayır",
        "Bir sorum var",
        "✅ Anladım",
        "🔊 Dinle",
    ]
    assert [label for label, _ in ayse[-2]] == ["✅ Anladım", "❓ Lütfen açıklayın"]
    assert all(len(data.encode()) <= 64 for row in ayse for _, data in row)
    assert {r: d.astimezone(BRUSSELS) for r, d in reminders} == {
        "two_days": datetime(2026, 11, 29, 17, 0, tzinfo=BRUSSELS),
        "morning": datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS),
    }
    draft = messages.prepare_message(
        school,
        school="demo",
        groups=["3A"],
        text="Komt u?",
        answers=("coming", "not_coming"),
        deadline=DEADLINE,
    )
    assert "dinsdag 1 december, 18:00" in draft.versions["nl"].parts[0]
    assert draft.category.value == "slip"


def test_a_tap_is_recorded_confirmed_changed_and_never_doubled(school: Deps) -> None:
    slip = send_slip(school)
    assert tap(school, 103, slip, "Emre", 0, "t1") is TapOutcome.RECORDED
    assert tap(school, 103, slip, "Emre", 0, "t1") is TapOutcome.SAME  # delivered twice
    assert tap(school, 103, slip, "Emre", 1, "t2") is TapOutcome.CHANGED
    assert replies(school) == [("yes", "button"), ("no", "button")]
    (tally,) = slip_status.slip_status(school, Viewer(1, "admin"), slip_id=slip)
    emre = next(c for c in tally.children if c.child == "Emre")
    assert emre.answer == "no"
    result = slip_answers.record_tap(
        school,
        chat_id=103,
        data=encode_tap(AnswerTap(slip, child_id(school, "Emre"), 2)),
        tap_id="t3",
    )
    assert (result.language, result.child, result.option) == ("tr", "Emre", "question")


def test_one_answer_from_either_guardian_answers_for_the_child(school: Deps) -> None:
    slip = send_slip(school)
    assert tap(school, 102, slip, "Amira", 0, "y1") is TapOutcome.RECORDED
    (tally,) = slip_status.slip_status(school, Viewer(1, "admin"), slip_id=slip)
    assert tally.answered == 1
    items = followup.followup_list(school, Viewer(1, "liaison"), slip_id=slip)
    assert "Amira" not in {item.state.child for item in items}


@pytest.mark.parametrize(
    ("chat", "child", "option", "why"),
    [
        (103, "Amira", 0, "not this guardian's child"),
        (999, "Emre", 0, "a chat the slip never went to"),
        (103, "Emre", 4, "an option the slip does not have"),
        (108, "Lucas", 0, "a child of another class, not on this slip"),
    ],
)
def test_a_forged_tap_changes_nothing(
    school: Deps, chat: int, child: str, option: int, why: str
) -> None:
    slip = send_slip(school)
    assert tap(school, chat, slip, child, option, f"f-{why}") is TapOutcome.REFUSED, why
    assert replies(school) == []


@pytest.mark.parametrize("data", ["a:zz", "a:1:1:9", "a:-1:1:0", "lang:fr", "a:" + "9" * 70])
def test_garbled_button_data_is_refused(school: Deps, data: str) -> None:
    send_slip(school)
    assert slip_answers.record_tap(school, chat_id=103, data=data, tap_id="g").outcome is (
        TapOutcome.REFUSED
    )
    assert replies(school) == []


def test_a_message_that_is_not_a_slip_takes_no_answers(school: Deps) -> None:
    plain = messages.send_message(
        school, messages.prepare_message(school, school="demo", groups=["3A"], text="Hallo")
    ).message_id
    assert tap(school, 103, plain, "Emre", 0, "n1") is TapOutcome.REFUSED


def test_after_the_deadline_the_buttons_say_so_and_nothing_is_recorded(
    school: Deps, clock: FixedClock
) -> None:
    slip = send_slip(school)
    clock.advance(DEADLINE + timedelta(minutes=1) - clock.now())
    assert tap(school, 103, slip, "Emre", 0, "late") is TapOutcome.CLOSED
    assert replies(school) == []


@pytest.mark.parametrize(
    ("answers", "deadline", "code"),
    [
        ("", DEADLINE, "no_answers"),
        ("ja", DEADLINE, "answer_count"),
        ("ja,nee,vraag,ja ik kom,ik kan niet,hulp", DEADLINE, "answer_count"),
        ("ja,misschien", DEADLINE, "unknown_answer"),
        ("ja,ja", DEADLINE, "double_answer"),
        ("ja,nee", datetime(2026, 11, 1, 18, 0, tzinfo=BRUSSELS), "past_deadline"),
        ("ja,nee", None, "no_deadline"),
    ],
)
def test_a_slip_that_cannot_work_is_refused_before_anything_is_stored(
    school: Deps, answers: str, deadline: datetime | None, code: str
) -> None:
    with pytest.raises(SlipError) as caught:
        messages.prepare_message(
            school,
            school="demo",
            groups=["3A"],
            text="Komt u?",
            answers=parse_answers(answers),
            deadline=deadline,
        )
    assert caught.value.code == code
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Delivery)) == 0


def test_a_slip_for_a_class_without_guardians_is_refused(school: Deps) -> None:
    with school.db.session() as session:
        session.add(Group(school_id=1, name="6C"))
    with pytest.raises(SlipError) as caught:
        send_slip(school, group="6C")
    assert caught.value.code == "no_guardians"


def test_the_follow_up_list_names_guardians_with_language_phone_and_reachability(
    school: Deps,
) -> None:
    slip = send_slip(school, group="3A")
    tap(school, 103, slip, "Emre", 0, "e1")
    items = followup.followup_list(school, Viewer(1, "liaison"), slip_id=slip)
    by_child = {item.state.child: item for item in items}
    assert set(by_child) == {"Amira", "Olena", "Jan"}
    jan = by_child["Jan"].state.guardians
    assert [(g.name, g.language, g.phone, g.reach) for g in jan] == [
        ("Katrien Peeters", "nl-BE", "+32475998877", "never_joined")
    ]
    amira = {g.name: g.reach for g in by_child["Amira"].state.guardians}
    assert amira == {"Fatima El Amrani": "reached", "Youssef El Amrani": "reached"}


def test_the_liaison_records_follow_up_and_an_answer_on_the_parents_behalf(
    school: Deps,
) -> None:
    slip = send_slip(school)
    liaison = Viewer(1, "liaison", name="Brugfiguur Sara")
    (katrien,) = followup.find_guardians(school, 1, "katrien peeters")
    followup.record_followup(
        school, liaison, slip_id=slip, guardian_id=katrien, action="called", outcome="not_reached"
    )
    still = {i.state.child: i for i in followup.followup_list(school, liaison, slip_id=slip)}
    assert still["Jan"].open and still["Jan"].attempts == 1  # not reached: still to do
    followup.record_followup(
        school,
        liaison,
        slip_id=slip,
        guardian_id=katrien,
        action="school_gate",
        outcome="reached_answered",
        answer="Ja",
    )
    assert ("yes", "liaison") in replies(school)
    assert "Jan" not in {i.state.child for i in followup.followup_list(school, liaison)}
    with pytest.raises(followup.FollowUpError, match="must be one of"):
        followup.record_followup(
            school,
            liaison,
            slip_id=slip,
            guardian_id=katrien,
            action="called",
            outcome="reached_answered",
            answer="maybe",
        )


def test_roles_teacher_sees_own_class_names_liaison_sees_all_and_phones(school: Deps) -> None:
    slip_a, slip_b = send_slip(school, "3A"), send_slip(school, "3B")
    with school.db.session() as session:
        group_a = session.scalars(select(Group.id).where(Group.name == "3A")).one()
    teacher = Viewer(1, "teacher", frozenset({group_a}), "juf Els")
    liaison = Viewer(1, "liaison", frozenset(), "Sara")
    seen = slip_status.slip_status(school, teacher)
    assert {(t.message_id, t.group) for t in seen} == {(slip_a, "3A")}
    assert all(g.phone is None for t in seen for c in t.children for g in c.guardians)
    everything = slip_status.slip_status(school, liaison)
    assert {(t.message_id, t.group) for t in everything} == {(slip_a, "3A"), (slip_b, "3B")}
    with pytest.raises(NotAllowedError):
        followup.followup_list(school, teacher)
    with pytest.raises(NotAllowedError):
        followup.record_followup(
            school, teacher, slip_id=slip_a, guardian_id=1, action="called", outcome="not_reached"
        )
    phones = [g.phone for i in followup.followup_list(school, liaison) for g in i.state.guardians]
    assert "+32475998877" in phones


def test_the_viewer_of_a_chat_is_the_staff_member_with_their_classes(school: Deps) -> None:
    with school.db.session() as session:
        staff = Staff(school_id=1, name="juf Els", role="teacher", chat_id=555)
        session.add(staff)
        session.flush()
        group_a = session.scalars(select(Group.id).where(Group.name == "3A")).one()
        session.add(StaffGroup(staff_id=staff.id, group_id=group_a))
    viewer = viewers.viewer_for_chat(school, 555)
    assert viewer is not None and (viewer.role, viewer.group_ids) == ("teacher", {group_a})
    assert viewers.viewer_for_chat(school, 103) is None


@pytest.fixture
def translator() -> RecordingTranslator:
    return RecordingTranslator()


def mark_sent(deps: Deps, slip: int) -> None:
    """The slip's copies went out to every joined guardian, as the sender leaves them."""
    with deps.db.session() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.message_id == slip, Delivery.status == "pending")
            .values(status="sent")
        )


def test_a_free_text_answer_is_kept_with_the_slip_translated_for_staff(
    school: Deps, translator: RecordingTranslator
) -> None:
    slip = send_slip(school)
    mark_sent(school, slip)
    kept = slip_answers.record_question(school, chat_id=103, text="Moet ik <iets> betalen?")
    assert kept is not None and kept.message_id == slip and kept.children == ("Emre",)
    assert ("nl", "Moet ik <iets> betalen?") in translator.calls
    (tally,) = slip_status.slip_status(school, Viewer(1, "admin"), slip_id=slip)
    emre = next(c for c in tally.children if c.child == "Emre")
    assert emre.questions == ("[nl] Moet ik <iets> betalen?",) and emre.answer is None
    assert tally.questions == 1
    assert slip_answers.record_question(school, chat_id=999, text="Hallo") is None
