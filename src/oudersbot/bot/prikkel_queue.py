"""The teacher's prikkels after queueing: /prikkels lists what waits (with a cancel button
each) and /overzicht prikkels shows the class view per week, in aggregate only."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Update

from oudersbot import reports
from oudersbot.bootstrap import Deps
from oudersbot.bot.keyboards import rows_of
from oudersbot.bot.prikkel_flow import teacher
from oudersbot.bot.state import Context, deps_of
from oudersbot.domain.rendering import TEXT_LIMIT, split_text
from oudersbot.services import prikkel_queue, prikkel_stats
from oudersbot.services.viewers import Viewer

log = logging.getLogger(__name__)
CANCEL_PREFIX = "qc:"
STAFF = "nl"
MAX_LISTED = 30  # prikkels in one listing, so it stays one message with its buttons


def _deps(context: Context) -> Deps:
    return deps_of(context)


def _listing(deps: Deps, viewer: Viewer) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """Per class of the teacher, what waits, soonest first; a cancel button per prikkel."""
    zone = deps.settings.timezone
    lines: list[str] = []
    buttons: list[tuple[str, str]] = []
    for group in prikkel_queue.classes_of(deps, viewer):
        room = MAX_LISTED - len(buttons)
        waiting = prikkel_queue.queued(deps, school_id=viewer.school_id, group=group)[:room]
        lines.append(deps.words.text(STAFF, "cli.prikkel.class_header", group=group))
        lines.extend(reports.prikkel_queue_lines(deps.words, STAFF, waiting, zone))
        buttons.extend(
            (
                deps.words.text(
                    STAFF,
                    "cli.prikkel.cancel_button",
                    id=item.message_id,
                    when=reports.when(item.due, zone),
                ),
                f"{CANCEL_PREFIX}{item.message_id}",
            )
            for item in waiting
        )
    if not lines:
        lines.append(deps.words.text(STAFF, "cli.prikkel.teachers_only"))
    return lines, rows_of(buttons) if buttons else None


async def prikkels_command(update: Update, context: Context) -> None:
    """/prikkels: what is queued for the teacher's classes, each with a cancel button."""
    deps, message = _deps(context), update.effective_message
    if message is None:
        return
    viewer = await teacher(update, context)
    if viewer is None:
        await message.reply_text(deps.words.text(STAFF, "cli.prikkel.teachers_only"))
        return
    lines, markup = await asyncio.to_thread(_listing, deps, viewer)
    await message.reply_text("\n".join(lines), reply_markup=markup)


def _message_id(data: str) -> int | None:
    number = data.removeprefix(CANCEL_PREFIX)
    return int(number) if number.isdigit() and len(data) <= 64 else None


async def cancel_tapped(update: Update, context: Context) -> None:
    """A cancel button under /prikkels: only the teacher's own class's prikkels, checked
    again here; answers how many families it no longer reaches."""
    deps, query, chat = _deps(context), update.callback_query, update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    words = deps.words
    viewer = await teacher(update, context)
    message_id = _message_id(query.data)
    if viewer is None or message_id is None or query.from_user.id != chat.id:
        log.warning("refused prikkel cancel %r from chat %s", query.data, chat.id)
        await query.answer(words.text(STAFF, "cli.prikkel.teachers_only"))
        return

    def cancel() -> tuple[int, list[str], InlineKeyboardMarkup | None]:
        count = prikkel_queue.cancel(
            deps,
            school_id=viewer.school_id,
            message_id=message_id,
            groups=prikkel_queue.classes_of(deps, viewer),
        )
        return (count, *_listing(deps, viewer))

    count, lines, markup = await asyncio.to_thread(cancel)
    if count == 0:
        await query.answer(words.text(STAFF, "cli.prikkel.nothing_to_cancel"))
        return
    done = words.text(STAFF, "cli.prikkel.cancelled", id=message_id, count=count)
    await query.answer(done)
    await query.edit_message_text("\n".join([done, "", *lines]), reply_markup=markup)


def _class_view_lines(deps: Deps, viewer: Viewer) -> list[str]:
    lines: list[str] = []
    for group in prikkel_queue.classes_of(deps, viewer):
        weeks = prikkel_stats.class_view(deps, school_id=viewer.school_id, group=group)
        lines.append(deps.words.text(STAFF, "cli.prikkel.class_header", group=group))
        lines.extend(reports.prikkel_week_lines(deps.words, STAFF, weeks))
    return lines or [deps.words.text(STAFF, "cli.prikkel.no_stats")]


async def class_view(update: Update, context: Context, viewer: Viewer) -> None:
    """/overzicht prikkels: per class and week, prikkels sent, share of families reached,
    share who tapped 'we talked about it', and how many families paused — never who."""
    deps, message = _deps(context), update.effective_message
    if message is None:
        return
    if viewer.role != "teacher":
        await message.reply_text(deps.words.text(STAFF, "cli.prikkel.teachers_only"))
        return
    lines = await asyncio.to_thread(_class_view_lines, deps, viewer)
    for chunk in split_text("\n".join(lines), TEXT_LIMIT):
        await message.reply_text(chunk)
