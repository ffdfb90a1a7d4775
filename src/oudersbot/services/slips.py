"""Slips: answer buttons, recording answers, planned reminders, the tally and the follow-up list."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oudersbot.domain.answers import answer_key
from oudersbot.domain.languages import SOURCE_LANGUAGE
from oudersbot.domain.slips import AnswerTap, decode_tap, encode_tap, reminder_times
from oudersbot.store.audience import Recipient
from oudersbot.store.models import (
    Child,
    Delivery,
    FollowUp,
    Group,
    Guardian,
    GuardianChild,
    Message,
    MessageKind,
    Reachability,
    Reply,
    ReplySource,
    Role,
    SlipReminder,
    Staff,
    StaffGroup,
)
from oudersbot.translation.machine import TranslationUnavailableError

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)

FOLLOW_UP_ACTIONS = ("called", "school_gate", "diary_note", "home_visit", "interpreter")
FOLLOW_UP_OUTCOMES = (
    "reached_answered",
    "not_reached",
    "not_understood",
    "cost_problem",
    "wrong_contact",
)


def answer_buttons(
    deps: Deps, message_id: int, options: Sequence[str], recipient: Recipient
) -> list[list[list[str]]]:
    """Big buttons in the guardian's language, one per row; with several children in the
    audience, each button names the child."""
    several = len(recipient.child_ids) > 1
    rows = []
    for child_name, child_id in zip(recipient.children, recipient.child_ids, strict=True):
        for index, option in enumerate(options):
            label = deps.words.text(recipient.language, answer_key(option))
            if several:
                label = f"{child_name}: {label}"
            rows.append([[label, encode_tap(AnswerTap(message_id, child_id, index))]])
    return rows


def plan_reminders(session: Session, deps: Deps, message: Message, deadline: datetime) -> None:
    """One row per reminder rule, written with the slip, before its time comes."""
    for rule, due in reminder_times(deadline, deps.clock.now()).items():
        session.add(
            SlipReminder(
                school_id=message.school_id,
                message_id=message.id,
                rule=rule,
                due_at=due,
                status="pending",
            )
        )


class TapOutcome(StrEnum):
    """What happened to an answer button press."""

    RECORDED = "recorded"
    CHANGED = "changed"
    SAME = "same"  # the same tap delivered again, or the same answer again
    CLOSED = "closed"  # after the deadline
    REFUSED = "refused"  # forged, another chat's, not this guardian's child


@dataclass(frozen=True)
class TapResult:
    """The outcome, with what the bot needs to confirm it in the parent's language."""

    outcome: TapOutcome
    language: str = SOURCE_LANGUAGE
    child: str | None = None
    option: str | None = None
    buttons: list[list[list[str]]] | None = None
    # The other guardians of the child who got the slip: (chat, Telegram message, buttons),
    # so they see it is answered.
    others: tuple[tuple[int, int, list[list[list[str]]]], ...] = ()


_LATEST_ANSWER = (
    select(Reply.answer)
    .where(Reply.message_id == Message.id, Reply.child_id == Child.id, Reply.answer.is_not(None))
    .order_by(Reply.received_at.desc(), Reply.id.desc())
    .limit(1)
    .correlate(Message, Child)
    .scalar_subquery()
)


