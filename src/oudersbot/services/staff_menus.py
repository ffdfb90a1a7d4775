"""Which commands each staff member's Telegram menu shows (their role's, in Dutch)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oudersbot.domain.commands import staff_menu
from oudersbot.store.staff import staff_roles_by_chat

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


def staff_menus(deps: Deps, *, bot: str, handled: frozenset[str]) -> dict[int, list[str]]:
    """Per chat of a staff member on this bot: the commands of their roles that the bot
    handles, in menu order."""
    with deps.db.session() as session:
        roles = staff_roles_by_chat(session, bot=bot)
    return {chat_id: staff_menu(found, handled) for chat_id, found in roles.items()}


def menu_of_chat(deps: Deps, *, chat_id: int, bot: str, handled: frozenset[str]) -> list[str]:
    """The commands of the staff member behind one chat (empty for anyone else)."""
    return staff_menus(deps, bot=bot, handled=handled).get(chat_id, [])
