"""The outbox: written before sending, sent once, errors classified (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from sqlalchemy import Connection, event, select

from oudersbot.bootstrap import Deps
from oudersbot.clock import FixedClock
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.delivery.errors import (
    FloodWaitError,
    RejectedError,
    TransientError,
    UnreachableError,
)
from oudersbot.services import invites, joining, messages
from oudersbot.services.roster import import_roster
from oudersbot.store.models import Delivery, Guardian, Message, Rendition
from oudersbot.store.outbox import claim_due, mark_started, status_counts
from oudersbot.translation.machine import Translator
from tests.conftest import import_fixture_roster
from tests.fakes import RecordingSender, RecordingTranslator


@pytest.fixture
def translator() -> Translator:
    return RecordingTranslator()


@pytest.fixture
def school(deps: Deps) -> dict[str, int]:
    """The fixture roster; everyone in 3A joined except Katrien; returns chat ids by name."""
    import_fixture_roster(deps)
    chats = {}
    for number, item in enumerate(
        invites.issue_guardian_invites(deps, school="demo", group="3A").issued, start=1
    ):
        if item.name != "Katrien Peeters":
            joining.redeem_invite(deps, chat_id=1000 + number, code=item.code)
            chats[item.name] = 1000 + number
    return chats


def queue_for_joined_class(deps: Deps, group: str, size: int, *, first_chat: int) -> None:
    """A class of `size` Dutch-speaking guardians, all joined, and one message to them queued."""
    rows = "".join(f"{group},K{i},Ouder {group} {i},nl\n" for i in range(size))
    import_roster(
        deps, data=b"klas,kind,ouder,taal\n" + rows.encode(), filename="klas.csv", school="demo"
    )
    issued = invites.issue_guardian_invites(deps, school="demo", group=group).issued
    for number, item in enumerate(issued):
        joining.redeem_invite(deps, chat_id=first_chat + number, code=item.code)
    draft = messages.prepare_message(deps, school="demo", groups=[group], text="Hallo")
    messages.send_message(deps, draft)


def dispatcher(deps: Deps, sender: RecordingSender, **kwargs: object) -> Dispatcher:
    return Dispatcher(deps.db, sender, deps.clock, rate=None, flush_every=0.02, **kwargs)  # type: ignore[arg-type]


async def test_a_message_is_stored_with_one_delivery_per_guardian_then_sent_once(
    deps: Deps, school: dict[str, int], translator: RecordingTranslator
) -> None:
    draft = messages.prepare_message(
        deps, school="demo", groups=["3A"], text="Morgen is er turnen.", picto="turnen"
    )
    assert [r.name for r in draft.not_joined] == ["Katrien Peeters"]
    # One machine translation per language, not per parent.
    assert sorted(target for target, _ in translator.calls) == ["ar", "tr", "uk"]
    report = messages.send_message(deps, draft, created_by="test")
    assert report.queued == 4 and [r.name for r in report.not_joined] == ["Katrien Peeters"]
    with deps.db.session() as s:
        assert s.scalar(select(Message.text_nl)) == "Morgen is er turnen."
        assert sorted(s.scalars(select(Rendition.language))) == ["ar", "nl", "nl-BE", "tr", "uk"]
    assert status_counts_of(deps) == {"pending": 4, "not_joined": 1}

    sender = RecordingSender()
    stats = await dispatcher(deps, sender).drain()
    assert stats.sent == 4
    assert sorted(sender.chats()) == sorted(school.values())
    assert status_counts_of(deps) == {"sent": 4, "not_joined": 1}
    with deps.db.session() as s:
        ids = list(s.scalars(select(Delivery.telegram_message_id).where(Delivery.status == "sent")))
    assert sorted(ids) == [1001, 1002, 1003, 1004]
    await dispatcher(deps, sender).drain()
    assert len(sender.sent) == 4  # nothing is sent twice


def status_counts_of(deps: Deps) -> dict[str, int]:
    with deps.db.session() as s:
        return status_counts(s)


async def test_each_parent_reads_their_language_with_the_dutch_original(
    deps: Deps, school: dict[str, int]
) -> None:
    draft = messages.prepare_message(
        deps, school="demo", groups=["3A"], text="Morgen is er turnen.", picto="turnen"
    )
    messages.send_message(deps, draft)
    sender = RecordingSender()
    await dispatcher(deps, sender).drain()
    by_chat = {chat: parts for chat, parts in sender.sent}
    arabic = by_chat[school["Fatima El Amrani"]][0]
    assert "[ar] Morgen is er turnen." in arabic
    assert deps.words.text("ar", "message.machine_translated") in arabic
    assert "<blockquote expandable>" in arabic and "\u2067" in arabic
    dutch = by_chat[school["Youssef El Amrani"]][0]
    assert "blockquote" not in dutch and "Morgen is er turnen." in dutch
    assert dutch.startswith("\u2066⚪ <b>Ter info</b> · 👟 Turnen")


async def test_flood_wait_blocked_and_rejected_are_classified(
    deps: Deps, school: dict[str, int], clock: FixedClock
) -> None:
    messages.send_message(
        deps,
        messages.prepare_message(deps, school="demo", groups=["3A"], text="Hallo", picto="info"),
    )
    sender = RecordingSender()
    sender.failures[school["Ayşe Yılmaz"]].append(FloodWaitError(0.05))
    sender.failures[school["Iryna Kovalenko"]].append(UnreachableError("blocked"))
    sender.failures[school["Fatima El Amrani"]].append(
        RejectedError("Bad Request: can't parse entities")
    )
    worker = dispatcher(deps, sender)
    stats = await worker.drain()
    assert (stats.sent, stats.unreachable, stats.failed, stats.flood_waits) == (1, 1, 1, 1)
    assert status_counts_of(deps) == {
        "sent": 1,
        "pending": 1,
        "unreachable": 1,
        "failed": 1,
        "not_joined": 1,
    }
    clock.advance(timedelta(seconds=1))
    await worker.drain()  # the flood-waited one goes out after its wait, not before
    assert status_counts_of(deps)["sent"] == 2
    with deps.db.session() as s:
        iryna = s.scalars(select(Guardian).where(Guardian.name == "Iryna Kovalenko")).one()
        assert iryna.reachability == "blocked"
    # The next message does not even try a guardian who blocked the bot.
    report = messages.send_message(
        deps, messages.prepare_message(deps, school="demo", groups=["3A"], text="Nog iets")
    )
    assert [r.name for r in report.unreachable] == ["Iryna Kovalenko"]


async def test_network_errors_are_retried_with_backoff_then_given_up(
    deps: Deps, school: dict[str, int], clock: FixedClock
) -> None:
    messages.send_message(
        deps, messages.prepare_message(deps, school="demo", groups=["3A"], text="Hallo")
    )
    sender = RecordingSender()
    chat = school["Ayşe Yılmaz"]
    sender.failures[chat].extend(TransientError("connection reset") for _ in range(20))
    worker = dispatcher(deps, sender, per_chat_interval=0.0)
    await worker.drain()
    assert status_counts_of(deps)["pending"] == 1  # waiting for its retry time, not hammering
    for _ in range(10):
        clock.advance(timedelta(minutes=15))
        await worker.drain()
    assert status_counts_of(deps)["failed"] == 1
    assert len(sender.failures[chat]) == 20 - 8  # exactly MAX_ATTEMPTS tries


async def killed_halfway(deps: Deps) -> RecordingSender:
    """40 deliveries queued, and a worker killed with 5 requests at a time: 15 are sent and
    recorded, 5 requests are under way (Telegram may or may not have them) and 20 were claimed
    but never asked for. Returns the dead worker's sender."""
    queue_for_joined_class(deps, "4A", 40, first_chat=5000)
    first = RecordingSender()
    first.hang_after = 15
    task = asyncio.create_task(dispatcher(deps, first, concurrency=5).drain())
    for _ in range(500):
        if status_counts_of(deps).get("sent") == 15 and len(first.asked) == 20:
            break
        await asyncio.sleep(0.01)
    task.cancel()  # the process dies
    await asyncio.gather(task, return_exceptions=True)
    return first


