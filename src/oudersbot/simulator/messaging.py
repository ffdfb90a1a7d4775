"""The Bot API methods that put messages in chats: send, edit, delete."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from oudersbot.simulator import objects
from oudersbot.simulator.config import SimulatorConfig, SimulatorStats
from oudersbot.simulator.errors import bad_request, forbidden, too_many_requests
from oudersbot.simulator.html_parser import EntityParseError, parse_html
from oudersbot.simulator.ratelimit import FloodControl
from oudersbot.simulator.state import (
    Chat,
    MessageKind,
    MessageVersion,
    StoredMessage,
    UserStatus,
    World,
    now,
)
from oudersbot.simulator.text import FormattedText, trim
from oudersbot.simulator.validation import UploadedFile
from oudersbot.simulator.voice import NotAVoiceError, inspect_voice

MAX_TEXT = 4096
MAX_CAPTION = 1024
Params = dict[str, Any]

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def format_text(source: str, parse_mode: str | None, entities: list[Any] | None) -> FormattedText:
    """Apply parse_mode (HTML only) or explicit entities, then trim like Telegram."""
    if parse_mode:
        if parse_mode.lower() != "html":
            raise bad_request(
                f"unsupported parse_mode {parse_mode!r}: the simulator implements HTML only"
            )
        try:
            formatted = parse_html(source)
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    else:
        formatted = FormattedText(source, list(entities or []))
    return trim(formatted)


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The markup a Message shows: a non-empty inline keyboard, else nothing."""
    if markup is not None and markup.get("inline_keyboard"):
        return markup
    return None


