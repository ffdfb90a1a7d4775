"""One dispatcher worker process for the multi-worker benchmark: drain, print one line."""

from __future__ import annotations

import asyncio
import sys
import time

from telegram import Bot

from benchmarks.harness import TOKEN
from oudersbot.clock import SystemClock
from oudersbot.delivery.aiohttp_request import AiohttpRequest
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.delivery.telegram_sender import TelegramSender
from oudersbot.store.db import Database


async def drain(database_url: str, base_url: str) -> None:
    db = Database.from_url(database_url)
    async with Bot(
        TOKEN, base_url=base_url, request=AiohttpRequest(connection_pool_size=64)
    ) as bot:
        started = time.perf_counter()
        stats = await Dispatcher(db, TelegramSender(bot), SystemClock(), rate=None).drain()
        print(f"sent={stats.sent} seconds={time.perf_counter() - started:.3f}", flush=True)
    db.dispose()


if __name__ == "__main__":
    asyncio.run(drain(sys.argv[1], sys.argv[2]))
