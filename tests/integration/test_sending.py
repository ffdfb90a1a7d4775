"""Sending, part by part and one sender per bot (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps
from oudersbot.clock import FixedClock
from oudersbot.delivery.door import Content, SendKind
from oudersbot.delivery.errors import (
    DeliveryError,
    FloodWaitError,
    TransientError,
    UnconfirmedError,
    UnreachableError,
)
from oudersbot.delivery.worker import LEASE, SenderBusyError, SendWorker
from oudersbot.domain.rendering import Version
from oudersbot.domain.time_rules import Urgency
from oudersbot.services.resend import Resent, resend_unconfirmed
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.audience import recipients_of_groups
from oudersbot.store.models import (
    Delivery,
    DeliveryStatus,
    Group,
    Guardian,
    MessageKind,
    SenderLease,
)
from oudersbot.store.schools import set_school_bot
from oudersbot.store.senders import current_lease
from tests.conftest import import_fixture_roster, mark_joined
from tests.fakes import RecordingSender

JOINED = {"Ayşe Yılmaz": 101, "Youssef El Amrani": 102, "Iryna Kovalenko": 103}
PARTS = ("deel één", "deel twee", "deel drie")


@pytest.fixture
def school(deps: Deps) -> Deps:
    import_fixture_roster(deps)
    mark_joined(deps, JOINED)
    return deps


def put_letter(deps: Deps, *, parts: Sequence[str] = PARTS, key: str | None = None) -> int:
    """A letter of three parts to the joined guardians of 3A, due now."""
    with deps.db.session() as session:
        group = session.scalars(select(Group).where(Group.name == "3A")).one()
        to = [r for r in recipients_of_groups(session, group_ids=[group.id]) if r.chat_id]
        content = Content(
            kind=MessageKind.MESSAGE,
            text_nl=" ".join(parts),
            pictogram="info",
            category="info",
            versions={r.language: Version(r.language, "source", tuple(parts)) for r in to},
        )
        posted = deps.outbox.put(
            session,
            school_id=group.school_id,
            content=content,
            to=to,
            kind=SendKind.MESSAGE,
            urgency=Urgency.NOW,
            dedupe_key=key,
        )
        return posted.message_id


class FailingAtPart(RecordingSender):
    """Fails once at the n-th part (1-based) sent to a chat, then behaves."""

    def __init__(self, chat_id: int, part: int, error: DeliveryError) -> None:
        super().__init__()
        self._chat, self._part, self._error = chat_id, part, error
        self._seen = 0

    async def send_part(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: list[list[list[str]]] | None = None,
        photo: str | None = None,
    ) -> int:
        if chat_id == self._chat:
            self._seen += 1
            if self._seen == self._part:
                self.asked.append(chat_id)
                raise self._error
        return await super().send_part(chat_id, text, buttons=buttons, photo=photo)


def worker(deps: Deps, sender: RecordingSender, *, role: str = "dispatch") -> SendWorker:
    return SendWorker(deps.db, deps.clock, {"main": sender}, role=role, rate=None)


def statuses(deps: Deps) -> dict[int, tuple[str, int]]:
    """Each chat's delivery: its status and how many parts Telegram confirmed."""
    with deps.db.session() as session:
        rows = session.execute(
            select(Guardian.chat_id, Delivery.status, Delivery.parts_sent).join(
                Guardian, Guardian.id == Delivery.guardian_id
            )
        ).all()
    return {row.chat_id: (row.status, row.parts_sent) for row in rows}


def texts_to(sender: RecordingSender, chat: int) -> list[str]:
    return [parts[0] for c, parts in sender.sent if c == chat]


