"""Invite codes: long, random, stored only as a hash, single use, expiring."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# 24 random bytes = 192 bits, written as 32 URL-safe characters (Telegram allows A-Z a-z 0-9 _ -).
CODE_BYTES = 24
MAX_START_PARAMETER = 64


def new_code() -> str:
    """A fresh invite code, safe for a Telegram deep link."""
    return secrets.token_urlsafe(CODE_BYTES)


def hash_code(code: str) -> str:
    """What the database keeps of a code. The codes are random, so a plain SHA-256 suffices."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def looks_like_code(text: str) -> bool:
    """Cheap shape check before touching the database."""
    return 16 <= len(text) <= MAX_START_PARAMETER and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in text
    )


def deep_link(bot_username: str, code: str) -> str:
    """The https://t.me link that opens the bot with the code."""
    return f"https://t.me/{bot_username}?start={code}"


class InviteProblem(StrEnum):
    """Why a code links nothing."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SLOWED_DOWN = "slowed_down"
    # The holder left the school, or stopped after this code was made.
    VOID = "void"


@dataclass(frozen=True)
class InviteState:
    """What the store knows of one invite, for judging it."""

    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None


def judge_invite(state: InviteState | None, now: datetime) -> InviteProblem | None:
    """None when the invite may be used now, else the reason it may not."""
    if state is None:
        return InviteProblem.UNKNOWN
    if state.revoked_at is not None:
        return InviteProblem.REVOKED
    if state.used_at is not None:
        return InviteProblem.USED
    if now >= state.expires_at:
        return InviteProblem.EXPIRED
    return None


@dataclass(frozen=True)
class HolderState:
    """What the store knows of the guardian a code was made for, for judging the code."""

    left_at: datetime | None
    stopped_at: datetime | None


def judge_holder(holder: HolderState, code_created_at: datetime) -> InviteProblem | None:
    """None when the guardian may still join with a code made at ``code_created_at``.

    A leaver joins with no code: nothing is sent to them any more. A parent who stopped said
    so on purpose, so a letter from before the stop stays void; a letter made after it (the
    parent asked the school for one) brings them back.
    """
    if holder.left_at is not None:
        return InviteProblem.VOID
    if holder.stopped_at is not None and code_created_at <= holder.stopped_at:
        return InviteProblem.VOID
    return None


@dataclass(frozen=True)
class ThrottlePolicy:
    """Wrong codes from one chat: a few are mistakes, many are guessing."""

    free_attempts: int = 3
    window: timedelta = timedelta(minutes=15)
    first_wait: timedelta = timedelta(minutes=1)
    max_wait: timedelta = timedelta(hours=1)

    def wait_after(self, failures: int) -> timedelta:
        """How long a chat waits after this many wrong codes in the window."""
        if failures < self.free_attempts:
            return timedelta(0)
        doublings = failures - self.free_attempts
        wait: timedelta = min(self.first_wait * (2**doublings), self.max_wait)
        return wait
