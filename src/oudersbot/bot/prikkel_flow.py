"""The teacher's /prikkel flow: class, theme, prikkel (or own words), preview, maybe a photo
(the preview comes again with it), confirm.

The draft lives only in this chat's data until the teacher confirms, so an abandoned flow
queues nothing, /prikkel starts afresh, and two teachers never see each other's drafts.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from oudersbot.bootstrap import Deps
from oudersbot.bot.keyboards import rows_of
from oudersbot.bot.state import Context, deps_of
from oudersbot.domain.languages import dutch_name
from oudersbot.services import prikkel_draft, prikkel_queue, viewers
from oudersbot.services.language_overview import language_lines
from oudersbot.services.messages import DraftError

PREFIX = "q:"
STAFF = "nl"
WAITING_FOR_TEXT = "prikkel_waiting_for_text"
DRAFT = "prikkel_draft"
MAX_CHOICES = 12


def _deps(context: Context) -> Deps:
    return deps_of(context)


async def teacher(update: Update, context: Context) -> viewers.Viewer | None:
    """The teacher behind the chat, or None (anyone else, a liaison included)."""
    deps, chat = _deps(context), update.effective_chat
    if chat is None:
        return None
    viewer = await asyncio.to_thread(viewers.viewer_for_chat, deps, chat.id)
    if viewer is None or viewer.role != "teacher":
        return None
    return viewer


async def prikkel_command(update: Update, context: Context) -> None:
    """/prikkel: start a new draft (any earlier unfinished one is dropped)."""
    deps, message = _deps(context), update.effective_message
    if message is None:
        return
    viewer = await teacher(update, context)
    if viewer is None:
        await message.reply_text(deps.words.text(STAFF, "cli.prikkel.teachers_only"))
        return
    chat_data = context.chat_data if context.chat_data is not None else {}
    chat_data.pop(DRAFT, None)
    chat_data.pop(WAITING_FOR_TEXT, None)
    classes = await asyncio.to_thread(prikkel_queue.classes_of, deps, viewer)
    if len(classes) == 1:
        await _ask_theme(update, context, classes[0])
        return
    buttons = [(name, f"{PREFIX}c:{name}") for name in classes]
    await message.reply_text(
        deps.words.text(STAFF, "cli.prikkel.pick_class"), reply_markup=rows_of(buttons)
    )


async def _ask_theme(update: Update, context: Context, group: str) -> None:
    deps = _deps(context)
    library = deps.phrasebook.prikkels
    buttons = [(theme, f"{PREFIX}t:{group}:{theme}") for theme in library.themes()]
    buttons.append((deps.words.text(STAFF, "cli.prikkel.own_text"), f"{PREFIX}o:{group}"))
    await _answer(update, deps.words.text(STAFF, "cli.prikkel.pick_theme", group=group), buttons)


async def _answer(update: Update, text: str, buttons: list[tuple[str, str]]) -> None:
    query, message = update.callback_query, update.effective_message
    markup = rows_of(buttons) if buttons else None
    if query is not None:
        await query.edit_message_text(text, reply_markup=markup)
    elif message is not None:
        await message.reply_text(text, reply_markup=markup)


async def prikkel_tapped(update: Update, context: Context) -> None:
    """A step of the flow; the teacher's role and classes are checked on every tap."""
    deps, query = _deps(context), update.callback_query
    if query is None or query.data is None:
        return
    viewer = await teacher(update, context)
    chat_data = context.chat_data if context.chat_data is not None else {}
    step, _, rest = query.data.removeprefix(PREFIX).partition(":")
    group = rest.split(":")[0]
    classes = await asyncio.to_thread(prikkel_queue.classes_of, deps, viewer) if viewer else []
    if viewer is None or (step != "x" and group not in classes):
        await query.answer(deps.words.text(STAFF, "cli.prikkel.teachers_only"))
        return
    await query.answer()
    if step == "c":
        await _ask_theme(update, context, group)
    elif step == "t":
        theme = rest.split(":", 1)[1]
        choices = deps.phrasebook.prikkels.choose(theme=theme)[:MAX_CHOICES]
        buttons = [
            (f"({p.age}) {p.wordings['nl'].question}"[:60], f"{PREFIX}p:{group}:{p.id}")
            for p in choices
        ]
        await _answer(update, deps.words.text(STAFF, "cli.prikkel.pick_prikkel"), buttons)
    elif step == "o":
        chat_data[WAITING_FOR_TEXT] = group
        await _answer(update, deps.words.text(STAFF, "cli.prikkel.type_text"), [])
    elif step == "p":
        await _preview(update, context, viewer, group, prikkel_id=rest.split(":", 1)[1])
    elif step == "y":
        draft = chat_data.pop(DRAFT, None)
        if draft is None or draft.groups != (group,):
            await _answer(update, deps.words.text(STAFF, "cli.prikkel.expired"), [])
            return
        message_id = await asyncio.to_thread(
            prikkel_queue.queue_prikkel, deps, draft, created_by=viewer.name
        )
        await _answer(update, deps.words.text(STAFF, "cli.prikkel.queued", id=message_id), [])
    elif step == "x":
        chat_data.pop(DRAFT, None)
        chat_data.pop(WAITING_FOR_TEXT, None)
        await _answer(update, deps.words.text(STAFF, "cli.send.cancelled"), [])


