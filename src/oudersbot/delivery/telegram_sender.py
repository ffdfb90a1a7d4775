"""The Sender that talks to Telegram through python-telegram-bot."""

from __future__ import annotations

from datetime import timedelta

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from oudersbot.delivery.aiohttp_request import RequestNotSent, RequestUnanswered
from oudersbot.delivery.errors import (
    FloodWaitError,
    RejectedError,
    TransientError,
    UnconfirmedError,
    UnreachableError,
)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class TelegramSender:
    """Sends HTML text (or a photo with an HTML caption) with python-telegram-bot and
    classifies its errors."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_part(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: list[list[list[str]]] | None = None,
        photo: str | None = None,
    ) -> int:
        """Send one part, with the answer buttons under it; its Telegram message id."""
        markup = (
            InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                    for row in buttons
                ]
            )
            if buttons
            else None
        )
        sent = await self._send_one(chat_id, text, markup, photo)
        return sent.message_id

    async def send_voice(
        self, chat_id: int, voice: bytes | str, *, duration: int
    ) -> tuple[int, str]:
        """Send a voice message: OGG/Opus bytes (an upload) or a file_id Telegram gave before;
        its Telegram message id and the voice's file_id."""
        try:
            sent = await self._bot.send_voice(
                chat_id, voice, duration=duration if isinstance(voice, bytes) else None
            )
        except Exception as exc:  # classified below; anything else goes up as it is
            raise _classified(exc) from exc
        if sent.voice is None:
            raise RejectedError("Telegram's answer has no voice")
        return sent.message_id, sent.voice.file_id

    async def _send_one(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None, photo: str | None
    ) -> Message:
        try:
            if photo is not None:
                return await self._bot.send_photo(
                    chat_id, photo, caption=text, parse_mode=ParseMode.HTML, reply_markup=markup
                )
            return await self._bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                link_preview_options=_NO_PREVIEW,
                reply_markup=markup,
            )
        except Exception as exc:  # classified below; anything else goes up as it is
            raise _classified(exc) from exc


def _classified(exc: Exception) -> Exception:
    """A telegram error as the outbox's own outcome (any other exception as it is)."""
    if isinstance(exc, RetryAfter):
        return FloodWaitError(_seconds(exc.retry_after))
    if isinstance(exc, Forbidden):
        return UnreachableError("deactivated" if "deactivated" in exc.message else "blocked")
    if isinstance(exc, BadRequest):
        if "chat not found" in exc.message.lower():
            return UnreachableError("chat_not_found")
        return RejectedError(exc.message)
    if isinstance(exc, RequestNotSent):
        return TransientError(str(exc))
    if isinstance(exc, RequestUnanswered | TimedOut):
        # The request may have arrived and only its answer was lost: the parent may have it.
        return UnconfirmedError(str(exc))
    if isinstance(exc, NetworkError):
        # Telegram answered with a server error (5xx): it says it did not take the message.
        return TransientError(str(exc))
    return exc
