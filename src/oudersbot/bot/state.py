"""What the handlers and jobs of one Application share: one typed object, not string keys."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from telegram.ext import CallbackContext, ExtBot

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps
    from oudersbot.delivery.worker import SendWorker
    from oudersbot.scheduling.wakeup import Waker


@dataclass
class BotState:
    """python-telegram-bot's `bot_data`, typed (ContextTypes(bot_data=BotState)); filled in
    by `build_application`, the sending side by `post_init`."""

    deps: Deps | None = None
    token: str = ""
    bot: str = "main"  # the bot's name in the settings: it speaks for the schools on this bot
    base_url: str | None = None
    send: bool = True  # this process sends the outbox (and runs the planned producers)
    send_rate: float | None = None
    tick: float = 2.0
    worker: SendWorker | None = None
    waker: Waker | None = None
    exits: AsyncExitStack | None = None

    @property
    def wired(self) -> Deps:
        """The wired parts (set before the first update)."""
        assert self.deps is not None, "build_application sets deps"
        return self.deps


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotState]
"""The context every handler and job of the bot gets."""


def state_of(context: CallbackContext[Any, Any, Any, Any]) -> BotState:
    """The Application's shared state."""
    return cast(BotState, context.bot_data)


def deps_of(context: CallbackContext[Any, Any, Any, Any]) -> Deps:
    """The wired parts, for a handler."""
    return state_of(context).wired


def bot_of(context: CallbackContext[Any, Any, Any, Any]) -> str:
    """The name of the bot an update came through: it speaks only for the schools on it."""
    return state_of(context).bot
