"""Can the school reach a guardian through the bot? Four states on the brugfiguur's list.

- never joined: the invite was never used, so nothing reaches them;
- blocked or stopped: they blocked the bot, their account is gone, or they sent /stop;
- silent: joined, but they answered none of the school's last N slips that reached them
  (N is the school's `silent_after_slips`, 3 by default): the bot reaches the phone, not the
  parent — a call or a word at the gate works better;
- reached: joined, and not silent.

Only slips whose deadline has passed count (a parent is not silent about a slip still open), and
fewer than N such slips never make anyone silent: three unanswered slips say something, one
does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

DEFAULT_SILENT_AFTER = 3
SILENT_AFTER_LIMITS = (1, 20)

_NOT_JOINED = "not_joined"
_JOINED = "joined"


class Reach(StrEnum):
    """How the bot reaches a guardian, as the brugfiguur's list names it."""

    NEVER_JOINED = "never_joined"
    BLOCKED = "blocked"  # blocked the bot, account gone, or stopped
    SILENT = "silent"
    REACHED = "reached"

    @property
    def through_the_bot(self) -> bool:
        """Messages arrive on the parent's phone (whether they answer is another matter)."""
        return self in (Reach.SILENT, Reach.REACHED)


def reach_of(reachability: str, recent_answered: Sequence[bool], silent_after: int) -> Reach:
    """The state of a guardian from their stored reachability ('not_joined', 'joined',
    'blocked', 'gone', 'stopped') and, newest first, whether they answered each of the last
    slips that reached them and whose deadline has passed."""
    if reachability == _NOT_JOINED:
        return Reach.NEVER_JOINED
    if reachability != _JOINED:
        return Reach.BLOCKED
    last = list(recent_answered[:silent_after])
    if silent_after > 0 and len(last) >= silent_after and not any(last):
        return Reach.SILENT
    return Reach.REACHED


def check_silent_after(value: int) -> bool:
    """True when N is a sensible number of slips (1 to 20)."""
    low, high = SILENT_AFTER_LIMITS
    return low <= value <= high