def record_tap(deps: Deps, *, chat_id: int, data: str, tap_id: str) -> TapResult:
    """Record an answer from a button, if it is one this chat may give; never a wrong answer.

    Three statements: who, what and the latest answer in one; the new answer (the same
    Telegram callback twice hits the unique tap id); the child's other guardians."""
    tap = decode_tap(data)
    if tap is None:
        log.warning("refused answer data %r from chat %s", data, chat_id)
        return TapResult(TapOutcome.REFUSED)
    now = deps.clock.now()
    with deps.db.session() as session:
        row = session.execute(
            select(
                Guardian.id,
                Guardian.language,
                Message.school_id,
                Message.answers,
                Message.deadline,
                Message.audience,
                Child.first_name,
                Group.name,
                Delivery.buttons,
                _LATEST_ANSWER,
            )
            .select_from(Guardian)
            .join(Delivery, Delivery.guardian_id == Guardian.id)
            .join(Message, Message.id == Delivery.message_id)
            .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
            .join(Child, Child.id == GuardianChild.child_id)
            .join(Group, Group.id == Child.group_id)
            .where(
                Guardian.chat_id == chat_id,
                Message.id == tap.message_id,
                Message.kind == MessageKind.SLIP.value,
                Child.id == tap.child_id,
                Message.school_id == Guardian.school_id,
            )
        ).first()
        if row is None or row.name not in (row.audience or {}).get("groups", []):
            log.warning("refused answer %r from chat %s: not theirs", data, chat_id)
            return TapResult(TapOutcome.REFUSED)
        guardian_id, language, school_id, options = row[0], row[1], row[2], row[3] or []
        if tap.option >= len(options):
            log.warning("refused answer %r from chat %s: no such option", data, chat_id)
            return TapResult(TapOutcome.REFUSED, language)
        option = options[tap.option]

        def result(outcome: TapOutcome) -> TapResult:
            return TapResult(outcome, language, row.first_name, option, row.buttons)

        if row.deadline is not None and now >= row.deadline:
            return result(TapOutcome.CLOSED)
        latest = row[9]
        outcome = TapOutcome.RECORDED
        if latest is not None:
            outcome = TapOutcome.SAME if latest == option else TapOutcome.CHANGED
        try:
            session.execute(
                insert(Reply).values(
                    school_id=school_id,
                    message_id=tap.message_id,
                    child_id=tap.child_id,
                    guardian_id=guardian_id,
                    answer=option,
                    source=ReplySource.BUTTON.value,
                    tap_id=tap_id,
                    received_at=now,
                )
            )
        except IntegrityError:  # the same tap delivered again
            session.rollback()
            return result(TapOutcome.SAME)
        if outcome is TapOutcome.SAME:
            return result(outcome)
        others = session.execute(
            select(Guardian.chat_id, Delivery.telegram_message_id, Delivery.buttons)
            .join(Delivery, Delivery.guardian_id == Guardian.id)
            .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
            .where(
                Delivery.message_id == tap.message_id,
                GuardianChild.child_id == tap.child_id,
                Guardian.id != guardian_id,
                Guardian.chat_id.is_not(None),
                Delivery.telegram_message_id.is_not(None),
            )
        ).all()
        return replace(
            result(outcome),
            others=tuple((c, m, b) for c, m, b in others if c is not None and m and b),
        )


@dataclass(frozen=True)
class QuestionResult:
    """A parent's own words stored with an open slip."""

    message_id: int
    children: tuple[str, ...]
    language: str


def record_question(deps: Deps, *, chat_id: int, text: str) -> QuestionResult | None:
    """Free text from a guardian with an open slip: kept with that slip (for every child of
    theirs it asks about), translated to Dutch for staff. None when no slip is open."""
    now = deps.clock.now()
    with deps.db.session() as session:
        guardian = session.scalar(select(Guardian).where(Guardian.chat_id == chat_id))
        if guardian is None:
            return None
        message = session.scalar(
            select(Message)
            .join(Delivery, Delivery.message_id == Message.id)
            .where(
                Delivery.guardian_id == guardian.id,
                Message.kind == MessageKind.SLIP.value,
                Message.deadline > now,
            )
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(1)
        )
        if message is None:
            return None
        groups = set((message.audience or {}).get("groups", []))
        children = [c for c in guardian.children if c.group.name in groups]
        language, message_id, school_id = guardian.language, message.id, message.school_id
    text_nl = _to_dutch(deps, text, language)
    with deps.db.session() as session:
        for child in children:
            session.add(
                Reply(
                    school_id=school_id,
                    message_id=message_id,
                    child_id=child.id,
                    guardian_id=guardian.id,
                    answer=None,
                    text=text,
                    text_nl=text_nl,
                    source=ReplySource.TEXT.value,
                    received_at=now,
                )
            )
    return QuestionResult(message_id, tuple(c.first_name for c in children), language)


def _to_dutch(deps: Deps, text: str, language: str) -> str | None:
    if language.split("-")[0] == SOURCE_LANGUAGE:
        return text
    try:
        return deps.translator.translate(text, source=language, target=SOURCE_LANGUAGE)
    except TranslationUnavailableError as exc:
        log.info("question not translated to Dutch: %s", exc)
        return None


# --- who may see what ------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """Who asks: a teacher (own classes only), a liaison (the whole school), or the school's
    administrator at the command line (the whole school, like a liaison)."""

    school_id: int
    role: str
    group_ids: frozenset[int] = frozenset()
    name: str = "school"

    @property
    def sees_school(self) -> bool:
        """Liaison and administrator see every class."""
        return self.role in (Role.LIAISON.value, "admin")

    @property
    def sees_phones(self) -> bool:
        """Phone numbers only for the liaison (and the administrator)."""
        return self.sees_school


class NotAllowedError(PermissionError):
    """This role may not do this."""


def viewer_for_chat(deps: Deps, chat_id: int) -> Viewer | None:
    """The staff member behind a chat, with their classes; None for anyone else."""
    with deps.db.session() as session:
        staff = session.scalar(select(Staff).where(Staff.chat_id == chat_id))
        if staff is None:
            return None
        groups = frozenset(
            session.scalars(select(StaffGroup.group_id).where(StaffGroup.staff_id == staff.id))
        )
        return Viewer(staff.school_id, staff.role, groups, staff.name)


def admin_viewer(school_id: int) -> Viewer:
    """The command line: the school's administrator."""
    return Viewer(school_id, "admin", frozenset(), "school")


