"""The bot's replies paced per chat: a 429 for one chat pauses that chat only.

python-telegram-bot's `AIORateLimiter` paces the bot as a whole (30 messages a second) and
groups, but not a private chat; and when Telegram answers any request with a 429 it holds
*every* request of the bot, answers to button taps included, for the `retry_after` asked.
One parent sending hundreds of messages thus paused every other parent's confirmation.

`ChatPacedLimiter` is the same kind of part (a `BaseRateLimiter`, PTB's documented hook for
rate limiting), built on the same leaky buckets (aiolimiter), with a lane per chat: a chat's
messages go at about one a second with short bursts (Telegram's per-chat limit), a 429 for
a chat delays only that chat's lane, and requests without a chat (answering a tap, fetching a
file) wait for nothing. The bot's overall limit still applies to every message.

A handler may also hold its replies to one chat (`holding_replies`): they are not sent, and
the handler gets a placeholder that was never delivered (message id 0). The bot uses this for
a chat that floods it (`bot/flood.py`): its texts are still kept, they are only not answered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]
OVERALL_RATE = 30.0  # messages a second for the whole bot
CHAT_RATE = 1.0  # messages a second in one chat, on average
CHAT_BURST = 3  # in a row before the per-chat pace applies
GROUP_RATE = 20 / 60  # messages a second in one group
IDLE_LANE = 60.0  # seconds before an idle chat's lane is forgotten
MAX_RETRIES = 3

_held: ContextVar[int | None] = ContextVar("oudersbot_held_replies", default=None)


@contextmanager
def holding_replies(chat_id: int) -> Iterator[None]:
    """Within this block (and the tasks it starts), messages to `chat_id` are not sent."""
    token = _held.set(chat_id)
    try:
        yield
    finally:
        _held.reset(token)


def _chat_key(data: dict[str, Any]) -> int | str | None:
    chat_id = data.get("chat_id")
    if chat_id is None:
        return None
    try:
        return int(chat_id)
    except (TypeError, ValueError):
        return str(chat_id)  # @channelname


def _placeholder(endpoint: str, chat_id: int | str) -> JSONResult:
    """What a held send returns: True for a chat action, else a Message that never left."""
    if endpoint == "sendChatAction":
        return True
    chat_type = "private" if isinstance(chat_id, int) and chat_id > 0 else "group"
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    return {"message_id": 0, "date": int(time.time()), "chat": chat}


@dataclass(slots=True)
class _Lane:
    """One chat's pace, and the pause a 429 for it asked for (loop time)."""

    pace: AsyncLimiter
    paused_until: float = 0.0
    users: int = 0
    last: float = field(default=0.0)


class ChatPacedLimiter(BaseRateLimiter[int]):
    """Paces the bot overall and per chat; a 429 pauses only its own chat. `rate_limit_args`
    of a call is the number of retries after a 429 (like AIORateLimiter's)."""

    def __init__(
        self,
        *,
        overall_rate: float = OVERALL_RATE,
        chat_rate: float = CHAT_RATE,
        chat_burst: int = CHAT_BURST,
        group_rate: float = GROUP_RATE,
        max_retries: int = MAX_RETRIES,
    ) -> None:
        if min(overall_rate, chat_rate, group_rate) <= 0 or chat_burst < 1 or max_retries < 0:
            raise ValueError("rates must be positive, the burst at least 1, retries >= 0")
        self._overall = AsyncLimiter(overall_rate, 1)
        self._chat_rate = chat_rate
        self._chat_burst = chat_burst
        self._group_rate = group_rate
        self._max_retries = max_retries
        self._lanes: dict[int | str, _Lane] = {}
        self._requests = 0
        self.held = 0  # replies not sent because their chat floods

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Forget the lanes."""
        self._lanes.clear()

    @property
    def lanes(self) -> int:
        """How many chats have a lane now."""
        return len(self._lanes)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        """Send one request at its chat's pace; after a 429, retry when that chat may again."""
        retries = self._max_retries if rate_limit_args is None else rate_limit_args
        chat = _chat_key(data)
        if chat is not None and chat == _held.get() and endpoint.startswith("send"):
            self.held += 1
            return _placeholder(endpoint, chat)
        if chat is None:
            return await self._unpaced(callback, args, kwargs, retries)
        self._requests += 1
        if self._requests % 256 == 0:
            self._forget_idle()
        lane = self._lane(chat)
        lane.users += 1
        try:
            for attempt in range(retries + 1):
                loop = asyncio.get_running_loop()
                if (wait := lane.paused_until - loop.time()) > 0:
                    await asyncio.sleep(wait)  # this chat's pause; a later 429 retries here
                async with lane.pace, self._overall:
                    try:
                        return await callback(*args, **kwargs)
                    except RetryAfter as exc:
                        if attempt == retries:
                            raise
                        pause = exc.retry_after
                        seconds = pause if isinstance(pause, int | float) else pause.total_seconds()
                        log.info("chat paused for %.1f s after a 429", seconds)
                        lane.paused_until = max(lane.paused_until, loop.time() + seconds + 0.1)
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            lane.users -= 1
            lane.last = asyncio.get_running_loop().time()

    async def _unpaced(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        retries: int,
    ) -> JSONResult:
        """A request about no chat (a tap's answer, a file): no pace, no other chat's pause."""
        for attempt in range(retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                pause = exc.retry_after
                seconds = pause if isinstance(pause, int | float) else pause.total_seconds()
                await asyncio.sleep(seconds + 0.1)
        raise AssertionError("unreachable")  # pragma: no cover

    def _lane(self, chat: int | str) -> _Lane:
        lane = self._lanes.get(chat)
        if lane is None:
            if isinstance(chat, int) and chat > 0:
                pace = AsyncLimiter(self._chat_burst, self._chat_burst / self._chat_rate)
            else:
                pace = AsyncLimiter(1, 1 / self._group_rate)
            lane = self._lanes[chat] = _Lane(pace)
        return lane

    def _forget_idle(self) -> None:
        now = asyncio.get_running_loop().time()
        idle = [
            chat
            for chat, lane in self._lanes.items()
            if lane.users == 0 and now - lane.last > IDLE_LANE and lane.paused_until < now
        ]
        for chat in idle:
            del self._lanes[chat]
