"""Thin handlers: parse the update, call one service, answer with words from the catalogs."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import TelegramError

from oudersbot import reports
from oudersbot.bot import menus, prikkel_queue, speech
from oudersbot.bot.keyboards import LANGUAGE_PREFIX, answer_keyboard, language_picker
from oudersbot.bot.state import Context, bot_of, deps_of
from oudersbot.bot.words import chat_language, in_several_languages
from oudersbot.domain.invites import InviteProblem
from oudersbot.domain.languages import native_name
from oudersbot.domain.rendering import TEXT_LIMIT, split_text
from oudersbot.services import (
    joining,
    prikkel_feedback,
    slip_answers,
    slip_status,
    staff_menus,
    understanding,
    viewers,
)
from oudersbot.services.slip_answers import TapOutcome
from oudersbot.services.viewers import Viewer

log = logging.getLogger(__name__)
MAX_EXPLANATION_LANGUAGES = 5
STAFF = "nl"
PRIKKELS_ARGUMENT = "prikkels"  # /overzicht prikkels


async def start(update: Update, context: Context) -> None:
    """/start CODE links the chat; /start alone explains how to join."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    words = deps.words
    code = context.args[0] if context.args else None
    if code is None:
        members = await asyncio.to_thread(
            joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
        )
        language = chat_language(words, members, update)
        if members:
            await message.reply_text(
                words.text(language, "join.already", school=members[0].school_name)
            )
        else:
            text = in_several_languages(words, "join.no_code", [language, "nl"])
            await message.reply_text(text)
        return
    outcome = await asyncio.to_thread(
        joining.redeem_invite, deps, chat_id=chat.id, code=code, bot=bot_of(context)
    )
    member = outcome.member
    if member is None:
        problem = outcome.problem or InviteProblem.UNKNOWN
        first = chat_language(words, [], update)
        languages = [first, "nl", *outcome.languages][:MAX_EXPLANATION_LANGUAGES]
        minutes = max(1, round(outcome.wait.total_seconds() / 60))
        await message.reply_text(
            in_several_languages(words, f"join.problem.{problem.value}", languages, minutes=minutes)
        )
        return
    language = words.resolve(member.language)
    if outcome.already_joined:  # their own letter, scanned again
        await message.reply_text(
            words.text(language, "join.already_connected", school=member.school_name)
        )
        return
    if member.kind == "staff":
        role = words.text(language, f"role.{member.role}")
        await message.reply_text(
            words.text(
                language,
                "join.welcome_staff",
                name=member.name,
                school=member.school_name,
                role=role,
            )
        )
        await menus.joined_as_staff(context.application, deps, chat.id, bot_of(context))
        return
    greeting = words.text(
        language,
        "join.welcome_guardian",
        name=member.name,
        school=member.school_name,
        children=", ".join(member.children),
    )
    await message.reply_text(greeting)
    await message.reply_text(
        words.text(language, "join.choose_language"),
        reply_markup=language_picker(words.languages, language),
    )


async def choose_language(update: Update, context: Context) -> None:
    """/taal shows the language picker."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    members = await asyncio.to_thread(joining.identify, deps, chat_id=chat.id, bot=bot_of(context))
    language = chat_language(deps.words, members, update)
    if not members:
        await message.reply_text(deps.words.text(language, "join.no_code"))
        return
    await message.reply_text(
        deps.words.text(language, "language.choose"),
        reply_markup=language_picker(deps.words.languages, language),
    )


async def language_tapped(update: Update, context: Context) -> None:
    """A tap on the language picker: only a linked chat, only a language we have words for."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    tag = query.data.removeprefix(LANGUAGE_PREFIX)
    members = await asyncio.to_thread(joining.identify, deps, chat_id=chat.id, bot=bot_of(context))
    # In a private chat the one who taps is the chat; anything else is forged.
    if not members or tag not in deps.words.languages or query.from_user.id != chat.id:
        log.warning("refused language button %r from chat %s", query.data, chat.id)
        language = chat_language(deps.words, members, update)
        await query.answer(deps.words.text(language, "button.stale"))
        return
    await asyncio.to_thread(
        joining.set_language, deps, chat_id=chat.id, language=tag, bot=bot_of(context)
    )
    confirmation = deps.words.text(tag, "language.changed", language=native_name(tag))
    await query.answer()
    # Then: read yourself, or hear each message too (a language with a voice).
    await query.edit_message_text(confirmation, reply_markup=speech.listen_keyboard(context, tag))


