"""The liaison's follow-up: who to reach about a slip (no answer, or a question), what was done
about it, and which messages may not have reached a parent at all."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from oudersbot.domain.answers import answer_key, options_named
from oudersbot.domain.languages import SOURCE_LANGUAGE
from oudersbot.domain.reach import check_silent_after
from oudersbot.services.slip_status import ChildState, child_states, title
from oudersbot.services.understanding import ExplainItem, explain_list
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.audit import record as audit
from oudersbot.store.followup import (
    ChildOfGuardian,
    GuardianOnSlip,
    UnconfirmedDelivery,
    add_followup,
    guardian_on_slip,
    guardians_by_name,
    set_silent_after_slips,
    unconfirmed_deliveries,
)
from oudersbot.store.slip_status import silent_after_slips, slips_of_school
from oudersbot.store.slips import add_liaison_answer

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

FOLLOW_UP_ACTIONS = ("called", "school_gate", "diary_note", "home_visit", "interpreter")
RESOLVED = "reached_answered"
FOLLOW_UP_OUTCOMES = (
    RESOLVED,
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
        """Still to do: no outcome that resolves it ('reached and answered') is recorded for
        this child; 'not reached' and the like are attempts, and the child stays open."""
        return not any(
            outcome == RESOLVED for g in self.state.guardians for _, outcome in g.followups
        )

    @property
    def attempts(self) -> int:
        """How many follow-ups were recorded for this child, with any of its guardians."""
        return sum(len(g.followups) for g in self.state.guardians)


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
    """Everything on the liaison's list: the slips' children, then the unconfirmed messages,
    then the families who asked for an explanation (services/understanding.py)."""

    items: list[FollowUpItem]
    unconfirmed: list[UnconfirmedItem]
    silent_after: int = 3  # the school's N, as the list's words say it
    explain: list[ExplainItem] = field(default_factory=list)


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
        now = deps.clock.now()
        all_states = child_states(session, viewer.school_id, found, now=now, only_open=True)
        silent_after = silent_after_slips(session, school_id=viewer.school_id)
        unsure = (
            unconfirmed_deliveries(session, school_id=viewer.school_id, message_id=slip_id)
            if unconfirmed
            else []
        )
    phones = viewer.sees_phones
    for slip in found:
        slip_title = title(slip.text_nl)
        for state in all_states[slip.message_id]:
            shown = state if phones else _without_phones(state)
            items.append(FollowUpItem(slip.message_id, slip_title, slip.deadline, shown))
    explain = explain_list(deps, viewer) if unconfirmed and slip_id is None else []
    maybe_lost = [_unconfirmed_item(row) for row in unsure]
    if not phones:
        maybe_lost = [replace(item, phone=None) for item in maybe_lost]
    return FollowUpOverview(items, maybe_lost, silent_after, explain)


def _without_phones(state: ChildState) -> ChildState:
    """The administrator sees the school's list, but phone numbers are the liaison's."""
    return state._replace(guardians=tuple(g._replace(phone=None) for g in state.guardians))


def note_export(deps: Deps, viewer: Viewer, *, actor: str, kind: str, rows: int) -> None:
    """The audit line of a follow-up list that leaves the bot as a file (names and phones)."""
    with deps.db.session() as session:
        audit(session, viewer.school_id, deps.clock.now(), actor, "followup.export",
              None, f"{kind}, {rows} rows")  # fmt: skip


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
    child_id: int | None = None,
    child: str | None = None,
    answer: str | None = None,
    note: str | None = None,
    actor: str | None = None,
) -> None:
    """What the liaison did for one guardian about one child (`child_id`, or `child` by first
    name; may be left out when the guardian has one child on the slip); with 'reached and
    answered' also the answer they give on the parent's behalf, in the Dutch words of the
    slip's buttons (or its key). A sibling's answer and follow-up stay as they are. The audit log
    names `actor` (the shell's user) or else the viewer."""
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
        about = _the_child(found, slip_id, child_id, child)
        if outcome == RESOLVED:
            option = _the_answer(deps, found, answer)
            add_liaison_answer(
                session,
                school_id=found.school_id,
                message_id=slip_id,
                guardian_id=guardian_id,
                child_ids=[about.child_id],
                answer=option,
                recorded_by=viewer.name,
                received_at=now,
            )
        add_followup(
            session,
            school_id=found.school_id,
            slip_id=slip_id,
            guardian_id=guardian_id,
            child_id=about.child_id,
            action=action,
            outcome=outcome,
            note=note,
            recorded_by=viewer.name,
            recorded_at=now,
        )
        detail = f"slip {slip_id}, child {about.child_id}: {action}, {outcome}"
        audit(
            session, found.school_id, now, actor or viewer.name, "followup.record",
            f"guardian:{guardian_id}", detail,
        )  # fmt: skip


def _the_child(
    found: GuardianOnSlip, slip_id: int, child_id: int | None, name: str | None
) -> ChildOfGuardian:
    """The one child of the guardian on the slip the liaison means, or a clear refusal."""
    children = found.children
    listed = ", ".join(f"{c.name} ({c.group}, nr. {c.child_id})" for c in children)
    if not children:
        raise FollowUpError(
            "no_child", f"guardian {found.guardian!r} has no child on slip {slip_id}", slip=slip_id
        )
    if child_id is not None:
        matching = [c for c in children if c.child_id == child_id]
    elif name is not None:
        matching = [c for c in children if c.name.casefold() == name.strip().casefold()]
    else:
        matching = list(children) if len(children) == 1 else []
        if not matching:
            raise FollowUpError(
                "which_child",
                f"guardian has {len(children)} children on slip {slip_id}",
                slip=slip_id,
                count=len(children),
                children=listed,
            )
    if len(matching) != 1:
        value = name if child_id is None else child_id
        raise FollowUpError(
            "not_their_child",
            f"child {value!r} is not one child of this guardian on slip {slip_id}",
            value=value,
            slip=slip_id,
            children=listed,
        )
    return matching[0]


def _the_answer(deps: Deps, found: GuardianOnSlip, answer: str | None) -> str:
    """The slip's option that the liaison's words name, or a refusal listing the words."""
    labels = {o: deps.words.text(SOURCE_LANGUAGE, answer_key(o)) for o in found.answers}
    named = options_named(answer or "", found.answers, labels)
    if len(named) != 1:
        known = " / ".join(labels[o] for o in found.answers)
        raise FollowUpError(
            "bad_answer", f"the answer must be one of {known}", value=answer or "", known=known
        )
    return named[0]


def find_guardians(deps: Deps, school_id: int, name: str) -> list[int]:
    """The ids of the guardians with this name (case-insensitive), for the command line."""
    with deps.db.session() as session:
        return guardians_by_name(session, school_id=school_id, name=name)


def set_silent_after(deps: Deps, viewer: Viewer, *, slips: int) -> None:
    """Set the school's N: a joined guardian who answered none of their last N slips is
    'silent' on the list."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison sets the follow-up list")
    if not check_silent_after(slips):
        raise FollowUpError("bad_silent_after", f"{slips} is not 1 to 20", value=slips)
    with deps.db.session() as session:
        set_silent_after_slips(session, school_id=viewer.school_id, slips=slips)


@dataclass(frozen=True)
class FollowUpTarget:
    """A guardian and one of their children on a slip, as the liaison's buttons need them."""

    guardian: str
    child: str
    answers: tuple[str, ...]


def followup_target(
    deps: Deps, viewer: Viewer, *, slip_id: int, guardian_id: int, child_id: int
) -> FollowUpTarget | None:
    """The guardian's and the child's names and the slip's answer options, when all are of the
    viewer's school, the child is the guardian's and on the slip, and the viewer may follow
    up."""
    if not viewer.sees_school:
        return None
    with deps.db.session() as session:
        found = guardian_on_slip(
            session, school_id=viewer.school_id, slip_id=slip_id, guardian_id=guardian_id
        )
    if found is None:
        return None
    child = next((c for c in found.children if c.child_id == child_id), None)
    if child is None:
        return None
    return FollowUpTarget(found.guardian, child.name, found.answers)
