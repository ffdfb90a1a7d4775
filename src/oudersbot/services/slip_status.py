"""Who answered a slip: per slip and class the tally, and per child the latest answer, the
questions and the guardians (what the tally and the follow-up list are built from)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy.orm import Session

from oudersbot.domain.reach import Reach, reach_of
from oudersbot.services.viewers import Viewer
from oudersbot.store.slip_status import (
    SlipHeader,
    followups_done,
    group_names,
    questions_asked,
    recent_slip_answers,
    silent_after_slips,
    slip_children,
    slips_of_school,
)

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


# GuardianLine, ChildState (and FollowUpItem) are named tuples, not frozen dataclasses: a
# school's list holds thousands, and a named tuple is made in a fraction of the time.


class GuardianLine(NamedTuple):
    """A guardian as the liaison needs them: name, language, phone, reachability, and what the
    liaison did for them about this child, (action, outcome) in order."""

    guardian_id: int
    name: str
    language: str
    phone: str | None
    reach: Reach
    followups: tuple[tuple[str, str], ...] = ()


class ChildState(NamedTuple):
    """One child on a slip: the latest answer, any questions, and their guardians."""

    child_id: int
    child: str
    group: str
    answer: str | None
    questions: tuple[str, ...]
    guardians: tuple[GuardianLine, ...]


@dataclass(frozen=True)
class SlipTally:
    """Per slip and class: answered, not answered, questions, unreachable."""

    message_id: int
    title: str
    deadline: datetime | None
    group: str
    answered: int
    not_answered: int
    questions: int
    unreachable: int
    by_answer: dict[str, int] = field(default_factory=dict)
    children: tuple[ChildState, ...] = ()  # names, only for the viewer's own classes


def title(text_nl: str) -> str:
    """A slip's first line, as a list names it."""
    first_line = text_nl.strip().splitlines()[0] if text_nl.strip() else ""
    return first_line if len(first_line) <= 60 else first_line[:57] + "…"


def child_states(
    session: Session,
    school_id: int,
    slips: Sequence[SlipHeader],
    *,
    now: datetime,
    only_open: bool = False,
) -> dict[int, list[ChildState]]:
    """The children of these slips (`only_open`: those without an answer or with a question)
    with their latest answer, questions and guardians (each with their reach at `now`); a
    handful of statements whatever the number of slips."""
    states: dict[int, list[ChildState]] = {slip.message_id: [] for slip in slips}
    if not slips:
        return states
    ids = list(states)
    audiences = {slip.message_id: slip.groups for slip in slips}
    silent_after = silent_after_slips(session, school_id=school_id)
    recent = recent_slip_answers(session, school_id=school_id, last=silent_after, now=now)
    questions = questions_asked(session, slip_ids=ids)
    done = followups_done(session, slip_ids=ids)
    rows = slip_children(session, school_id=school_id, audiences=audiences, only_open=only_open)
    for (message_id, child_id), same_child in groupby(
        rows, key=lambda r: (r.message_id, r.child_id)
    ):
        guardians = list(same_child)  # one row per guardian
        first = guardians[0]
        lines = tuple(
            GuardianLine(
                row.guardian_id,
                row.guardian,
                row.language,
                row.phone,
                reach_of(row.reachability, recent.get(row.guardian_id, ()), silent_after),
                tuple(
                    (d.action, d.outcome)
                    for d in done.get((message_id, row.guardian_id), ())
                    if d.child_id in (None, child_id)
                ),
            )
            for row in guardians
        )
        questions_of = tuple(questions.get((message_id, first.child_id), ()))
        states[message_id].append(
            ChildState(first.child_id, first.child, first.group, first.answer, questions_of, lines)
        )
    return states


def slip_status(deps: Deps, viewer: Viewer, *, slip_id: int | None = None) -> list[SlipTally]:
    """The tally per slip and class; children's names only for the viewer's own classes."""
    tallies = []
    with deps.db.session() as session:
        own = group_names(session, group_ids=viewer.group_ids)
        found = slips_of_school(session, school_id=viewer.school_id, slip_id=slip_id)
        all_states = child_states(session, viewer.school_id, found, now=deps.clock.now())
    for slip in found:
        states = all_states[slip.message_id]
        for group in sorted({s.group for s in states}):
            if not viewer.sees_school and group not in own:
                continue
            in_group = [s for s in states if s.group == group]
            by_answer: dict[str, int] = {}
            for state in in_group:
                if state.answer:
                    by_answer[state.answer] = by_answer.get(state.answer, 0) + 1
            named = viewer.sees_school or group in own
            tallies.append(
                SlipTally(
                    slip.message_id,
                    title(slip.text_nl),
                    slip.deadline,
                    group,
                    answered=sum(1 for s in in_group if s.answer),
                    not_answered=sum(1 for s in in_group if not s.answer),
                    questions=sum(1 for s in in_group if s.questions),
                    unreachable=sum(
                        1
                        for s in in_group
                        if not s.answer and not any(g.reach.through_the_bot for g in s.guardians)
                    ),
                    by_answer=by_answer,
                    children=tuple(_without_phones(s) for s in in_group) if named else (),
                )
            )
    return tallies


def _without_phones(state: ChildState) -> ChildState:
    return ChildState(
        state.child_id,
        state.child,
        state.group,
        state.answer,
        state.questions,
        tuple(
            GuardianLine(g.guardian_id, g.name, g.language, None, g.reach, g.followups)
            for g in state.guardians
        ),
    )