class Messaging:
    """sendMessage, sendPhoto, sendVoice, editMessageText, editMessageReplyMarkup, deleteMessage."""

    def __init__(
        self, config: SimulatorConfig, world: World, flood: FloodControl, stats: SimulatorStats
    ) -> None:
        self._world = world
        self._flood = flood
        self._stats = stats
        self._bot = objects.bot_user(config)

    def resolve_chat(self, chat_id: int | str) -> Chat:
        """Find a chat the bot may write to; raise 400 chat not found or 403 like Telegram."""
        if isinstance(chat_id, str):
            if not chat_id.lstrip("-").isdigit():
                raise bad_request("chat not found")
            chat_id = int(chat_id)
        chat = self._world.chats.get(chat_id)
        if chat is None or chat.user.status is UserStatus.GONE:
            raise bad_request("chat not found")
        status = chat.user.status
        if status is UserStatus.BLOCKED:
            raise forbidden("bot was blocked by the user")
        if status is UserStatus.DEACTIVATED:
            raise forbidden("user is deactivated")
        return chat

    def message_json(self, chat: Chat, message: StoredMessage) -> dict[str, Any]:
        """A stored message of `chat` as a Message object."""
        return objects.chat_message_json(self._bot, chat.user, message)

    def _store(
        self,
        chat: Chat,
        kind: MessageKind,
        formatted: FormattedText,
        params: Params,
        source: str | None,
        media: Any = None,
    ) -> dict[str, Any]:
        retry_after = self._flood.acquire(chat.id)
        if retry_after:
            raise too_many_requests(retry_after)
        date = now()
        version = MessageVersion(
            text=formatted.text if (formatted.text or kind is MessageKind.TEXT) else None,
            source=source,
            parse_mode=params.get("parse_mode"),
            entities=formatted.entities,
            reply_markup=inline_markup(params.get("reply_markup")),
            date=date,
        )
        message = StoredMessage(chat.new_message_id(), chat.id, date, kind, True, version, media)
        chat.messages[message.message_id] = message
        self._stats.messages_accepted += 1
        return self.message_json(chat, message)

    def send_message(self, params: Params) -> dict[str, Any]:
        """sendMessage."""
        chat = self.resolve_chat(params["chat_id"])
        formatted = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
        _check_text(formatted)
        return self._store(chat, MessageKind.TEXT, formatted, params, params["text"])

    def send_photo(self, params: Params) -> dict[str, Any]:
        """sendPhoto."""
        chat = self.resolve_chat(params["chat_id"])
        formatted = self._caption(params)
        file_id, size = self._file(params["photo"], MessageKind.PHOTO)
        sizes = objects.photo_sizes(file_id, size)
        for item in sizes:
            self._world.add_file(
                MessageKind.PHOTO,
                item["file_size"],
                file_id=item["file_id"],
                file_unique_id=item["file_unique_id"],
            )
        return self._store(chat, MessageKind.PHOTO, formatted, params, params.get("caption"), sizes)

    def send_voice(self, params: Params) -> dict[str, Any]:
        """sendVoice."""
        chat = self.resolve_chat(params["chat_id"])
        formatted = self._caption(params)
        upload = params["voice"]
        mime_type, measured = "audio/ogg", None
        if isinstance(upload, UploadedFile):
            try:
                found = inspect_voice(upload.data)
            except NotAVoiceError as exc:
                raise bad_request(f"wrong file type of the voice message: {exc}") from None
            mime_type, measured = found.mime_type, found.duration
        file_id, size = self._file(upload, MessageKind.VOICE)
        known = self._world.files.get(file_id)
        if measured is not None and known is not None:
            self._world.files[file_id] = replace(known, duration=measured)
        elif measured is None and known is not None and known.duration is not None:
            measured = known.duration
        # The duration "as defined by the sender", else as read from the OGG file.
        duration = params.get("duration")
        if duration is None:
            duration = measured if measured is not None else max(1, size // 2000)
        voice = objects.voice_json(file_id, size, duration, mime_type)
        return self._store(chat, MessageKind.VOICE, formatted, params, params.get("caption"), voice)

    def _caption(self, params: Params) -> FormattedText:
        caption = params.get("caption") or ""
        formatted = format_text(caption, params.get("parse_mode"), params.get("caption_entities"))
        if formatted.length > MAX_CAPTION:
            raise bad_request("message caption is too long")
        return formatted

    def _file(self, value: UploadedFile | str, kind: MessageKind) -> tuple[str, int]:
        if isinstance(value, UploadedFile):
            if value.size == 0:
                raise bad_request("file must be non-empty")
            return self._world.add_file(kind, value.size).file_id, value.size
        known = self._world.files.get(value)
        if known is not None:
            if known.kind is not kind:
                # Telegram's file_ids are typed: an image sent as a document is no photo.
                raise bad_request(
                    f"can't use file of type {known.kind.value.title()} as {kind.value.title()}"
                )
            return value, known.size
        if value.startswith(("http://", "https://")):
            return self._world.add_file(kind, 40_000).file_id, 40_000
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _editable(self, params: Params) -> tuple[Chat, StoredMessage]:
        if "inline_message_id" in params:
            raise bad_request("MESSAGE_ID_INVALID")
        if "chat_id" not in params:
            raise bad_request("chat_id is empty")
        if "message_id" not in params:
            raise bad_request("message identifier is not specified")
        chat = self.resolve_chat(params["chat_id"])
        message = chat.messages.get(params["message_id"])
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return chat, message

    def _replace(self, chat: Chat, message: StoredMessage, new: MessageVersion) -> dict[str, Any]:
        old = message.current
        if (new.text, new.entities, new.reply_markup) == (
            old.text,
            old.entities,
            old.reply_markup,
        ):
            raise bad_request(_NOT_MODIFIED)
        message.history.append(old)
        message.current = new
        message.edit_date = new.date
        return self.message_json(chat, message)

    def edit_message_text(self, params: Params) -> dict[str, Any]:
        """editMessageText."""
        if "rich_message" in params:
            raise bad_request("rich messages are not supported by the simulator")
        chat, message = self._editable(params)
        if "text" not in params:
            raise bad_request("message text is empty")
        if message.kind is not MessageKind.TEXT:
            raise bad_request("there is no text in the message to edit")
        formatted = format_text(params["text"], params.get("parse_mode"), params.get("entities"))
        _check_text(formatted)
        new = MessageVersion(
            text=formatted.text,
            source=params["text"],
            parse_mode=params.get("parse_mode"),
            entities=formatted.entities,
            reply_markup=inline_markup(params.get("reply_markup")),
            date=now(),
        )
        return self._replace(chat, message, new)

    def edit_message_reply_markup(self, params: Params) -> dict[str, Any]:
        """editMessageReplyMarkup."""
        chat, message = self._editable(params)
        old = message.current
        new = MessageVersion(
            text=old.text,
            source=old.source,
            parse_mode=old.parse_mode,
            entities=old.entities,
            reply_markup=inline_markup(params.get("reply_markup")),
            date=now(),
        )
        return self._replace(chat, message, new)

    def delete_message(self, params: Params) -> bool:
        """deleteMessage."""
        chat = self.resolve_chat(params["chat_id"])
        message = chat.messages.get(params["message_id"])
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        message.deleted = True
        return True


def _check_text(formatted: FormattedText) -> None:
    if not formatted.text:
        raise bad_request("message text is empty")
    if formatted.length > MAX_TEXT:
        raise bad_request("message is too long")
