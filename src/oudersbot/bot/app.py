"""The composition root of the Telegram side: one Application, its handlers and its jobs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from oudersbot.bootstrap import Deps, sending
from oudersbot.bot import (
    conversations,
    flood,
    followup,
    handlers,
    menus,
    message_flow,
    message_views,
    prikkel_flow,
    prikkel_queue,
    privacy,
    review,
    speech,
    understanding,
    web,
)
from oudersbot.bot.keyboards import LANGUAGE_PREFIX
from oudersbot.bot.state import BotState
from oudersbot.delivery.aiohttp_request import AiohttpRequest
from oudersbot.delivery.chat_pacing import ChatPacedLimiter
from oudersbot.domain.flood import FloodWatch
from oudersbot.domain.prikkels import FEEDBACK_PREFIX
from oudersbot.domain.slips import ANSWER_PREFIX, FOLLOW_UP_PREFIX, RESEND_PREFIX
from oudersbot.domain.stopping import STOP_PREFIX
from oudersbot.domain.understanding import UNDERSTANDING_PREFIX
from oudersbot.domain.voices import LISTEN_PREFIX, READ_ALOUD_PREFIX
from oudersbot.scheduling import wakeup
from oudersbot.settings import DEFAULT_BOT

log = logging.getLogger(__name__)
CONCURRENT_UPDATES = 32
MEDIA = (
    filters.PHOTO
    | filters.Document.ALL
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
)


def build_application(
    deps: Deps,
    *,
    token: str,
    bot: str = DEFAULT_BOT,
    base_url: str | None = None,
    send: bool = True,
    send_rate: float | None = None,
    tick: float = wakeup.TICK,
) -> Application:  # type: ignore[type-arg]
    """The bot named `bot` (it speaks for the schools on it): handlers in the order they are
    tried; with `send`, the outbox's sender for this bot (the only one: started in post_init,
    it refuses when another live process sends)."""
    builder = (
        Application.builder()
        .token(token)
        .context_types(ContextTypes(bot_data=BotState))
        # aiohttp instead of httpx: a tap's answer costs a fraction of the CPU, which keeps
        # parents' confirmations quick while a broadcast is going out.
        .request(AiohttpRequest(connection_pool_size=64))
        .get_updates_request(AiohttpRequest(connection_pool_size=2))
        # Replies to parents wait their turn instead of failing on a 429, paced per chat: a
        # 429 for one chat pauses that chat only, never a tap's answer (bot/flood.py).
        .rate_limiter(ChatPacedLimiter(max_retries=3))
        # Parents' taps and words are handled side by side, one chat's after each other: a
        # chat that floods queues behind itself only. The broadcast goes through the sender's
        # own bot and connection pool, so it never queues them.
        .concurrent_updates(flood.ChatLanes(CONCURRENT_UPDATES))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
    app = builder.build()
    state: BotState = app.bot_data
    state.deps = deps
    state.token = token
    state.bot = bot
    state.base_url = base_url or deps.settings.telegram_base_url
    state.send = send
    state.send_rate = deps.settings.send_rate if send_rate is None else send_rate
    state.tick = tick
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
    app.add_handler(CommandHandler("mijngegevens", privacy.mydata_command))
    app.add_handler(CommandHandler("stop", privacy.stop_command))
    app.add_handler(CommandHandler("vertalen", review.review_command))
    app.add_handler(CommandHandler("bericht", message_flow.bericht_command))
    app.add_handler(CommandHandler("annuleer", message_flow.cancel_command))
    # A staff member's text for the /bericht step that waits for one, before anything else
    # (group -2); it stops there. Every other text goes on to the groups after it.
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, message_flow.text_received),
        group=message_flow.TEXT_GROUP,
    )
    app.add_handler(CommandHandler("web", web.web_command))
    app.add_handler(CommandHandler("gesprekken", conversations.conversations_command))
    app.add_handler(CallbackQueryHandler(review.approve_tapped, pattern=f"^{review.PREFIX}"))
    # A vertaler's correction is taken before the free-text handler (group -1) and stops there.
    app.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, review.correction_received), group=-1
    )
    app.add_handler(CallbackQueryHandler(handlers.language_tapped, pattern=f"^{LANGUAGE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(handlers.answer_tapped, pattern=f"^{ANSWER_PREFIX}"))
    app.add_handler(CallbackQueryHandler(handlers.prikkel_tapped, pattern=f"^{FEEDBACK_PREFIX}"))
    app.add_handler(
        CallbackQueryHandler(prikkel_flow.prikkel_tapped, pattern=f"^{prikkel_flow.PREFIX}")
    )
    app.add_handler(
        CallbackQueryHandler(prikkel_queue.cancel_tapped, pattern=f"^{prikkel_queue.CANCEL_PREFIX}")
    )
    app.add_handler(CallbackQueryHandler(message_flow.tapped, pattern=f"^{message_views.PREFIX}"))
    app.add_handler(CallbackQueryHandler(followup.followup_tapped, pattern=f"^{FOLLOW_UP_PREFIX}"))
    app.add_handler(CallbackQueryHandler(followup.resend_tapped, pattern=f"^{RESEND_PREFIX}"))
    app.add_handler(CallbackQueryHandler(privacy.stop_tapped, pattern=f"^{STOP_PREFIX}"))
    app.add_handler(CallbackQueryHandler(speech.read_aloud_tapped, pattern=f"^{READ_ALOUD_PREFIX}"))
    app.add_handler(CallbackQueryHandler(speech.listen_tapped, pattern=f"^{LISTEN_PREFIX}"))
    app.add_handler(
        CallbackQueryHandler(understanding.understanding_tapped, pattern=f"^{UNDERSTANDING_PREFIX}")
    )
    app.add_handler(
        CallbackQueryHandler(
            understanding.explained_tapped, pattern=f"^{understanding.EXPLAINED_PREFIX}"
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            conversations.original_tapped, pattern=f"^{conversations.ORIGINAL_PREFIX}"
        )
    )
    app.add_handler(
        CallbackQueryHandler(
            conversations.handled_tapped, pattern=f"^{conversations.HANDLED_PREFIX}"
        )
    )
    app.add_handler(CallbackQueryHandler(handlers.unknown_button))
    # A chat that sends many messages is answered once, its texts and media all kept
    # (bot/flood.py); one watch for both, so photos count as messages too.
    watch = FloodWatch()
    free_text = flood.guarded(conversations.free_text, watch)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, free_text))
    # A teacher's photo for the prikkel on screen (a photo, or an image sent as a file); a
    # parent's photo, file, voice note, sticker or video: kept and shown to the school.
    app.add_handler(MessageHandler(MEDIA, flood.guarded(conversations.media_received, watch)))
    app.add_error_handler(handlers.on_error)
    return app


@asynccontextmanager
async def running(
    app: Application,  # type: ignore[type-arg]
    *,
    poll_timeout: int = 1,
    bootstrap_retries: int = 0,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the bot inside an event loop shared with others (`oudersbot run` with several bots,
    the demo, the tests, the benchmarks): what run_polling() does, without owning the loop."""
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)  # run_polling() calls it itself; here we must
    except BaseException:
        await app.shutdown()
        raise
    try:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0.0, timeout=poll_timeout, bootstrap_retries=bootstrap_retries
        )
    except BaseException:
        await _stop(app)
        raise
    try:
        yield app
    finally:
        await _stop(app)


