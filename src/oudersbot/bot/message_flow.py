"""/bericht: a teacher or the brugfiguur sends a message or a slip from the phone.

Class → template (or own words) → the slots, one question at a time → the plain-language
findings (change the text, or go on) → for a slip, its deadline → the preview in every
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
import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationHandlerStop

from oudersbot.bootstrap import Deps
from oudersbot.bot import message_views as views
from oudersbot.bot.handlers import staff_viewer
from oudersbot.bot.state import Context, deps_of
from oudersbot.domain.slips import SlipError, parse_moment
from oudersbot.domain.slots import SlotError, parse_slot
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages, staff_compose, viewers
from oudersbot.services.check_lines import finding_lines
from oudersbot.services.messages import Draft, DraftError
from oudersbot.store.schools import UnknownGroupError

log = logging.getLogger(__name__)
STAFF = views.STAFF
FLOW = "bericht_flow"
TEXT_GROUP = -2  # before the vertaler's corrections (-1) and the free text (0)
DEADLINE_DAYS = (3, 7)
DEADLINE_HOUR = dt.time(18, 0)

CLASS, TEMPLATE, SLOT, TEXT, FINDINGS, DEADLINE, SEND, PLAN = (
    "class",
    "template",
    "slot",
    "text",
    "findings",
    "deadline",
    "send",
    "plan",
)
TEXT_STEPS = (SLOT, TEXT, DEADLINE)


@dataclass
class Compose:
    """One /bericht in progress; nothing is stored until it is sent."""

    token: str
    step: str = CLASS
    group_id: int = 0
    group: str = ""
    template_id: str | None = None
    slots: dict[str, str] = field(default_factory=dict)
    text: str | None = None
    deadline: dt.datetime | None = None
    draft: Draft | None = None
    planned: dt.datetime | None = None
    moments: tuple[dt.datetime, ...] = ()


def _flow(context: Context) -> Compose | None:
    chat_data = context.chat_data
    return chat_data.get(FLOW) if chat_data is not None else None


def _drop(context: Context) -> None:
    if context.chat_data is not None:
        context.chat_data.pop(FLOW, None)


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
    _drop(context)
    if not staff_compose.may_compose(viewer):
        await message.reply_text(deps.words.text(STAFF, "bericht.senders_only"))
        return
    classes = await _classes(deps, viewer)
    if not classes:
        await message.reply_text(deps.words.text(STAFF, "bericht.no_classes"))
        return
    flow = Compose(token=secrets.token_urlsafe(4))
    if context.chat_data is not None:
        context.chat_data[FLOW] = flow
    await message.reply_text(
        deps.words.text(STAFF, "bericht.pick_class"),
        reply_markup=views.class_keyboard(deps, flow.token, classes),
    )


async def cancel_command(update: Update, context: Context) -> None:
    """/annuleer: stop the /bericht in progress; nothing was sent."""
    deps, message = deps_of(context), update.effective_message
    if message is None or _flow(context) is None:
        return
    _drop(context)
    await message.reply_text(deps.words.text(STAFF, "bericht.cancelled"))


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Show a step: in place of the tapped message, or as a new message after a text."""
    query, message = update.callback_query, update.effective_message
    if query is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif message is not None:
        await message.reply_text(text, reply_markup=markup)


async def tapped(update: Update, context: Context) -> None:
    """A button of /bericht. The flow's token, the role and the class are checked first."""
    deps, query = deps_of(context), update.callback_query
    if query is None or query.data is None:
        return
    token, _, rest = query.data.removeprefix(views.PREFIX).partition(":")
    action, _, arg = rest.partition(":")
    flow, chat = _flow(context), update.effective_chat
    if flow is None or flow.token != token or chat is None or query.from_user.id != chat.id:
        await query.answer(deps.words.text(STAFF, "bericht.expired"))
        return
    viewer = await _sender(deps, update)
    if viewer is None:
        _drop(context)
        await query.answer(deps.words.text(STAFF, "bericht.senders_only"))
        return
    if action == "x":
        _drop(context)
        await query.answer()
        await _edit(update, deps.words.text(STAFF, "bericht.cancelled"))
        return
    classes = {choice.id: choice.name for choice in await _classes(deps, viewer)}
    if action == "c" and flow.step == CLASS:
        group_id = int(arg) if arg.isdigit() else 0
        if group_id not in classes:
            log.warning("refused /bericht for a class not the sender's")
            await query.answer(deps.words.text(STAFF, "bericht.not_your_class"))
            return
        flow.group_id, flow.group, flow.step = group_id, classes[group_id], TEMPLATE
        await query.answer()
        text = deps.words.text(STAFF, "bericht.pick_template", group=flow.group)
        await _edit(update, text, views.template_keyboard(deps, flow.token))
        return
    if flow.group_id not in classes or classes[flow.group_id] != flow.group:
        _drop(context)
        await query.answer(deps.words.text(STAFF, "bericht.not_your_class"))
        return
    await query.answer()
    await _step(update, context, flow, viewer, action, arg)


