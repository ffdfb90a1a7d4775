"""Open conversations as staff see them: `/gesprekken` and `oudersbot gesprekken` (longest
waiting first; a teacher their own classes, the brugfiguur the whole school), and the
brugfiguur's section of questions without an answer after the school's answer time, counted
in school hours (`domain/school_hours.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from oudersbot.domain.school_hours import school_hours_between
from oudersbot.services.conversations import concerned_children, may_answer, visible_conversation
from oudersbot.services.slip_status import title
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.conversations import (
    ChildInClass,
    answer_within_hours,
    guardian_of,
    latest_parent_message,
    messages_of,
    open_conversations,
    set_answer_within_hours,
    slip_titles_of,
)
from oudersbot.store.models import ConversationStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from oudersbot.bootstrap import Deps

MIN_HOURS, MAX_HOURS = 1, 200


@dataclass(frozen=True)
class WaitingItem:
    """One conversation waiting for the school."""

    conversation_id: int
    message_id: int
    guardian: str
    language: str
    children: tuple[ChildInClass, ...]
    waiting_since: datetime
    school_hours: float
    kind: str
    text: str | None
    dutch: str | None  # None: not translated
    overdue: bool


@dataclass(frozen=True)
class WaitingList:
    """The open conversations a viewer may see, and the school's answer time."""

    items: list[WaitingItem]
    answer_within: int


def waiting_list(deps: Deps, viewer: Viewer) -> WaitingList:
    """Open conversations, longest waiting first: the brugfiguur (and the administrator) every
    one of the school, a teacher those about a child of their classes."""
    groups = None if viewer.sees_school else viewer.group_ids
    now = deps.clock.now()
    with deps.db.session() as session:
        rows = open_conversations(session, school_id=viewer.school_id, group_ids=groups)
        hours = answer_within_hours(session, school_id=viewer.school_id)
        rules = deps.outbox.rules(session, viewer.school_id)
    items = []
    for row in rows:
        waited = school_hours_between(rules, row.waiting_since, now)
        items.append(
            WaitingItem(
                row.conversation_id,
                row.first_message_id,
                row.guardian,
                row.language,
                row.children,
                row.waiting_since,
                waited,
                row.first_kind,
                row.first_text,
                row.first_translated,
                waited >= hours,
            )
        )
    return WaitingList(items, hours)


def unanswered(deps: Deps, viewer: Viewer) -> WaitingList:
    """The brugfiguur's section: questions without a staff answer after the school's answer
    time (24 school hours unless the school set another)."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison works the follow-up list")
    found = waiting_list(deps, viewer)
    return WaitingList([item for item in found.items if item.overdue], found.answer_within)


class AnswerTimeError(ValueError):
    """An answer time out of range."""


def set_answer_time(deps: Deps, viewer: Viewer, *, hours: int) -> None:
    """The school's answer time, in school hours (1 to 200); the brugfiguur or administrator."""
    if not viewer.sees_school:
        raise NotAllowedError(viewer.role)
    if not MIN_HOURS <= hours <= MAX_HOURS:
        raise AnswerTimeError(hours)
    with deps.db.session() as session:
        set_answer_within_hours(session, school_id=viewer.school_id, hours=hours)


@dataclass(frozen=True)
class ThreadLine:
    """One message of a conversation, as staff read it back."""

    at: datetime
    direction: str
    who: str
    kind: str
    text: str | None
    language: str
    translated: str | None
    slip_title: str | None = None  # the slip a parent's message was about


def thread(deps: Deps, viewer: Viewer, *, conversation_id: int) -> list[ThreadLine] | None:
    """Both sides of one conversation, in order; None when there is no such conversation of
    the school, or it is about no child of the teacher's classes."""
    with deps.db.session() as session:
        visible = visible_conversation(session, viewer, conversation_id)
        if visible is None:
            return None
        guardian = guardian_of(session, guardian_id=visible[0].guardian_id)
        return _lines(session, conversation_id, guardian.name)


def _lines(session: Session, conversation_id: int, guardian: str) -> list[ThreadLine]:
    rows = messages_of(session, conversation_id=conversation_id)
    slip_titles = slip_titles_of(session, message_ids={r.slip_id for r in rows if r.slip_id})
    return [
        ThreadLine(
            row.at,
            row.direction,
            (row.staff_name or "") if row.direction == "staff" else guardian,
            row.kind,
            row.text,
            row.language,
            row.translated,
            title(slip_titles[row.slip_id]) if row.slip_id in slip_titles else None,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ConversationPage:
    """One conversation as the desk shows it: the family, whether and since when it waits, both
    sides in order, and whether the viewer may answer. The phone number only for the
    brugfiguur (the liaison role), never for a teacher or the administrator."""

    conversation_id: int
    guardian: str
    language: str
    phone: str | None
    children: tuple[ChildInClass, ...]
    waiting_since: datetime | None
    school_hours: float | None
    lines: list[ThreadLine]
    can_answer: bool
    handled_by: str | None = None  # marked handled without an answer, by whom and when
    handled_at: datetime | None = None


def conversation_page(
    deps: Deps, viewer: Viewer, *, conversation_id: int
) -> ConversationPage | None:
    """One conversation for the desk; None as `thread` (another school's, or about no child of
    the teacher's classes)."""
    now = deps.clock.now()
    with deps.db.session() as session:
        visible = visible_conversation(session, viewer, conversation_id)
        if visible is None:
            return None
        found, children = visible
        guardian = guardian_of(session, guardian_id=found.guardian_id)
        lines = _lines(session, conversation_id, guardian.name)
        asked = latest_parent_message(session, conversation_id=conversation_id)
        concerned = children
        if asked is not None:
            concerned = concerned_children(children, asked)
        waiting = found.waiting_since if found.status == ConversationStatus.OPEN.value else None
        handled_by, handled_at = found.handled_by, found.handled_at  # cleared when it reopens
        rules = deps.outbox.rules(session, viewer.school_id)
        name, language = guardian.name, guardian.language
        phone = guardian.phone if viewer.sees_phones else None
    return ConversationPage(
        conversation_id,
        name,
        language,
        phone,
        concerned,
        waiting,
        school_hours_between(rules, waiting, now) if waiting else None,
        lines,
        asked is not None and may_answer(viewer.role, viewer.group_ids, concerned),
        handled_by,
        handled_at,
    )