async def test_a_killed_dispatcher_resumes_without_resending_anything_that_may_have_arrived(
    deps: Deps, school: dict[str, int], clock: FixedClock
) -> None:
    first = await killed_halfway(deps)
    assert status_counts_of(deps) == {"sent": 15, "sending": 25}
    in_flight = set(first.asked) - set(first.chats())
    assert len(in_flight) == 5

    second = RecordingSender()
    await dispatcher(deps, second).drain()
    assert second.sent == []  # the dead worker's lease has not run out yet

    clock.advance(timedelta(seconds=16))  # it has now
    await dispatcher(deps, second).drain()
    assert len(second.sent) == 20
    assert not set(second.chats()) & set(first.asked)  # nothing twice, not even maybe
    assert status_counts_of(deps) == {"sent": 35, "unconfirmed": 5}
    with deps.db.session() as s:
        unconfirmed = s.scalars(
            select(Guardian.chat_id)
            .join(Delivery, Delivery.guardian_id == Guardian.id)
            .where(Delivery.status == "unconfirmed")
        )
        assert set(unconfirmed) == in_flight


async def test_the_only_sender_on_a_database_takes_over_at_once(
    deps: Deps, school: dict[str, int]
) -> None:
    first = await killed_halfway(deps)

    # A SQLite database has one sender (it holds the scheduler lock): what is still marked as
    # being sent belongs to a dead process, so the new one need not wait for the lease.
    second = RecordingSender()
    worker = dispatcher(deps, second)
    released = await worker.take_over()
    assert (released.freed, released.unconfirmed) == (20, 5)
    await worker.drain()
    assert len(second.sent) == 20 and not set(second.chats()) & set(first.asked)
    assert status_counts_of(deps) == {"sent": 35, "unconfirmed": 5}


