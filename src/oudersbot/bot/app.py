"""The composition root of the Telegram side: one Application, its handlers and its jobs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot, BotCommand
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from oudersbot.bootstrap import Deps
from oudersbot.bot import followup, handlers, prikkel_flow, prikkel_queue
from oudersbot.bot.keyboards import LANGUAGE_PREFIX
from oudersbot.delivery.aiohttp_request import AiohttpRequest
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.delivery.telegram_sender import TelegramSender
from oudersbot.domain.prikkels import FEEDBACK_PREFIX
from oudersbot.domain.slips import ANSWER_PREFIX, FOLLOW_UP_PREFIX
from oudersbot.scheduling import wakeup
from oudersbot.scheduling.lock import SchedulerLock, SchedulerLockError
from oudersbot.services.reminders import send_due_reminders

log = logging.getLogger(__name__)
COMMANDS = ("start", "taal", "help")
CONCURRENT_UPDATES = 32
DISPATCH_INTERVAL = 2.0


def build_application(
    deps: Deps,
    *,
    token: str,
    base_url: str | None = None,
    dispatch: bool = True,
    send_rate: float | None = None,
    dispatch_interval: float = DISPATCH_INTERVAL,
    sweep_interval: float = wakeup.SWEEP_INTERVAL,
) -> Application:  # type: ignore[type-arg]
    """The bot: handlers in the order they are tried, the dispatcher as a repeating job."""
    builder = (
        Application.builder()
        .token(token)
        # aiohttp instead of httpx: a tap's answer costs a fraction of the CPU, which keeps
        # parents' confirmations quick while a broadcast is going out.
        .request(AiohttpRequest(connection_pool_size=64))
        .get_updates_request(AiohttpRequest(connection_pool_size=2))
        # Replies to parents wait their turn instead of failing on a 429.
        .rate_limiter(AIORateLimiter(max_retries=3))
        # Parents' taps and words are handled side by side, in their own lane: the broadcast
        # goes through the dispatcher's own bot and connection pool, so it never queues them.
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
    app = builder.build()
    app.bot_data["deps"] = deps
    app.bot_data["token"] = token
    app.bot_data["base_url"] = base_url or deps.settings.telegram_base_url
    app.bot_data["dispatch"] = dispatch
    app.bot_data["dispatch_interval"] = dispatch_interval
    app.bot_data["sweep"] = sweep_interval
    app.bot_data["send_rate"] = deps.settings.send_rate if send_rate is None else send_rate
    # 1. commands, 2. buttons (language first, then anything else), 3. free text and a
    # teacher's photo, 4. errors.
    app.add_handler(CommandHandler("start", handlers.start))
    app.add_handler(CommandHandler("taal", handlers.choose_language))
    app.add_handler(CommandHandler(["help", "hulp"], handlers.help_command))
    app.add_handler(CommandHandler("opvolgen", followup.followup_command))
    app.add_handler(CommandHandler("pauze", handlers.pause_command))
    app.add_handler(CommandHandler("prikkel", prikkel_flow.prikkel_command))
    app.add_handler(CommandHandler("prikkels", prikkel_queue.prikkels_command))
    app.add_handler(CommandHandler("overzicht", handlers.overview_command))
    app.add_handler(CallbackQueryHandler(handlers.language_tapped, pattern=f"^{LANGUAGE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(handlers.answer_tapped, pattern=f"^{ANSWER_PREFIX}"))
    app.add_handler(CallbackQueryHandler(handlers.prikkel_tapped, pattern=f"^{FEEDBACK_PREFIX}"))
    app.add_handler(
        CallbackQueryHandler(prikkel_flow.prikkel_tapped, pattern=f"^{prikkel_flow.PREFIX}")
    )
    app.add_handler(
        CallbackQueryHandler(prikkel_queue.cancel_tapped, pattern=f"^{prikkel_queue.CANCEL_PREFIX}")
    )
    app.add_handler(CallbackQueryHandler(followup.followup_tapped, pattern=f"^{FOLLOW_UP_PREFIX}"))
    app.add_handler(CallbackQueryHandler(handlers.unknown_button))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.free_text))
    # A teacher's photo for the prikkel on screen (a photo, or an image sent as a file).
    app.add_handler(
        MessageHandler(filters.PHOTO | filters.Document.ALL, prikkel_flow.photo_received)
    )
    app.add_error_handler(handlers.on_error)
    return app


@asynccontextmanager
async def running(app: Application, *, poll_timeout: int = 1) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the bot inside another program's event loop (the demo, the tests, the benchmarks)."""
    await app.initialize()
    await _post_init(app)  # run_polling() calls it itself; here we must
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await _post_shutdown(app)
        await app.shutdown()


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    deps: Deps = app.bot_data["deps"]
    for language in deps.words.languages:
        commands = [BotCommand(c, deps.words.text(language, f"command.{c}")) for c in COMMANDS]
        code = None if language == "nl" else language
        if code is None or len(code) == 2:  # Telegram takes two-letter ISO 639-1 codes only
            await app.bot.set_my_commands(commands, language_code=code)
    if app.bot_data["dispatch"]:
        await _start_sending(app, deps)


