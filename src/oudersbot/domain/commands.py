"""The commands a parent sees in Telegram's menu (their words: `command.<name>` in the catalog)."""

from __future__ import annotations

PARENT_COMMANDS = ("start", "taal", "help", "mijngegevens", "stop")
