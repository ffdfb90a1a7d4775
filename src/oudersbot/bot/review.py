"""A vertaler's /vertalen: the drafts of their languages one at a time, the Dutch beside it;
✓ approves, their next text message is a correction (confirmed back).

Every press is checked again on the server: the chat must be a vertaler of that school who
reads that language, and the text a shipped draft; a forged press changes nothing.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from oudersbot.bot.keyboards import rows_of
from oudersbot.bot.state import Context, deps_of
from oudersbot.services import translation_review
from oudersbot.services.translation_review import DraftItem, Reviewer, ReviewError

log = logging.getLogger(__name__)

PREFIX = "v:"
STAFF = "nl"
WAITING = "review_waiting_for_correction"
KINDS = {"t": translation_review.TEMPLATE, "p": translation_review.PRIKKEL}


async def _reviewer(update: Update, context: Context) -> Reviewer | None:
    chat = update.effective_chat
    if chat is None:
        return None
    return await asyncio.to_thread(
        translation_review.reviewer_of_chat, deps_of(context), chat_id=chat.id
    )


async def review_command(update: Update, context: Context) -> None:
    """/vertalen: the next draft to review."""
    deps, message = deps_of(context), update.effective_message
    if message is None:
        return
    reviewer = await _reviewer(update, context)
    if reviewer is None:
        await message.reply_text(deps.words.text(STAFF, "review.translators_only"))
        return
    await _send_next(update, context, reviewer)


async def _send_next(update: Update, context: Context, reviewer: Reviewer) -> None:
    deps, chat = deps_of(context), update.effective_chat
    if chat is None:
        return
    item = await asyncio.to_thread(translation_review.next_draft, deps, staff_id=reviewer.staff_id)
    chat_data = context.chat_data if context.chat_data is not None else {}
    if item is None:
        chat_data.pop(WAITING, None)
        await context.bot.send_message(chat.id, deps.words.text(STAFF, "review.done"))
        return
    chat_data[WAITING] = (item.kind, item.item_id, item.language)
    await context.bot.send_message(
        chat.id,
        _shown(context, item),
        reply_markup=rows_of([(deps.words.text(STAFF, "review.button_ok"), _data(item))]),
    )


def _shown(context: Context, item: DraftItem) -> str:
    words = deps_of(context).words
    return words.text(
        STAFF,
        "review.item",
        kind=words.text(STAFF, f"review.kind.{item.kind}"),
        id=item.item_id,
        language=item.language,
        dutch=item.dutch,
        text=item.text,
    )


def _data(item: DraftItem) -> str:
    return f"{PREFIX}{item.kind[0]}:{item.language}:{item.item_id}"


def _parse(data: str) -> tuple[str, str, str] | None:
    parts = data.removeprefix(PREFIX).split(":", 2)
    if len(parts) != 3 or parts[0] not in KINDS:
        return None
    return KINDS[parts[0]], parts[2], parts[1]


async def approve_tapped(update: Update, context: Context) -> None:
    """✓ under a draft: recorded only for a vertaler of that language and school."""
    deps, query = deps_of(context), update.callback_query
    if query is None or query.data is None:
        return
    reviewer = await _reviewer(update, context)
    parsed = _parse(query.data)
    try:
        if reviewer is None or parsed is None:
            raise ReviewError("not_allowed", "no vertaler or bad data")
        kind, item_id, language = parsed
        await asyncio.to_thread(
            translation_review.record,
            deps,
            staff_id=reviewer.staff_id,
            school_id=reviewer.school_id,
            kind=kind,
            item_id=item_id,
            language=language,
        )
    except ReviewError:
        log.warning("refused review press %r", query.data)
        await query.answer(deps.words.text(STAFF, "review.not_allowed"))
        return
    await query.answer(deps.words.text(STAFF, "review.approved"))
    await _send_next(update, context, reviewer)


async def correction_received(update: Update, context: Context) -> None:
    """The vertaler's next text after a draft is its correction; other chats pass on."""
    chat_data, message = context.chat_data, update.effective_message
    if not chat_data or WAITING not in chat_data or message is None or message.text is None:
        return
    reviewer = await _reviewer(update, context)
    if reviewer is None:
        return
    deps = deps_of(context)
    kind, item_id, language = chat_data[WAITING]
    try:
        await asyncio.to_thread(
            translation_review.record,
            deps,
            staff_id=reviewer.staff_id,
            school_id=reviewer.school_id,
            kind=kind,
            item_id=item_id,
            language=language,
            correction=message.text,
        )
    except ReviewError as exc:
        key = {"empty": "review.empty", "slots": "review.slots"}.get(exc.code, "review.not_allowed")
        item = next(
            (
                i
                for i in translation_review.drafts(deps.phrasebook, language)
                if i.item_id == item_id
            ),
            None,
        )
        slots = ", ".join(sorted(translation_review.slot_names(item.dutch))) if item else ""
        await message.reply_text(deps.words.text(STAFF, key, slots=slots))
        raise ApplicationHandlerStop from exc
    chat_data.pop(WAITING, None)
    await message.reply_text(deps.words.text(STAFF, "review.corrected", text=message.text.strip()))
    await _send_next(update, context, reviewer)
    raise ApplicationHandlerStop