async def _start_sending(app: Application, deps: Deps) -> None:  # type: ignore[type-arg]
    """The outbox and the calendar's scheduler, unless another process runs them on this SQLite
    database (PostgreSQL lets several processes send side by side)."""
    lock = SchedulerLock.for_database(deps.settings.database_url)
    try:
        lock.acquire()
    except SchedulerLockError as exc:
        log.error(deps.words.text("nl", "cli.calendar.locked", path=str(exc.path), pid=exc.holder))
        return
    app.bot_data["scheduler_lock"] = lock
    # The outbox paces itself and must see every 429, so it has its own client, unthrottled.
    request = AiohttpRequest(connection_pool_size=64)
    sender_bot = Bot(app.bot_data["token"], base_url=app.bot_data["base_url"], request=request)
    await sender_bot.initialize()
    app.bot_data["sender_bot"] = sender_bot
    rate = app.bot_data["send_rate"]
    dispatcher = Dispatcher(deps.db, TelegramSender(sender_bot), deps.clock, rate=rate)
    if lock.sole_sender:
        # Whatever a killed predecessor still held is this process's at once, not after a lease.
        await dispatcher.take_over()
    app.bot_data["dispatcher"] = dispatcher
    app.bot_data["dispatch_lock"] = asyncio.Lock()
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is needed"
    app.job_queue.run_repeating(
        _dispatch_job, interval=app.bot_data["dispatch_interval"], first=0.1
    )

    def kick() -> None:
        lock_: asyncio.Lock = app.bot_data["dispatch_lock"]
        if not lock_.locked():
            app.create_task(_drain(app, lock_), name="oudersbot-dispatch")

    wakeup.start(app.job_queue, deps, after_queue=kick, sweep_interval=app.bot_data["sweep"])


async def _dispatch_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Wake the dispatcher unless it is already draining; the job itself returns at once."""
    app = context.application
    lock: asyncio.Lock = app.bot_data["dispatch_lock"]
    if not lock.locked():
        app.create_task(_drain(app, lock), name="oudersbot-dispatch")


async def _drain(app: Application, lock: asyncio.Lock) -> None:  # type: ignore[type-arg]
    async with lock:
        deps: Deps = app.bot_data["deps"]
        reminders = await asyncio.to_thread(send_due_reminders, deps)
        if reminders:
            log.info("queued %d slip reminders", reminders)
        dispatcher: Dispatcher = app.bot_data["dispatcher"]
        stats = await dispatcher.drain()
        if stats.handled:
            log.info("dispatched: %s", stats)


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    lock: SchedulerLock | None = app.bot_data.pop("scheduler_lock", None)
    if lock is not None:
        lock.release()
    sender_bot: Bot | None = app.bot_data.pop("sender_bot", None)
    if sender_bot is not None:
        await sender_bot.shutdown()
