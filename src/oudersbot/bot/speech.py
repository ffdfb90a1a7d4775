"""🔊 under a school message, and "I prefer to listen" after the language in /taal."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Update

from oudersbot.bot.keyboards import answer_keyboard
from oudersbot.bot.state import Context, bot_of, deps_of, state_of
from oudersbot.bot.words import chat_language
from oudersbot.domain.voices import LISTEN_PREFIX, READ_ALOUD_PREFIX
from oudersbot.services import joining, speech
from oudersbot.services.speech import Heard

log = logging.getLogger(__name__)


async def read_aloud_tapped(update: Update, context: Context) -> None:
    """🔊: the message as a voice message, through the door; only the chat's own message."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    number = query.data.removeprefix(READ_ALOUD_PREFIX)
    outcome, language = Heard.REFUSED, "nl"
    if query.from_user.id == chat.id and number.isdigit():
        outcome, language = await asyncio.to_thread(
            speech.read_aloud, deps, chat_id=chat.id, message_id=int(number), bot=bot_of(context)
        )
    if outcome is Heard.REFUSED:
        log.warning("refused read-aloud button %r from chat %s", query.data, chat.id)
        members = await asyncio.to_thread(
            joining.identify, deps, chat_id=chat.id, bot=bot_of(context)
        )
        await query.answer(
            deps.words.text(chat_language(deps.words, members, update), "button.stale")
        )
        return
    if outcome is Heard.QUEUED:
        await query.answer(deps.words.text(language, "speech.coming"))
    else:
        await query.answer(deps.words.text(language, "speech.no_voice"))
    worker = state_of(context).worker
    if worker is not None:
        worker.kick()


async def listen_tapped(update: Update, context: Context) -> None:
    """Read yourself, or hear each school message too; only a guardian's own chat."""
    deps, query, chat = deps_of(context), update.callback_query, update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    choice = query.data.removeprefix(LISTEN_PREFIX)
    language = None
    if query.from_user.id == chat.id and choice in {"0", "1"}:
        language = await asyncio.to_thread(
            speech.set_listening, deps, chat_id=chat.id, listen=choice == "1", bot=bot_of(context)
        )
    if language is None:
        log.warning("refused listen button %r from chat %s", query.data, chat.id)
        await query.answer(deps.words.text("nl", "button.stale"))
        return
    await query.answer()
    if choice == "1":
        await query.edit_message_text(deps.words.text(language, "speech.listening_on"))
    else:
        await query.edit_message_text(deps.words.text(language, "speech.listening_off"))


def listen_keyboard(context: Context, language: str) -> InlineKeyboardMarkup | None:
    """The listening choice under the language confirmation, when the language has a voice."""
    rows = speech.listen_choice(deps_of(context), language)
    return answer_keyboard(rows, None) if rows else None
