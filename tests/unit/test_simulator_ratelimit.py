"""Token buckets and flood control on an injected fake monotonic clock."""

from __future__ import annotations

import pytest

from oudersbot.simulator.ratelimit import (
    FloodControl,
    RateLimits,
    TokenBucket,
    retry_after_seconds,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_bucket_allows_a_burst_then_refills_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate=2.0, burst=3, clock=clock)
    assert [bucket.try_take() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.try_take() == pytest.approx(0.5)
    clock.advance(0.25)
    assert bucket.try_take() == pytest.approx(0.25)
    clock.advance(0.25)
    assert bucket.try_take() == 0.0
    clock.advance(100)
    assert [bucket.try_take() for _ in range(4)][:3] == [0.0, 0.0, 0.0]


def test_bucket_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        TokenBucket(rate=0, burst=1)
    with pytest.raises(ValueError):
        TokenBucket(rate=1, burst=0)


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    assert retry_after_seconds(0.01) == 1
    assert retry_after_seconds(1.0) == 1
    assert retry_after_seconds(1.2) == 2


def test_per_chat_limit() -> None:
    clock = FakeClock()
    flood = FloodControl(RateLimits(global_rate=None, per_chat_rate=1.0, per_chat_burst=3), clock)
    assert [flood.acquire(7) for _ in range(3)] == [0, 0, 0]
    assert flood.acquire(7) == 1
    assert flood.acquire(8) == 0  # another chat has its own bucket
    clock.advance(1.0)
    assert flood.acquire(7) == 0
    assert flood.acquire(7) == 1


def test_global_limit_counts_all_chats() -> None:
    clock = FakeClock()
    flood = FloodControl(RateLimits(global_rate=30.0, per_chat_rate=None), clock)
    assert all(flood.acquire(chat) == 0 for chat in range(30))
    assert flood.acquire(99) == 1
    clock.advance(1 / 30)
    assert flood.acquire(99) == 0


def test_a_rejection_consumes_no_token() -> None:
    clock = FakeClock()
    limits = RateLimits(global_rate=2.0, global_burst=2, per_chat_rate=1.0, per_chat_burst=1)
    flood = FloodControl(limits, clock)
    assert flood.acquire(1) == 0
    assert flood.acquire(1) == 1  # per-chat bucket empty: the global token is kept
    assert flood.acquire(2) == 0  # ... so chat 2 still gets the second global token
    assert flood.acquire(3) == 1


def test_slow_limits_give_longer_retry_after() -> None:
    clock = FakeClock()
    flood = FloodControl(RateLimits(global_rate=None, per_chat_rate=0.2, per_chat_burst=1), clock)
    assert flood.acquire(1) == 0
    assert flood.acquire(1) == 5


def test_unthrottled_and_runtime_reconfiguration() -> None:
    clock = FakeClock()
    flood = FloodControl(RateLimits(global_rate=None, per_chat_rate=None), clock)
    assert all(flood.acquire(1) == 0 for _ in range(10_000))
    flood.configure(RateLimits(global_rate=1.0, global_burst=1, per_chat_rate=None))
    assert flood.acquire(1) == 0
    assert flood.acquire(1) == 1
    assert RateLimits(global_rate=30.0).effective_global_burst() == 30