async def _step(
    update: Update,
    context: Context,
    flow: Compose,
    viewer: viewers.Viewer,
    action: str,
    arg: str,
) -> None:
    deps = deps_of(context)
    if action == "t" and flow.step == TEMPLATE:
        if arg not in deps.phrasebook.templates:
            await _edit(update, deps.words.text(STAFF, "bericht.expired"))
            return
        flow.template_id, flow.text, flow.slots = arg, None, {}
        await _next_slot(update, context, flow)
    elif action == "o" and flow.step == TEMPLATE:
        flow.template_id, flow.step = None, TEXT
        await _edit(update, deps.words.text(STAFF, "bericht.type_text", group=flow.group))
    elif action == "e" and flow.step == FINDINGS:
        if flow.template_id is None:
            flow.step = TEXT
            await _edit(update, deps.words.text(STAFF, "bericht.type_text", group=flow.group))
        else:
            flow.slots = {}
            await _next_slot(update, context, flow)
    elif action == "g" and flow.step == FINDINGS:
        await _after_findings(update, context, flow, viewer)
    elif action == "d" and flow.step == DEADLINE and arg.isdigit() and int(arg) in DEADLINE_DAYS:
        zone = deps.settings.timezone
        day = deps.clock.now().astimezone(zone).date() + dt.timedelta(days=int(arg))
        flow.deadline = dt.datetime.combine(day, DEADLINE_HOUR, zone)
        await _preview(update, context, flow, viewer)
    elif action in ("n", "u") and flow.step == SEND:
        urgency = Urgency.NOW if action == "u" else Urgency.NORMAL
        await _send(update, context, flow, viewer, urgency=urgency, not_before=None)
    elif action == "p" and flow.step == SEND and flow.draft is not None:
        moments = await asyncio.to_thread(staff_compose.plan_moments, deps, flow.draft)
        flow.moments, flow.step = tuple(moments), PLAN
        text = deps.words.text(STAFF, "bericht.pick_moment")
        await _edit(update, text, views.plan_keyboard(deps, flow.token, moments))
    elif action == "w" and flow.step == PLAN and arg.isdigit() and int(arg) < len(flow.moments):
        moment = flow.moments[int(arg)]
        await _send(update, context, flow, viewer, urgency=Urgency.NORMAL, not_before=moment)
    else:  # a button of a step already past (a double tap): nothing happens twice
        log.info("ignored /bericht button %r at step %s", action, flow.step)


async def _next_slot(update: Update, context: Context, flow: Compose) -> None:
    """Ask the next slot the template needs, or go to the findings when all are there."""
    deps = deps_of(context)
    template = deps.phrasebook.templates[flow.template_id or ""]
    missing = [name for name in template.slots if name not in flow.slots]
    if not missing:
        await _findings(update, context, flow)
        return
    flow.step = SLOT
    today = deps.clock.now().astimezone(deps.settings.timezone).date()
    await _edit(update, views.slot_question(deps, template, missing[0], today))


async def _findings(update: Update, context: Context, flow: Compose) -> None:
    """The Dutch text and what the plain-language check finds in it."""
    deps = deps_of(context)
    try:
        text_nl, findings = await asyncio.to_thread(
            staff_compose.text_findings,
            deps,
            template_id=flow.template_id,
            slots=flow.slots,
            text=flow.text,
        )
    except (DraftError, SlotError) as exc:
        await _refuse(update, context, flow, exc)
        return
    flow.step = FINDINGS
    lines = [
        deps.words.text(STAFF, "bericht.your_text"),
        text_nl,
        "",
        *finding_lines(deps.words, STAFF, text_nl, findings),
    ]
    await _edit(update, "\n".join(lines), views.findings_keyboard(deps, flow.token))


async def _after_findings(
    update: Update, context: Context, flow: Compose, viewer: viewers.Viewer | None
) -> None:
    """A slip asks its deadline first; a message goes to the preview."""
    deps = deps_of(context)
    template = deps.phrasebook.templates.get(flow.template_id or "")
    if template is not None and template.answers and flow.deadline is None:
        flow.step = DEADLINE
        today = deps.clock.now().astimezone(deps.settings.timezone).date()
        await _edit(
            update,
            views.deadline_question(deps, template.answers, today),
            views.deadline_keyboard(deps, flow.token, DEADLINE_DAYS),
        )
        return
    if viewer is not None:
        await _preview(update, context, flow, viewer)


async def _preview(update: Update, context: Context, flow: Compose, viewer: viewers.Viewer) -> None:
    """The draft, made by the CLI's own service; its preview; then the send buttons."""
    deps, chat = deps_of(context), update.effective_chat
    if chat is None:
        return
    try:
        school = await asyncio.to_thread(staff_compose.school_slug, deps, viewer.school_id)
        draft = await asyncio.to_thread(
            messages.prepare_message,
            deps,
            school=school,
            groups=[flow.group],
            template_id=flow.template_id,
            slots=flow.slots if flow.template_id else None,
            text=flow.text,
            deadline=flow.deadline,
        )
        planned = await asyncio.to_thread(messages.planned_moment, deps, draft)
    except (DraftError, SlotError, SlipError, UnknownGroupError) as exc:
        await _refuse(update, context, flow, exc)
        return
    flow.draft, flow.planned, flow.step = draft, planned, SEND
    await _edit(update, deps.words.text(STAFF, "bericht.preview_intro", group=flow.group))
    for text in views.preview_messages(deps, draft):
        await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)
    await context.bot.send_message(
        chat.id,
        views.send_question(deps, draft, planned, sees_phones=viewer.sees_phones),
        reply_markup=views.send_keyboard(deps, flow.token, planned),
    )


