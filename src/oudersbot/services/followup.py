"""The liaison's follow-up: who to reach about a slip (no answer, or a question), what was done
about it, and which messages may not have reached a parent at all."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from oudersbot.services.slip_status import ChildState, child_states, title
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.followup import (
    UnconfirmedDelivery,
    add_followup,
    guardian_by_name,
    guardian_on_slip,
    unconfirmed_deliveries,
)
from oudersbot.store.slip_status import slips_of_school
from oudersbot.store.slips import add_liaison_answer

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

FOLLOW_UP_ACTIONS = ("called", "school_gate", "diary_note", "home_visit", "interpreter")
FOLLOW_UP_OUTCOMES = (
    "reached_answered",
    "not_reached",
    "not_understood",
    "cost_problem",
    "wrong_contact",
)


class FollowUpItem(NamedTuple):
    """One child to follow up on one slip: no answer, or a question."""

    message_id: int
    title: str
    deadline: datetime | None
    state: ChildState

    @property
    def open(self) -> bool:
        """Still to do: no guardian of this child has an outcome recorded."""
        return not any(g.followups for g in self.state.guardians)


@dataclass(frozen=True)
class UnconfirmedItem:
    """A message of any kind that may not have reached a guardian (its sending was cut off
    halfway and is never repeated by itself), as the liaison needs it."""

    delivery_id: int
    message_id: int
    kind: str
    title: str
    date: datetime
    guardian_id: int
    guardian: str
    language: str
    phone: str | None


@dataclass(frozen=True)
class FollowUpOverview:
    """Everything on the liaison's list: the slips' children, then the unconfirmed messages."""

    items: list[FollowUpItem]
    unconfirmed: list[UnconfirmedItem]


def followup_list(deps: Deps, viewer: Viewer, *, slip_id: int | None = None) -> list[FollowUpItem]:
    """The liaison's list: per slip, each child without an answer or with a question, with
    each guardian's name, language, phone and reachability, and what was already done."""
    return followup_overview(deps, viewer, slip_id=slip_id, unconfirmed=False).items


def followup_overview(
    deps: Deps, viewer: Viewer, *, slip_id: int | None = None, unconfirmed: bool = True
) -> FollowUpOverview:
    """The follow-up list and (`unconfirmed`) the messages that may not have arrived, of the
    slip asked for or of every message; for the liaison (and the administrator) only."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison works the follow-up list")
    items = []
    with deps.db.session() as session:
        found = slips_of_school(session, school_id=viewer.school_id, slip_id=slip_id)
        all_states = child_states(session, viewer.school_id, found, only_open=True)
        unsure = (
            unconfirmed_deliveries(session, school_id=viewer.school_id, message_id=slip_id)
            if unconfirmed
            else []
        )
    for slip in found:
        slip_title = title(slip.text_nl)
        for state in all_states[slip.message_id]:
            items.append(FollowUpItem(slip.message_id, slip_title, slip.deadline, state))
    return FollowUpOverview(items, [_unconfirmed_item(row) for row in unsure])


def unconfirmed_list(deps: Deps, viewer: Viewer) -> list[UnconfirmedItem]:
    """Messages of every kind that may not have reached a guardian: the whole school with
    phones for the liaison, a teacher's own classes without."""
    group_ids = None if viewer.sees_school else viewer.group_ids
    with deps.db.session() as session:
        rows = unconfirmed_deliveries(session, school_id=viewer.school_id, group_ids=group_ids)
    items = [_unconfirmed_item(row) for row in rows]
    return items if viewer.sees_phones else [replace(i, phone=None) for i in items]


def _unconfirmed_item(row: UnconfirmedDelivery) -> UnconfirmedItem:
    return UnconfirmedItem(
        row.delivery_id,
        row.message_id,
        row.kind,
        title(row.text_nl),
        row.attempted_at or row.created_at,
        row.guardian_id,
        row.guardian,
        row.language,
        row.phone,
    )


class FollowUpError(ValueError):
    """A follow-up that cannot be recorded as asked; `code` and `params` name the staff words
    (`cli.followup.problem.<code>`)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def record_followup(
    deps: Deps,
    viewer: Viewer,
    *,
    slip_id: int,
    guardian_id: int,
    action: str,
    outcome: str,
    answer: str | None = None,
    note: str | None = None,
) -> None:
    """What the liaison did for one guardian; with 'reached_answered' also the answer they
    give on the parent's behalf (for each of the guardian's children on the slip)."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison records follow-up")
    if action not in FOLLOW_UP_ACTIONS:
        known = ", ".join(FOLLOW_UP_ACTIONS)
        raise FollowUpError(
            "unknown_action", f"unknown action {action!r}", value=action, known=known
        )
    if outcome not in FOLLOW_UP_OUTCOMES:
        known = ", ".join(FOLLOW_UP_OUTCOMES)
        raise FollowUpError(
            "unknown_outcome", f"unknown outcome {outcome!r}", value=outcome, known=known
        )
    now = deps.clock.now()
    with deps.db.session() as session:
        found = guardian_on_slip(
            session, school_id=viewer.school_id, slip_id=slip_id, guardian_id=guardian_id
        )
        if found is None:
            raise FollowUpError(
                "no_slip",
                f"no slip {slip_id} with guardian {guardian_id} in this school",
                slip=slip_id,
            )
        if not found.child_ids:
            raise FollowUpError(
                "no_child", f"guardian {guardian_id} has no child on slip {slip_id}", slip=slip_id
            )
        if outcome == "reached_answered":
            if answer not in found.answers:
                known = ", ".join(found.answers)
                raise FollowUpError(
                    "bad_answer", f"the answer must be one of {known}", value=answer, known=known
                )
            add_liaison_answer(
                session,
                school_id=found.school_id,
                message_id=slip_id,
                guardian_id=guardian_id,
                child_ids=found.child_ids,
                answer=answer,
                recorded_by=viewer.name,
                received_at=now,
            )
        add_followup(
            session,
            school_id=found.school_id,
            slip_id=slip_id,
            guardian_id=guardian_id,
            action=action,
            outcome=outcome,
            note=note,
            recorded_by=viewer.name,
            recorded_at=now,
        )


def find_guardian(deps: Deps, school_id: int, name: str) -> int | None:
    """A guardian's id by name (case-insensitive), for the command line."""
    with deps.db.session() as session:
        return guardian_by_name(session, school_id=school_id, name=name)


@dataclass(frozen=True)
class FollowUpTarget:
    """A guardian on a slip, as the liaison's buttons need them."""

    guardian: str
    answers: tuple[str, ...]


def followup_target(
    deps: Deps, viewer: Viewer, *, slip_id: int, guardian_id: int
) -> FollowUpTarget | None:
    """The guardian's name and the slip's answer options, when both are of the viewer's school
    and the viewer may follow up."""
    if not viewer.sees_school:
        return None
    with deps.db.session() as session:
        found = guardian_on_slip(
            session, school_id=viewer.school_id, slip_id=slip_id, guardian_id=guardian_id
        )
    if found is None:
        return None
    return FollowUpTarget(found.guardian, found.answers)
