"""The commands each kind of user sees in Telegram's menu.

A parent's words are `command.<name>` in every language's catalog (the default menu, per
language); staff see theirs in Dutch, `staff_command.<name>`, in a menu of their own chat
(a chat scope), by role.
"""

from __future__ import annotations

PARENT_COMMANDS = ("start", "taal", "help", "mijngegevens", "stop", "pauze")

# In the order staff see them; a command the running bot does not handle is left out.
STAFF_COMMANDS: dict[str, tuple[str, ...]] = {
    "teacher": (
        "bericht",
        "prikkel",
        "prikkels",
        "overzicht",
        "gesprekken",
        "web",
        "taal",
        "help",
    ),
    "liaison": ("bericht", "opvolgen", "overzicht", "gesprekken", "web", "taal", "help"),
    "translator": ("vertalen", "taal", "help"),
    "admin": ("bericht", "opvolgen", "overzicht", "gesprekken", "web", "taal", "help"),
}


def staff_menu(roles: list[str], handled: frozenset[str] | set[str]) -> list[str]:
    """The commands for a chat with these staff roles (a teacher who also translates sees
    both), each once, only those the bot handles."""
    menu: list[str] = []
    for role in roles:
        for name in STAFF_COMMANDS.get(role, ()):
            if name in handled and name not in menu:
                menu.append(name)
    return menu


def all_staff_commands() -> tuple[str, ...]:
    """Every staff command once (for the catalog's keys)."""
    seen: list[str] = []
    for names in STAFF_COMMANDS.values():
        seen.extend(n for n in names if n not in seen)
    return tuple(seen)
