"""The ledger: per chat, every message that really arrived and every request that was refused.

Times are seconds on the simulator's clock (`time.monotonic` unless a test injects another),
taken when the simulator carried out or refused the request. A benchmark counts duplicates from
`received` (a message whose answer was lost, `answered` false, arrived all the same) and checks
from `refused` that no request to a chat came before a 429's `at + retry_after`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from oudersbot.simulator.errors import ApiError
from oudersbot.simulator.ratelimit import Clock


@dataclass(frozen=True, slots=True)
class Arrival:
    """A message the bot sent that reached the chat."""

    message_id: int
    method: str
    text: str | None  # the text, or the caption of a photo or voice message
    at: float
    answered: bool  # False: delivered, but the connection was dropped before the answer


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request to the chat that delivered nothing: an error answer or a dropped connection."""

    method: str
    at: float
    error_code: int | None  # None: the connection was dropped before the request was carried out
    description: str
    retry_after: int | None
    injected: bool  # decided by an armed fault or a storm, not by the simulator's own rules
    answered: bool  # False: the bot never saw this error (the connection was dropped after)


@dataclass(slots=True)
class ChatLedger:
    """What one chat received, and what was refused, in order."""

    chat_id: int
    received: list[Arrival] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    def copy(self) -> ChatLedger:
        """A copy that later requests do not change."""
        return ChatLedger(self.chat_id, list(self.received), list(self.refused))

    def to_dict(self) -> dict[str, Any]:
        """The chat's ledger as JSON-ready data."""
        return asdict(self)


class Ledger:
    """Every chat's ledger of one bot."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._chats: dict[int, ChatLedger] = {}

    def _chat(self, chat_id: int) -> ChatLedger:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = ChatLedger(chat_id)
        return chat

    def arrived(self, method: str, message: dict[str, Any], *, answered: bool) -> None:
        """Record a Message the bot sent (as the Bot API answered it)."""
        text = message.get("text", message.get("caption"))
        arrival = Arrival(message["message_id"], method, text, self.clock(), answered)
        self._chat(message["chat"]["id"]).received.append(arrival)

    def refused(
        self, chat_id: int, method: str, error: ApiError, *, injected: bool, answered: bool
    ) -> None:
        """Record an error answer to a request about `chat_id`."""
        retry_after = (error.parameters or {}).get("retry_after")
        refusal = Refusal(
            method,
            self.clock(),
            error.error_code,
            error.description,
            retry_after,
            injected,
            answered,
        )
        self._chat(chat_id).refused.append(refusal)

    def dropped(self, chat_id: int, method: str) -> None:
        """Record a request to `chat_id` whose connection was dropped before it was carried out."""
        refusal = Refusal(
            method, self.clock(), None, "connection dropped before processing", None, True, False
        )
        self._chat(chat_id).refused.append(refusal)

    def chats(self) -> dict[int, ChatLedger]:
        """Copies of every chat's ledger, by chat id."""
        return {chat_id: chat.copy() for chat_id, chat in self._chats.items()}

    def chat(self, chat_id: int) -> ChatLedger:
        """A copy of one chat's ledger (empty if nothing was sent there)."""
        chat = self._chats.get(chat_id)
        return chat.copy() if chat is not None else ChatLedger(chat_id)

    def clear(self) -> None:
        """Forget every entry."""
        self._chats.clear()
