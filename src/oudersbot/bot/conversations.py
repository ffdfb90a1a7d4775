"""A parent's conversation with the school in Telegram: whatever a parent sends is answered
kindly and reaches the class teacher(s) in Dutch (the original one tap away); a teacher's
Telegram reply goes back to the parent; /gesprekken lists who waits."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from oudersbot import conversation_reports as texts
from oudersbot.bot import prikkel_flow
from oudersbot.bot.handlers import STAFF, reply_lines, staff_viewer, tick_answers
from oudersbot.bot.keyboards import rows_of
from oudersbot.bot.state import Context, bot_of, deps_of, state_of
from oudersbot.bot.words import chat_language
from oudersbot.domain.languages import dutch_name
from oudersbot.domain.rendering import TEXT_LIMIT, split_text
from oudersbot.services import (
    conversation_handled,
    conversation_list,
    conversations,
    joining,
    slip_answers,
    viewers,
)
from oudersbot.services.conversation_handled import Handled
from oudersbot.services.conversations import ParentNote
from oudersbot.services.slip_answers import TapOutcome
from oudersbot.store.conversations import StaffTarget
from oudersbot.store.members import Member
from oudersbot.store.models import ConversationKind
from oudersbot.translation.catalog import Words

log = logging.getLogger(__name__)
ORIGINAL_PREFIX = "gsp:o:"
HANDLED_PREFIX = "gsp:h:"
MAX_LISTED = 20  # /gesprekken shows the 20 longest waiting, one message each


def kind_of(message: Message) -> tuple[ConversationKind, str | None, str | None]:
    """What a parent sent: its kind, its words (a caption too) and Telegram's file_id."""
    if message.text is not None:
        return ConversationKind.TEXT, message.text, None
    caption = message.caption
    if message.voice is not None:
        return ConversationKind.VOICE, caption, message.voice.file_id
    if message.audio is not None:
        return ConversationKind.VOICE, caption, message.audio.file_id
    if message.video_note is not None:
        return ConversationKind.VIDEO, caption, message.video_note.file_id
    if message.photo:
        return ConversationKind.PHOTO, caption, message.photo[-1].file_id
    if message.sticker is not None:
        return ConversationKind.STICKER, message.sticker.emoji, message.sticker.file_id
    if message.video is not None:
        return ConversationKind.VIDEO, caption, message.video.file_id
    if message.document is not None:
        return ConversationKind.DOCUMENT, caption, message.document.file_id
    return ConversationKind.OTHER, caption, None


async def from_parent(update: Update, context: Context) -> bool:
    """A parent's message of any kind: kept in their conversation, answered kindly in their
    language, shown to their children's teachers. False when the chat is no parent's."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return False
    kind, text, file_id = kind_of(message)
    received = await asyncio.to_thread(
        conversations.receive,
        deps,
        chat_id=chat.id,
        bot=bot_of(context),
        telegram_message_id=message.message_id,
        kind=kind,
        text=text,
        file_id=file_id,
    )
    if received.language is None:
        return False
    language = deps.words.resolve(received.language)
    if received.duplicate:
        return True
    if received.acknowledgement:
        key = "inbound.ack"
    elif received.slip_linked and kind is ConversationKind.TEXT:
        key = "slip.question_kept"
    elif kind is ConversationKind.TEXT:
        key = "inbound.received"
    else:
        key = "inbound.media_received"
    await message.reply_text(deps.words.text(language, key))
    if received.note is not None and received.targets:
        context.application.create_task(_tell_staff(context, received.note, received.targets))
    return True


async def _tell_staff(context: Context, note: ParentNote, targets: tuple[StaffTarget, ...]) -> None:
    """Each teacher gets the note; a teacher who blocked the bot is skipped (the brugfiguur's
    list shows what waits)."""
    for target in targets:
        await send_note(context, note, target)


def _original_button(words: Words, note: ParentNote) -> list[tuple[str, str]]:
    """The button 'Origineel' when the note shows a translation."""
    if not note.text or note.dutch is None or note.dutch == note.text:
        return []
    return [
        (words.text(STAFF, "conversation.original_button"), f"{ORIGINAL_PREFIX}{note.message_id}")
    ]


def _note_markup(words: Words, note: ParentNote) -> InlineKeyboardMarkup:
    """Under a parent's message: 'Origineel' (when translated) and 'Afgehandeld' (a message
    that needs no reply leaves the lists)."""
    handled = (
        words.text(STAFF, "conversation.handled_button"),
        f"{HANDLED_PREFIX}{note.message_id}",
    )
    return rows_of([*_original_button(words, note), handled])


async def send_note(context: Context, note: ParentNote, target: StaffTarget) -> None:
    """One note to one staff chat (a long one in parts, the button under the last), each part
    remembered so a reply to any of them answers the parent."""
    deps = deps_of(context)
    chunks = split_text("\n".join(texts.note_lines(deps.words, STAFF, note)), TEXT_LIMIT)
    markup = _note_markup(deps.words, note)
    for number, chunk in enumerate(chunks, 1):
        try:
            sent = await context.bot.send_message(
                target.chat_id, chunk, reply_markup=markup if number == len(chunks) else None
            )
        except TelegramError as exc:
            log.info("could not show a parent's message to staff %s: %s", target.staff_id, exc)
            return
        await asyncio.to_thread(
            conversations.remember_notice,
            deps,
            note=note,
            target=target,
            telegram_message_id=sent.message_id,
        )


async def staff_reply(update: Update, context: Context) -> bool:
    """A staff member's Telegram reply: an answer to the parent whose message they replied
    to. False when the chat is no staff member's (a parent's reply is their own message)."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None or message.reply_to_message is None:
        return False
    if not message.text:
        return False
    result = await asyncio.to_thread(
        conversations.answer,
        deps,
        chat_id=chat.id,
        bot=bot_of(context),
        reply_to=message.reply_to_message.message_id,
        text=message.text,
        telegram_message_id=message.message_id,
    )
    words = deps.words
    if result.problem == "not_staff":
        return False
    if result.problem is not None:
        await message.reply_text(_problem_text(words, result.problem))
        return True
    key = "conversation.reply.sent" if result.translated else "conversation.reply.sent_dutch"
    lines = [words.text(STAFF, key, guardian=result.guardian or "")]
    now = deps.clock.now()
    if result.due is not None and (result.due - now).total_seconds() > 60:
        when = result.due.astimezone(deps.settings.timezone).strftime("%d/%m %H:%M")
        lines.append(words.text(STAFF, "conversation.reply.waits", when=when))
    await message.reply_text("\n".join(lines))
    worker = state_of(context).worker
    if worker is not None:
        worker.kick()  # the answer goes out now, not at the next wake
    return True