async def answer_tapped(update: Update, context: Context) -> None:
    """A tap on a slip's answer button: recorded only from the chat the slip went to, for a
    child of that guardian; confirmed in the parent's language."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    if query.from_user.id != chat.id:  # in a private chat the one who taps is the chat
        log.warning("refused answer %r from %s in chat %s", query.data, query.from_user.id, chat.id)
        await query.answer(deps.words.text("nl", "button.stale"))
        return
    result = await asyncio.to_thread(
        slip_answers.record_tap, deps, chat_id=chat.id, data=query.data, tap_id=query.id
    )
    words, language = deps.words, result.language
    if result.outcome is TapOutcome.REFUSED:
        members = await asyncio.to_thread(
            joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
        )
        await query.answer(words.text(chat_language(words, members, update), "button.stale"))
        return
    answer = words.text(language, f"answer.{result.option}")
    if result.outcome is TapOutcome.CLOSED:
        await query.answer(words.text(language, "slip.closed"), show_alert=True)
        return
    # The confirmation is the callback answer (shown at once, outside the message rate limit)
    # and the tick on the chosen button, which stays.
    confirmation = words.text(language, "slip.recorded", answer=answer, child=result.child)
    await query.answer(confirmation)
    # The ticks follow at the rate limiter's pace, without holding up the next tap.
    edits = []
    if result.outcome is not TapOutcome.SAME and result.buttons and query.message:
        edits.append((chat.id, query.message.message_id, result.buttons))
    edits.extend(result.others)  # the child's other guardians see it is answered
    if edits:
        context.application.create_task(tick_answers(context, edits, query.data))


async def tick_answers(
    context: Context,
    edits: list[tuple[int, int, list[list[list[str]]]]],
    chosen: str,
) -> None:
    for chat_id, message_id, buttons in edits:
        try:
            await context.bot.edit_message_reply_markup(
                chat_id, message_id, reply_markup=answer_keyboard(buttons, chosen)
            )
        except TelegramError as exc:  # blocked, message gone: they see it at their next tap
            log.debug("could not tick the answer for chat %s: %s", chat_id, exc)


async def staff_viewer(update: Update, context: Context) -> Viewer | None:
    """The staff member behind the chat; anyone else is told kindly, in their language."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return None
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps, chat.id)
    if viewer is None:
        members = await asyncio.to_thread(
            joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
        )
        language = chat_language(deps.words, members, update)
        await message.reply_text(deps.words.text(language, "command.staff_only"))
    return viewer


async def reply_lines(update: Update, lines: list[str]) -> None:
    message = update.effective_message
    if message is None:
        return
    for chunk in split_text("\n".join(lines), TEXT_LIMIT):
        await message.reply_text(chunk)


async def overview_command(update: Update, context: Context) -> None:
    """/overzicht: per slip and class, who answered; names only for the teacher's own class.
    /overzicht prikkels: the teacher's prikkels per week, in aggregate only."""
    deps = deps_of(context)
    viewer = await staff_viewer(update, context)
    if viewer is None:
        return
    if context.args and context.args[0].lower() == PRIKKELS_ARGUMENT:
        await prikkel_queue.class_view(update, context, viewer)
        return
    tallies = await asyncio.to_thread(slip_status.slip_status, deps, viewer)
    tz = deps.settings.timezone
    counts = await asyncio.to_thread(understanding.understanding_counts, deps, viewer)
    lines = reports.tally_lines(deps.words, STAFF, tallies, tz)
    await reply_lines(update, lines + reports.understanding_lines(deps.words, STAFF, counts))


async def prikkel_tapped(update: Update, context: Context) -> None:
    """'We talked about it' or 'another idea' under a prikkel: counted, never chased."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    if query.from_user.id != chat.id:
        await query.answer(deps.words.text("nl", "button.stale"))
        return
    result = await asyncio.to_thread(
        prikkel_feedback.record_feedback, deps, chat_id=chat.id, data=query.data
    )
    words, language = deps.words, result.language
    if not result.counted:
        key = "prikkel.thanks" if result.kind else "button.stale"
        await query.answer(words.text(language, key))
        return
    if result.kind == "another":
        key = "prikkel.another_coming" if result.another else "prikkel.none_left"
        await query.answer(words.text(language, key))
    else:
        await query.answer(words.text(language, "prikkel.thanks"))


async def pause_command(update: Update, context: Context) -> None:
    """/pauze: a parent pauses the prikkels, or turns them on again; messages still come."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    members = await asyncio.to_thread(joining.identify, deps, chat_id=chat.id, bot=bot_of(context))
    language = chat_language(deps.words, members, update)
    paused = await asyncio.to_thread(prikkel_feedback.is_paused, deps, chat_id=chat.id)
    if paused is None:
        await message.reply_text(deps.words.text(language, "join.no_code"))
        return
    own: str | None = await asyncio.to_thread(
        prikkel_feedback.set_paused, deps, chat_id=chat.id, paused=not paused
    )
    key = "prikkel.resumed" if paused else "prikkel.paused"
    await message.reply_text(deps.words.text(own or language, key))


async def unknown_button(update: Update, context: Context) -> None:
    """Any other button press (old or forged) changes nothing."""
    deps, query = deps_of(context), update.callback_query
    if query is None:
        return
    log.warning("refused unknown button %r", query.data)
    chat = update.effective_chat
    members = (
        await asyncio.to_thread(joining.identify, deps, chat_id=chat.id, bot=bot_of(context))
        if chat
        else []
    )
    await query.answer(deps.words.text(chat_language(deps.words, members, update), "button.stale"))


async def help_command(update: Update, context: Context) -> None:
    """/help in the chat's language."""
    deps, chat, message = deps_of(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    members = await asyncio.to_thread(joining.identify, deps, chat_id=chat.id, bot=bot_of(context))
    if any(member.kind == "staff" for member in members):
        # Staff: their role's commands, the same list as their menu, in Dutch.
        names = await asyncio.to_thread(
            staff_menus.menu_of_chat,
            deps,
            chat_id=chat.id,
            bot=bot_of(context),
            handled=menus.handled_commands(context.application),
        )
        lines = [deps.words.text(STAFF, "staff_help.header")]
        lines += [f"/{n} — {deps.words.text(STAFF, f'staff_command.{n}')}" for n in names]
        await message.reply_text("\n".join(lines))
        return
    await message.reply_text(
        deps.words.text(chat_language(deps.words, members, update), "help.text")
    )


async def on_error(update: object, context: Context) -> None:
    """Log first; a parent never sees a stack trace."""
    log.error("error while handling an update", exc_info=context.error)
