"""The desk's "Vandaag": what needs attention now, from the same services as `oudersbot status`,
`/overzicht` and the follow-up list: the slips still open (soonest deadline first) with the
children without an answer, the questions and the families the bot cannot reach, and the
messages that may not have arrived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from oudersbot.services.followup import UnconfirmedItem, unconfirmed_list
from oudersbot.services.slip_status import SlipTally, slip_status
from oudersbot.services.viewers import Viewer

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

CLOSING_SOON = timedelta(days=2)


@dataclass(frozen=True)
class Today:
    """One viewer's day: the open slips per class, and the totals over them."""

    open_slips: list[SlipTally]
    closing_before: datetime
    without_answer: int
    questions: int
    unreachable: int
    unconfirmed: list[UnconfirmedItem]

    @property
    def closing(self) -> list[SlipTally]:
        """The open slips whose deadline is near."""
        return [t for t in self.open_slips if t.deadline and t.deadline <= self.closing_before]


def today(deps: Deps, viewer: Viewer) -> Today:
    """What needs attention for this viewer (a teacher: their own classes' names only)."""
    tallies = slip_status(deps, viewer, still_open=True)
    now = deps.clock.now()
    tallies.sort(key=lambda t: (t.deadline or now, t.group))
    return Today(
        open_slips=tallies,
        closing_before=now + CLOSING_SOON,
        without_answer=sum(t.not_answered for t in tallies),
        questions=sum(t.questions for t in tallies),
        unreachable=sum(t.unreachable for t in tallies),
        unconfirmed=unconfirmed_list(deps, viewer),
    )