async def test_a_flood_wait_on_the_second_part_resends_only_the_rest(
    school: Deps, clock: FixedClock
) -> None:
    put_letter(school)
    first = FailingAtPart(101, 2, FloodWaitError(3))
    sending = worker(school, first)
    await sending.start(exclusive=True)
    await sending.drain()
    assert texts_to(first, 101) == ["deel één"]
    assert statuses(school)[101] == ("pending", 1)
    assert texts_to(first, 102) == list(PARTS)
    clock.advance(timedelta(seconds=3))
    second = RecordingSender()
    await sending.stop()
    again = worker(school, second)
    await again.start(exclusive=True)
    await again.drain()
    assert texts_to(second, 101) == ["deel twee", "deel drie"]
    assert second.chats() == [101, 101]  # nobody else gets anything twice
    assert statuses(school)[101] == ("sent", 3)


async def test_an_answer_lost_after_sending_is_unconfirmed_and_never_resent(
    school: Deps, clock: FixedClock
) -> None:
    put_letter(school)
    sender = FailingAtPart(103, 2, UnconfirmedError("connection reset while waiting"))
    sending = worker(school, sender)
    await sending.start(exclusive=True)
    stats = await sending.drain()
    assert stats.unconfirmed == 1
    assert statuses(school)[103] == ("unconfirmed", 1)  # part 2 may or may not have arrived
    clock.advance(timedelta(hours=1))
    await sending.drain()
    assert texts_to(sender, 103) == ["deel één"]


async def test_a_blocked_parent_is_unreachable_after_one_try(school: Deps) -> None:
    put_letter(school)
    sender = FailingAtPart(102, 1, UnreachableError("blocked"))
    sending = worker(school, sender)
    await sending.start(exclusive=True)
    await sending.drain()
    assert statuses(school)[102] == ("unreachable", 0)
    assert sender.asked.count(102) == 1


async def test_retries_end_after_eight_attempts_as_failed(school: Deps, clock: FixedClock) -> None:
    put_letter(school)
    sender = RecordingSender()
    sender.failures[101] = [TransientError("connection refused") for _ in range(8)]
    sending = worker(school, sender)
    await sending.start(exclusive=True)
    for _ in range(8):
        await sending.drain()
        clock.advance(timedelta(hours=1))
    assert statuses(school)[101] == ("failed", 0)
    assert sender.asked.count(101) == 8


async def test_each_bot_sends_only_its_own_schools_deliveries(school: Deps) -> None:
    with school.db.session() as session:
        set_school_bot(session, slug="demo", bot="tweede")
    put_letter(school)
    main, tweede = RecordingSender(), RecordingSender()
    sending = SendWorker(
        school.db, school.clock, {"main": main, "tweede": tweede}, role="worker", rate=None
    )
    await sending.start(exclusive=True)
    await sending.drain()
    assert main.sent == [] and sorted(set(tweede.chats())) == [101, 102, 103]
    assert sorted(sending.holding) == ["main", "tweede"]
    await sending.stop()


async def test_a_second_sender_for_a_bot_is_refused_until_the_first_stops(school: Deps) -> None:
    first = worker(school, RecordingSender(), role="run")
    await first.start(exclusive=True)
    second = worker(school, RecordingSender())
    with pytest.raises(SenderBusyError) as refused:
        await second.start(exclusive=True)
    assert refused.value.lease.role == "run" and refused.value.lease.holder == first.holder
    standby = worker(school, RecordingSender(), role="worker")
    await standby.start(exclusive=False)
    assert standby.holding == []
    await first.stop()  # a clean stop gives the lease up at once
    await standby.beat()
    assert standby.holding == ["main"]
    await standby.stop()


async def test_a_stalled_holder_loses_the_bot_after_one_lease(
    school: Deps, clock: FixedClock
) -> None:
    first = worker(school, RecordingSender(), role="worker")
    await first.start(exclusive=False)
    second = worker(school, RecordingSender(), role="worker")
    await second.start(exclusive=False)
    clock.advance(LEASE - timedelta(seconds=1))
    await second.beat()
    assert second.holding == []  # the first still counts as alive
    clock.advance(timedelta(seconds=2))  # no heartbeat for more than a lease
    await second.beat()
    assert second.holding == ["main"]
    await first.beat()  # the first wakes up: it has lost the bot and stops sending for it
    assert first.holding == []
    with school.db.session() as session:
        lease = current_lease(session, bot="main")
    assert lease is not None and lease.holder == second.holder


