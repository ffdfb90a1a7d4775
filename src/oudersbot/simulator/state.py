"""The simulated world: users (parents), their private chats with the bot, messages, queries."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from oudersbot.simulator.errors import SimulatorError
from oudersbot.simulator.text import Entity

FIRST_USER_ID = 700_000_001


class UserStatus(StrEnum):
    """Whether a user can receive messages from the bot.

    BLOCKED and DEACTIVATED answer sends with 403; GONE (Telegram no longer knows the chat,
    as a storm's "chat not found" leaves it) answers them with 400 "chat not found".
    """

    ACTIVE = "active"
    BLOCKED = "blocked"
    DEACTIVATED = "deactivated"
    GONE = "gone"


class MessageKind(StrEnum):
    """What a stored message carries."""

    TEXT = "text"
    PHOTO = "photo"
    VOICE = "voice"
    DOCUMENT = "document"


# How Telegram's file_ids of each kind begin; a file_id only works for its own kind.
FILE_ID_PREFIX = {
    MessageKind.PHOTO: "AgAC",
    MessageKind.VOICE: "AwAC",
    MessageKind.DOCUMENT: "BQAC",
}


def now() -> int:
    """The current Unix time in whole seconds, as Telegram dates are."""
    return int(time.time())


@dataclass(slots=True)
class SimUser:
    """A simulated Telegram user; their private chat with the bot has the same id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    status: UserStatus = UserStatus.ACTIVE

    def to_dict(self) -> dict[str, Any]:
        """The user as JSON-ready data for the control API."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MessageVersion:
    """One version of a bot message: its text (or caption) before and after parsing."""

    text: str | None
    source: str | None
    parse_mode: str | None
    entities: list[Entity]
    reply_markup: dict[str, Any] | None
    date: int


@dataclass(slots=True)
class StoredMessage:
    """A message in a chat, as the simulator keeps it."""

    message_id: int
    chat_id: int
    date: int
    kind: MessageKind
    from_bot: bool
    current: MessageVersion
    media: Any = None
    history: list[MessageVersion] = field(default_factory=list)
    edit_date: int | None = None
    deleted: bool = False
    # A user's reply (Telegram's reply_to_message): the message of the same chat it answers.
    reply_to_message: StoredMessage | None = None


@dataclass(frozen=True, slots=True)
class ReceivedMessage:
    """A snapshot of one message the bot sent to a chat, for tests and the control API."""

    message_id: int
    date: int
    kind: MessageKind
    text: str | None
    caption: str | None
    source: str | None
    parse_mode: str | None
    entities: list[Entity]
    reply_markup: dict[str, Any] | None
    has_photo: bool
    has_voice: bool
    file_ids: list[str]
    edit_date: int | None
    deleted: bool
    history: list[MessageVersion]

    @classmethod
    def of(cls, message: StoredMessage) -> ReceivedMessage:
        """Snapshot a stored message."""
        version = message.current
        is_text = message.kind is MessageKind.TEXT
        return cls(
            message_id=message.message_id,
            date=message.date,
            kind=message.kind,
            text=version.text if is_text else None,
            caption=None if is_text else version.text,
            source=version.source,
            parse_mode=version.parse_mode,
            entities=list(version.entities),
            reply_markup=version.reply_markup,
            has_photo=message.kind is MessageKind.PHOTO,
            has_voice=message.kind is MessageKind.VOICE,
            file_ids=_file_ids(message.media),
            edit_date=message.edit_date,
            deleted=message.deleted,
            history=list(message.history),
        )

    def callback_data(self) -> list[str]:
        """The callback_data of every inline button, row by row."""
        keyboard = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            button["callback_data"]
            for row in keyboard
            for button in row
            if "callback_data" in button
        ]

    def to_dict(self) -> dict[str, Any]:
        """The snapshot as JSON-ready data."""
        return asdict(self)


def _file_ids(media: Any) -> list[str]:
    if isinstance(media, list):  # the sizes of a photo, smallest first
        return [size["file_id"] for size in media]
    if isinstance(media, dict):
        return [media["file_id"]]
    return []


@dataclass(frozen=True, slots=True)
class SimFile:
    """A file Telegram holds: its kind (a file_id only works for that kind), size and bytes."""

    file_id: str
    file_unique_id: str
    kind: MessageKind
    size: int
    content: bytes | None = None  # None: a download returns `size` zero bytes
    duration: int | None = None  # a voice file: its length in seconds, as read at the upload

    @property
    def path(self) -> str:
        """The file_path getFile gives, below /file/bot<token>/."""
        return f"{self.kind.value}s/{self.file_unique_id}"


@dataclass(slots=True)
class CallbackQueryRecord:
    """A callback query a user sent, and how the bot answered it."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    forged: bool
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
    url: str | None = None
    # Monotonic seconds in the simulator: when the user tapped, when the bot answered.
    tapped_at: float = field(default_factory=time.monotonic)
    answered_at: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data."""
        return asdict(self)


@dataclass(slots=True)
class Chat:
    """A private chat: its messages in order and the next message id."""

    user: SimUser
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    last_action: str | None = None

    @property
    def id(self) -> int:
        """The chat id: the user's id."""
        return self.user.id

    def new_message_id(self) -> int:
        """Allocate the next message id (shared by both sides, like Telegram)."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


class World:
    """All simulated users, chats, files, callback queries and bot commands."""

    def __init__(self, first_user_id: int = FIRST_USER_ID) -> None:
        self.chats: dict[int, Chat] = {}
        self.callbacks: dict[str, CallbackQueryRecord] = {}
        self.files: dict[str, SimFile] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self._user_ids = itertools.count(first_user_id)

    def add_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> SimUser:
        """Create a user (and their private chat with the bot)."""
        if not first_name:
            raise SimulatorError("first_name must not be empty")
        user = SimUser(next(self._user_ids), first_name, last_name, username, language_code)
        self.chats[user.id] = Chat(user)
        return user

    def chat(self, user_id: int) -> Chat:
        """Return a user's chat or raise SimulatorError (404)."""
        chat = self.chats.get(user_id)
        if chat is None:
            raise SimulatorError(f"unknown user {user_id}", status=404)
        return chat

    def user(self, user_id: int) -> SimUser:
        """Return a user or raise SimulatorError (404)."""
        return self.chat(user_id).user

    def inbox(self, user_id: int) -> list[ReceivedMessage]:
        """Every message the bot sent to the user, in order."""
        chat = self.chat(user_id)
        return [ReceivedMessage.of(m) for m in chat.messages.values() if m.from_bot]

    def add_file(
        self,
        kind: MessageKind,
        size: int,
        *,
        file_id: str | None = None,
        file_unique_id: str | None = None,
        content: bytes | None = None,
    ) -> SimFile:
        """Keep a file (a new file_id unless one is given) that later requests may reuse."""
        file_id = file_id or f"{FILE_ID_PREFIX[kind]}{secrets.token_urlsafe(24)}"
        unique = file_unique_id or f"u{file_id[-12:]}"
        stored = SimFile(file_id, unique, kind, size, content)
        self.files[file_id] = stored
        return stored

    def new_callback(
        self, user: SimUser, chat_id: int, message_id: int, data: str, *, forged: bool
    ) -> CallbackQueryRecord:
        """Record a new callback query and return it."""
        record = CallbackQueryRecord(
            id=str(secrets.randbits(63)),
            user_id=user.id,
            chat_id=chat_id,
            message_id=message_id,
            data=data,
            forged=forged,
        )
        self.callbacks[record.id] = record
        return record
