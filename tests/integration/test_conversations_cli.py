"""`oudersbot gesprekken`: the open conversations, longest waiting first; the school's answer
time; the brugfiguur's follow-up list shows the questions waiting longer than it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.bootstrap import Deps
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.services import conversations
from oudersbot.settings import Settings
from oudersbot.store.models import ConversationKind
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined

TUESDAY = datetime(2026, 11, 24, 10, 0, tzinfo=BRUSSELS)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The staff commands speak for school 'demo' (OUDERSBOT_SCHOOL)."""
    return make_settings(tmp_path, school_slug="demo")


@pytest.fixture
def school(deps: Deps, clock: FixedClock) -> Deps:
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": 103, "Katrien Peeters": 105, "Anna Nowak": 106})
    clock.advance(TUESDAY - clock.now())
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps})


def ask(deps: Deps, chat: int, text: str, number: int) -> conversations.Received:
    return conversations.receive(
        deps,
        chat_id=chat,
        bot=None,
        telegram_message_id=number,
        kind=ConversationKind.TEXT,
        text=text,
    )


def test_the_list_is_longest_waiting_first_with_class_and_first_words(
    school: Deps, clock: FixedClock
) -> None:
    ask(school, 105, "Mag Jan vrijdag vroeger weg?", 1)
    clock.advance(timedelta(hours=1))
    polish = ask(school, 106, "Czy jutro jest basen?", 2)
    assert polish.note is not None and polish.note.dutch is None  # no translator configured
    thanks = ask(school, 103, "tamam", 3)
    assert thanks.acknowledgement and thanks.note is None
    result = run(school, "gesprekken", "--school", "demo")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Open gesprekken, langst wachtend eerst")
    assert lines[1].startswith("1. Katrien Peeters — Jan (3A) — wacht sinds 24/11 10:00")
    assert lines[2].strip() == "Mag Jan vrijdag vroeger weg?"
    assert lines[3].startswith("2. Anna Nowak — Zofia (3B)")
    assert lines[4].strip() == "[niet vertaald] Czy jutro jest basen?"
    assert "Ayşe" not in result.output  # a thanks waits for nothing
    number = lines[3].split("nr. ")[1].rstrip(")")
    shown = run(school, "gesprekken", "toon", number)
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == [
        "24/11 11:00  Anna Nowak: [niet vertaald]",
        "      (Czy jutro jest basen?)",
    ]
    missing = run(school, "gesprekken", "toon", "999")
    assert missing.exit_code == 1 and "Geen gesprek nr. 999" in missing.output


def test_the_answer_time_is_set_per_school_and_the_followup_list_shows_who_waits_longer(
    school: Deps, clock: FixedClock
) -> None:
    ask(school, 105, "Mag Jan vrijdag vroeger weg?", 1)
    clock.advance(timedelta(days=1))  # Wednesday 10:00: 12.5 school hours
    listed = run(school, "followup", "list")
    assert listed.exit_code == 0, listed.output
    assert "Vragen zonder antwoord" not in listed.output
    assert run(school, "gesprekken", "antwoordtijd").output.startswith(
        "Antwoordtijd: 24 schooluren."
    )
    bad = run(school, "gesprekken", "antwoordtijd", "0")
    assert bad.exit_code == 1 and "tussen 1 en 200" in bad.output
    assert run(school, "gesprekken", "antwoordtijd", "12").exit_code == 0
    listed = run(school, "followup", "list")
    assert listed.exit_code == 0, listed.output
    assert "Vragen zonder antwoord na 12 schooluren:" in listed.output
    assert "Katrien Peeters — Jan (3A)" in listed.output
    gesprekken = run(school, "gesprekken")
    assert gesprekken.exit_code == 0 and "⏰" in gesprekken.output
    unknown = run(school, "gesprekken", "--school", "elders")
    assert unknown.exit_code == 1 and "School 'elders' bestaat nog niet" in unknown.output


def test_a_reply_in_the_quiet_hours_waits_for_their_end_and_only_the_own_class_answers(
    school: Deps, clock: FixedClock
) -> None:
    from sqlalchemy import select

    from oudersbot.services import invites, joining
    from oudersbot.store.conversations import StaffTarget
    from oudersbot.store.models import Conversation, Delivery, Role, Staff

    for name, group, chat in (("Juf Lies", "3A", 42), ("Meester Tom", "3B", 43)):
        code = invites.issue_staff_invite(
            school, school="demo", name=name, role=Role.TEACHER, groups=[group]
        ).code
        assert joining.redeem_invite(school, chat_id=chat, code=code).member is not None
    clock.advance(timedelta(hours=11))  # Tuesday 21:00, in the quiet hours
    asked = ask(school, 105, "Mag Jan morgen thuisblijven?", 7)
    assert asked.note is not None and [t.name for t in asked.targets] == ["Juf Lies"]
    with school.db.session() as s:
        tom = s.scalars(select(Staff.id).where(Staff.name == "Meester Tom")).one()
    for staff_id, chat, telegram_id in ((asked.targets[0].staff_id, 42, 500), (tom, 43, 600)):
        conversations.remember_notice(
            school,
            note=asked.note,
            target=StaffTarget(staff_id, chat, "x"),
            telegram_message_id=telegram_id,
        )
    refused = conversations.answer(
        school, chat_id=43, bot=None, reply_to=600, text="Nee.", telegram_message_id=9
    )
    assert refused.problem == "not_allowed"
    answered = conversations.answer(
        school, chat_id=42, bot=None, reply_to=500, text="Ja, beterschap.", telegram_message_id=9
    )
    assert answered.problem is None and answered.guardian == "Katrien Peeters"
    # Not now, at night: at the end of the school's quiet hours, Wednesday morning.
    assert answered.due is not None and answered.due.date() == date(2026, 11, 25)
    assert answered.due.hour == 7
    again = conversations.answer(
        school, chat_id=42, bot=None, reply_to=500, text="Ja, beterschap.", telegram_message_id=9
    )
    assert again.duplicate  # the same Telegram update twice queues one answer
    assert "Katrien" not in run(school, "gesprekken").output  # answered: no longer waiting
    with school.db.session() as s:
        talk = s.scalars(select(Conversation.id)).one()
    shown = run(school, "gesprekken", "toon", str(talk)).output.splitlines()
    assert shown[0] == "24/11 21:00  Katrien Peeters: Mag Jan morgen thuisblijven?"
    assert shown[1] == "24/11 21:00  Juf Lies: Ja, beterschap."
    with school.db.session() as s:
        kinds = s.scalars(select(Delivery.kind)).all()
    assert kinds == ["staff_reply"]


def test_many_messages_at_once_reach_the_teacher_with_the_first_few_and_all_are_kept(
    school: Deps, clock: FixedClock
) -> None:
    from sqlalchemy import func, select

    from oudersbot.services import invites, joining
    from oudersbot.store.models import ConversationMessage, Role

    code = invites.issue_staff_invite(
        school, school="demo", name="Juf Lies", role=Role.TEACHER, groups=["3A"]
    ).code
    assert joining.redeem_invite(school, chat_id=42, code=code).member is not None
    told = []
    for n in range(8):
        told.append(len(ask(school, 105, f"Bericht {n}", 100 + n).targets))
        clock.advance(timedelta(seconds=5))
    assert told == [1] * conversations.NOTES_PER_BURST + [0] * 3
    with school.db.session() as s:
        assert s.scalar(select(func.count()).select_from(ConversationMessage)) == 8
    clock.advance(conversations.BURST)  # later, a new question reaches her again
    assert len(ask(school, 105, "Nog een vraag", 200).targets) == 1