async def test_a_dead_process_on_this_host_is_taken_over_at_once(school: Deps) -> None:
    gone = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import os; print(os.getpid())", stdout=asyncio.subprocess.PIPE
    )
    output, _ = await gone.communicate()
    dead_pid = int(output)
    first = worker(school, RecordingSender(), role="run")
    await first.start(exclusive=True)
    with school.db.session() as session:  # as if that process had held it and was killed
        session.execute(update(SenderLease).values(pid=dead_pid, holder="killed"))
    put_letter(school)
    with school.db.session() as session:  # it had claimed a row and started its request
        session.execute(
            update(Delivery)
            .where(Delivery.id == session.scalar(select(Delivery.id).limit(1)))
            .values(status=DeliveryStatus.SENDING.value, send_started_at=school.clock.now())
        )
    sender = RecordingSender()
    successor = worker(school, sender, role="run")
    await successor.start(exclusive=True)  # no wait for the lease to run out
    await successor.drain()
    counts = sorted(status for status, _ in statuses(school).values())
    assert counts == ["sent", "sent", "unconfirmed"]
    assert len(sender.sent) == 2 * len(PARTS)


async def test_a_person_sends_an_unconfirmed_letter_again_from_the_part_in_doubt(
    school: Deps,
) -> None:
    put_letter(school)
    sender = FailingAtPart(103, 2, UnconfirmedError("no answer"))
    sending = worker(school, sender)
    await sending.start(exclusive=True)
    await sending.drain()
    with school.db.session() as session:
        doubtful = session.scalars(
            select(Delivery.id).where(Delivery.status == DeliveryStatus.UNCONFIRMED.value)
        ).one()
        school_id = session.scalars(select(Delivery.school_id)).first()
    assert school_id is not None
    liaison = Viewer(school_id, "liaison", name="Mevr. Brugfiguur")
    teacher = Viewer(school_id, "teacher", frozenset({1}), name="Juf Lies")
    with pytest.raises(NotAllowedError):
        resend_unconfirmed(school, teacher, delivery_id=doubtful)
    elsewhere = Viewer(school_id + 1, "liaison", name="Andere school")
    # another school's delivery: nothing happens
    assert resend_unconfirmed(school, elsewhere, delivery_id=doubtful) == Resent(
        None, "not_unconfirmed"
    )
    again = resend_unconfirmed(school, liaison, delivery_id=doubtful, urgency=Urgency.NOW)
    assert again.message_id is not None and again.guardian == "Iryna Kovalenko"
    twice = resend_unconfirmed(school, liaison, delivery_id=doubtful)
    assert twice.problem == "not_unconfirmed"
    await sending.drain()
    assert texts_to(sender, 103) == ["deel één", "deel twee", "deel drie"]
    with school.db.session() as session:
        assert session.scalar(select(Delivery.status).where(Delivery.id == doubtful)) == "resent"
    await sending.stop()


async def test_workers_started_together_share_the_bots(school: Deps) -> None:
    bots = ("main", "tweede", "derde", "vierde")
    one, two = (
        SendWorker(
            school.db,
            school.clock,
            dict.fromkeys(bots, RecordingSender()),
            role="worker",
            rate=None,
        )
        for _ in range(2)
    )
    await one.start(exclusive=False)
    await two.start(exclusive=False)
    await one.beat()
    await two.beat()
    assert sorted(one.holding + two.holding) == sorted(bots)
    assert len(one.holding) == len(two.holding) == 2
    await one.stop()  # the other takes over what it gave up, one bot per beat
    for _ in range(2):
        await two.beat()
    assert sorted(two.holding) == sorted(bots)
    await two.stop()
