"""What simulated parents do: write to the bot, tap buttons (or forge taps), block it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from oudersbot.simulator import objects
from oudersbot.simulator.config import SimulatorConfig, SimulatorStats
from oudersbot.simulator.errors import SimulatorError
from oudersbot.simulator.state import (
    Chat,
    MessageKind,
    MessageVersion,
    ReceivedMessage,
    SimUser,
    StoredMessage,
    UserStatus,
    World,
    now,
)
from oudersbot.simulator.text import Entity, command_entities, utf16_length
from oudersbot.simulator.updates import UpdateQueue


@dataclass(frozen=True, slots=True)
class SentText:
    """The outcome of a user's text: its message id and the update id (None if filtered out)."""

    message_id: int
    update_id: int | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return asdict(self)


class UserActions:
    """Turns a simulated user's actions into updates for the bot."""

    def __init__(
        self, config: SimulatorConfig, world: World, updates: UpdateQueue, stats: SimulatorStats
    ) -> None:
        self._world = world
        self._updates = updates
        self._stats = stats
        self._bot = objects.bot_user(config)

    def _active_chat(self, user_id: int) -> Chat:
        chat = self._world.chat(user_id)
        if chat.user.status is UserStatus.BLOCKED:
            raise SimulatorError(f"user {user_id} has blocked the bot; unblock first", 409)
        if chat.user.status is UserStatus.DEACTIVATED:
            raise SimulatorError(f"user {user_id} is deactivated", 409)
        if chat.user.status is UserStatus.GONE:
            raise SimulatorError(f"the chat of user {user_id} is gone; unblock first", 409)
        return chat

    def _push(self, kind: str, payload: dict[str, Any]) -> int | None:
        update_id = self._updates.push(kind, payload)
        if update_id is not None:
            self._stats.updates_queued += 1
        return update_id

    def _replied(self, chat: Chat, reply_to: int | None) -> StoredMessage | None:
        """The message of this chat a user's message replies to (Telegram refuses others)."""
        if reply_to is None:
            return None
        original = chat.messages.get(reply_to)
        if original is None or original.deleted:
            raise SimulatorError(f"message to be replied not found: {reply_to}", 400)
        return original

    def send_text(self, user_id: int, text: str, *, reply_to: int | None = None) -> SentText:
        """The user sends `text`; `/commands` carry bot_command entities like on Telegram.
        With `reply_to`, it is a reply to that message of the chat (Message.reply_to_message)."""
        chat = self._active_chat(user_id)
        if not text.strip() or utf16_length(text) > 4096:
            raise SimulatorError("a user's text must be 1-4096 characters")
        original = self._replied(chat, reply_to)
        date = now()
        version = MessageVersion(text, text, None, command_entities(text), None, date)
        message = StoredMessage(
            chat.new_message_id(),
            chat.id,
            date,
            MessageKind.TEXT,
            False,
            version,
            reply_to_message=original,
        )
        chat.messages[message.message_id] = message
        payload = objects.chat_message_json(self._bot, chat.user, message)
        return SentText(message.message_id, self._push("message", payload))

    def send_photo(
        self, user_id: int, *, file_size: int = 120_000, caption: str | None = None
    ) -> SentText:
        """The user sends a photo (Telegram keeps it in three sizes, the largest `file_size`)."""
        chat = self._active_chat(user_id)
        if file_size < 1:
            raise SimulatorError("file_size must be positive")
        base = self._world.add_file(MessageKind.PHOTO, file_size).file_id
        sizes = objects.photo_sizes(base, file_size)
        for item in sizes:
            self._world.add_file(
                MessageKind.PHOTO,
                item["file_size"],
                file_id=item["file_id"],
                file_unique_id=item["file_unique_id"],
            )
        return self._send_media(chat, MessageKind.PHOTO, sizes, caption)

    def send_voice(
        self,
        user_id: int,
        *,
        duration: int = 3,
        file_size: int | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> SentText:
        """The user sends a voice note (Message.voice: OGG/Opus, its duration in seconds)."""
        chat = self._active_chat(user_id)
        if duration < 0:
            raise SimulatorError("duration must not be negative")
        size = file_size if file_size is not None else max(1, duration) * 4_000
        if size < 1:
            raise SimulatorError("file_size must be positive")
        file = self._world.add_file(MessageKind.VOICE, size)
        voice = objects.voice_json(file.file_id, size, duration)
        voice["file_unique_id"] = file.file_unique_id
        original = self._replied(chat, reply_to)
        return self._send_media(chat, MessageKind.VOICE, voice, caption, original)

    def send_document(
        self,
        user_id: int,
        *,
        file_name: str,
        mime_type: str | None,
        file_size: int | None = None,
        content: bytes | None = None,
        caption: str | None = None,
    ) -> SentText:
        """The user sends a file as a file (not as a photo): a Document with its name and type."""
        chat = self._active_chat(user_id)
        size = file_size if file_size is not None else len(content or b"") or 40_000
        if size < 1:
            raise SimulatorError("file_size must be positive")
        file = self._world.add_file(MessageKind.DOCUMENT, size, content=content)
        document = objects.document_json(file, file_name, mime_type)
        return self._send_media(chat, MessageKind.DOCUMENT, document, caption)

    def _send_media(
        self,
        chat: Chat,
        kind: MessageKind,
        media: Any,
        caption: str | None,
        original: StoredMessage | None = None,
    ) -> SentText:
        if caption is not None and (not caption.strip() or utf16_length(caption) > 1024):
            raise SimulatorError("a caption must be 1-1024 characters")
        date = now()
        entities: list[Entity] = []
        version = MessageVersion(caption, caption, None, entities, None, date)
        message = StoredMessage(
            chat.new_message_id(),
            chat.id,
            date,
            kind,
            False,
            version,
            media,
            reply_to_message=original,
        )
        chat.messages[message.message_id] = message
        payload = objects.chat_message_json(self._bot, chat.user, message)
        return SentText(message.message_id, self._push("message", payload))

    def tap(self, user_id: int, message_id: int, callback_data: str) -> str:
        """The user taps an inline button of a message they received; return the query id."""
        chat = self._active_chat(user_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise SimulatorError(f"user {user_id} has no message {message_id} from the bot", 404)
        if callback_data not in ReceivedMessage.of(message).callback_data():
            raise SimulatorError(
                f"message {message_id} has no inline button with callback_data {callback_data!r}"
            )
        return self._callback(chat.user, chat, message_id, callback_data, forged=False)

    def forge_callback(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> str:
        """Send a callback query no real button produced: any data, any (other) chat."""
        user = self._active_chat(user_id).user
        chat = self._world.chat(chat_id if chat_id is not None else user_id)
        return self._callback(user, chat, message_id, callback_data, forged=True)

    def _callback(
        self, user: SimUser, chat: Chat, message_id: int, data: str, *, forged: bool
    ) -> str:
        record = self._world.new_callback(user, chat.id, message_id, data, forged=forged)
        message = chat.messages.get(message_id)
        if message is not None and not message.deleted:
            message_data = objects.chat_message_json(self._bot, chat.user, message)
        else:
            message_data = objects.inaccessible_message_json(
                objects.chat_json(chat.user), message_id
            )
        payload = objects.callback_query_json(record, objects.user_json(user), message_data)
        self._push("callback_query", payload)
        return record.id

    def set_status(self, user_id: int, status: UserStatus) -> None:
        """Set a user's status; blocking and unblocking notify the bot (my_chat_member)."""
        user = self._world.user(user_id)
        previous, user.status = user.status, status
        if {previous, status} != {UserStatus.ACTIVE, UserStatus.BLOCKED}:
            return
        blocked = status is UserStatus.BLOCKED
        payload = objects.my_chat_member_json(user, self._bot, now(), blocked=blocked)
        self._push("my_chat_member", payload)

    def turn_away(self, chat_id: int, status: UserStatus) -> None:
        """A storm's doing: an active user blocks the bot, or their chat is gone (else no-op)."""
        chat = self._world.chats.get(chat_id)
        if chat is not None and chat.user.status is UserStatus.ACTIVE:
            self.set_status(chat_id, status)
