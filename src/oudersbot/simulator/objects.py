"""Builders of the Bot API objects the simulator returns (User, Chat, Message, Update, ...).

Every builder emits only fields the spec defines for that type, with the spec's JSON types.
"""

from __future__ import annotations

from typing import Any

from oudersbot.simulator.config import SimulatorConfig
from oudersbot.simulator.state import (
    CallbackQueryRecord,
    MessageKind,
    SimFile,
    SimUser,
    StoredMessage,
)

JSON = dict[str, Any]


def bot_user(config: SimulatorConfig) -> JSON:
    """The bot as a User object (as in Message.from)."""
    return {
        "id": config.bot_id,
        "is_bot": True,
        "first_name": config.bot_first_name,
        "username": config.bot_username,
    }


def get_me(config: SimulatorConfig) -> JSON:
    """The User object getMe returns, with the bot-only capability fields."""
    return {
        **bot_user(config),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def user_json(user: SimUser) -> JSON:
    """A simulated parent as a User object."""
    data: JSON = {"id": user.id, "is_bot": False, "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    if user.language_code:
        data["language_code"] = user.language_code
    return data


def chat_json(user: SimUser) -> JSON:
    """The private chat with a user as a Chat object."""
    data: JSON = {"id": user.id, "type": "private", "first_name": user.first_name}
    if user.last_name:
        data["last_name"] = user.last_name
    if user.username:
        data["username"] = user.username
    return data


def message_json(message: StoredMessage, sender: JSON, chat: JSON) -> JSON:
    """A stored message as a Message object."""
    version = message.current
    data: JSON = {
        "message_id": message.message_id,
        "from": sender,
        "chat": chat,
        "date": message.date,
    }
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if message.kind is MessageKind.TEXT:
        data["text"] = version.text
        if version.entities:
            data["entities"] = version.entities
    else:
        data[message.kind.value] = message.media
        if version.text:
            data["caption"] = version.text
            if version.entities:
                data["caption_entities"] = version.entities
    if version.reply_markup is not None:
        data["reply_markup"] = version.reply_markup
    return data


def photo_sizes(file_id: str, size: int) -> list[JSON]:
    """PhotoSize objects for an uploaded or referenced photo (three made-up resolutions)."""
    sizes = []
    for index, side in enumerate((90, 320, 800)):
        sizes.append(
            {
                "file_id": f"{file_id}-{index}" if index else file_id,
                "file_unique_id": f"u{file_id[-12:]}{index}",
                "width": side,
                "height": side * 3 // 4,
                "file_size": max(1, size * (index + 1) // 3),
            }
        )
    return sizes


def voice_json(file_id: str, size: int, duration: int, mime_type: str = "audio/ogg") -> JSON:
    """A Voice object for an uploaded or referenced voice note."""
    return {
        "file_id": file_id,
        "file_unique_id": f"u{file_id[-12:]}",
        "duration": duration,
        "mime_type": mime_type,
        "file_size": max(1, size),
    }


def document_json(file: SimFile, file_name: str | None, mime_type: str | None) -> JSON:
    """A Document object (a file a user sent as a file, not as a photo)."""
    data: JSON = {"file_id": file.file_id, "file_unique_id": file.file_unique_id}
    if file_name:
        data["file_name"] = file_name
    if mime_type:
        data["mime_type"] = mime_type
    data["file_size"] = file.size
    return data


def file_json(file: SimFile) -> JSON:
    """The File object getFile returns."""
    return {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": file.size,
        "file_path": file.path,
    }


def callback_query_json(record: CallbackQueryRecord, sender: JSON, message: JSON | None) -> JSON:
    """A CallbackQuery object."""
    data: JSON = {
        "id": record.id,
        "from": sender,
        "chat_instance": str(record.chat_id * 2_654_435_761 % 2**63),
        "data": record.data,
    }
    if message is not None:
        data["message"] = message
    return data


def inaccessible_message_json(chat: JSON, message_id: int) -> JSON:
    """An InaccessibleMessage object (date is always 0)."""
    return {"chat": chat, "message_id": message_id, "date": 0}


def my_chat_member_json(user: SimUser, bot: JSON, date: int, *, blocked: bool) -> JSON:
    """The ChatMemberUpdated Telegram sends when a user blocks or unblocks the bot."""
    member: JSON = {"status": "member", "user": bot}
    kicked: JSON = {"status": "kicked", "user": bot, "until_date": 0}
    return {
        "chat": chat_json(user),
        "from": user_json(user),
        "date": date,
        "old_chat_member": member if blocked else kicked,
        "new_chat_member": kicked if blocked else member,
    }


def chat_message_json(bot: JSON, user: SimUser, message: StoredMessage) -> JSON:
    """A message of the private chat with `user` as a Message object (sent by either side)."""
    sender = bot if message.from_bot else user_json(user)
    data = message_json(message, sender, chat_json(user))
    original = message.reply_to_message
    if original is not None and not original.deleted:
        # As Telegram: the original message, without a reply_to_message of its own.
        author = bot if original.from_bot else user_json(user)
        data["reply_to_message"] = message_json(original, author, chat_json(user))
    return data