async def _send(
    update: Update,
    context: Context,
    flow: Compose,
    viewer: viewers.Viewer,
    *,
    urgency: Urgency,
    not_before: dt.datetime | None,
) -> None:
    """Through the door, once: the flow is taken from the chat before anything is awaited,
    so a second tap finds nothing to send; the door's dedupe covers a second /bericht."""
    deps = deps_of(context)
    draft = flow.draft
    if _flow(context) is not flow or draft is None:
        return
    _drop(context)
    if draft.school_id != viewer.school_id or draft.groups != (flow.group,):
        await _edit(update, deps.words.text(STAFF, "bericht.not_your_class"))
        return
    report = await asyncio.to_thread(
        messages.send_message,
        deps,
        draft,
        created_by=viewer.name,
        urgency=urgency,
        not_before=not_before,
    )
    if report.duplicate:
        await _edit(update, deps.words.text(STAFF, "bericht.duplicate", id=report.message_id))
        return
    due = report.due
    when = (
        deps.words.text(STAFF, "bericht.goes_now")
        if due is None or due <= deps.clock.now()
        else deps.words.text(STAFF, "cli.send.goes_at", when=views.staff_moment(deps, due))
    )
    queued = deps.words.text(STAFF, "cli.send.queued", id=report.message_id, count=report.queued)
    await _edit(update, f"✅ {queued} {when}")


async def _refuse(update: Update, context: Context, flow: Compose, exc: Exception) -> None:
    """Why the message cannot be made as asked, in one line; the flow goes back one step."""
    deps = deps_of(context)
    words = deps.words
    if isinstance(exc, SlotError):
        reason = words.text(STAFF, f"slot.{exc.code}", **{"slot": "?", **exc.params})
    elif isinstance(exc, DraftError):
        reason = words.text(STAFF, f"draft.{exc.code}", **exc.params)
    elif isinstance(exc, SlipError):
        reason = words.text(STAFF, f"cli.slip.{exc.code}", **exc.params)
    else:
        reason = words.text(STAFF, "bericht.not_your_class")
    await _edit(update, words.text(STAFF, "bericht.problem", error=reason))
    if update.effective_message is None:
        return
    # Ask anew in a message of its own, below the problem.
    update = Update(update.update_id, message=update.effective_message)
    if isinstance(exc, SlipError) and flow.template_id is not None:
        flow.deadline = None  # ask the deadline again
        await _after_findings(update, context, flow, None)
    elif flow.template_id is None:
        flow.step = TEXT
        await _edit(update, words.text(STAFF, "bericht.type_text", group=flow.group))
    else:
        flow.slots = {}
        await _next_slot(update, context, flow)


async def text_received(update: Update, context: Context) -> None:
    """A text for the /bericht step that waits for one (a slot, the own words, a deadline);
    any other text is left alone for the handlers after this group."""
    deps, message, flow = deps_of(context), update.effective_message, _flow(context)
    if flow is None or flow.step not in TEXT_STEPS or message is None or message.text is None:
        return
    if message.reply_to_message is not None:
        return  # a reply to a parent's message belongs to that conversation
    viewer = await _sender(deps, update)
    if viewer is None:
        _drop(context)
        return
    classes = {choice.id for choice in await _classes(deps, viewer)}
    if flow.group_id not in classes:
        _drop(context)
        await message.reply_text(deps.words.text(STAFF, "bericht.not_your_class"))
        raise ApplicationHandlerStop
    await _take_text(update, context, flow, viewer, message.text)
    raise ApplicationHandlerStop


async def _take_text(
    update: Update, context: Context, flow: Compose, viewer: viewers.Viewer, text: str
) -> None:
    deps = deps_of(context)
    words = deps.words
    if flow.step == SLOT:
        template = deps.phrasebook.templates[flow.template_id or ""]
        name = next(n for n in template.slots if n not in flow.slots)
        try:
            parse_slot(template.slots[name], text)
        except SlotError as exc:
            reason = words.text(STAFF, f"slot.{exc.code}", **{"slot": name, **exc.params})
            await _edit(update, words.text(STAFF, "bericht.again", error=reason))
            return
        flow.slots[name] = text.strip()
        await _next_slot(update, context, flow)
    elif flow.step == TEXT:
        flow.text = text
        await _findings(update, context, flow)
    elif flow.step == DEADLINE:
        try:
            deadline = parse_moment(text, deps.settings.timezone)
        except SlipError as exc:
            reason = words.text(STAFF, f"cli.slip.{exc.code}", **exc.params)
            await _edit(update, words.text(STAFF, "bericht.again", error=reason))
            return
        flow.deadline = deadline
        await _preview(update, context, flow, viewer)
