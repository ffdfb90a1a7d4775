"""The screens of /bericht (see `message_flow`): the flow's state in the chat's data, and each
step shown with the CLI's own services — the slot questions, the findings, a slip's deadline,
the draft and its preview in every language, the send through the door."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from oudersbot.bot import message_views as views
from oudersbot.bot.state import Context, deps_of
from oudersbot.domain.rendering import TEXT_LIMIT, split_text
from oudersbot.domain.slips import SlipError
from oudersbot.domain.slots import SlotError
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages, staff_compose, viewers
from oudersbot.services.check_lines import finding_lines
from oudersbot.services.messages import Draft, DraftError
from oudersbot.services.staff_compose import NotYourClassError
from oudersbot.store.schools import UnknownGroupError

log = logging.getLogger(__name__)
STAFF = views.STAFF
FLOW = "bericht_flow"
DEADLINE_DAYS = staff_compose.DEADLINE_DAYS
DEADLINE_HOUR = staff_compose.DEADLINE_HOUR

CLASS, TEMPLATE, SLOT, TEXT, FINDINGS, ANSWERS, DEADLINE, SEND, PLAN = (
    "class",
    "template",
    "slot",
    "text",
    "findings",
    "answers",
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
    # Own words: the answers parents get (() a plain message; None not asked yet).
    answers: tuple[str, ...] | None = None
    draft: Draft | None = None
    planned: dt.datetime | None = None
    moments: tuple[dt.datetime, ...] = ()


def flow_of(context: Context) -> Compose | None:
    """The /bericht in progress in this chat, if any."""
    chat_data = context.chat_data
    return chat_data.get(FLOW) if chat_data is not None else None


def drop(context: Context) -> None:
    """Forget the /bericht in progress: nothing of it was stored."""
    if context.chat_data is not None:
        context.chat_data.pop(FLOW, None)


async def edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Show a step: in place of the tapped message, or as a new message after a text."""
    query, message = update.callback_query, update.effective_message
    if query is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif message is not None:
        await message.reply_text(text, reply_markup=markup)


async def edit_long(
    update: Update, context: Context, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """A step whose text may be longer than one message: the rest follows in new messages,
    the buttons under the last."""
    chunks = split_text(text, TEXT_LIMIT)
    chat = update.effective_chat
    await edit(update, chunks[0], markup if len(chunks) == 1 else None)
    for index, chunk in enumerate(chunks[1:], start=2):
        if chat is not None:
            last = index == len(chunks)
            await context.bot.send_message(chat.id, chunk, reply_markup=markup if last else None)


async def next_slot(update: Update, context: Context, flow: Compose) -> None:
    """Ask the next slot the template needs, or go to the findings when all are there."""
    deps = deps_of(context)
    template = deps.phrasebook.templates[flow.template_id or ""]
    missing = [name for name in template.slots if name not in flow.slots]
    if not missing:
        await findings(update, context, flow)
        return
    flow.step = SLOT
    today = deps.clock.now().astimezone(deps.settings.timezone).date()
    await edit(update, views.slot_question(deps, template, missing[0], today))


async def findings(update: Update, context: Context, flow: Compose) -> None:
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
        await refuse(update, context, flow, exc)
        return
    flow.step = FINDINGS
    lines = [
        deps.words.text(STAFF, "bericht.your_text"),
        text_nl,
        "",
        *finding_lines(deps.words, STAFF, text_nl, findings),
    ]
    await edit_long(update, context, "\n".join(lines), views.findings_keyboard(deps, flow.token))


async def after_findings(
    update: Update, context: Context, flow: Compose, viewer: viewers.Viewer | None
) -> None:
    """Own words ask whether parents answer; a slip asks its deadline first; a message goes
    to the preview."""
    deps = deps_of(context)
    template = deps.phrasebook.templates.get(flow.template_id or "")
    if template is None and flow.answers is None:
        flow.step = ANSWERS
        text = deps.words.text(STAFF, "bericht.ask_answers")
        await edit(update, text, views.answers_keyboard(deps, flow.token))
        return
    answers = template.answers if template is not None else flow.answers
    if answers and flow.deadline is None:
        flow.step = DEADLINE
        today = deps.clock.now().astimezone(deps.settings.timezone).date()
        await edit(
            update,
            views.deadline_question(deps, answers, today),
            views.deadline_keyboard(deps, flow.token, DEADLINE_DAYS),
        )
        return
    if viewer is not None:
        await preview(update, context, flow, viewer)


async def preview(update: Update, context: Context, flow: Compose, viewer: viewers.Viewer) -> None:
    """The draft, made by the CLI's own service; its preview; then the send buttons."""
    deps, chat = deps_of(context), update.effective_chat
    if chat is None:
        return
    try:
        composition = staff_compose.Composition(
            flow.group_id,
            flow.template_id,
            flow.slots,
            flow.text,
            flow.deadline,
            answers=flow.answers or None,
        )
        draft = await asyncio.to_thread(staff_compose.composed_draft, deps, viewer, composition)
        planned = await asyncio.to_thread(messages.planned_moment, deps, draft)
    except (DraftError, SlotError, SlipError, UnknownGroupError, NotYourClassError) as exc:
        await refuse(update, context, flow, exc)
        return
    flow.draft, flow.planned, flow.step = draft, planned, SEND
    await edit(update, deps.words.text(STAFF, "bericht.preview_intro", group=flow.group))
    for text in views.preview_messages(deps, draft):
        await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML)
    await context.bot.send_message(
        chat.id,
        views.send_question(deps, draft, planned, sees_phones=viewer.sees_phones),
        reply_markup=views.send_keyboard(deps, flow.token, planned),
    )


async def send(
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
    if flow_of(context) is not flow or draft is None:
        return
    drop(context)
    if draft.school_id != viewer.school_id or draft.groups != (flow.group,):
        await edit(update, deps.words.text(STAFF, "bericht.not_your_class"))
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
        await edit(update, deps.words.text(STAFF, "bericht.duplicate", id=report.message_id))
        return
    due = report.due
    when = (
        deps.words.text(STAFF, "bericht.goes_now")
        if due is None or due <= deps.clock.now()
        else deps.words.text(STAFF, "cli.send.goes_at", when=staff_compose.staff_moment(deps, due))
    )
    queued = deps.words.text(STAFF, "cli.send.queued", id=report.message_id, count=report.queued)
    await edit(update, f"✅ {queued} {when}")


async def refuse(update: Update, context: Context, flow: Compose, exc: Exception) -> None:
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
    await edit(update, words.text(STAFF, "bericht.problem", error=reason))
    if update.effective_message is None:
        return
    # Ask anew in a message of its own, below the problem.
    update = Update(update.update_id, message=update.effective_message)
    if isinstance(exc, SlipError) and (flow.template_id is not None or flow.answers):
        flow.deadline = None  # ask the deadline again
        await after_findings(update, context, flow, None)
    elif flow.template_id is None:
        flow.step = TEXT
        await edit(update, words.text(STAFF, "bericht.type_text", group=flow.group))
    else:
        flow.slots = {}
        await next_slot(update, context, flow)
