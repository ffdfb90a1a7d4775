"""Simulator settings and the statistics it keeps."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from oudersbot.simulator.ratelimit import RateLimits

_TOKEN_RE = re.compile(r"\d+:[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class SimulatorConfig:
    """How the simulated Telegram behaves: bot identity, address, flood limits."""

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

    def __post_init__(self) -> None:
        if not _TOKEN_RE.fullmatch(self.bot_token):
            raise ValueError("bot_token must look like '123456:ABC-def'")

    @property
    def bot_id(self) -> int:
        """The bot's user id: the number before the colon of its token."""
        return int(self.bot_token.split(":", 1)[0])

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


@dataclass(slots=True)
class SimulatorStats:
    """Counters since start or the last reset: requests per method, messages, 429s."""

    requests: dict[str, int] = field(default_factory=dict)
    errors: dict[int, int] = field(default_factory=dict)
    messages_accepted: int = 0
    too_many_requests: int = 0
    updates_queued: int = 0
    limits: RateLimits = field(default_factory=RateLimits)

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
        )

    def to_dict(self) -> dict[str, Any]:
        """The counters as JSON-ready data (error codes become string keys)."""
        return {
            "requests": dict(self.requests),
            "errors": {str(code): count for code, count in self.errors.items()},
            "messages_accepted": self.messages_accepted,
            "too_many_requests": self.too_many_requests,
            "updates_queued": self.updates_queued,
            "limits": asdict(self.limits),
        }