# --- the tally and the follow-up list -----------------------------------------------------


@dataclass(frozen=True)
class ChildState:
    """One child on a slip: the latest answer, any questions, and their guardians."""

    child_id: int
    child: str
    group: str
    answer: str | None
    questions: tuple[str, ...]
    guardians: tuple[GuardianLine, ...]


@dataclass(frozen=True)
class GuardianLine:
    """A guardian as the liaison needs them: name, language, phone, reachability."""

    guardian_id: int
    name: str
    language: str
    phone: str | None
    reach: str  # joined_silent, never_joined, blocked
    followups: tuple[tuple[str, str], ...] = ()


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


def _slips_for(session: Session, viewer: Viewer, slip_id: int | None) -> list[Message]:
    query = select(Message).where(
        Message.school_id == viewer.school_id, Message.kind == MessageKind.SLIP.value
    )
    if slip_id is not None:
        query = query.where(Message.id == slip_id)
    return list(session.scalars(query.order_by(Message.id)))


def _child_states(session: Session, slips: Sequence[Message]) -> dict[int, list[ChildState]]:
    """Every slip's children with their latest answer, questions and guardians, in four
    queries whatever the number of slips."""
    if not slips:
        return {}
    school_id = slips[0].school_id
    ids = [m.id for m in slips]
    people = session.execute(
        select(
            Child.id,
            Child.first_name,
            Group.name,
            Guardian.id,
            Guardian.name,
            Guardian.language,
            Guardian.phone,
            Guardian.reachability,
        )
        .join(Group, Group.id == Child.group_id)
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Guardian, Guardian.id == GuardianChild.guardian_id)
        .where(Group.school_id == school_id)
        .order_by(Group.name, Child.first_name, Guardian.name)
    ).all()
    latest: dict[tuple[int, int], str] = {}
    questions: dict[tuple[int, int], list[str]] = {}
    for message_id, child_id, answer, text, text_nl in session.execute(
        select(Reply.message_id, Reply.child_id, Reply.answer, Reply.text, Reply.text_nl)
        .where(Reply.message_id.in_(ids))
        .order_by(Reply.received_at, Reply.id)
    ):
        if answer is not None:
            latest[(message_id, child_id)] = answer
        else:
            questions.setdefault((message_id, child_id), []).append(text_nl or text or "")
    done: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for message_id, guardian_id, action, outcome in session.execute(
        select(FollowUp.message_id, FollowUp.guardian_id, FollowUp.action, FollowUp.outcome)
        .where(FollowUp.message_id.in_(ids))
        .order_by(FollowUp.id)
    ):
        done.setdefault((message_id, guardian_id), []).append((action, outcome))
    by_group: dict[str, dict[int, tuple[str, list[tuple[int, str, str, str | None, str]]]]] = {}
    for child_id, child_name, group, guardian_id, name, language, phone, reach in people:
        entry = by_group.setdefault(group, {}).setdefault(child_id, (child_name, []))
        entry[1].append((guardian_id, name, language, phone, reach))
    states: dict[int, list[ChildState]] = {}
    for message in slips:
        out = states.setdefault(message.id, [])
        for group in sorted(set((message.audience or {}).get("groups", []))):
            for child_id, (child_name, guardians) in by_group.get(group, {}).items():
                key = (message.id, child_id)
                lines = []
                for guardian_id, name, language, phone, reachability in guardians:
                    lines.append(
                        GuardianLine(
                            guardian_id,
                            name,
                            language,
                            phone,
                            _REACH.get(reachability, "blocked"),
                            tuple(done.get((message.id, guardian_id), [])),
                        )
                    )
                out.append(
                    ChildState(
                        child_id,
                        child_name,
                        group,
                        latest.get(key),
                        tuple(questions.get(key, [])),
                        tuple(lines),
                    )
                )
    return states


_REACH = {Reachability.JOINED.value: "joined_silent", Reachability.NOT_JOINED.value: "never_joined"}