async def free_text(update: Update, context: Context) -> None:
    """A parent's own words are kept as written, answered kindly and reach the school as a
    conversation (bot/conversations.py); a staff member's Telegram reply answers a parent."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None or message.text is None:
        return
    if await prikkel_flow.own_text(update, context):
        return
    if await staff_reply(update, context):
        return
    members = await asyncio.to_thread(
        joining.record_inbound_text, deps, chat_id=chat.id, text=message.text, bot=bot_of(context)
    )
    language = chat_language(deps.words, members, update)
    if not members:
        await message.reply_text(deps.words.text(language, "join.no_code"))
        return
    tapped = await asyncio.to_thread(
        slip_answers.record_typed,
        deps,
        chat_id=chat.id,
        text=message.text,
        text_id=f"text:{chat.id}:{message.message_id}",
    )
    if tapped is None:
        if not await from_parent(update, context):
            await message.reply_text(deps.words.text(language, _not_a_parent_key(members)))
        return
    # A button's number, typed: confirmed as a tap is, and the other guardians see the tick.
    words = deps.words
    if tapped.outcome is TapOutcome.CLOSED:
        await message.reply_text(words.text(tapped.language, "slip.closed"))
        return
    answer = words.text(tapped.language, f"answer.{tapped.option}")
    await message.reply_text(
        words.text(tapped.language, "slip.recorded", answer=answer, child=tapped.child)
    )
    if tapped.others and tapped.chosen:
        context.application.create_task(tick_answers(context, list(tapped.others), tapped.chosen))


def _problem_text(words: Words, problem: str) -> str:
    if problem == "not_allowed":
        return words.text(STAFF, "conversation.reply.problem.not_allowed")
    if problem == "not_reachable":
        return words.text(STAFF, "conversation.reply.problem.not_reachable")
    return words.text(STAFF, "conversation.reply.problem.not_a_question")


async def original_tapped(update: Update, context: Context) -> None:
    """'Origineel' under a parent's message: the words as the parent wrote them, for staff of
    that family's classes (or the brugfiguur) only."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    viewer, message_id = await _staff_tap(context, query, chat.id, ORIGINAL_PREFIX)
    note = None
    if viewer is not None:
        note = await asyncio.to_thread(
            conversations.note_of, deps, school_id=viewer.school_id, message_id=message_id
        )
    if (
        viewer is None
        or note is None
        or note.text is None
        or not conversations.may_answer(
            "liaison" if viewer.sees_school else viewer.role, viewer.group_ids, note.children
        )
    ):
        log.warning("refused an original button %r from chat %s", query.data, chat.id)
        await query.answer(deps.words.text(STAFF, "button.stale"))
        return
    await query.answer()
    text = deps.words.text(
        STAFF, "conversation.original", language=dutch_name(note.language), text=note.text
    )
    if query.message is None:
        return
    target = await asyncio.to_thread(
        conversations.staff_target_of_chat, deps, chat_id=chat.id, bot=bot_of(context)
    )
    for chunk in split_text(text, TEXT_LIMIT):
        sent = await context.bot.send_message(
            chat.id, chunk, reply_to_message_id=query.message.message_id
        )
        if target is not None:  # a reply to the original answers the parent too
            await asyncio.to_thread(
                conversations.remember_notice,
                deps,
                note=note,
                target=target,
                telegram_message_id=sent.message_id,
            )


