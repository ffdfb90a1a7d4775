"""/web: a staff member gets a one-time link to the desk; anyone else gets the usual
"only for the school team" answer, and nothing is issued."""

from __future__ import annotations

import asyncio

from telegram import LinkPreviewOptions, Update

from oudersbot.bot.handlers import STAFF, staff_viewer
from oudersbot.bot.state import Context, deps_of
from oudersbot.services.web_login import issue_link


async def web_command(update: Update, context: Context) -> None:
    """/web: the link, valid 10 minutes, for this chat's staff member only."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None or chat.type != chat.PRIVATE:
        return
    if await staff_viewer(update, context) is None:
        return
    deps = deps_of(context)
    link = await asyncio.to_thread(issue_link, deps, chat_id=chat.id)
    if link is None:
        return
    await message.reply_text(
        deps.words.text(STAFF, "web.link", url=link.url, minutes=link.valid_minutes),
        # No preview: Telegram would fetch the address (it opens only a button page, but
        # the link is for the staff member's own browser).
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
