"""The liaison's follow-up in Telegram: /opvolgen lists who to reach (children without an
answer, messages that may not have arrived) and a few buttons record what was done."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

from telegram import InlineKeyboardMarkup, Update

from oudersbot import reports
from oudersbot.bot import conversations
from oudersbot.bot.handlers import STAFF, reply_lines, staff_viewer
from oudersbot.bot.keyboards import rows_of
from oudersbot.bot.state import Context, deps_of
from oudersbot.bot.understanding import explain_section
from oudersbot.domain.rendering import TEXT_LIMIT, split_text
from oudersbot.domain.slips import (
    FollowUpTap,
    decode_followup,
    decode_resend,
    encode_followup,
    encode_resend,
)
from oudersbot.services import followup, viewers
from oudersbot.services.resend import resend_unconfirmed

log = logging.getLogger(__name__)
MAX_FOLLOW_UP_BUTTONS = 90  # Telegram allows 100 buttons in one keyboard


async def followup_command(update: Update, context: Context) -> None:
    """/opvolgen: per slip the children without an answer, with a button per guardian to
    record what was done; then the messages that may not have reached a parent."""
    deps = deps_of(context)
    viewer = await staff_viewer(update, context)
    message = update.effective_message
    if viewer is None or message is None:
        return
    try:
        overview = await asyncio.to_thread(followup.followup_overview, deps, viewer)
    except viewers.NotAllowedError:
        await reply_lines(update, [deps.words.text(STAFF, "cli.staff.liaison_only")])
        return
    # The questions nobody answered within the school's answer time (bot/conversations.py).
    await conversations.unanswered_section(update, context, viewer)
    open_items = [item for item in overview.items if item.open]
    zone = deps.settings.timezone
    unsure = reports.unconfirmed_lines(deps.words, STAFF, overview.unconfirmed, zone)
    if not open_items and not unsure and not overview.explain:
        await reply_lines(update, reports.followup_lines(deps.words, STAFF, [], zone))
        return
    for slip_id, of_slip_items in groupby(open_items, key=lambda item: item.message_id):
        of_slip = list(of_slip_items)
        lines = reports.followup_lines(deps.words, STAFF, of_slip, zone, overview.silent_after)
        buttons = [
            (
                reports.clean(f"{g.name} ({item.state.child})"),
                encode_followup(FollowUpTap(slip_id, g.guardian_id, item.state.child_id)),
            )
            for item in of_slip
            for g in item.state.guardians
        ][:MAX_FOLLOW_UP_BUTTONS]
        chunks = split_text("\n".join(lines), TEXT_LIMIT)
        for chunk in chunks[:-1]:
            await message.reply_text(chunk)
        await message.reply_text(chunks[-1], reply_markup=rows_of(buttons))
    if unsure:
        buttons = [
            (
                deps.words.text(
                    STAFF, "staff.unconfirmed.resend_button", guardian=reports.clean(item.guardian)
                ),
                encode_resend(item.delivery_id),
            )
            for item in overview.unconfirmed
        ][:MAX_FOLLOW_UP_BUTTONS]
        chunks = split_text("\n".join(unsure), TEXT_LIMIT)
        for chunk in chunks[:-1]:
            await message.reply_text(chunk)
        await message.reply_text(chunks[-1], reply_markup=rows_of(buttons))
    await explain_section(update, context, overview.explain)


async def resend_tapped(update: Update, context: Context) -> None:
    """The brugfiguur decides to send again what may not have arrived; checked on the server
    (role, school, still unconfirmed), so a forged or repeated press changes nothing."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps, chat.id)
    delivery_id = decode_resend(query.data)
    if viewer is None or delivery_id is None or query.from_user.id != chat.id:
        log.warning("refused resend button %r from chat %s", query.data, chat.id)
        await query.answer(deps.words.text(STAFF, "cli.staff.liaison_only"))
        return
    try:
        result = await asyncio.to_thread(resend_unconfirmed, deps, viewer, delivery_id=delivery_id)
    except viewers.NotAllowedError:
        await query.answer(deps.words.text(STAFF, "cli.staff.liaison_only"))
        return
    await query.answer()
    await reply_lines(update, [reports.resend_line(deps.words, STAFF, delivery_id, result)])


async def followup_tapped(update: Update, context: Context) -> None:
    """A step in recording follow-up: guardian and child, then action, outcome and maybe the
    answer. The role, the guardian and the child are checked again on every tap."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    words = deps.words
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps, chat.id)
    step = decode_followup(query.data)
    target = None
    if viewer is not None and step is not None and query.from_user.id == chat.id:
        target = await asyncio.to_thread(
            followup.followup_target,
            deps,
            viewer,
            slip_id=step.message_id,
            guardian_id=step.guardian_id,
            child_id=step.child_id,
        )
    if viewer is None or step is None or target is None:
        log.warning("refused follow-up button %r from chat %s", query.data, chat.id)
        await query.answer(words.text(STAFF, "cli.staff.liaison_only"))
        return
    await query.answer()
    who = reports.clean(f"{target.guardian} ({target.child})")
    header = words.text(STAFF, "cli.followup.tg_header", guardian=who)

    def choices(prefix: str, names: Sequence[str], field: str) -> InlineKeyboardMarkup:
        """One button per name; its data is this step with `field` set to the name's place."""
        return rows_of(
            [
                (
                    words.text(STAFF, f"{prefix}.{name}"),
                    encode_followup(replace(step, **{field: i})),
                )
                for i, name in enumerate(names)
            ]
        )

    if step.action is None:
        markup = choices("cli.action", followup.FOLLOW_UP_ACTIONS, "action")
        await query.edit_message_text(header, reply_markup=markup)
        return
    if step.outcome is None:
        markup = choices("cli.outcome", followup.FOLLOW_UP_OUTCOMES, "outcome")
        await query.edit_message_text(header, reply_markup=markup)
        return
    if not (
        0 <= step.action < len(followup.FOLLOW_UP_ACTIONS)
        and 0 <= step.outcome < len(followup.FOLLOW_UP_OUTCOMES)
    ):
        return
    action = followup.FOLLOW_UP_ACTIONS[step.action]
    outcome = followup.FOLLOW_UP_OUTCOMES[step.outcome]
    answer = None
    if outcome == "reached_answered":
        if step.answer is None:
            markup = choices("answer", target.answers, "answer")
            await query.edit_message_text(header, reply_markup=markup)
            return
        if not 0 <= step.answer < len(target.answers):
            return
        answer = target.answers[step.answer]
    try:
        await asyncio.to_thread(
            followup.record_followup,
            deps,
            viewer,
            slip_id=step.message_id,
            guardian_id=step.guardian_id,
            child_id=step.child_id,
            action=action,
            outcome=outcome,
            answer=answer,
        )
    except (followup.FollowUpError, viewers.NotAllowedError) as exc:
        reason = (
            words.text(STAFF, f"cli.followup.problem.{exc.code}", **exc.params)
            if isinstance(exc, followup.FollowUpError)
            else words.text(STAFF, "cli.staff.liaison_only")
        )
        await query.edit_message_text(words.text(STAFF, "cli.followup.error", error=reason))
        return
    done = words.text(
        STAFF,
        "cli.followup.tg_recorded",
        guardian=who,
        action=words.text(STAFF, f"cli.action.{action}"),
        outcome=words.text(STAFF, f"cli.outcome.{outcome}"),
    )
    await query.edit_message_text(done)