async def _stop(app: Application) -> None:  # type: ignore[type-arg]
    assert app.updater is not None
    if app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
    await app.shutdown()


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    state: BotState = app.bot_data
    deps = state.wired
    await menus.set_parent_menus(app, deps)
    await menus.set_all_staff_menus(app, deps, state.bot)
    if state.send:
        await _start_sending(app, state)


async def _start_sending(app: Application, state: BotState) -> None:  # type: ignore[type-arg]
    """The outbox's sender for this bot, woken by the JobQueue; SenderBusyError when another
    live process already sends for it."""
    exits = AsyncExitStack()
    try:
        worker = await exits.enter_async_context(
            sending(
                state.wired,
                role="run",
                tokens={state.bot: state.token},
                base_url=state.base_url,
                rate=state.send_rate,
            )
        )
        await worker.start(exclusive=True)
    except BaseException:
        await exits.aclose()
        raise
    state.worker, state.exits = worker, exits
    state.waker = wakeup.Waker(state.wired, worker, tick=state.tick)
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is needed"
    wakeup.install(app.job_queue, state.waker)


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    state: BotState = app.bot_data
    if state.waker is not None:
        await state.waker.close()
    if state.exits is not None:
        await state.exits.aclose()  # stops the sender and gives its lease up
        state.worker, state.waker, state.exits = None, None, None
