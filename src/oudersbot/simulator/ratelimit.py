"""Flood control like Telegram's: a global and a per-chat token bucket on a monotonic clock."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

_EPSILON = 1e-9
Clock = Callable[[], float]
"""A monotonic clock in seconds; tests inject a fake one."""


class TokenBucket:
    """A bucket of `burst` tokens refilled at `rate` tokens per second."""

    __slots__ = ("_clock", "_stamp", "_tokens", "burst", "rate")

    def __init__(self, rate: float, burst: int, clock: Clock = time.monotonic) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()

    def _refill(self) -> float:
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        return self._tokens

    def wait_time(self) -> float:
        """Seconds until one token is available (0.0 if one is available now)."""
        tokens = self._refill()
        return 0.0 if tokens >= 1.0 - _EPSILON else (1.0 - tokens) / self.rate

    def take(self) -> None:
        """Consume one token; call only after `wait_time()` returned 0.0."""
        self._tokens -= 1.0

    def try_take(self) -> float:
        """Consume a token and return 0.0, or return the seconds to wait without consuming."""
        wait = self.wait_time()
        if wait == 0.0:
            self.take()
        return wait


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Flood-control settings; a rate of None switches that limit off."""

    global_rate: float | None = 30.0
    global_burst: int | None = None
    per_chat_rate: float | None = 1.0
    per_chat_burst: int = 3

    def effective_global_burst(self) -> int:
        """The global burst: as configured, else one second's worth of messages."""
        if self.global_burst is not None:
            return self.global_burst
        return max(1, math.ceil(self.global_rate or 1.0))


def retry_after_seconds(wait: float) -> int:
    """Telegram's retry_after: whole seconds, at least 1."""
    return max(1, math.ceil(wait))


class FloodControl:
    """Decides whether a message may be sent now; answers how long to wait otherwise."""

    def __init__(self, limits: RateLimits, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self.limits = limits
        self._global: TokenBucket | None = None
        self._chats: dict[int, TokenBucket] = {}
        self.configure(limits)

    def configure(self, limits: RateLimits) -> None:
        """Apply new limits; buckets restart full."""
        global_bucket = (
            TokenBucket(limits.global_rate, limits.effective_global_burst(), self._clock)
            if limits.global_rate is not None
            else None
        )
        if limits.per_chat_rate is not None:
            TokenBucket(limits.per_chat_rate, limits.per_chat_burst, self._clock)
        self.limits = limits
        self._global = global_bucket
        self._chats.clear()

    def acquire(self, chat_id: int) -> int:
        """Take a token from both buckets and return 0, or return retry_after (taking none)."""
        wait = self._global.wait_time() if self._global is not None else 0.0
        chat_bucket: TokenBucket | None = None
        rate = self.limits.per_chat_rate
        if rate is not None:
            chat_bucket = self._chats.get(chat_id)
            if chat_bucket is None:
                chat_bucket = TokenBucket(rate, self.limits.per_chat_burst, self._clock)
                self._chats[chat_id] = chat_bucket
            wait = max(wait, chat_bucket.wait_time())
        if wait > 0.0:
            return retry_after_seconds(wait)
        if self._global is not None:
            self._global.take()
        if chat_bucket is not None:
            chat_bucket.take()
        return 0
