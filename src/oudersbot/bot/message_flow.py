"""/bericht: a teacher or the brugfiguur sends a message or a slip from the phone.

Class → template (or own words) → the slots, one question at a time → the plain-language
findings (change the text, or go on) → for own words, whether parents answer (a slip) → for a
slip, its deadline → the preview in every
language of the class → send now, urgent in the quiet hours, or plan → the confirmation.
The draft and the send are `services/messages.py`'s, as for the CLI: the same template
filling, slot parsing, check, preview, door and dedupe.

The flow lives in this chat's data (`Compose`), not in a ConversationHandler: the bot handles
updates concurrently, which ConversationHandler does not support. Each /bericht gets a token
that its buttons carry, so a button of an earlier /bericht is stale; the role and the class
are checked on the server at every tap and again at the final send, so a forged button
changes nothing. The text handler (`text_received`) runs in its own group before every other
(group TEXT_GROUP): it takes a text only from a staff member whose /bericht waits for one,
and only when the text is not a reply to another message; it then stops the update
(ApplicationHandlerStop). Every other text (a parent's words, a staff member's reply to a
parent) goes on untouched to the handlers after it.
"""

from __future__ import annotations

import asyncio
import logging
import secrets

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from oudersbot.bootstrap import Deps
from oudersbot.bot import message_steps as steps
from oudersbot.bot import message_views as views
from oudersbot.bot.handlers import staff_viewer
from oudersbot.bot.state import Context, deps_of
from oudersbot.domain.slips import SlipError, parse_moment
from oudersbot.domain.slots import SlotError, parse_slot
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import staff_compose, viewers

log = logging.getLogger(__name__)
STAFF = views.STAFF
TEXT_GROUP = -2  # before the vertaler's corrections (-1) and the free text (0)


async def _sender(deps: Deps, update: Update) -> viewers.Viewer | None:
    """The teacher or brugfiguur behind the chat, fresh from the database; else None."""
    chat = update.effective_chat
    if chat is None:
        return None
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps, chat.id)
    return viewer if staff_compose.may_compose(viewer) else None


async def _classes(deps: Deps, viewer: viewers.Viewer) -> list[staff_compose.ClassChoice]:
    return await asyncio.to_thread(staff_compose.sendable_classes, deps, viewer)


async def bericht_command(update: Update, context: Context) -> None:
    """/bericht: start a new message (an earlier unfinished one is dropped)."""
    deps, message = deps_of(context), update.effective_message
    if message is None:
        return
    viewer = await staff_viewer(update, context)  # a parent hears it is for the school team
    if viewer is None:
        return
    steps.drop(context)
    if not staff_compose.may_compose(viewer):
        await message.reply_text(deps.words.text(STAFF, "bericht.senders_only"))
        return
    classes = await _classes(deps, viewer)
    if not classes:
        await message.reply_text(deps.words.text(STAFF, "bericht.no_classes"))
        return
    flow = steps.Compose(token=secrets.token_urlsafe(4))
    if context.chat_data is not None:
        context.chat_data[steps.FLOW] = flow
    await message.reply_text(
        deps.words.text(STAFF, "bericht.pick_class"),
        reply_markup=views.class_keyboard(deps, flow.token, classes),
    )


async def cancel_command(update: Update, context: Context) -> None:
    """/annuleer: stop the /bericht in progress; nothing was sent."""
    deps, message = deps_of(context), update.effective_message
    if message is None or steps.flow_of(context) is None:
        return
    steps.drop(context)
    await message.reply_text(deps.words.text(STAFF, "bericht.cancelled"))


async def tapped(update: Update, context: Context) -> None:
    """A button of /bericht. The flow's token, the role and the class are checked first."""
    deps, query = deps_of(context), update.callback_query
    if query is None or query.data is None:
        return
    token, _, rest = query.data.removeprefix(views.PREFIX).partition(":")
    action, _, arg = rest.partition(":")
    flow, chat = steps.flow_of(context), update.effective_chat
    if flow is None or flow.token != token or chat is None or query.from_user.id != chat.id:
        await query.answer(deps.words.text(STAFF, "bericht.expired"))
        return
    viewer = await _sender(deps, update)
    if viewer is None:
        steps.drop(context)
        await query.answer(deps.words.text(STAFF, "bericht.senders_only"))
        return
    if action == "x":
        steps.drop(context)
        await query.answer()
        await steps.edit(update, deps.words.text(STAFF, "bericht.cancelled"))
        return
    classes = {choice.id: choice.name for choice in await _classes(deps, viewer)}
    if action == "c" and flow.step == steps.CLASS:
        group_id = int(arg) if arg.isdigit() else 0
        if group_id not in classes:
            log.warning("refused /bericht for a class not the sender's")
            await query.answer(deps.words.text(STAFF, "bericht.not_your_class"))
            return
        flow.group_id, flow.group, flow.step = group_id, classes[group_id], steps.TEMPLATE
        await query.answer()
        text = deps.words.text(STAFF, "bericht.pick_template", group=flow.group)
        await steps.edit(update, text, views.template_keyboard(deps, flow.token))
        return
    if flow.group_id not in classes or classes[flow.group_id] != flow.group:
        steps.drop(context)
        await query.answer(deps.words.text(STAFF, "bericht.not_your_class"))
        return
    await query.answer()
    await _step(update, context, flow, viewer, action, arg)


