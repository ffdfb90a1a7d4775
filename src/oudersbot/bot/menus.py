"""Telegram's command menu: parents see the default one in their app's language; each staff
member sees their role's commands in Dutch, set for their own chat (a chat scope). Set at the
bot's start (for every staff member: cheap, and the same every time) and when a staff member
joins. Only commands this bot handles are listed."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from oudersbot.bootstrap import Deps
from oudersbot.domain.commands import PARENT_COMMANDS
from oudersbot.services import staff_menus

log = logging.getLogger(__name__)
STAFF = "nl"


def handled_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> frozenset[str]:
    """Every command a CommandHandler of the application answers."""
    names: set[str] = set()
    for handlers in app.handlers.values():
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                names |= set(handler.commands)
    return frozenset(names)


async def set_parent_menus(app: Application[Any, Any, Any, Any, Any, Any], deps: Deps) -> None:
    """The default menu, in Dutch and in every language of the catalogs that Telegram takes
    (two-letter ISO 639-1 codes)."""
    words = deps.words
    for language in words.languages:
        commands = [BotCommand(c, words.text(language, f"command.{c}")) for c in PARENT_COMMANDS]
        code = None if language == "nl" else language
        if code is None or len(code) == 2:
            await app.bot.set_my_commands(commands, language_code=code)


async def set_staff_menu(
    app: Application[Any, Any, Any, Any, Any, Any], deps: Deps, chat_id: int, names: list[str]
) -> bool:
    """One staff member's menu, for their chat only; False when Telegram refused it."""
    commands = [BotCommand(n, deps.words.text(STAFF, f"staff_command.{n}")) for n in names]
    try:
        if commands:
            await app.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
        else:
            await app.bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:  # a chat that blocked the bot, say: its menu does not matter
        log.info("a staff menu was not set: %s", type(exc).__name__)
        return False
    return True


async def set_all_staff_menus(
    app: Application[Any, Any, Any, Any, Any, Any], deps: Deps, bot: str
) -> int:
    """Every staff member's menu on this bot; how many were set."""
    menus = await asyncio.to_thread(
        staff_menus.staff_menus, deps, bot=bot, handled=handled_commands(app)
    )
    done = 0
    for chat_id, names in menus.items():
        done += await set_staff_menu(app, deps, chat_id, names)
    return done


async def joined_as_staff(
    app: Application[Any, Any, Any, Any, Any, Any], deps: Deps, chat_id: int, bot: str
) -> None:
    """A staff member just joined: their menu now."""
    names = await asyncio.to_thread(
        staff_menus.menu_of_chat, deps, chat_id=chat_id, bot=bot, handled=handled_commands(app)
    )
    await set_staff_menu(app, deps, chat_id, names)