def _title(message: Message) -> str:
    first_line = message.text_nl.strip().splitlines()[0] if message.text_nl.strip() else ""
    return first_line if len(first_line) <= 60 else first_line[:57] + "…"


def slip_status(deps: Deps, viewer: Viewer, *, slip_id: int | None = None) -> list[SlipTally]:
    """The tally per slip and class; children's names only for the viewer's own classes."""
    tallies = []
    with deps.db.session() as session:
        own = set(session.scalars(select(Group.name).where(Group.id.in_(viewer.group_ids))))
        found = _slips_for(session, viewer, slip_id)
        all_states = _child_states(session, found)
        for message in found:
            states = all_states[message.id]
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
                        message.id,
                        _title(message),
                        message.deadline,
                        group,
                        answered=sum(1 for s in in_group if s.answer),
                        not_answered=sum(1 for s in in_group if not s.answer),
                        questions=sum(1 for s in in_group if s.questions),
                        unreachable=sum(
                            1
                            for s in in_group
                            if not s.answer and all(g.reach != "joined_silent" for g in s.guardians)
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


@dataclass(frozen=True)
class FollowUpItem:
    """One child to follow up on one slip: no answer, or a question."""

    message_id: int
    title: str
    deadline: datetime | None
    state: ChildState

    @property
    def open(self) -> bool:
        """Still to do: no guardian of this child has an outcome recorded."""
        return not any(g.followups for g in self.state.guardians)


def followup_list(deps: Deps, viewer: Viewer, *, slip_id: int | None = None) -> list[FollowUpItem]:
    """The liaison's list: per slip, each child without an answer or with a question, with
    each guardian's name, language, phone and reachability, and what was already done."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison works the follow-up list")
    items = []
    with deps.db.session() as session:
        found = _slips_for(session, viewer, slip_id)
        all_states = _child_states(session, found)
        for message in found:
            for state in all_states[message.id]:
                if state.answer is None or state.questions:
                    items.append(FollowUpItem(message.id, _title(message), message.deadline, state))
    return items


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
        message = session.get(Message, slip_id)
        guardian = session.get(Guardian, guardian_id)
        if (
            message is None
            or message.kind != MessageKind.SLIP.value
            or message.school_id != viewer.school_id
            or guardian is None
            or guardian.school_id != viewer.school_id
        ):
            raise FollowUpError(
                "no_slip",
                f"no slip {slip_id} with guardian {guardian_id} in this school",
                slip=slip_id,
            )
        groups = set((message.audience or {}).get("groups", []))
        children = [c for c in guardian.children if c.group.name in groups]
        if not children:
            raise FollowUpError(
                "no_child", f"guardian {guardian_id} has no child on slip {slip_id}", slip=slip_id
            )
        if outcome == "reached_answered":
            if answer not in (message.answers or []):
                known = ", ".join(message.answers or [])
                raise FollowUpError(
                    "bad_answer", f"the answer must be one of {known}", value=answer, known=known
                )
            for child in children:
                session.add(
                    Reply(
                        school_id=message.school_id,
                        message_id=message.id,
                        child_id=child.id,
                        guardian_id=guardian.id,
                        answer=answer,
                        source=ReplySource.LIAISON.value,
                        recorded_by=viewer.name,
                        received_at=now,
                    )
                )
        session.add(
            FollowUp(
                school_id=message.school_id,
                message_id=message.id,
                guardian_id=guardian.id,
                action=action,
                outcome=outcome,
                note=note,
                recorded_by=viewer.name,
                recorded_at=now,
            )
        )


def find_guardian(deps: Deps, school_id: int, name: str) -> int | None:
    """A guardian's id by name (case-insensitive), for the command line."""
    with deps.db.session() as session:
        return session.scalar(
            select(Guardian.id).where(
                Guardian.school_id == school_id, func.lower(Guardian.name) == name.lower()
            )
        )


def pending_reminders(session: Session, now: datetime) -> Sequence[Any]:
    """Reminder rows that are due."""
    return session.scalars(
        select(SlipReminder)
        .where(SlipReminder.status == "pending", SlipReminder.due_at <= now)
        .order_by(SlipReminder.due_at)
    ).all()


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
        row = session.execute(
            select(Guardian.name, Message.answers)
            .select_from(Message)
            .join(Guardian, Guardian.school_id == Message.school_id)
            .where(
                Message.id == slip_id,
                Message.kind == MessageKind.SLIP.value,
                Message.school_id == viewer.school_id,
                Guardian.id == guardian_id,
            )
        ).first()
    if row is None:
        return None
    return FollowUpTarget(row[0], tuple(row[1] or ()))
