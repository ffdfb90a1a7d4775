"""Before a long-running process starts: does Telegram answer, and does it accept the token?

A wrong token is one clear error; no network is retried with a doubling wait, then one
clear error. Nothing here ever shows the token."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from oudersbot.delivery.aiohttp_request import AiohttpRequest

log = logging.getLogger(__name__)


class TokenRefusedError(Exception):
    """Telegram says this bot token does not exist (401 or 404)."""

    def __init__(self, bot: str) -> None:
        super().__init__(bot)
        self.bot = bot


class TelegramUnreachableError(Exception):
    """Telegram did not answer, also after the retries."""

    def __init__(self, tries: int) -> None:
        super().__init__(tries)
        self.tries = tries


async def reach_telegram(
    tokens: Mapping[str, str],
    *,
    base_url: str,
    retries: int,
    first_wait: float,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> None:
    """Ask Telegram who each bot is (getMe); TokenRefusedError or TelegramUnreachableError."""
    for name, token in tokens.items():
        wait = first_wait
        for attempt in range(retries + 1):
            bot = Bot(token, base_url=base_url, request=AiohttpRequest(connection_pool_size=1))
            try:
                await bot.initialize()  # initializes the client, then getMe
                break
            except InvalidToken:
                raise TokenRefusedError(name) from None
            except NetworkError as exc:
                if attempt == retries:
                    raise TelegramUnreachableError(retries + 1) from None
                log.warning(
                    "Telegram does not answer (%s); trying again in %.1fs (%d of %d)",
                    type(exc).__name__,
                    wait,
                    attempt + 1,
                    retries,
                )
            finally:
                await bot.shutdown()
            await sleep(wait)
            wait *= 2