async def _preview(
    update: Update,
    context: Context,
    viewer: viewers.Viewer,
    group: str,
    *,
    prikkel_id: str | None = None,
    text: str | None = None,
) -> None:
    deps = _deps(context)
    chat_data = context.chat_data if context.chat_data is not None else {}
    try:
        draft = await asyncio.to_thread(
            prikkel_draft.prepare_prikkel,
            deps,
            school=await asyncio.to_thread(prikkel_queue.school_slug, deps, viewer.school_id),
            groups=[group],
            prikkel_id=prikkel_id,
            text=text,
        )
    except DraftError as exc:
        await _refuse(update, context, exc)
        return
    chat_data[DRAFT] = draft
    await _answer(update, _preview_text(deps, draft), _confirm_buttons(deps, group))


async def _refuse(update: Update, context: Context, exc: DraftError) -> None:
    words = _deps(context).words
    reason = words.text(STAFF, f"draft.{exc.code}", **exc.params)
    await _answer(update, words.text(STAFF, "cli.draft_error", error=reason), [])


def _preview_text(deps: Any, draft: prikkel_draft.PrikkelDraft) -> str:
    counts: dict[str, int] = {}
    for recipient in draft.recipients:
        counts[recipient.language] = counts.get(recipient.language, 0) + 1
    languages = ", ".join(f"{dutch_name(tag)} {n}" for tag, n in sorted(counts.items()))
    zone = deps.settings.timezone
    lines = [
        draft.text_nl,
        "",
        deps.words.text(STAFF, "cli.roster.languages", languages=languages),
        *language_lines(deps.words, draft.versions),
        deps.words.text(
            STAFF,
            "cli.prikkel.plan",
            when=draft.due.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            count=draft.reaching,
            delayed=draft.delayed,
            paused=draft.paused,
        ),
    ]
    if draft.findings:
        lines.append(deps.words.plural(STAFF, "check.count", len(draft.findings)))
    photo_key = "cli.prikkel.with_photo" if draft.photo else "cli.prikkel.photo_hint"
    lines.append(deps.words.text(STAFF, photo_key))
    return "\n".join(lines)


def _confirm_buttons(deps: Any, group: str) -> list[tuple[str, str]]:
    return [
        (deps.words.text(STAFF, "cli.prikkel.confirm_button"), f"{PREFIX}y:{group}"),
        (deps.words.text(STAFF, "cli.prikkel.stop_button"), f"{PREFIX}x:{group}"),
    ]


async def photo_received(update: Update, context: Context) -> None:
    """A photo, or an image sent as a file, for the draft on screen: checked, then the
    preview again with the photo. Nothing is queued until the teacher confirms."""
    deps, message = _deps(context), update.effective_message
    if message is None or await teacher(update, context) is None:
        return  # a parent's photo: the bot has nothing to do with it
    chat_data = context.chat_data if context.chat_data is not None else {}
    draft: prikkel_draft.PrikkelDraft | None = chat_data.get(DRAFT)
    if draft is None:
        await message.reply_text(deps.words.text(STAFF, "cli.prikkel.photo_without_draft"))
        return
    try:
        photo = await _photo_of(message, draft, deps)
        draft = prikkel_draft.with_photo(draft, photo)
    except DraftError as exc:
        await _refuse(update, context, exc)
        return
    chat_data[DRAFT] = draft
    await message.reply_text(
        _preview_text(deps, draft), reply_markup=rows_of(_confirm_buttons(deps, draft.groups[0]))
    )


async def _photo_of(message: Message, draft: prikkel_draft.PrikkelDraft, deps: Any) -> str:
    """Check the file, show it with the Dutch text as parents will see it, and return the
    file_id of a photo: a file sent as a document has a document's file_id, which sendPhoto
    refuses, so it is downloaded and sent back once as a photo."""
    caption = draft.versions["nl"].parts[0]
    if message.photo:
        largest = message.photo[-1]
        prikkel_draft.check_photo(draft, mime_type=None, size=largest.file_size)
        await message.reply_photo(largest.file_id, caption=caption, parse_mode=ParseMode.HTML)
        return largest.file_id
    document = message.document
    if document is None:
        raise prikkel_draft.PrikkelError("not_image", "neither a photo nor a file", mime_type="-")
    mime_type = document.mime_type or "application/octet-stream"
    prikkel_draft.check_photo(draft, mime_type=mime_type, size=document.file_size)
    file = await document.get_file()
    content = bytes(await file.download_as_bytearray())
    prikkel_draft.check_photo(draft, mime_type=mime_type, size=len(content))
    try:
        shown = await message.reply_photo(content, caption=caption, parse_mode=ParseMode.HTML)
    except BadRequest as exc:  # an image Telegram cannot show as a photo (SVG, HEIC, ...)
        raise prikkel_draft.PrikkelError("not_image", exc.message, mime_type=mime_type) from exc
    return shown.photo[-1].file_id


async def own_text(update: Update, context: Context) -> bool:
    """The teacher's own words, when the flow waits for them; True when it took the text."""
    chat_data = context.chat_data
    message = update.effective_message
    if not chat_data or WAITING_FOR_TEXT not in chat_data or message is None:
        return False
    viewer = await teacher(update, context)
    if viewer is None:
        return False
    group = chat_data.pop(WAITING_FOR_TEXT)
    await _preview(update, context, viewer, group, text=message.text)
    return True
