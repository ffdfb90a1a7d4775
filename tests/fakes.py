"""Small fakes that record what happened (no mocks of internals)."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from oudersbot.delivery.errors import DeliveryError


class RecordingSender:
    """A Sender that keeps every part per chat and can fail on cue (a failure queued for a
    chat is raised at that chat's next part)."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, list[str]]] = []
        self.asked: list[int] = []  # every chat a request was made for, answered or not
        self.failures: dict[int, list[DeliveryError]] = defaultdict(list)
        self.hang_after: int | None = None
        self.buttons: dict[int, list[list[list[str]]] | None] = {}
        self.photos: dict[int, str | None] = {}
        self.delay = 0.0
        self._next_id = 1000

    async def send_part(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: list[list[list[str]]] | None = None,
        photo: str | None = None,
    ) -> int:
        """Record, or raise the next failure queued for this chat."""
        self.asked.append(chat_id)
        if self.failures[chat_id]:
            raise self.failures[chat_id].pop(0)
        if self.hang_after is not None and len(self.sent) >= self.hang_after:
            await asyncio.Event().wait()  # like a process that stopped answering
        if self.delay:
            await asyncio.sleep(self.delay)
        self.sent.append((chat_id, [text]))
        if buttons is not None or chat_id not in self.buttons:
            self.buttons[chat_id] = buttons
        if photo is not None or chat_id not in self.photos:
            self.photos[chat_id] = photo
        self._next_id += 1
        return self._next_id

    def chats(self) -> list[int]:
        """The chats that received something, in order."""
        return [chat for chat, _ in self.sent]


class RecordingTranslator:
    """A Translator that marks its output and counts its calls."""

    name = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def translate(self, text: str, *, source: str, target: str) -> str:
        """'[target] text'."""
        self.calls.append((target, text))
        return f"[{target}] {text}"
