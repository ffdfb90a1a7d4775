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
        except RetryAfter as exc:
            raise FloodWaitError(_seconds(exc.retry_after)) from exc
        except Forbidden as exc:
            reason = "deactivated" if "deactivated" in exc.message else "blocked"
            raise UnreachableError(reason) from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise UnreachableError("chat_not_found") from exc
            raise RejectedError(exc.message) from exc
        except RequestNotSent as exc:
            raise TransientError(str(exc)) from exc
        except (RequestUnanswered, TimedOut) as exc:
            # The request may have arrived and only its answer was lost: the parent may have it.
            raise UnconfirmedError(str(exc)) from exc
        except NetworkError as exc:
            # Telegram answered with a server error (5xx): it says it did not take the message.
            raise TransientError(str(exc)) from exc
