"""One chat cannot slow the school down: through python-telegram-bot, over HTTP, against the
simulator. Order is read from the simulator's ledger and callback records, never from timings."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from oudersbot.delivery.chat_pacing import ChatPacedLimiter
from oudersbot.simulator import Simulator
from oudersbot.simulator.ledger import Refusal
from oudersbot.simulator.ratelimit import RateLimits
from oudersbot.store.models import InboundText, Staff
from tests.conftest import mark_joined
from tests.integration import test_bot_e2e

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock
FLOOD = 60
REPLIES = 5  # FloodRule().replies: the answers a chat gets within a minute


def kept(bot: Harness, chat_id: int) -> int:
    with bot.deps.db.session() as s:
        count = s.scalar(
            select(func.count()).select_from(InboundText).where(InboundText.chat_id == chat_id)
        )
    return int(count or 0)


def limiter(bot: Harness) -> ChatPacedLimiter:
    rate_limiter = bot.app.bot.rate_limiter
    assert isinstance(rate_limiter, ChatPacedLimiter)
    return rate_limiter


async def until(condition: object, within: float = 20.0) -> None:
    """Wait (on the real loop) until `condition()` holds; fail after `within` seconds."""
    assert callable(condition)
    for _ in range(int(within / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition never held")


def texts(sim: Simulator, uid: int) -> list[str]:
    return [m.text or "" for m in sim.inbox(uid)]


async def test_a_chat_that_floods_is_answered_once_and_every_text_is_kept(bot: Harness) -> None:
    words = bot.deps.words
    bot.sim.set_limits(RateLimits(per_chat_rate=None))
    fatima = bot.sim.add_user("Fatima")
    iryna = bot.sim.add_user("Iryna")
    mark_joined(bot.deps, {"Fatima El Amrani": fatima, "Iryna Kovalenko": iryna})
    for n in range(FLOOD):
        await bot.sim.send_text(fatima, f"Bericht {n + 1}")
    line = words.text("ar", "flood.received")
    await until(
        lambda: (
            kept(bot, fatima) == FLOOD
            and line in texts(bot.sim, fatima)
            and limiter(bot).held >= FLOOD - REPLIES
        )  # the last handler has answered, too
    )
    received = texts(bot.sim, fatima)
    # A few answers as usual, then the one line in her language: not 60 answers.
    assert len(received) == REPLIES + 1
    assert received[-1] == line
    assert line not in received[:-1]
    assert limiter(bot).held == FLOOD - REPLIES  # the handler's own answers, held
    with bot.deps.db.session() as s:
        stored = s.scalars(
            select(InboundText.text).where(InboundText.chat_id == fatima).order_by(InboundText.id)
        ).all()
    assert stored == [f"Bericht {n + 1}" for n in range(FLOOD)]  # all of them, in order

    # Another parent meanwhile is answered as always.
    await bot.sim.send_text(iryna, "Is er morgen turnen?")
    await bot.sim.wait_for_inbox(iryna, 1)
    # Still at it: kept, not answered. Calm for a while: answered again.
    await bot.sim.send_text(fatima, "Nog een bericht")
    await until(lambda: kept(bot, fatima) == FLOOD + 1)
    assert len(texts(bot.sim, fatima)) == REPLIES + 1
    bot.deps.clock.advance(timedelta(minutes=3))  # type: ignore[attr-defined]
    await bot.sim.send_text(fatima, "Goedemorgen")
    answered = await bot.sim.wait_for_inbox(fatima, REPLIES + 2)
    assert answered[-1].text == received[0]  # the usual answer, not the flood line


async def test_a_teacher_who_writes_a_lot_is_never_quieted(bot: Harness) -> None:
    bot.sim.set_limits(RateLimits(per_chat_rate=None))
    teacher = bot.sim.add_user("Juf Els", language_code="nl")
    with bot.deps.db.session() as s:
        s.add(Staff(school_id=1, name="Juf Els", role="teacher", chat_id=teacher))
    for n in range(REPLIES + 3):
        await bot.sim.send_text(teacher, f"Notitie {n + 1}")
    await bot.sim.wait_for_inbox(teacher, REPLIES + 3, within=20)
    await until(lambda: kept(bot, teacher) == REPLIES + 3)
    assert bot.deps.words.text("nl", "flood.received") not in texts(bot.sim, teacher)
    assert limiter(bot).held == 0


def first_429(sim: Simulator, uid: int) -> Refusal | None:
    return next((r for r in sim.chat_ledger(uid).refused if r.error_code == 429), None)


async def test_a_429_for_one_chat_pauses_only_that_chat(bot: Harness) -> None:
    words = bot.deps.words
    fatima, ayse, iryna = (bot.sim.add_user(n) for n in ("Fatima", "Ayse", "Iryna"))
    mark_joined(
        bot.deps,
        {"Fatima El Amrani": fatima, "Ayşe Yılmaz": ayse, "Iryna Kovalenko": iryna},
    )
    await bot.settle(bot.send_slip("3A", "Gaat uw kind mee naar de zoo?"))
    slip = (await bot.sim.wait_for_inbox(ayse, 1))[-1]
    assert slip.reply_markup is not None
    yes = slip.reply_markup["inline_keyboard"][0][0]["callback_data"]
    # Telegram's per-chat limit, made strict: one message, then one every ten seconds.
    bot.sim.set_limits(RateLimits(per_chat_rate=0.1, per_chat_burst=1))
    await bot.sim.send_text(fatima, "Hallo")
    await bot.sim.send_text(fatima, "Hallo?")
    await until(lambda: first_429(bot.sim, fatima) is not None)
    refusal = first_429(bot.sim, fatima)
    assert refusal is not None and refusal.retry_after is not None
    paused_until = refusal.at + refusal.retry_after

    # While Fatima's chat waits out its 429, the others are served.
    tap = await bot.sim.tap(ayse, slip.message_id, yes)
    await bot.sim.send_text(iryna, "Is er morgen turnen?")
    await until(lambda: bot.sim.callback(tap).answered)
    confirmed = bot.sim.callback(tap)
    assert confirmed.answer_text == words.text(
        "tr", "slip.recorded", answer=words.text("tr", "answer.yes"), child="Emre"
    )
    assert confirmed.answered_at is not None and confirmed.answered_at < paused_until
    await until(lambda: len(bot.sim.chat_ledger(iryna).received) >= 2)  # the slip, the answer
    assert bot.sim.chat_ledger(iryna).received[-1].at < paused_until
    # The simulator refused only the chat that went too fast.
    others = {c: ledger for c, ledger in bot.sim.ledger().items() if c != fatima}
    assert all(r.error_code != 429 for ledger in others.values() for r in ledger.refused)
    # Fatima's own answers come after her pause, none lost.
    await until(lambda: len(bot.sim.chat_ledger(fatima).received) >= 3, within=30)
    assert bot.sim.chat_ledger(fatima).received[-1].at >= paused_until
