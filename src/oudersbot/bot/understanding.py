"""'Begrepen' / 'Uitleg graag' in Telegram: a parent's tap (checked on the server, confirmed in
their language; 'please explain' tells the sender), and the brugfiguur's section of /opvolgen
with a button per family to record that it was explained."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram import Update
from telegram.error import TelegramError

from oudersbot import reports
from oudersbot.bot.keyboards import rows_of
from oudersbot.bot.state import Context, bot_of, deps_of
from oudersbot.bot.words import chat_language
from oudersbot.domain.rendering import TEXT_LIMIT, split_text
from oudersbot.domain.understanding import Reaction
from oudersbot.services import joining, viewers
from oudersbot.services.understanding import (
    ExplainItem,
    ReactionOutcome,
    record_explained,
    record_reaction,
)

log = logging.getLogger(__name__)
STAFF = "nl"
EXPLAINED_PREFIX = "undx:"
MAX_BUTTONS = 90  # Telegram allows 100 buttons in one keyboard


async def understanding_tapped(update: Update, context: Context) -> None:
    """A tap on 'Begrepen' or 'Uitleg graag': recorded only for the chat the message went to;
    anything else changes nothing and is answered kindly."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    result = None
    if query.from_user.id == chat.id:  # in a private chat the one who taps is the chat
        result = await asyncio.to_thread(record_reaction, deps, chat_id=chat.id, data=query.data)
    words = deps.words
    if result is None or result.outcome is ReactionOutcome.REFUSED:
        members = await asyncio.to_thread(
            joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
        )
        await query.answer(words.text(chat_language(words, members, update), "button.stale"))
        return
    key = (
        "understanding.recorded.explain"
        if result.reaction is Reaction.EXPLAIN
        else "understanding.recorded.understood"
    )
    await query.answer(words.text(result.language, key))
    if result.notify:
        context.application.create_task(_tell_staff(context, result.notify, result.notice))


async def _tell_staff(context: Context, chats: Sequence[int], notice: str) -> None:
    for chat_id in chats:
        try:
            await context.bot.send_message(chat_id, notice)
        except TelegramError as exc:  # blocked the bot, chat gone: the list still shows it
            log.info("could not tell staff chat about a request to explain: %s", exc)


async def explain_section(update: Update, context: Context, items: Sequence[ExplainItem]) -> None:
    """The part of /opvolgen with the families who asked for an explanation, with a button per
    family to record that it was explained."""
    message = update.effective_message
    if message is None or not items:
        return
    deps = deps_of(context)
    lines = reports.explain_lines(deps.words, STAFF, items, deps.settings.timezone)
    buttons = [
        (
            deps.words.text(
                STAFF,
                "understanding.explained_button",
                guardian=reports.clean(item.guardian),
                message=item.message_id,
            ),
            f"{EXPLAINED_PREFIX}{item.request_id}",
        )  # fmt: skip
        for item in items
    ][:MAX_BUTTONS]
    chunks = split_text("\n".join(lines), TEXT_LIMIT)
    for chunk in chunks[:-1]:
        await message.reply_text(chunk)
    await message.reply_text(chunks[-1], reply_markup=rows_of(buttons))


async def explained_tapped(update: Update, context: Context) -> None:
    """The brugfiguur explained it: checked on the server (role, school, still open), so a
    forged or repeated press changes nothing."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    words = deps.words
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps, chat.id)
    number = query.data.removeprefix(EXPLAINED_PREFIX)
    if viewer is None or not number.isdigit() or len(number) > 12 or query.from_user.id != chat.id:
        log.warning("refused explained button from chat %s", chat.id)
        await query.answer(words.text(STAFF, "cli.staff.liaison_only"))
        return
    try:
        done = await asyncio.to_thread(record_explained, deps, viewer, request_id=int(number))
    except viewers.NotAllowedError:
        await query.answer(words.text(STAFF, "cli.staff.liaison_only"))
        return
    key = "understanding.explained_done" if done else "understanding.explained_unknown"
    await query.answer(words.text(STAFF, key, request=int(number)))
