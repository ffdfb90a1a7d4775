"""One chat cannot slow the school down.

Two parts, both python-telegram-bot's own hooks:

- `ChatLanes`, the Application's update processor (`ApplicationBuilder.concurrent_updates`):
  updates of different chats are handled side by side, those of one chat one after the other,
  in the order they came. A chat that sends 500 messages queues behind itself only; it holds
  at most one of the shared handling slots.
- `guarded(handler, watch)` wraps a message handler: a chat that sends many messages within a
  minute is answered once, "we received your messages", in its language, and then not per
  message until it is calm again (`domain/flood.py`). The handler still runs for every message
  (the text is kept as always); only its replies to that chat are held
  (`delivery/chat_pacing.holding_replies`). Staff chats are never quieted.

The replies themselves are paced per chat by `delivery/chat_pacing.ChatPacedLimiter`, so a
429 for one chat never pauses another chat's replies nor anyone's button confirmations.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from oudersbot.bot.state import Context, bot_of, deps_of
from oudersbot.bot.words import chat_language
from oudersbot.delivery.chat_pacing import holding_replies
from oudersbot.domain.flood import FloodWatch, Verdict
from oudersbot.services import joining

log = logging.getLogger(__name__)
HANDLING = 32  # updates handled at the same time, over all chats
WAITING = 100_000  # updates that may wait for their chat's turn before the bot stops reading

Handler = Callable[[Update, Context], Coroutine[Any, Any, Any]]


@dataclass(slots=True)
class _Lane:
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    queued: int = 0


class ChatLanes(BaseUpdateProcessor):
    """Per chat one update at a time, in arrival order; at most `handling` at once overall.

    PTB's own bound (`max_concurrent_updates`) is taken before `do_process_update`, so it is
    set high (`waiting`): it counts the updates waiting for their chat's turn, and the real
    bound on handling is our own semaphore, taken only once it is the chat's turn. Updates
    without a chat share one bound and no lane.
    """

    def __init__(self, handling: int = HANDLING, waiting: int = WAITING) -> None:
        super().__init__(max(handling, waiting))
        self.handling = handling
        self._slots: asyncio.Semaphore | None = None
        self._lanes: dict[int, _Lane] = {}

    async def initialize(self) -> None:
        """The handling slots, made in the running loop."""
        self._slots = asyncio.Semaphore(self.handling)

    async def shutdown(self) -> None:
        """Nothing to free; lanes end with their last update."""

    @property
    def lanes(self) -> int:
        """How many chats have updates waiting or being handled."""
        return len(self._lanes)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's turn, then for a free slot, then handle the update."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.handling)
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            async with self._slots:
                await coroutine
            return
        lane = self._lanes.get(chat.id)
        if lane is None:
            lane = self._lanes[chat.id] = _Lane()
        lane.queued += 1
        try:
            async with lane.turn, self._slots:
                await coroutine
        finally:
            lane.queued -= 1
            if lane.queued == 0:
                del self._lanes[chat.id]


def guarded(handler: Handler, watch: FloodWatch) -> Handler:
    """`handler` for every message; its replies held while the chat floods (see module doc)."""

    async def guarded_handler(update: Update, context: Context) -> None:
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or chat.type != chat.PRIVATE:
            await handler(update, context)
            return
        deps = deps_of(context)
        verdict = watch.note(chat.id, deps.clock.now())
        if verdict is Verdict.REPLY:
            await handler(update, context)
            return
        members = []
        if verdict is Verdict.ANNOUNCE:
            members = await asyncio.to_thread(
                joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
            )
            if any(member.kind == "staff" for member in members):
                watch.release(chat.id)  # a teacher at work: every message is answered
                await handler(update, context)
                return
            log.info("a chat sends many messages: all kept, answered once")
        with holding_replies(chat.id):
            await handler(update, context)
        if verdict is Verdict.ANNOUNCE:
            language = chat_language(deps.words, members, update)
            await message.reply_text(deps.words.text(language, "flood.received"))

    guarded_handler.__doc__ = handler.__doc__
    guarded_handler.__name__ = getattr(handler, "__name__", "guarded_handler")
    return guarded_handler
