"""Fault storms and the ledger, through python-telegram-bot and the HTTP control API."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from oudersbot.simulator import (
    Fault,
    FaultAction,
    Simulator,
    SimulatorConfig,
    SimulatorError,
    Storm,
    UserStatus,
)
from oudersbot.simulator.client import SimulatorClient

TOKEN = "123456:TEST"
UNTHROTTLED = SimulatorConfig(bot_token=TOKEN, global_rate=None, per_chat_rate=None)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(UNTHROTTLED) as simulator:
        yield simulator


@pytest.fixture
async def bot(sim: Simulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=sim.base_url) as client:
        yield client


async def attempt(bot: Bot, chat_id: int, text: str) -> str:
    """Send once; name what the bot saw."""
    try:
        await bot.send_message(chat_id, text)
    except RetryAfter as error:
        return f"429 after {error.retry_after}"
    except Forbidden as error:
        return f"403 {error.message}"
    except BadRequest as error:  # before NetworkError: a BadRequest is one
        return f"400 {error.message}"
    except NetworkError:
        return "no answer"
    return "ok"


async def weather(seed: int, *, round_robin: bool) -> tuple[dict[int, list[str]], dict[int, int]]:
    """Ten messages to each of six parents in a storm; what the bot saw, what arrived."""
    storm = Storm(
        "sendMessage",
        seed=seed,
        p_429=0.1,
        retry_after=2,
        p_403=0.05,
        p_chat_not_found=0.05,
        p_drop_before=0.1,
        p_drop_after=0.1,
    )
    async with Simulator(UNTHROTTLED) as sim, Bot(TOKEN, base_url=sim.base_url) as bot:
        chats = [sim.add_user(f"Ouder {n}") for n in range(6)]
        sim.storm(storm)
        plan = [(chat, n) for chat in chats for n in range(10)]
        if round_robin:
            plan.sort(key=lambda item: item[1])
        seen: dict[int, list[str]] = {chat: [] for chat in chats}
        for chat, n in plan:
            seen[chat].append(await attempt(bot, chat, f"Bericht {n}"))
        # The ledger and the inboxes agree on what arrived, answered or not.
        ledger = sim.ledger()
        for chat in chats:
            received, refused = ledger[chat].received, ledger[chat].refused
            assert [a.message_id for a in received] == [m.message_id for m in sim.inbox(chat)]
            unanswered = [a for a in received if not a.answered]
            unanswered_refusals = [r for r in refused if not r.answered]
            assert len(unanswered) + len(unanswered_refusals) == seen[chat].count("no answer")
            assert len(received) + len(refused) == 10
        dropped_before = sum(r.error_code is None for chat in ledger.values() for r in chat.refused)
        assert sim.stats.drops_before == dropped_before
        assert sim.stats.drops_before + sim.stats.drops_after == sum(
            outcomes.count("no answer") for outcomes in seen.values()
        )
        # A fresh simulator numbers its users alike: the same chat ids, the same draws.
        return seen, {chat: len(sim.inbox(chat)) for chat in chats}


async def test_a_storm_with_a_fixed_seed_has_the_same_outcome_in_any_order() -> None:
    by_chat = await weather(4, round_robin=False)
    by_round = await weather(4, round_robin=True)
    assert by_chat == by_round
    outcomes = [o for chat in by_chat[0].values() for o in chat]
    assert {o.split(" ")[0] for o in outcomes} == {"ok", "429", "403", "400", "no"}
    assert "429 after 0:00:02" in outcomes
    assert await weather(5, round_robin=False) != by_chat


async def test_drop_before_delivers_nothing_drop_after_delivers_unanswered(
    sim: Simulator, bot: Bot
) -> None:
    uid = sim.add_user("Els")
    sim.inject_fault(Fault("sendMessage", action=FaultAction.DROP_BEFORE))
    with pytest.raises(NetworkError):
        await bot.send_message(uid, "voor")
    assert sim.inbox(uid) == []
    sim.inject_fault(Fault("sendMessage", action=FaultAction.DROP_AFTER))
    with pytest.raises(NetworkError):
        await bot.send_message(uid, "na")
    assert [m.text for m in sim.inbox(uid)] == ["na"]
    await bot.send_message(uid, "gewoon")
    ledger = sim.chat_ledger(uid)
    assert [(a.text, a.answered) for a in ledger.received] == [("na", False), ("gewoon", True)]
    (dropped,) = ledger.refused
    assert (dropped.error_code, dropped.injected, dropped.answered) == (None, True, False)
    assert (sim.stats.drops_before, sim.stats.drops_after) == (1, 1)
    assert FaultAction("drop") is FaultAction.DROP is FaultAction.DROP_BEFORE


async def test_a_403_storm_blocks_the_user_for_good(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Piet")
    async with SimulatorClient(sim.control_url) as client:
        await client.storm("sendMessage", seed=1, p_403=1.0)
        assert await attempt(bot, uid, "een") == "403 Forbidden: bot was blocked by the user"
        await client.calm()
        assert await attempt(bot, uid, "twee") == "403 Forbidden: bot was blocked by the user"
        assert sim.user(uid).status is UserStatus.BLOCKED
        # Like a user who blocks the bot by hand: the bot hears of it.
        (update,) = await bot.get_updates()
        member = update.my_chat_member
        assert member is not None and member.new_chat_member.status == "kicked"
        refused = (await client.chat_ledger(uid))["refused"]
        assert [(r["error_code"], r["injected"]) for r in refused] == [(403, True), (403, False)]
        await client.unblock(uid)
        assert await attempt(bot, uid, "drie") == "ok"


async def test_a_chat_not_found_storm_loses_the_chat_for_good(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Jan")
    sim.storm(Storm(seed=1, p_chat_not_found=1.0))
    assert await attempt(bot, uid, "een") == "400 Chat not found"
    sim.calm()
    assert await attempt(bot, uid, "twee") == "400 Chat not found"
    assert sim.user(uid).status is UserStatus.GONE
    with pytest.raises(SimulatorError, match="gone"):
        await sim.send_text(uid, "hallo?")
    assert await bot.get_updates() == ()  # no my_chat_member: the user did nothing
    sim.unblock(uid)
    assert await attempt(bot, uid, "drie") == "ok"


async def test_the_ledger_times_each_429_with_its_retry_after() -> None:
    clock = FakeClock()
    config = SimulatorConfig(bot_token=TOKEN, global_rate=None, per_chat_rate=1.0, per_chat_burst=1)
    async with Simulator(config, clock=clock) as sim, Bot(TOKEN, base_url=sim.base_url) as bot:
        uid = sim.add_user("Sara")
        await bot.send_message(uid, "een")
        with pytest.raises(RetryAfter) as flood:  # the simulator's own per-chat limit
            await bot.send_message(uid, "twee")
        assert flood.value.retry_after == dtm.timedelta(seconds=1)
        clock.now += 1.0
        sim.storm(Storm(seed=3, p_429=1.0, retry_after=5))
        with pytest.raises(RetryAfter) as stormed:
            await bot.send_message(uid, "twee")
        assert stormed.value.retry_after == dtm.timedelta(seconds=5)
        sim.calm()
        clock.now += 5.0
        await bot.send_message(uid, "twee")
        ledger = sim.chat_ledger(uid)
        assert [(a.text, a.at) for a in ledger.received] == [("een", 1000.0), ("twee", 1006.0)]
        assert [(r.error_code, r.retry_after, r.at, r.injected) for r in ledger.refused] == [
            (429, 1, 1000.0, False),
            (429, 5, 1001.0, True),
        ]
        stats = sim.stats
        assert stats.too_many_requests == 2 and stats.errors == {429: 2}


async def test_storms_and_the_ledger_through_the_control_api(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Amira")
    async with SimulatorClient(sim.control_url) as client:
        storm = await client.storm(seed=9, p_drop_after=1.0)
        assert storm["method"] == "*" and storm["counts"] == {}
        with pytest.raises(NetworkError):
            await bot.send_message(uid, "een")
        with pytest.raises(NetworkError):  # "*": edits are requests to a chat as well
            await bot.edit_message_text("een!", chat_id=uid, message_id=1)
        assert await bot.get_me()  # no chat, no storm
        (raging,) = await client.storms()
        assert raging["counts"] == {"drop_after": 2}
        assert sim.inbox(uid)[0].text == "een!"

        await client.calm()
        assert await client.storms() == []
        ledger = await client.ledger()
        assert list(ledger) == [uid]
        (arrival,) = ledger[uid]["received"]
        assert arrival["text"] == "een" and arrival["answered"] is False
        assert arrival["method"] == "sendMessage" and ledger[uid]["refused"] == []
        await client.clear_ledger()
        assert await client.ledger() == {}

        await client.storm("sendPhoto", p_429=0.5)
        await client.storm("sendphoto", p_403=0.5)  # one storm per method
        assert [s["p_403"] for s in await client.storms()] == [0.5]
        await client.clear_faults()  # ends storms too
        assert await client.storms() == []
        await client.inject_fault("sendMessage", action="drop_after")
        with pytest.raises(NetworkError):
            await bot.send_message(uid, "twee")
        assert sim.inbox(uid)[-1].text == "twee"
        stats = await client.stats()
        assert stats["drops_after"] == 3 and stats["total"]["drops_after"] == 3

        for wrong, reason in [
            ({"p_429": 2}, "between 0 and 1"),
            ({"p_429": 0.6, "p_403": 0.6}, "at most 1"),
            ({"method": "sendTelepathy"}, "does not implement"),
            ({"when": "now"}, "unknown storm fields"),
        ]:
            with pytest.raises(SimulatorError, match=reason) as caught:
                await client.call("POST", "/storms", wrong)
            assert caught.value.status == 400


async def test_the_ledger_over_plain_http(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Lies")
    await bot.send_message(uid, "hallo")
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sim.control_url}/ledger") as response,
    ):
        body = await response.json()
    result = body["result"]
    assert result["now"] >= result["chats"][str(uid)]["received"][0]["at"]
    assert result["chats"][str(uid)]["chat_id"] == uid
