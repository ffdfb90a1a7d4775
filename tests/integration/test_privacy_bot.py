"""A parent's /mijngegevens and /stop, through python-telegram-bot over HTTP, against the
simulator: their own data in their language, and a confirmed stop that a forged press cannot
fake."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from sqlalchemy import select

from oudersbot.store.models import Delivery, Guardian, Message, Rendition
from tests.integration.test_bot_e2e import Harness, bot, clock  # noqa: F401 - fixtures


def fatima(harness: Harness) -> Guardian:
    with harness.deps.db.session() as s:
        return s.scalars(select(Guardian).where(Guardian.name == "Fatima El Amrani")).one()


def queue_later(harness: Harness, guardian_id: int) -> int:
    """A delivery waiting for tomorrow (as in quiet hours); its id."""
    now = harness.deps.clock.now()
    with harness.deps.db.session() as s:
        message = Message(
            school_id=1,
            text_nl="Morgen turnen.",
            pictogram="turnen",
            category="info",
            created_at=now,
        )
        s.add(message)
        s.flush()
        rendition = Rendition(message_id=message.id, language="ar", origin="human", parts=["x"])
        s.add(rendition)
        s.flush()
        delivery = Delivery(
            school_id=1,
            message_id=message.id,
            guardian_id=guardian_id,
            rendition_id=rendition.id,
            status="pending",
            next_attempt_at=now + timedelta(days=1),
        )
        s.add(delivery)
        s.flush()
        return delivery.id


async def wait_for_edit(
    harness: Harness, uid: int, message_id: int, before: datetime | None
) -> str:
    for _ in range(250):
        for m in harness.sim.inbox(uid):
            if m.message_id == message_id and m.edit_date and m.edit_date != before:
                return m.text or ""
        await asyncio.sleep(0.02)
    raise AssertionError("no edit")


async def test_a_parent_reads_what_the_school_keeps_in_their_language(bot: Harness) -> None:  # noqa: F811
    words = bot.deps.words
    uid = await bot.join("Fatima El Amrani")
    await bot.sim.send_text(uid, "Is er morgen zwemmen?")
    await bot.sim.wait_for_inbox(uid, 3)
    await bot.sim.send_text(uid, "/mijngegevens")
    (*_, mine) = await bot.sim.wait_for_inbox(uid, 4)
    text = mine.text or ""
    assert text.startswith(words.text("ar", "privacy.mine.title", school="De Regenboog"))
    assert "Fatima El Amrani" in text and "+32470123456" in text.replace(" ", "")
    assert "Amira (3A)" in text and "Sami (3B)" in text
    assert words.text("ar", "privacy.mine.texts", count=1) in text
    assert "Is er morgen zwemmen?" in text
    assert words.text("ar", "privacy.mine.rights") in text
    stranger = bot.sim.add_user("Eve", language_code="ru")
    await bot.sim.send_text(stranger, "/mijngegevens")
    (answer,) = await bot.sim.wait_for_inbox(stranger, 1)
    assert answer.text == words.text("ru", "join.no_code")


async def test_stop_asks_first_refuses_forged_presses_then_unlinks_the_chat(bot: Harness) -> None:  # noqa: F811
    words = bot.deps.words
    uid = await bot.join("Fatima El Amrani")
    other = await bot.join("Youssef El Amrani")
    guardian = fatima(bot)
    waiting = queue_later(bot, guardian.id)
    await bot.sim.send_text(uid, "/stop")
    (*_, ask) = await bot.sim.wait_for_inbox(uid, 3)
    assert ask.text == words.text("ar", "privacy.stop.ask")
    assert ask.reply_markup is not None
    (yes, no) = ask.reply_markup["inline_keyboard"][0]
    assert (yes["text"], no["text"]) == (
        words.text("ar", "privacy.stop.yes"),
        words.text("ar", "privacy.stop.no"),
    )
    # Forged: another parent presses "yes" on Fatima's question, or Fatima sends "yes" for
    # her partner, or sends junk; nothing changes.
    forged = [
        await bot.sim.forge_callback(other, ask.message_id, yes["callback_data"], chat_id=uid),
        await bot.sim.forge_callback(other, ask.message_id, yes["callback_data"]),
        await bot.sim.forge_callback(uid, ask.message_id, f"stop:y:{guardian.id + 1}"),
        await bot.sim.forge_callback(uid, ask.message_id, "stop:y:../../etc"),
    ]
    await asyncio.sleep(0.5)
    assert all(bot.sim.callback(c).answered for c in forged)
    assert (fatima(bot).chat_id, fatima(bot).reachability) == (uid, "joined")

    await bot.sim.tap(uid, ask.message_id, no["callback_data"])
    kept = await wait_for_edit(bot, uid, ask.message_id, None)
    assert kept == words.text("ar", "privacy.stop.kept")
    assert fatima(bot).reachability == "joined"

    await bot.sim.send_text(uid, "/stop")
    (*_, again) = await bot.sim.wait_for_inbox(uid, 4)
    assert again.reply_markup is not None
    await bot.sim.tap(
        uid, again.message_id, again.reply_markup["inline_keyboard"][0][0]["callback_data"]
    )
    done = await wait_for_edit(bot, uid, again.message_id, None)
    assert done == words.text("ar", "privacy.stop.done")
    stopped = fatima(bot)
    assert (stopped.chat_id, stopped.reachability) == (None, "stopped")
    assert stopped.stopped_at is not None
    with bot.deps.db.session() as s:
        assert s.get_one(Delivery, waiting).status == "cancelled"
        partner = s.scalars(select(Guardian).where(Guardian.name == "Youssef El Amrani")).one()
        assert partner.reachability == "joined"  # only the parent who stopped
    await bot.sim.send_text(uid, "/mijngegevens")
    (*_, after) = await bot.sim.wait_for_inbox(uid, 5)
    assert after.text == words.text("nl", "join.no_code")  # a stranger to the bot now
