"""Incoming updates through the simulator: long polling, webhooks, a real PTB Application."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from oudersbot.simulator import Simulator, SimulatorConfig

TOKEN = "123456:TEST"
CONFIG = SimulatorConfig(
    bot_token=TOKEN,
    global_rate=None,
    per_chat_rate=None,
    validate_responses=True,
    webhook_retry_delay=0.05,
)


@pytest.fixture(autouse=True)
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(CONFIG) as simulator:
        yield simulator


@pytest.fixture
async def bot(sim: Simulator) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=sim.base_url) as client:
        yield client


async def test_long_poll_returns_text_and_tap(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Amira", username="amira", language_code="ar")
    sent = await bot.send_message(
        uid,
        "Taal?",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("AR", callback_data="lang:ar")]]),
    )
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    started = asyncio.get_running_loop().time()
    await sim.send_text(uid, "/start abc123")
    (update,) = await poll
    assert asyncio.get_running_loop().time() - started < 1.0
    message = update.message
    assert message is not None and message.text == "/start abc123"
    assert message.from_user is not None and message.from_user.language_code == "ar"
    assert message.parse_entities() == {message.entities[0]: "/start"}
    assert message.entities[0].type == "bot_command"
    query_id = await sim.tap(uid, sent.message_id, "lang:ar")
    updates = await bot.get_updates(offset=update.update_id + 1, timeout=1)
    assert [u.update_id for u in updates] == [update.update_id + 1]
    query = updates[0].callback_query
    assert query is not None and query.id == query_id and query.data == "lang:ar"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await bot.get_updates(offset=updates[0].update_id + 1) == ()
    assert sim.pending_updates() == []


async def test_offsets_limits_and_allowed_updates(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Jan")
    for index in range(5):
        await sim.send_text(uid, f"bericht {index}")
    first = await bot.get_updates(limit=2)
    assert len(first) == 2
    assert len(await bot.get_updates(offset=first[1].update_id + 1)) == 3
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["bericht 4"]
    await bot.get_updates(offset=last[0].update_id + 1, allowed_updates=["callback_query"])
    sent = await sim.send_text(uid, "gefilterd")
    assert sent.update_id is None and sim.pending_updates() == []


async def test_a_newer_poll_terminates_the_older_one(sim: Simulator, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with Bot(TOKEN, base_url=sim.base_url) as second_instance:
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.gather(older, second_instance.get_updates(timeout=0))


async def test_blocking_sends_my_chat_member(sim: Simulator, bot: Bot) -> None:
    uid = sim.add_user("Blok")
    sim.block(uid)
    sim.unblock(uid)
    updates = await bot.get_updates()
    statuses = [u.my_chat_member.new_chat_member.status for u in updates if u.my_chat_member]
    assert statuses == ["kicked", "member"]


class WebhookReceiver:
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        self.arrived.set()
        return web.Response(status=self.status)


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[WebhookReceiver, str]]:
    hook = WebhookReceiver()
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield hook, f"http://127.0.0.1:{port}/hook"
    await runner.cleanup()


async def test_webhook_delivery_with_secret_token(
    sim: Simulator, bot: Bot, receiver: tuple[WebhookReceiver, str]
) -> None:
    hook, url = receiver
    uid = sim.add_user("Web")
    await sim.send_text(uid, "voor de webhook")
    assert await bot.set_webhook(url, secret_token="geheim_123", max_connections=5)
    await asyncio.wait_for(hook.arrived.wait(), 2)
    body, secret = hook.received[0]
    assert secret == "geheim_123"
    assert body["message"]["text"] == "voor de webhook"
    sim.validator.validate_object("Update", body)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    info = await bot.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0 and info.max_connections == 5
    hook.status = 500
    hook.arrived.clear()
    await sim.send_text(uid, "faalt")
    await asyncio.wait_for(hook.arrived.wait(), 2)
    await asyncio.sleep(0.05)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    hook.status = 200
    for _ in range(100):
        if len(hook.received) >= 3 and not sim.pending_updates():
            break
        await asyncio.sleep(0.02)
    assert hook.received[-1][0]["message"]["text"] == "faalt"
    assert await bot.delete_webhook()
    await sim.send_text(uid, "weer polling")
    (update,) = await bot.get_updates()
    assert update.message is not None and update.message.text == "weer polling"


async def test_bad_webhook_settings(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Secret token contains unallowed characters"):
        await bot.set_webhook("http://127.0.0.1:1/hook", secret_token="geen spaties")
    with pytest.raises(BadRequest, match="an https url must be provided"):
        await bot.set_webhook("ftp://example.org/hook")


async def start_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    code = context.args[0] if context.args else "-"
    buttons = [[InlineKeyboardButton("Nederlands", callback_data="lang:nl")]]
    await update.effective_message.reply_html(
        f"<b>Welkom</b>, code {code}", reply_markup=InlineKeyboardMarkup(buttons)
    )


async def on_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Taal gekozen")
    await query.edit_message_text(f"Taal: {query.data}")


async def test_a_real_application_polls_answers_and_shuts_down(sim: Simulator) -> None:
    application = Application.builder().token(TOKEN).base_url(sim.base_url).build()
    application.add_handler(CommandHandler("start", start_command))
    application.add_handler(CallbackQueryHandler(on_language, pattern=r"^lang:"))
    uid = sim.add_user("Ouder", language_code="nl")
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        await sim.send_text(uid, "/start K1-2B")
        (welcome,) = await sim.wait_for_inbox(uid, 1)
        assert welcome.text == "Welkom, code K1-2B"
        query_id = await sim.tap(uid, welcome.message_id, "lang:nl")
        for _ in range(200):
            if sim.inbox(uid)[0].edit_date is not None and sim.callback(query_id).answered:
                break
            await asyncio.sleep(0.01)
        await application.updater.stop()
        await application.stop()
    assert sim.inbox(uid)[0].text == "Taal: lang:nl"
    assert sim.callback(query_id).answer_text == "Taal gekozen"
    requests = sim.stats.requests
    assert requests["deleteWebhook"] == 1 and requests["getUpdates"] >= 2
    assert sim.pending_updates() == []