async def _step(
    update: Update,
    context: Context,
    flow: steps.Compose,
    viewer: viewers.Viewer,
    action: str,
    arg: str,
) -> None:
    deps = deps_of(context)
    if action == "t" and flow.step == steps.TEMPLATE:
        if arg not in deps.phrasebook.templates:
            await steps.edit(update, deps.words.text(STAFF, "bericht.expired"))
            return
        flow.template_id, flow.text, flow.slots = arg, None, {}
        await steps.next_slot(update, context, flow)
    elif action == "o" and flow.step == steps.TEMPLATE:
        flow.template_id, flow.answers, flow.step = None, None, steps.TEXT
        await steps.edit(update, deps.words.text(STAFF, "bericht.type_text", group=flow.group))
    elif action == "e" and flow.step == steps.FINDINGS:
        if flow.template_id is None:
            flow.step = steps.TEXT
            await steps.edit(update, deps.words.text(STAFF, "bericht.type_text", group=flow.group))
        else:
            flow.slots = {}
            await steps.next_slot(update, context, flow)
    elif action == "g" and flow.step == steps.FINDINGS:
        await steps.after_findings(update, context, flow, viewer)
    elif (
        action == "a"
        and flow.step == steps.ANSWERS
        and arg.isdigit()
        and int(arg) <= len(views.ANSWER_SETS)
    ):
        flow.answers = views.ANSWER_SETS[int(arg) - 1] if int(arg) else ()
        await steps.after_findings(update, context, flow, viewer)
    elif (
        action == "d"
        and flow.step == steps.DEADLINE
        and arg.isdigit()
        and int(arg) in steps.DEADLINE_DAYS
    ):
        flow.deadline = staff_compose.deadline_in(deps, int(arg))
        await steps.preview(update, context, flow, viewer)
    elif action in ("n", "u") and flow.step == steps.SEND:
        urgency = Urgency.NOW if action == "u" else Urgency.NORMAL
        await steps.send(update, context, flow, viewer, urgency=urgency, not_before=None)
    elif action == "p" and flow.step == steps.SEND and flow.draft is not None:
        moments = await asyncio.to_thread(staff_compose.plan_moments, deps, flow.draft)
        flow.moments, flow.step = tuple(moments), steps.PLAN
        text = deps.words.text(STAFF, "bericht.pick_moment")
        await steps.edit(update, text, views.plan_keyboard(deps, flow.token, moments))
    elif (
        action == "w" and flow.step == steps.PLAN and arg.isdigit() and int(arg) < len(flow.moments)
    ):
        moment = flow.moments[int(arg)]
        await steps.send(update, context, flow, viewer, urgency=Urgency.NORMAL, not_before=moment)
    else:  # a button of a step already past (a double tap): nothing happens twice
        log.info("ignored /bericht button %r at step %s", action, flow.step)


async def text_received(update: Update, context: Context) -> None:
    """A text for the /bericht step that waits for one (a slot, the own words, a deadline);
    any other text is left alone for the handlers after this group."""
    deps, message, flow = deps_of(context), update.effective_message, steps.flow_of(context)
    if flow is None or flow.step not in steps.TEXT_STEPS or message is None or message.text is None:
        return
    if message.reply_to_message is not None:
        return  # a reply to a parent's message belongs to that conversation
    viewer = await _sender(deps, update)
    if viewer is None:
        steps.drop(context)
        return
    classes = {choice.id for choice in await _classes(deps, viewer)}
    if flow.group_id not in classes:
        steps.drop(context)
        await message.reply_text(deps.words.text(STAFF, "bericht.not_your_class"))
        raise ApplicationHandlerStop
    await _take_text(update, context, flow, viewer, message.text)
    raise ApplicationHandlerStop


async def _take_text(
    update: Update, context: Context, flow: steps.Compose, viewer: viewers.Viewer, text: str
) -> None:
    deps = deps_of(context)
    words = deps.words
    if flow.step == steps.SLOT:
        template = deps.phrasebook.templates[flow.template_id or ""]
        name = next(n for n in template.slots if n not in flow.slots)
        try:
            parse_slot(template.slots[name], text)
        except SlotError as exc:
            reason = words.text(STAFF, f"slot.{exc.code}", **{"slot": name, **exc.params})
            await steps.edit(update, words.text(STAFF, "bericht.again", error=reason))
            return
        flow.slots[name] = text.strip()
        await steps.next_slot(update, context, flow)
    elif flow.step == steps.TEXT:
        flow.text = text
        await steps.findings(update, context, flow)
    elif flow.step == steps.DEADLINE:
        try:
            deadline = parse_moment(text, deps.settings.timezone)
        except SlipError as exc:
            reason = words.text(STAFF, f"cli.slip.{exc.code}", **exc.params)
            await steps.edit(update, words.text(STAFF, "bericht.again", error=reason))
            return
        flow.deadline = deadline
        await steps.preview(update, context, flow, viewer)
