"""Several bots on one simulator: each its own users, updates, counters and flood control."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import BadRequest, InvalidToken, RetryAfter

from oudersbot.simulator import Simulator, SimulatorConfig, SimulatorError, Storm
from oudersbot.simulator.__main__ import parse_args
from oudersbot.simulator.client import SimulatorClient

TOKEN_A = "123456:TEST"
TOKEN_B = "123457:TEST"
TOKEN_C = "123458:TEST"


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    # Telegram's shape at a smaller scale: 5 messages/s per bot, no per-chat limit.
    config = SimulatorConfig(bot_token=TOKEN_A, global_rate=5.0, per_chat_rate=None).with_bots(3)
    async with Simulator(config) as simulator:
        yield simulator


async def test_one_bot_flooding_gives_no_429_to_another(sim: Simulator) -> None:
    async with (
        SimulatorClient(sim.control_url) as client,
        Bot(TOKEN_A, base_url=sim.base_url) as bot_a,
        Bot(TOKEN_B, base_url=sim.base_url) as bot_b,
    ):
        client_b = client.for_bot(TOKEN_B)
        parents_a = [await client.add_user(f"A{n}") for n in range(8)]
        parents_b = [await client_b.add_user(f"B{n}") for n in range(5)]

        async def send(bot: Bot, chat_id: int) -> str:
            try:
                await bot.send_message(chat_id, "Morgen is er geen school.")
            except RetryAfter:
                return "429"
            return "ok"

        # Bot A sends past its limit while bot B sends its full share at the same moment.
        outcomes = await asyncio.gather(
            *(send(bot_a, chat) for chat in parents_a), *(send(bot_b, chat) for chat in parents_b)
        )
        assert outcomes[: len(parents_a)].count("429") == 3
        assert outcomes[len(parents_a) :] == ["ok"] * 5

        stats = await client.stats()
        assert stats["too_many_requests"] == 3 and stats["messages_accepted"] == 5
        bot_ids = ["123456", "123457", "123458"]
        assert list(stats["bots"]) == bot_ids
        assert stats["bots"]["123457"]["too_many_requests"] == 0
        assert stats["bots"]["123457"]["messages_accepted"] == 5
        assert stats["bots"]["123457"]["errors"] == {}
        assert stats["total"]["messages_accepted"] == 10
        assert stats["total"]["errors"] == {"429": 3}
        assert stats["total"]["requests"]["sendMessage"] == 13
        assert (await client_b.stats())["messages_accepted"] == 5
        assert sim.total_stats.too_many_requests == 3
        assert sim.bot(TOKEN_B).stats.too_many_requests == 0


async def test_each_bot_has_its_own_users_updates_and_identity(sim: Simulator) -> None:
    async with (
        SimulatorClient(sim.control_url, bot=TOKEN_C) as client_c,
        Bot(TOKEN_A, base_url=sim.base_url) as bot_a,
        Bot(TOKEN_C, base_url=sim.base_url) as bot_c,
    ):
        assert (bot_a.id, bot_a.username) == (123456, "oudersbot_demo_bot")
        assert (bot_c.id, bot_c.username) == (123458, "oudersbot_demo_123458_bot")
        assert bot_c.first_name == "Oudersbot 3"

        amira = sim.add_user("Amira")
        jan = await client_c.add_user("Jan")
        assert jan != amira  # a user id names one person, whichever bot they talk to
        await client_c.send_text(jan, "/start")
        await sim.send_text(amira, "/start")
        (update_c,) = await bot_c.get_updates()
        assert update_c.message is not None and update_c.message.chat.id == jan
        (update_a,) = await bot_a.get_updates()
        assert update_a.message is not None and update_a.message.chat.id == amira

        sim.storm(Storm(seed=1, p_403=1.0))  # a storm on bot A
        await bot_c.send_message(jan, "Welkom")
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot_c.send_message(amira, "Amira talks to bot A only")
        assert [m["text"] for m in await client_c.inbox(jan)] == ["Welkom"]
        assert sim.bot("oudersbot_demo_123458_bot").inbox(jan)[0].text == "Welkom"
        with pytest.raises(SimulatorError, match="unknown user"):
            sim.inbox(jan)
        assert sim.bot(123458).control_url == f"{sim.url}/control/bots/123458"

        bots = await client_c.bots()
        assert [(b["token"], b["username"]) for b in bots] == [
            (TOKEN_A, "oudersbot_demo_bot"),
            (TOKEN_B, "oudersbot_demo_123457_bot"),
            (TOKEN_C, "oudersbot_demo_123458_bot"),
        ]
        assert {b["base_url"] for b in bots} == {sim.base_url}

        # Resetting bot C forgets only bot C's world.
        await client_c.reset()
        assert sim.user(amira).first_name == "Amira"
        with pytest.raises(SimulatorError, match="unknown user"):
            await client_c.inbox(jan)


async def test_a_wrong_token_is_still_refused(sim: Simulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123459:TEST", base_url=sim.base_url) as stranger:
            await stranger.get_me()
    with pytest.raises(InvalidToken):
        async with Bot("123457:WRONG", base_url=sim.base_url) as stranger:
            await stranger.get_me()
    # Requests with an unknown token are counted by the first bot, as before.
    assert sim.stats.errors == {401: 2}
    assert sim.bot(TOKEN_B).stats.errors == {}
    with pytest.raises(SimulatorError, match="no bot"):
        sim.bot("999:X")
    async with SimulatorClient(sim.control_url, bot="999") as client:
        with pytest.raises(SimulatorError) as caught:
            await client.stats()
        assert caught.value.status == 404


def test_the_command_line_declares_several_bots() -> None:
    assert parse_args(["--bots", "3"]).bot_tokens == (TOKEN_A, TOKEN_B, TOKEN_C)
    config = parse_args(["--token", "42:abc", "--extra-bot", "77:def", "--extra-bot", "78:g"])
    assert config.bot_tokens == ("42:abc", "77:def", "78:g")
    assert parse_args([]).bot_tokens == (TOKEN_A,)
    for wrong in (
        ["--bots", "0"],
        ["--extra-bot", "123456:OTHER"],
        ["--bots", "2", "--extra-bot", "9:x"],
    ):
        with pytest.raises(SystemExit):
            parse_args(wrong)


async def test_standalone_process_serves_extra_bots() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "oudersbot.simulator",
        "--port",
        "0",
        "--global-rate",
        "1",
        "--per-chat-rate",
        "none",
        "--extra-bot",
        "654321:OTHER",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        match = re.search(r"base_url=(\S+) control_url=(\S+) bots=2", line)
        assert match, line
        base_url, control_url = match.groups()
        async with (
            SimulatorClient(control_url, bot="654321:OTHER") as client,
            Bot("654321:OTHER", base_url=base_url) as other,
            Bot(TOKEN_A, base_url=base_url) as first,
        ):
            uid = await client.add_user("Proces")
            await other.send_message(uid, "een")
            with pytest.raises(RetryAfter):
                await other.send_message(uid, "twee")
            first_uid = await client.for_bot(TOKEN_A).add_user("Eerste")
            assert await first.send_message(first_uid, "eigen limiet")
            assert [m["text"] for m in await client.inbox(uid)] == ["een"]
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
