"""Simulator settings and the statistics it keeps (for each bot, and summed over the bots)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from oudersbot.simulator.ratelimit import RateLimits
from oudersbot.simulator.state import FIRST_USER_ID

_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")
USERS_PER_BOT = 1_000_000
"""Each bot's users get their own range of ids, so a user id (a chat id) names one person."""


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """How the simulated Telegram behaves: bot identity, address, flood limits.

    `bot_token` is the first bot; `extra_bot_tokens` are more bots served on the same port, each
    with its own users, updates, flood control, faults and counters (see `Simulator.bot`).
    Flood limits apply to each bot separately, as on Telegram.
    """

    bot_token: str = "123456:TEST"
    bot_username: str = "oudersbot_demo_bot"
    bot_first_name: str = "Oudersbot"
    host: str = "127.0.0.1"
    port: int = 0
    global_rate: float | None = 30.0
    global_burst: int | None = None
    per_chat_rate: float | None = 1.0
    per_chat_burst: int = 3
    validate_responses: bool = False
    webhook_retry_delay: float = 0.5
    extra_bot_tokens: tuple[str, ...] = ()
    first_user_id: int = FIRST_USER_ID

    def __post_init__(self) -> None:
        if not _TOKEN_RE.fullmatch(self.bot_token):
            raise ValueError("bot_token must look like '123456:ABC-def'")
        for token in self.extra_bot_tokens:
            if not _TOKEN_RE.fullmatch(token):
                raise ValueError(f"extra bot token {token!r} must look like '123456:ABC-def'")
        ids = [_bot_id(token) for token in self.bot_tokens]
        if len(set(ids)) != len(ids):
            # The number before the colon is the bot: two secrets for one id are one bot.
            raise ValueError("every bot token needs its own bot id (the number before the colon)")

    @property
    def bot_tokens(self) -> tuple[str, ...]:
        """Every bot's token, the first bot first."""
        return (self.bot_token, *self.extra_bot_tokens)

    def with_bots(self, count: int) -> SimulatorConfig:
        """These settings with `count` bots in all: extra tokens numbered after the first.

        `123456:TEST` with 3 bots adds `123457:TEST` and `123458:TEST`.
        """
        if count < 1:
            raise ValueError("there is at least one bot")
        first, secret = self.bot_token.split(":", 1)
        extra = tuple(f"{int(first) + n}:{secret}" for n in range(1, count))
        return replace(self, extra_bot_tokens=extra)

    def extra_bots(self) -> list[SimulatorConfig]:
        """The settings of each extra bot: its own token, name and user ids, the rest shared."""
        return [
            replace(
                self,
                bot_token=token,
                bot_username=_extra_username(self.bot_username, _bot_id(token)),
                bot_first_name=f"{self.bot_first_name} {number}",
                extra_bot_tokens=(),
                first_user_id=self.first_user_id + (number - 1) * USERS_PER_BOT,
            )
            for number, token in enumerate(self.extra_bot_tokens, start=2)
        ]

    @property
    def bot_id(self) -> int:
        """The bot's user id: the number before the colon of its token."""
        return _bot_id(self.bot_token)

    @property
    def limits(self) -> RateLimits:
        """The flood-control part of the settings."""
        return RateLimits(
            global_rate=self.global_rate,
            global_burst=self.global_burst,
            per_chat_rate=self.per_chat_rate,
            per_chat_burst=self.per_chat_burst,
        )

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready data (the token included: it is a test token)."""
        return asdict(self)


def _bot_id(token: str) -> int:
    return int(token.split(":", 1)[0])


def _extra_username(first: str, bot_id: int) -> str:
    """A username for an extra bot: the first bot's stem, the bot id, and "_bot" (max 32)."""
    suffix = f"_{bot_id}_bot"
    stem = first.removesuffix("bot").rstrip("_") or "sim"
    return stem[: 32 - len(suffix)] + suffix


@dataclass(slots=True)
class SimulatorStats:
    """Counters since start or the last reset: requests per method, messages, 429s, drops.

    `errors` counts error answers by code, injected ones included; a connection closed by a
    fault or a storm is no answer and counts in `drops_before` (nothing was done) or
    `drops_after` (the request was carried out, its answer lost).
    """

    requests: dict[str, int] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)
    messages_accepted: int = 0
    too_many_requests: int = 0
    updates_queued: int = 0
    limits: RateLimits = field(default_factory=RateLimits)
    drops_before: int = 0
    drops_after: int = 0

    @classmethod
    def merged(cls, parts: Iterable[SimulatorStats]) -> SimulatorStats:
        """The sum of several bots' counters (`limits` is the first bot's)."""
        total: SimulatorStats | None = None
        for part in parts:
            if total is None:
                total = part.snapshot()
                continue
            for method, count in part.requests.items():
                total.requests[method] = total.requests.get(method, 0) + count
            for code, count in part.errors.items():
                total.errors[code] = total.errors.get(code, 0) + count
            total.messages_accepted += part.messages_accepted
            total.too_many_requests += part.too_many_requests
            total.updates_queued += part.updates_queued
            total.drops_before += part.drops_before
            total.drops_after += part.drops_after
        return total if total is not None else cls()

    def clear(self) -> None:
        """Zero the counters (the limits stay)."""
        self.requests.clear()
        self.errors.clear()
        self.messages_accepted = self.too_many_requests = self.updates_queued = 0
        self.drops_before = self.drops_after = 0

    def count_request(self, method: str) -> None:
        """Count one request of a method."""
        self.requests[method] = self.requests.get(method, 0) + 1

    def count_error(self, error_code: int) -> None:
        """Count one error answer; 429s also go to `too_many_requests`."""
        self.errors[error_code] = self.errors.get(error_code, 0) + 1
        if error_code == 429:
            self.too_many_requests += 1

    def snapshot(self) -> SimulatorStats:
        """A copy that later requests do not change."""
        return SimulatorStats(
            requests=dict(self.requests),
            errors=dict(self.errors),
            messages_accepted=self.messages_accepted,
            too_many_requests=self.too_many_requests,
            updates_queued=self.updates_queued,
            limits=self.limits,
            drops_before=self.drops_before,
            drops_after=self.drops_after,
        )

    def to_dict(self) -> dict[str, Any]:
        """The counters as JSON-ready data (error codes become string keys)."""
        return {
            "requests": dict(self.requests),
            "errors": {str(code): count for code, count in self.errors.items()},
            "messages_accepted": self.messages_accepted,
            "too_many_requests": self.too_many_requests,
            "updates_queued": self.updates_queued,
            "drops_before": self.drops_before,
            "drops_after": self.drops_after,
            "limits": asdict(self.limits),
        }
