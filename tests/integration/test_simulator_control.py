"""The HTTP control API (through SimulatorClient) and the standalone `python -m` process."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from oudersbot.simulator import Simulator, SimulatorConfig, SimulatorError
from oudersbot.simulator.client import SimulatorClient

TOKEN = "123456:TEST"


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    config = SimulatorConfig(global_rate=None, per_chat_rate=None, validate_responses=True)
    async with Simulator(config) as simulator:
        yield simulator


async def test_control_api_acts_as_parents(sim: Simulator) -> None:
    async with SimulatorClient(sim.control_url) as client, Bot(TOKEN, base_url=sim.base_url) as bot:
        uid = await client.add_user("Amira", username="amira", language_code="ar")
        sent_text = await client.send_text(uid, "/start abc")
        (update,) = await bot.get_updates()
        assert update.message is not None and update.message.message_id == sent_text["message_id"]
        assert update.update_id == sent_text["update_id"]
        buttons = InlineKeyboardMarkup([[InlineKeyboardButton("NL", callback_data="lang:nl")]])
        sent = await bot.send_message(uid, "<b>Taal?</b>", parse_mode="HTML", reply_markup=buttons)
        (message,) = await client.inbox(uid)
        assert message["text"] == "Taal?" and message["source"] == "<b>Taal?</b>"
        assert message["entities"] == [{"type": "bold", "offset": 0, "length": 5}]
        assert message["reply_markup"] == buttons.to_dict()
        query_id = await client.tap(uid, sent.message_id, "lang:nl")
        with pytest.raises(SimulatorError, match="no inline button"):
            await client.tap(uid, sent.message_id, "lang:xx")
        forged = await client.forge_callback(uid, sent.message_id, "admin:delete_all")
        other = await client.add_user("Jan")
        cross_chat = await client.forge_callback(other, sent.message_id, "lang:nl", chat_id=uid)
        updates = await bot.get_updates(offset=update.update_id + 1)
        queries = [u.callback_query for u in updates if u.callback_query]
        assert [q.id for q in queries] == [query_id, forged, cross_chat]
        crossed = queries[2].message
        assert queries[2].from_user.id == other and crossed is not None and crossed.chat.id == uid
        await bot.answer_callback_query(query_id, text="OK")
        assert (await client.callback(query_id))["answer_text"] == "OK"
        assert (await client.callback(forged))["forged"] is True
        await client.block(uid)
        with pytest.raises(Forbidden):
            await bot.send_message(uid, "x")
        await client.unblock(uid)
        await client.deactivate(other)
        with pytest.raises(Forbidden, match="deactivated"):
            await bot.send_message(other, "x")
        with pytest.raises(SimulatorError, match="deactivated"):
            await client.send_text(other, "hallo")


async def test_a_user_sends_a_photo_and_a_document_shaped_like_the_bot_api(
    sim: Simulator,
) -> None:
    base_file_url = sim.base_file_url
    async with (
        SimulatorClient(sim.control_url) as client,
        Bot(TOKEN, base_url=sim.base_url, base_file_url=base_file_url) as bot,
    ):
        uid = await client.add_user("Els")
        photo = await client.send_photo(uid, file_size=2_000_000, caption="De klas")
        png = await client.send_document(
            uid, file_name="klas.png", mime_type="image/png", content=b"\x89PNG klas"
        )
        await client.send_document(
            uid, file_name="brief.pdf", mime_type="application/pdf", file_size=30_000
        )
        raw = sim.pending_updates()
        for update in raw:  # exactly the spec's Update, Message, PhotoSize and Document
            sim.validator.validate_object("Update", update)
        sent_photo, sent_png, sent_pdf = (u.message for u in await bot.get_updates())
        assert sent_photo is not None and sent_png is not None and sent_pdf is not None
        assert sent_photo.message_id == photo["message_id"] and sent_photo.caption == "De klas"
        assert [size.file_size for size in sent_photo.photo][-1] == 2_000_000
        assert sent_png.message_id == png["message_id"] and sent_png.document is not None
        assert (sent_png.document.file_name, sent_png.document.mime_type) == (
            "klas.png",
            "image/png",
        )
        assert sent_pdf.document is not None and sent_pdf.document.file_size == 30_000
        assert set(raw[1]["message"]["document"]) == {
            "file_id",
            "file_unique_id",
            "file_name",
            "mime_type",
            "file_size",
        }

        # The bot can download what a user sent, but a document's file_id is no photo's.
        file = await bot.get_file(sent_png.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"\x89PNG klas"
        with pytest.raises(BadRequest, match="of type document as photo"):
            await bot.send_photo(uid, sent_png.document.file_id)
        again = await bot.send_photo(uid, sent_photo.photo[-1].file_id)
        assert again.photo and sim.inbox(uid)[-1].file_ids[0] == sent_photo.photo[-1].file_id
        with pytest.raises(BadRequest, match="Wrong file_id"):
            await bot.get_file("no-such-file")
        big = await sim.send_document(
            uid, file_name="film.mov", mime_type="video/mp4", file_size=25 << 20
        )
        assert big.update_id is not None
        document = sim.pending_updates()[-1]["message"]["document"]
        with pytest.raises(BadRequest, match="too big"):
            await bot.get_file(document["file_id"])
        with pytest.raises(SimulatorError, match="caption"):
            await client.send_photo(uid, caption=" ")


async def test_a_user_sends_a_voice_note_and_replies_to_a_message_as_telegram_does(
    sim: Simulator,
) -> None:
    async with (
        SimulatorClient(sim.control_url) as client,
        Bot(TOKEN, base_url=sim.base_url, base_file_url=sim.base_file_url) as bot,
    ):
        uid, other = await client.add_user("Fatima"), await client.add_user("Jan")
        asked = await bot.send_message(uid, "Komt Amira mee?")
        voice = await client.send_voice(uid, duration=7, caption="Amira")
        reply = await client.send_text(uid, "Ja", reply_to=asked.message_id)
        await client.send_voice(uid, reply_to=reply["message_id"])
        raw = sim.pending_updates()
        for update in raw:  # exactly the spec's Update, Message, Voice
            sim.validator.validate_object("Update", update)
        got_voice, got_reply, got_replied_voice = (u.message for u in await bot.get_updates())
        assert got_voice is not None and got_voice.message_id == voice["message_id"]
        assert got_voice.voice is not None and got_voice.voice.duration == timedelta(seconds=7)
        assert got_voice.voice.mime_type == "audio/ogg" and got_voice.caption == "Amira"
        assert got_voice.reply_to_message is None
        assert got_reply is not None and got_reply.reply_to_message is not None
        assert got_reply.reply_to_message.message_id == asked.message_id
        assert got_reply.reply_to_message.text == "Komt Amira mee?"
        assert got_reply.reply_to_message.from_user is not None
        assert got_reply.reply_to_message.from_user.is_bot
        # The original inside a reply carries no reply_to_message of its own.
        assert got_replied_voice is not None and got_replied_voice.voice is not None
        inner = raw[2]["message"]["reply_to_message"]
        assert inner["message_id"] == reply["message_id"] and "reply_to_message" not in inner
        # The bot may fetch the voice note by its file_id.
        file = await bot.get_file(got_voice.voice.file_id)
        assert file.file_size == got_voice.voice.file_size
        # A reply to a message that is not in the user's own chat is refused.
        with pytest.raises(SimulatorError, match="message to be replied not found"):
            await client.send_text(other, "Nee", reply_to=asked.message_id + 50)
        with pytest.raises(SimulatorError, match="duration"):
            await client.send_voice(uid, duration=-1)


async def test_control_api_stats_limits_faults_and_reset(sim: Simulator) -> None:
    async with SimulatorClient(sim.control_url) as client, Bot(TOKEN, base_url=sim.base_url) as bot:
        uid = await client.add_user("Piet")
        await bot.send_message(uid, "een")
        stats = await client.stats()
        assert stats["requests"] == {"getMe": 1, "sendMessage": 1}
        assert stats["messages_accepted"] == 1 and stats["config"]["bot_token"] == TOKEN
        limits = await client.set_limits(per_chat_rate=1.0, per_chat_burst=1)
        assert limits["per_chat_rate"] == 1.0 and limits["global_rate"] is None
        await bot.send_message(uid, "twee")
        with pytest.raises(RetryAfter):
            await bot.send_message(uid, "drie")
        assert (await client.stats())["too_many_requests"] == 1
        await client.set_limits(per_chat_rate=None)
        await client.inject_fault("sendMessage", action="drop")
        with pytest.raises(NetworkError):
            await bot.send_message(uid, "vier")
        await client.inject_fault("sendMessage", times=3, error_code=500)
        await client.clear_faults()
        await bot.send_message(uid, "vijf")
        await client.reset_stats()
        assert (await client.stats())["requests"] == {}
        with pytest.raises(SimulatorError, match="unknown limit fields"):
            await client.set_limits(speed=3)
        with pytest.raises(SimulatorError):
            await client.set_limits(global_rate=-1)
        await client.reset()
        with pytest.raises(SimulatorError, match="unknown user") as caught:
            await client.inbox(uid)
        assert caught.value.status == 404


async def test_control_api_rejects_bad_input(sim: Simulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{sim.control_url}/users", json={"last_name": "X"}) as response:
            assert response.status == 400
            assert (await response.json())["ok"] is False
        async with session.post(f"{sim.control_url}/users/abc/messages", json={}) as response:
            assert response.status == 404
        async with session.post(f"{sim.control_url}/faults", json={"method": "x", "when": 1}) as r:
            assert r.status == 400


async def test_standalone_process_prints_its_url_and_stops_on_sigterm() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "oudersbot.simulator",
        "--port",
        "0",
        "--global-rate",
        "none",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        match = re.search(r"base_url=(\S+) control_url=(\S+)", line)
        assert match, line
        base_url, control_url = match.groups()
        async with SimulatorClient(control_url) as client, Bot(TOKEN, base_url=base_url) as bot:
            uid = await client.add_user("Proces")
            await bot.send_message(uid, "over HTTP")
            assert [m["text"] for m in await client.inbox(uid)] == ["over HTTP"]
            assert (await client.stats())["limits"]["global_rate"] is None
    finally:
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 10) == 0
