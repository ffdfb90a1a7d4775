"""Slip reminders: at the rule times, only to guardians whose child has no answer, never twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from oudersbot.bootstrap import Deps
from oudersbot.clock import FixedClock
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.domain.slips import AnswerTap, encode_tap, parse_answers
from oudersbot.services import messages, slip_answers
from oudersbot.services.reminders import send_due_reminders
from oudersbot.store.models import Child, SlipReminder
from tests.conftest import BRUSSELS, import_fixture_roster, mark_joined
from tests.fakes import RecordingSender

DEADLINE = datetime(2026, 12, 1, 18, 0, tzinfo=BRUSSELS)
JOINED = {"Fatima El Amrani": 101, "Ayşe Yılmaz": 103, "Iryna Kovalenko": 104}


@pytest.fixture
def slip(deps: Deps) -> int:
    import_fixture_roster(deps)
    mark_joined(deps, JOINED)
    draft = messages.prepare_message(
        deps,
        school="demo",
        groups=["3A"],
        text="Gaat uw kind mee?",
        answers=parse_answers("ja,nee"),
        deadline=DEADLINE,
    )
    return messages.send_message(deps, draft).message_id


async def drain(deps: Deps) -> RecordingSender:
    sender = RecordingSender()
    await Dispatcher(deps.db, sender, deps.clock, rate=None).drain()
    return sender


def move_to(clock: FixedClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def test_reminders_go_at_the_rule_times_only_to_those_without_an_answer(
    deps: Deps, clock: FixedClock, slip: int
) -> None:
    assert sorted((await drain(deps)).chats()) == [101, 103, 104]
    with deps.db.session() as session:
        emre = session.scalars(select(Child.id).where(Child.first_name == "Emre")).one()
    data = encode_tap(AnswerTap(slip, emre, 0))
    slip_answers.record_tap(deps, chat_id=103, data=data, tap_id="x")

    assert send_due_reminders(deps) == 0  # nothing due yet
    # Two days before the deadline is a Sunday: the reminder waits for the school day.
    move_to(clock, datetime(2026, 11, 29, 17, 0, tzinfo=BRUSSELS))
    assert send_due_reminders(deps) == 0
    # The demo school's own quiet hours end at 07:00 (scheduler/schools/demo.toml).
    move_to(clock, datetime(2026, 11, 30, 6, 59, tzinfo=BRUSSELS))
    assert send_due_reminders(deps) == 0
    move_to(clock, datetime(2026, 11, 30, 7, 0, tzinfo=BRUSSELS))
    assert send_due_reminders(deps) == 1
    assert send_due_reminders(deps) == 0  # never twice
    sender = await drain(deps)
    assert sorted(sender.chats()) == [101, 104]  # Ayşe answered for Emre
    iryna = sender.sent[sender.chats().index(104)][1][0]
    assert deps.words.text("uk", "slip.reminder") in iryna
    assert sender.buttons[104] is not None and len(sender.buttons[104]) == 2

    move_to(clock, datetime(2026, 12, 1, 8, 0, tzinfo=BRUSSELS))
    assert send_due_reminders(deps) == 1
    assert sorted((await drain(deps)).chats()) == [101, 104]


async def test_a_process_down_over_the_first_reminder_sends_it_on_restart_not_in_quiet_hours(
    deps: Deps, clock: FixedClock, slip: int
) -> None:
    await drain(deps)
    move_to(clock, datetime(2026, 11, 29, 22, 30, tzinfo=BRUSSELS))  # back up, at night
    assert send_due_reminders(deps) == 0
    move_to(clock, datetime(2026, 11, 30, 7, 45, tzinfo=BRUSSELS))
    assert send_due_reminders(deps) == 1
    with deps.db.session() as session:
        statuses = dict(session.execute(select(SlipReminder.rule, SlipReminder.status)).all())
    assert statuses == {"two_days": "sent", "morning": "pending"}


async def test_after_the_deadline_a_late_reminder_is_skipped(
    deps: Deps, clock: FixedClock, slip: int
) -> None:
    await drain(deps)
    move_to(clock, DEADLINE + timedelta(hours=15))
    assert send_due_reminders(deps) == 0
    with deps.db.session() as session:
        assert set(session.scalars(select(SlipReminder.status))) == {"skipped"}
