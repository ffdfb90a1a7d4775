"""Every bot of the deployment in one process and one event loop: `oudersbot run` in polling
mode starts one Application per bot (TELEGRAM_BOT_TOKEN and OUDERSBOT_EXTRA_BOTS), each the
sender of its own bot, and stops them all, last started first, when asked."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack

from telegram.ext import Application

from oudersbot.bootstrap import Deps
from oudersbot.bot.app import build_application, running

log = logging.getLogger(__name__)
POLL_TIMEOUT = 10  # seconds a getUpdates long poll waits, as run_polling() does


def build_fleet(
    deps: Deps,
    tokens: Mapping[str, str],
    *,
    base_url: str | None = None,
    send: bool = True,
) -> list[Application]:  # type: ignore[type-arg]
    """One Application per bot, by name, in the settings' order ("main" first)."""
    return [
        build_application(deps, token=token, bot=name, base_url=base_url, send=send)
        for name, token in tokens.items()
    ]


async def serve_fleet(
    apps: Sequence[Application],  # type: ignore[type-arg]
    stop: asyncio.Event,
    *,
    poll_timeout: int = POLL_TIMEOUT,
    bootstrap_retries: int = 0,
) -> None:
    """Start every bot (a bot that cannot start stops the ones already started), then poll
    until `stop` is set."""
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(
                running(app, poll_timeout=poll_timeout, bootstrap_retries=bootstrap_retries)
            )
            log.info("bot %s polls as @%s", app.bot_data.bot, app.bot.username)
        await stop.wait()
        log.info("stopping %d bot(s)", len(apps))


def stop_on_signals(stop: asyncio.Event) -> None:
    """SIGINT and SIGTERM set `stop` (the running loop's handlers)."""
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
