"""python-telegram-bot's real `telegram.Bot` against a running Simulator."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest

from oudersbot.simulator import Fault, FaultAction, RateLimits, Simulator, SimulatorConfig
from tests.voice_files import ogg_opus

TOKEN = "123456:TEST"
UNTHROTTLED = SimulatorConfig(
    bot_token=TOKEN, global_rate=None, per_chat_rate=None, validate_responses=True
)


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta durations (else reading them warns, and warnings are errors)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(UNTHROTTLED) as simulator:
        yield simulator


@pytest.fixture
async def bot(sim: Simulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=sim.base_url, base_file_url=sim.base_file_url) as client:
        yield client


async def test_initialize_calls_get_me(sim: Simulator, bot: Bot) -> None:
    assert bot.username == "oudersbot_demo_bot"
    assert bot.id == 123456
    me = await bot.get_me()
    assert me.is_bot and me.first_name == sim.config.bot_first_name
    assert sim.stats.requests["getMe"] == 2


async def test_send_message_with_html_and_keyboard(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Amira", "El Amrani", "amira", language_code="ar")
    sent = await bot.send_message(
        uid,
        "<b>Welkom</b> bij <i>de school</i>\n<blockquote expandable>Lange uitleg</blockquote>",
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard("lang:nl", "lang:ar"),
    )
    assert sent.text == "Welkom bij de school\nLange uitleg"
    assert sent.chat.id == uid and sent.chat.type == "private"
    assert sent.from_user is not None and sent.from_user.is_bot
    assert [e.type for e in sent.entities] == ["bold", "italic", "expandable_blockquote"]
    (received,) = sim.inbox(uid)
    assert received.message_id == sent.message_id
    assert received.text == sent.text
    assert received.source is not None and received.source.startswith("<b>Welkom</b>")
    assert received.parse_mode == "HTML"
    assert received.callback_data() == ["lang:nl", "lang:ar"]
    assert received.date == int(sent.date.timestamp())
    assert not received.has_photo and not received.deleted
    assert sim.stats.messages_accepted == 1


async def test_send_photo_and_voice_by_upload_file_id_and_url(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Jan")
    photo = await bot.send_photo(
        uid, b"\x89PNG fake image", caption="<i>Klasfoto</i>", parse_mode="HTML"
    )
    assert photo.caption == "Klasfoto" and photo.caption_entities[0].type == "italic"
    file_id = photo.photo[-1].file_id
    again = await bot.send_photo(uid, file_id)
    assert again.photo and again.caption is None
    await bot.send_photo(uid, "https://school.example/foto.jpg")
    voice = await bot.send_voice(uid, ogg_opus(2.5), duration=dtm.timedelta(seconds=4))
    assert voice.voice is not None and voice.voice.duration == dtm.timedelta(seconds=4)
    await bot.send_voice(uid, voice.voice.file_id, caption="Bericht")
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(uid, "no-such-file-id")
    inbox = sim.inbox(uid)
    assert [m.has_photo for m in inbox] == [True, True, True, False, False]
    assert [m.has_voice for m in inbox] == [False, False, False, True, True]
    assert inbox[0].caption == "Klasfoto" and inbox[0].source == "<i>Klasfoto</i>"
    assert inbox[4].caption == "Bericht" and inbox[4].text is None


async def test_edit_text_and_markup_keep_history(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Ana")
    sent = await bot.send_message(uid, "Kies", reply_markup=keyboard("a", "b"))
    edited = await bot.edit_message_text(
        "<b>Gekozen</b>", chat_id=uid, message_id=sent.message_id, parse_mode="HTML"
    )
    assert isinstance(edited, object) and sim.inbox(uid)[0].reply_markup is None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text(
            "<b>Gekozen</b>", chat_id=uid, message_id=sent.message_id, parse_mode="HTML"
        )
    await bot.edit_message_reply_markup(uid, sent.message_id, reply_markup=keyboard("c"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(uid, sent.message_id, reply_markup=keyboard("c"))
    (message,) = sim.inbox(uid)
    assert message.text == "Gekozen" and message.entities[0]["type"] == "bold"
    assert message.callback_data() == ["c"] and message.edit_date is not None
    assert [v.text for v in message.history] == ["Kies", "Gekozen"]
    assert message.history[0].reply_markup is not None
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=uid, message_id=999)
    photo = await bot.send_photo(uid, b"img")
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=uid, message_id=photo.message_id)


async def test_delete_message_and_chat_action(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Piet")
    sent = await bot.send_message(uid, "weg")
    assert await bot.send_chat_action(uid, ChatAction.TYPING)
    assert sim.chat_action(uid) == "typing"
    assert await bot.delete_message(uid, sent.message_id)
    assert sim.inbox(uid)[0].deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(uid, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=uid, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(uid, "dancing")


async def test_bot_commands_per_scope_and_language(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Lea")
    assert await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("taal", "Taal")])
    assert await bot.set_my_commands([("start", "ابدأ")], language_code="ar")
    assert await bot.set_my_commands([("help", "Hulp")], scope=BotCommandScopeChat(uid))
    assert [c.command for c in await bot.get_my_commands()] == ["start", "taal"]
    assert [c.description for c in await bot.get_my_commands(language_code="ar")] == ["ابدأ"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(uid))] == [
        "help"
    ]
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert sim.commands(language_code="ar") == [{"command": "start", "description": "ابدأ"}]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start!", "x")])


async def test_a_chat_scope_holds_its_own_commands_as_the_spec_says(
    sim: Simulator, bot: Bot
) -> None:
    teacher, parent = sim.add_user("Els"), sim.add_user("Ayse")
    assert await bot.set_my_commands(
        [("bericht", "Bericht sturen")], scope=BotCommandScopeChat(teacher)
    )
    assert await bot.get_my_commands(scope=BotCommandScopeChat(parent)) == ()
    assert await bot.get_my_commands() == ()  # nothing leaks into the default scope
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(teacher))] == [
        "bericht"
    ]
    assert sim.commands({"type": "chat", "chat_id": teacher}) == [
        {"command": "bericht", "description": "Bericht sturen"}
    ]
    assert await bot.delete_my_commands(scope=BotCommandScopeChat(teacher))
    assert await bot.get_my_commands(scope=BotCommandScopeChat(teacher)) == ()
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands([("help", "Uitleg")], scope=BotCommandScopeChat(987654321))


async def test_answer_callback_query(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Sara")
    sent = await bot.send_message(uid, "Kies", reply_markup=keyboard("ja"))
    query_id = await sim.tap(uid, sent.message_id, "ja")
    assert not sim.callback(query_id).answered
    assert await bot.answer_callback_query(query_id, text="Bedankt")
    record = sim.callback(query_id)
    assert record.answered and record.answer_text == "Bedankt" and not record.forged
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("123")


async def test_typed_errors_for_users_and_chats(sim: Simulator, bot: Bot) -> None:
    blocked = sim.add_user("Blok")
    gone = sim.add_user("Weg")
    sim.block(blocked)
    sim.deactivate(gone)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(blocked, "x")
    with pytest.raises(Forbidden, match="user is deactivated"):
        await bot.send_photo(gone, b"img")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(42, "x")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message("@someone", "x")
    sim.unblock(blocked)
    assert await bot.send_message(blocked, "terug")


async def test_content_errors(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Tom")
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(uid, "😀" * 2049)  # 4098 UTF-16 code units
    assert await bot.send_message(uid, "😀" * 2048)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(uid, "  \n ")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(uid, "<b></b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_photo(uid, b"img", caption="x" * 1025)
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await bot.send_message(uid, "<div>x</div>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(uid, "x", reply_markup=keyboard("x" * 65))
    assert len(sim.inbox(uid)) == 1


async def test_wrong_token_and_unknown_method(sim: Simulator, bot: Bot) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("123456:WRONG", base_url=sim.base_url) as other:
            await other.get_me()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy")
    assert sim.stats.errors[401] == 1 and sim.stats.errors[404] == 1


async def test_flood_limits_raise_retry_after() -> None:
    config = SimulatorConfig(bot_token=TOKEN, global_rate=None, per_chat_rate=1.0, per_chat_burst=3)
    async with Simulator(config) as sim, Bot(TOKEN, base_url=sim.base_url) as bot:
        uid = sim.add_user("Veel")
        for index in range(3):
            await bot.send_message(uid, f"bericht {index}")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(uid, "te veel")
        assert caught.value.retry_after == dtm.timedelta(seconds=1)
        other = sim.add_user("Ander")
        assert await bot.send_message(other, "andere chat gaat wel")
        sim.set_limits(RateLimits(global_rate=2.0, global_burst=2, per_chat_rate=None))
        more = [sim.add_user(f"P{i}") for i in range(3)]
        await bot.send_message(more[0], "1")
        await bot.send_message(more[1], "2")
        with pytest.raises(RetryAfter):
            await bot.send_message(more[2], "3")
        stats = sim.stats
        assert stats.too_many_requests == 2 and stats.errors[429] == 2
        assert stats.messages_accepted == 6
        assert stats.limits.global_rate == 2.0


async def test_fault_injection_gives_network_errors(sim: Simulator) -> None:
    uid = sim.add_user("Net")
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(TOKEN, base_url=sim.base_url, request=request) as bot:
        sim.inject_fault(Fault("sendMessage", action=FaultAction.DROP))
        with pytest.raises(NetworkError):
            await bot.send_message(uid, "x")
        sim.inject_fault(Fault("sendMessage", action=FaultAction.DELAY, delay=0.6))
        with pytest.raises(TimedOut):
            await bot.send_message(uid, "x")
        sim.inject_fault(Fault("sendmessage", times=2, error_code=502, description="Bad Gateway"))
        for _ in range(2):
            with pytest.raises(NetworkError, match="Bad Gateway"):
                await bot.send_message(uid, "x")
        sim.inject_fault(
            Fault(
                "*", error_code=429, description="Too Many Requests: retry after 7", retry_after=7
            )
        )
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(uid, "x")
        assert caught.value.retry_after == dtm.timedelta(seconds=7)
        assert sim.faults() == []
        assert await bot.send_message(uid, "ok")
    # Like on Telegram, a request that timed out on the client may still go through.
    assert [m.text for m in await sim.wait_for_inbox(uid, 2, within=2.0)] == ["ok", "x"]
