"""A parent's own data in the bot: /mijngegevens shows it, /stop ends the messages (asked first).

Thin handlers: the chat is the parent's proof of identity; the services decide, the words come
from the catalogs in the parent's language.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from oudersbot.bot.state import Context, bot_of, deps_of
from oudersbot.bot.words import chat_language
from oudersbot.domain.languages import native_name
from oudersbot.domain.rendering import TEXT_LIMIT, split_text
from oudersbot.domain.stopping import StopTap, encode_stop
from oudersbot.services import joining, parent_privacy
from oudersbot.store.privacy import GuardianRecord
from oudersbot.translation.catalog import Words


def own_data_text(words: Words, record: GuardianRecord, zone: ZoneInfo) -> str:
    """What the school keeps about a parent, in their language, for reading on a phone."""
    g = record.guardian
    language = words.resolve(g.language)

    def t(key: str, /, **slots: object) -> str:
        return words.text(language, f"privacy.mine.{key}", **slots)

    names = {c.id: c.first_name for c, _ in record.children}
    parts = [
        t("title", school=record.school_name),
        t(
            "you",
            name=g.name,
            language=native_name(g.language),
            phone=g.phone or "—",
            children=", ".join(f"{c.first_name} ({group})" for c, group in record.children) or "—",
        ),
        t("messages", count=len(record.received)),
    ]
    if record.replies:
        lines = [t("replies", count=len(record.replies))]
        for reply in record.replies:
            answer = words.text(language, f"answer.{reply.answer or 'question'}")
            said = f" «{reply.text}»" if reply.text else ""
            child = names.get(reply.child_id, "")
            lines.append(f"{_day(reply.received_at, zone)}: {answer}{said} {child}".rstrip())
        parts.append("\n".join(lines))
    if record.texts:
        lines = [t("texts", count=len(record.texts))]
        lines += [f"{_day(x.received_at, zone)}: {x.text}" for x in record.texts]
        parts.append("\n".join(lines))
    if record.conversation:
        parts.append(t("conversation", count=len(record.conversation)))
    parts.append(t("followups", count=len(record.follow_ups)))
    parts.append(t("prikkels", count=len(record.prikkel_feedback)))
    parts.append(t("understanding", count=len(record.understanding)))
    parts.append(t("rights"))
    return "\n\n".join(parts)


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).date().isoformat()


async def mydata_command(update: Update, context: Context) -> None:
    """/mijngegevens: everything the school keeps about this parent, in their language."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    records = await asyncio.to_thread(parent_privacy.own_records, deps, chat_id=chat.id)
    if not records:
        members = await asyncio.to_thread(
            joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
        )
        await message.reply_text(
            deps.words.text(chat_language(deps.words, members, update), "join.no_code")
        )
        return
    text = "\n\n".join(
        own_data_text(deps.words, record, deps.settings.timezone) for record in records
    )
    for chunk in split_text(text, TEXT_LIMIT):
        await message.reply_text(chunk)


async def stop_command(update: Update, context: Context) -> None:
    """/stop: ask the parent to confirm, with Yes and No in their language."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    asked = await asyncio.to_thread(parent_privacy.ask_stop, deps, chat_id=chat.id)
    words = deps.words
    if asked is None:
        members = await asyncio.to_thread(
            joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
        )
        await message.reply_text(words.text(chat_language(words, members, update), "join.no_code"))
        return
    language = words.resolve(asked.language)
    buttons = [
        InlineKeyboardButton(
            words.text(language, f"privacy.stop.{key}"),
            callback_data=encode_stop(StopTap(asked.guardian_id, confirmed)),
        )
        for key, confirmed in (("yes", True), ("no", False))
    ]
    await message.reply_text(
        words.text(language, "privacy.stop.ask"), reply_markup=InlineKeyboardMarkup([buttons])
    )


async def stop_tapped(update: Update, context: Context) -> None:
    """Yes or No under /stop: only from the parent's own chat, for the guardian it was asked
    for; a forged or stale press changes nothing."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    words = deps.words
    if query.from_user.id != chat.id:  # in a private chat the one who taps is the chat
        await query.answer(words.text("nl", "button.stale"))
        return
    result = await asyncio.to_thread(
        parent_privacy.answer_stop, deps, chat_id=chat.id, data=query.data
    )
    language = words.resolve(result.language or "nl")
    if not result.accepted:
        await query.answer(words.text(language, "button.stale"))
        return
    await query.answer()
    key = "privacy.stop.done" if result.stopped else "privacy.stop.kept"
    await query.edit_message_text(words.text(language, key))
