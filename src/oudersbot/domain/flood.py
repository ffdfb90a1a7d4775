"""When the bot stops answering a chat that sends many messages: a pure rule on arrival times.

A parent may write a few lines in a row and gets an answer to each. A chat that sends more
than `replies` messages within `window` gets one line instead ("we received your messages")
and then no answer to each further message, until it has been calm for `calm`. Every message
is still kept: the rule decides only whether the bot answers.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum


class Verdict(Enum):
    """What the bot does with one incoming message of a chat."""

    REPLY = "reply"  # answer as usual
    ANNOUNCE = "announce"  # the chat starts to flood: answer once, "we received your messages"
    QUIET = "quiet"  # still flooding: keep it, answer nothing


@dataclass(frozen=True, slots=True)
class FloodRule:
    """How many answers a chat gets within a window, and how long it must be calm again."""

    replies: int = 5
    window: timedelta = timedelta(minutes=1)
    calm: timedelta = timedelta(minutes=2)

    def __post_init__(self) -> None:
        if self.replies < 1 or self.window <= timedelta(0) or self.calm <= timedelta(0):
            raise ValueError("a flood rule needs at least one reply and positive durations")


@dataclass(slots=True)
class _Chat:
    arrivals: deque[datetime] = field(default_factory=deque)
    quiet_until: datetime | None = None
    last: datetime | None = None


class FloodWatch:
    """The rule applied to every chat's arrivals, in the order they are noted.

    Only what the rule needs is remembered (at most `replies` times per chat), and a chat
    calm for longer than the window and the calm together is forgotten.
    """

    def __init__(self, rule: FloodRule | None = None) -> None:
        self.rule = rule or FloodRule()
        self._chats: dict[int, _Chat] = {}
        self._noted = 0

    def note(self, chat_id: int, at: datetime) -> Verdict:
        """One message of `chat_id` arrived at `at`: answer it, announce, or stay quiet."""
        self._noted += 1
        if self._noted % 1024 == 0:
            self._forget_calm(at)
        chat = self._chats.setdefault(chat_id, _Chat())
        chat.last = at
        if chat.quiet_until is not None and at < chat.quiet_until:
            chat.quiet_until = at + self.rule.calm  # still at it: the calm starts again
            return Verdict.QUIET
        chat.quiet_until = None
        arrivals = chat.arrivals
        arrivals.append(at)
        while arrivals and arrivals[0] <= at - self.rule.window:
            arrivals.popleft()
        if len(arrivals) <= self.rule.replies:
            return Verdict.REPLY
        arrivals.clear()
        chat.quiet_until = at + self.rule.calm
        return Verdict.ANNOUNCE

    def release(self, chat_id: int) -> None:
        """Forget a chat's arrivals (a chat the rule must not quiet, such as a teacher's)."""
        self._chats.pop(chat_id, None)

    def quiet(self, chat_id: int, at: datetime) -> bool:
        """Whether the bot is not answering `chat_id` at `at`."""
        chat = self._chats.get(chat_id)
        return chat is not None and chat.quiet_until is not None and at < chat.quiet_until

    def __len__(self) -> int:
        return len(self._chats)

    def _forget_calm(self, at: datetime) -> None:
        horizon = at - self.rule.window - self.rule.calm
        for chat_id in [c for c, chat in self._chats.items() if chat.last and chat.last < horizon]:
            del self._chats[chat_id]
