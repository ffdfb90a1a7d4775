"""The Bot API method table: which methods the simulator implements and what they do."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from oudersbot.simulator import objects
from oudersbot.simulator.config import SimulatorConfig
from oudersbot.simulator.errors import bad_request
from oudersbot.simulator.messaging import Messaging
from oudersbot.simulator.state import World
from oudersbot.simulator.updates import UpdateQueue, Webhook

Params = dict[str, Any]
Handler = Callable[[Params], Awaitable[Any]]

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
SUCCESS_DESCRIPTIONS = {"setWebhook": "Webhook was set", "deleteWebhook": "Webhook was deleted"}
MAX_DOWNLOAD = 20 * 1024 * 1024  # bots can download files of up to 20 MB


class BotApi:
    """Implements the Bot API methods the bot uses, on top of the simulated world."""

    def __init__(
        self, config: SimulatorConfig, world: World, updates: UpdateQueue, messaging: Messaging
    ) -> None:
        self._config = config
        self._world = world
        self._updates = updates
        self._messaging = messaging
        sync: dict[str, Callable[[Params], Any]] = {
            "getMe": lambda _params: objects.get_me(config),
            "sendMessage": messaging.send_message,
            "sendPhoto": messaging.send_photo,
            "sendVoice": messaging.send_voice,
            "editMessageText": messaging.edit_message_text,
            "editMessageReplyMarkup": messaging.edit_message_reply_markup,
            "deleteMessage": messaging.delete_message,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": lambda _params: updates.webhook_info(),
            "getFile": self._get_file,
        }
        self.handlers: dict[str, Handler] = {name: _wrap(fn) for name, fn in sync.items()}
        self.handlers["getUpdates"] = self._get_updates
        self.by_lower_name = {name.lower(): name for name in self.handlers}

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        return await self._updates.get_updates(
            params.get("offset"),
            params.get("limit"),
            params.get("timeout"),
            params.get("allowed_updates"),
        )

    def _send_chat_action(self, params: Params) -> bool:
        chat = self._messaging.resolve_chat(params["chat_id"])
        if params["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.last_action = params["action"]
        return True

    def _answer_callback_query(self, params: Params) -> bool:
        record = self._world.callbacks.get(params["callback_query_id"])
        if record is None or record.answered:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        record.answered = True
        record.answered_at = time.monotonic()
        record.answer_text = text
        record.show_alert = bool(params.get("show_alert", False))
        record.url = params.get("url")
        return True

    def _get_file(self, params: Params) -> dict[str, Any]:
        file = self._world.files.get(params["file_id"])
        if file is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        if file.size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return objects.file_json(file)

    def download(self, path: str) -> bytes | None:
        """The bytes behind a file_path getFile gave, or None for an unknown path."""
        for file in self._world.files.values():
            if file.path == path and file.size <= MAX_DOWNLOAD:
                return file.content if file.content is not None else bytes(file.size)
        return None

    def _commands_key(self, params: Params) -> str:
        scope = params.get("scope") or {"type": "default"}
        if "chat_id" in scope:
            chat = self._messaging.resolve_chat(scope["chat_id"])
            scope = {**scope, "chat_id": chat.id}
        return json.dumps([scope, params.get("language_code", "")], sort_keys=True)

    def _set_my_commands(self, params: Params) -> bool:
        commands = params["commands"]
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not _COMMAND_RE.fullmatch(command["command"]):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._world.commands[self._commands_key(params)] = [dict(c) for c in commands]
        return True

    def get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        """getMyCommands: the commands stored for a scope and language."""
        return [dict(c) for c in self._world.commands.get(self._commands_key(params), [])]

    def _delete_my_commands(self, params: Params) -> bool:
        self._world.commands.pop(self._commands_key(params), None)
        return True

    def _set_webhook(self, params: Params) -> bool:
        url = params["url"]
        if not url:
            self._updates.delete_webhook(bool(params.get("drop_pending_updates")))
            return True
        if not re.match(r"https?://[^/\s]+", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.get("max_connections", 40)
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        webhook = Webhook(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=params.get("ip_address"),
            allowed_updates=params.get("allowed_updates"),
            has_custom_certificate="certificate" in params,
        )
        self._updates.set_webhook(webhook, bool(params.get("drop_pending_updates")))
        return True

    def _delete_webhook(self, params: Params) -> bool:
        self._updates.delete_webhook(bool(params.get("drop_pending_updates")))
        return True


def _wrap(function: Callable[[Params], Any]) -> Handler:
    async def handler(params: Params) -> Any:
        return function(params)

    return handler