async def _staff_tap(
    context: Context, query: CallbackQuery, chat_id: int, prefix: str
) -> tuple[viewers.Viewer | None, int]:
    """The staff member who tapped a button under a parent's message in their own chat, and
    that message's id; no viewer for anyone else, another chat or data that is no id."""
    raw = (query.data or "").removeprefix(prefix)
    if not raw.isdigit() or query.from_user.id != chat_id:
        return None, 0
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps_of(context), chat_id)
    return viewer, int(raw)


async def handled_tapped(update: Update, context: Context) -> None:
    """'Afgehandeld' under a parent's message: it needs no reply (the parent only told the
    school something), so it leaves the lists; checked as an answer is (their school, their
    classes). The button goes away once it is done."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    viewer, message_id = await _staff_tap(context, query, chat.id, HANDLED_PREFIX)
    result = None
    if viewer is not None:
        result = await asyncio.to_thread(
            conversation_handled.mark_handled_from_note, deps, viewer, message_id=message_id
        )
    if result is None or result is Handled.NOT_ALLOWED:
        log.warning("refused a handled button %r from chat %s", query.data, chat.id)
        await query.answer(deps.words.text(STAFF, "button.stale"))
        return
    await query.answer(deps.words.text(STAFF, f"conversation.handled.{result.value}"))
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    if result is Handled.NEWER or markup is None:
        return
    left = [
        [b for b in row if not str(b.callback_data or "").startswith(HANDLED_PREFIX)]
        for row in markup.inline_keyboard
    ]
    rows = [row for row in left if row]
    with contextlib.suppress(TelegramError):  # the note may be too old to edit: no matter
        await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)


async def conversations_command(update: Update, context: Context) -> None:
    """/gesprekken: open conversations, longest waiting first; each one its own message, so a
    reply to it answers the parent."""
    deps = deps_of(context)
    viewer = await staff_viewer(update, context)
    chat, message = update.effective_chat, update.effective_message
    if viewer is None or chat is None or message is None:
        return
    found = await asyncio.to_thread(conversation_list.waiting_list, deps, viewer)
    zone = deps.settings.timezone
    if not found.items:
        await reply_lines(update, [deps.words.text(STAFF, "conversation.list.empty")])
        return
    await message.reply_text(
        deps.words.text(STAFF, "conversation.list.header", hours=found.answer_within)
    )
    target = await asyncio.to_thread(
        conversations.staff_target_of_chat, deps, chat_id=chat.id, bot=bot_of(context)
    )
    for number, item in enumerate(found.items[:MAX_LISTED], 1):
        line = f"{number}. {texts.item_line(deps.words, STAFF, item, zone)}"
        note = await asyncio.to_thread(
            conversations.note_of, deps, school_id=viewer.school_id, message_id=item.message_id
        )
        markup = _note_markup(deps.words, note) if note is not None else None
        sent = await message.reply_text(split_text(line, TEXT_LIMIT)[0], reply_markup=markup)
        if target is not None and note is not None:
            await asyncio.to_thread(
                conversations.remember_notice,
                deps,
                note=note,
                target=target,
                telegram_message_id=sent.message_id,
            )


async def unanswered_section(update: Update, context: Context, viewer: viewers.Viewer) -> None:
    """The hook of /opvolgen: questions without an answer after the school's answer time."""
    deps = deps_of(context)
    found = await asyncio.to_thread(conversation_list.unanswered, deps, viewer)
    lines = texts.unanswered_lines(deps.words, STAFF, found, deps.settings.timezone)
    if lines:
        await reply_lines(update, lines)


async def media_received(update: Update, context: Context) -> None:
    """A photo or file from a teacher is for the prikkel on screen; anything else without
    words (a voice note, a photo, a sticker) from a parent is kept and shown to the school."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps, chat.id)
    if viewer is not None and (message.photo or message.document):
        await prikkel_flow.photo_received(update, context)
        return
    if await from_parent(update, context):
        return
    members = await asyncio.to_thread(joining.identify, deps, chat_id=chat.id, bot=bot_of(context))
    language = chat_language(deps.words, members, update)
    key = _not_a_parent_key(members) if members else "join.no_code"
    await message.reply_text(deps.words.text(language, key))


def _not_a_parent_key(members: list[Member]) -> str:
    """Staff writing without replying are told how to answer a parent; anyone else linked
    (a parent whose children left) is thanked, their words kept."""
    if any(member.kind == "staff" for member in members):
        return "conversation.staff_hint"
    return "inbound.thanks"
