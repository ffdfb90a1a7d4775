"""Choosing the language a chat is spoken to in."""

from __future__ import annotations

from telegram import Update

from oudersbot.store.members import Member
from oudersbot.translation.catalog import Words


def chat_language(words: Words, members: list[Member], update: Update) -> str:
    """The member's language; for a stranger, their Telegram app's language; else Dutch."""
    for member in members:
        if member.kind == "guardian":
            return words.resolve(member.language)
    if members:
        return words.resolve(members[0].language)
    user = update.effective_user
    return words.resolve(user.language_code) if user and user.language_code else "nl"


def in_several_languages(words: Words, key: str, languages: list[str], **slots: object) -> str:
    """The same words in each language once (for strangers we cannot place yet)."""
    seen: list[str] = []
    for tag in languages:
        resolved = words.resolve(tag)
        if resolved not in seen:
            seen.append(resolved)
    return "\n\n".join(words.text(tag, key, **slots) for tag in seen)
