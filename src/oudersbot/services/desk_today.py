"""The desk's "Vandaag": what needs attention now, from the same pieces as `/overzicht` and the
follow-up list: the slips still open (soonest deadline first) per class with the children
without an answer, the questions and the families the bot cannot reach, and the messages that
may not have arrived, the families who asked "Uitleg graag" and wait for it, and the open
conversations (longest waiting first). Only the children still open are read (not every
answer), so the page stays quick for a school with many slips."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from oudersbot.services.conversation_list import WaitingItem, waiting_list
from oudersbot.services.followup import UnconfirmedItem, unconfirmed_list
from oudersbot.services.slip_status import child_states, title
from oudersbot.services.understanding import ExplainItem, explain_waiting
from oudersbot.services.viewers import Viewer
from oudersbot.store.slip_status import group_names, slips_of_school

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

CLOSING_SOON = timedelta(days=2)
LONGEST_WAITING = 5  # the open conversations "Vandaag" names; the count covers them all


@dataclass(frozen=True)
class OpenSlip:
    """One open slip in one class: what is still missing."""

    message_id: int
    title: str
    deadline: datetime
    group: str
    not_answered: int
    questions: int
    unreachable: int


@dataclass(frozen=True)
class Today:
    """One viewer's day: the open slips per class, and the totals over them."""

    open_slips: list[OpenSlip]
    closing_before: datetime
    unconfirmed: list[UnconfirmedItem]
    explain: list[ExplainItem] = field(default_factory=list)
    conversations: list[WaitingItem] = field(default_factory=list)
    answer_within: int = 0

    @property
    def longest_waiting(self) -> list[WaitingItem]:
        """The open conversations waiting longest (the list is longest waiting first)."""
        return self.conversations[:LONGEST_WAITING]

    @property
    def without_answer(self) -> int:
        """Children without an answer, over every open slip."""
        return sum(s.not_answered for s in self.open_slips)

    @property
    def questions(self) -> int:
        """Children with a question, over every open slip."""
        return sum(s.questions for s in self.open_slips)

    @property
    def unreachable(self) -> int:
        """Children without an answer whom the bot cannot reach."""
        return sum(s.unreachable for s in self.open_slips)

    @property
    def closing(self) -> list[OpenSlip]:
        """The open slips whose deadline is near."""
        return [s for s in self.open_slips if s.deadline <= self.closing_before]


def today(deps: Deps, viewer: Viewer) -> Today:
    """What needs attention for this viewer (a teacher: their own classes only)."""
    now = deps.clock.now()
    with deps.db.session() as session:
        own = group_names(session, group_ids=viewer.group_ids)
        found = [
            s
            for s in slips_of_school(session, school_id=viewer.school_id)
            if s.deadline is not None and s.deadline > now
        ]
        if not viewer.sees_school:
            found = [s for s in found if own.intersection(s.groups)]
        states = child_states(session, viewer.school_id, found, now=now, only_open=True)
    slips = []
    for slip in found:
        per_group: dict[str, list[int]] = {g: [0, 0, 0] for g in slip.groups}
        for state in states[slip.message_id]:
            counts = per_group.setdefault(state.group, [0, 0, 0])
            if not state.answer:
                counts[0] += 1
                if not any(g.reach.through_the_bot for g in state.guardians):
                    counts[2] += 1
            if state.questions:
                counts[1] += 1
        for group, (missing, asked, unreachable) in sorted(per_group.items()):
            if viewer.sees_school or group in own:
                slips.append(
                    OpenSlip(
                        slip.message_id,
                        title(slip.text_nl),
                        slip.deadline or now,
                        group,
                        missing,
                        asked,
                        unreachable,
                    )
                )
    slips.sort(key=lambda s: (s.deadline, s.group))
    waiting = waiting_list(deps, viewer)
    return Today(
        slips,
        now + CLOSING_SOON,
        unconfirmed_list(deps, viewer),
        explain_waiting(deps, viewer),
        waiting.items,
        waiting.answer_within,
    )