async def test_a_row_taken_over_from_a_stalled_worker_is_sent_by_one_worker_only(
    deps: Deps, school: dict[str, int], clock: FixedClock
) -> None:
    queue_for_joined_class(deps, "4A", 3, first_chat=5000)
    lease = timedelta(seconds=15)
    with deps.db.session() as s:
        stalled = [c.delivery_id for c in claim_due(s, now=clock.now(), limit=10, lease=lease)]
    clock.advance(timedelta(seconds=16))  # the first worker froze past its lease
    with deps.db.session() as s:
        other = [c.delivery_id for c in claim_due(s, now=clock.now(), limit=10, lease=lease)]
    assert sorted(other) == sorted(stalled) and len(other) == 3
    with deps.db.session() as s:  # the first worker wakes up and starts its requests
        assert mark_started(s, dict.fromkeys(stalled, 0), clock.now()) == set(stalled)
    with deps.db.session() as s:  # the second worker may not send them as well
        assert mark_started(s, dict.fromkeys(other, 0), clock.now()) == set()


async def send_two_messages_to_3a(
    deps: Deps, *, slow_start: bool = False
) -> dict[int, list[float]]:
    """Two messages to class 3A, drained; when each part went to each chat (loop time).

    With `slow_start`, the dispatcher's second write (the first sends' start, put on record)
    takes most of a second, as on a busy CI disk."""
    for text in ("Eerste", "Tweede"):
        messages.send_message(
            deps, messages.prepare_message(deps, school="demo", groups=["3A"], text=text)
        )
    times: dict[int, list[float]] = {}
    sender = RecordingSender()
    original = sender.send_part

    async def timed(
        chat_id: int,
        text: str,
        *,
        buttons: list[list[list[str]]] | None = None,
        photo: str | None = None,
    ) -> int:
        times.setdefault(chat_id, []).append(asyncio.get_running_loop().time())
        return await original(chat_id, text, buttons=buttons, photo=photo)

    commits = 0

    def slow_second_commit(connection: Connection) -> None:
        nonlocal commits
        commits += 1
        if commits == 2:  # the first is the claim
            time.sleep(0.8)

    sender.send_part = timed  # type: ignore[method-assign]
    if slow_start:
        event.listen(deps.db.engine, "commit", slow_second_commit)
    try:
        await dispatcher(deps, sender).drain()
    finally:
        if slow_start:
            event.remove(deps.db.engine, "commit", slow_second_commit)
    assert len(sender.sent) == 8
    assert commits >= 3 or not slow_start
    return times


async def test_two_messages_to_one_chat_are_a_second_apart(
    deps: Deps, school: dict[str, int]
) -> None:
    for stamps in (await send_two_messages_to_3a(deps)).values():
        assert len(stamps) == 2 and stamps[1] - stamps[0] >= 0.99


async def test_a_slow_disk_does_not_bring_two_messages_to_one_chat_closer(
    deps: Deps, school: dict[str, int]
) -> None:
    times = await send_two_messages_to_3a(deps, slow_start=True)
    for stamps in times.values():
        assert len(stamps) == 2 and stamps[1] - stamps[0] >= 0.99


async def test_two_workers_share_the_outbox_without_sending_anything_twice(
    deps: Deps, school: dict[str, int]
) -> None:
    queue_for_joined_class(deps, "5A", 120, first_chat=7000)
    first, second = RecordingSender(), RecordingSender()
    first.delay = second.delay = 0.005  # like a network: neither drains it all alone
    # Small claims, so the two really interleave.
    a = Dispatcher(deps.db, first, deps.clock, rate=None, flush_every=0.02, batch_size=10)
    b = Dispatcher(deps.db, second, deps.clock, rate=None, flush_every=0.02, batch_size=10)
    await asyncio.gather(a.drain(), b.drain())
    chats = first.chats() + second.chats()
    assert len(chats) == 120 and len(set(chats)) == 120
    assert first.sent and second.sent
