"""A fault storm: each request to a chat may fail at random, reproducibly from a seed.

Where an armed `Fault` hits the next N requests, a storm hits a share of them, drawn per chat:
the k-th stormed request to a chat has the same fate in every run with the same seed, however
the requests to different chats interleave. The outcomes, in the order they are drawn:

- `429`: "Too Many Requests" with the storm's `retry_after`; nothing is sent.
- `403`: the user blocks the bot, as they would by hand (the bot gets a my_chat_member update);
  this and every later send to the chat answers "Forbidden: bot was blocked by the user",
  until the user is unblocked.
- `chat_not_found`: Telegram loses the chat; this and every later send answers
  "Bad Request: chat not found", until the user is unblocked.
- `drop_before`: the connection is closed before the request is carried out: nothing is sent.
- `drop_after`: the request is carried out (the message is delivered and recorded), then the
  connection is closed: the answer is lost on the way back, the bot cannot know it went out.

A storm touches only requests that name a `chat_id` (sends, edits, deletes, chat actions).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class StormOutcome(StrEnum):
    """What a storm does to one request."""

    TOO_MANY_REQUESTS = "429"
    BLOCKED = "403"
    CHAT_NOT_FOUND = "chat_not_found"
    DROP_BEFORE = "drop_before"
    DROP_AFTER = "drop_after"


@dataclass(slots=True)
class Storm:
    """Probabilities per request of `method` ("*": any method with a chat_id), from `seed`."""

    method: str = "*"
    seed: int = 0
    p_429: float = 0.0
    retry_after: int = 1
    p_403: float = 0.0
    p_chat_not_found: float = 0.0
    p_drop_before: float = 0.0
    p_drop_after: float = 0.0
    # Requests drawn and outcomes dealt so far, by outcome ("none": the request went through).
    counts: dict[str, int] = field(default_factory=dict, init=False)
    _chats: dict[int, random.Random] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.method:
            raise ValueError("a storm needs a method (or '*')")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ValueError("the seed must be an integer")
        if isinstance(self.retry_after, bool) or not isinstance(self.retry_after, int):
            raise ValueError("retry_after must be whole seconds")
        if self.retry_after < 1:
            raise ValueError("retry_after must be at least 1 second")
        chances = self._chances()
        if any(not 0.0 <= p <= 1.0 for _, p in chances):
            raise ValueError("every probability must be between 0 and 1")
        if sum(p for _, p in chances) > 1.0 + 1e-9:
            raise ValueError("the probabilities must add up to at most 1")

    def _chances(self) -> list[tuple[StormOutcome, float]]:
        return [
            (StormOutcome.TOO_MANY_REQUESTS, float(self.p_429)),
            (StormOutcome.BLOCKED, float(self.p_403)),
            (StormOutcome.CHAT_NOT_FOUND, float(self.p_chat_not_found)),
            (StormOutcome.DROP_BEFORE, float(self.p_drop_before)),
            (StormOutcome.DROP_AFTER, float(self.p_drop_after)),
        ]

    def draw(self, chat_id: int) -> StormOutcome | None:
        """The fate of the next request to `chat_id` (None: it goes through)."""
        stream = self._chats.get(chat_id)
        if stream is None:
            # A string seed is hashed with SHA-512: the same in every process and run.
            stream = self._chats[chat_id] = random.Random(f"{self.seed}/{chat_id}")
        roll = stream.random()
        outcome: StormOutcome | None = None
        edge = 0.0
        for candidate, chance in self._chances():
            edge += chance
            if roll < edge:
                outcome = candidate
                break
        key = outcome.value if outcome is not None else "none"
        self.counts[key] = self.counts.get(key, 0) + 1
        return outcome

    def to_dict(self) -> dict[str, Any]:
        """The storm and what it dealt so far, as JSON-ready data."""
        data = {name: getattr(self, name) for name in STORM_FIELDS}
        return {**data, "counts": dict(self.counts)}


STORM_FIELDS = tuple(item.name for item in fields(Storm) if item.init)
"""The fields a storm is made of (what the control API accepts)."""
