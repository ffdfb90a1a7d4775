"""When to try a failed delivery again."""

from __future__ import annotations

from datetime import timedelta

MAX_ATTEMPTS = 8


def backoff(
    attempt: int, *, base: float = 2.0, cap: float = 600.0, jitter: float = 0.0
) -> timedelta:
    """Exponential wait after failed attempt n (1-based); jitter in [0, 1) spreads retries."""
    seconds = min(cap, base * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=seconds * (1.0 + 0.25 * jitter))


def gives_up(attempts: int) -> bool:
    """True when a delivery has failed often enough to stop trying and tell a person."""
    return attempts >= MAX_ATTEMPTS
