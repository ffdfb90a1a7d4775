"""The queries of conversations: a parent's messages, the staff who get them, the replies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Child,
    Conversation,
    ConversationKind,
    ConversationMessage,
    ConversationNotice,
    ConversationStatus,
    Direction,
    Group,
    Guardian,
    GuardianChild,
    Message,
    Role,
    School,
    Staff,
    StaffGroup,
)


@dataclass(frozen=True)
class ChildInClass:
    """A child a conversation is about, with their class."""

    id: int
    name: str
    group_id: int
    group: str


@dataclass(frozen=True)
class Family:
    """The guardian behind a chat, as a conversation needs them."""

    guardian_id: int
    name: str
    language: str
    school_id: int
    children: tuple[ChildInClass, ...]


def children_of(session: Session, *, guardian_id: int) -> tuple[ChildInClass, ...]:
    """The guardian's children still at school, with their classes."""
    rows = session.execute(
        select(Child.id, Child.first_name, Group.id, Group.name)
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Group, Group.id == Child.group_id)
        .where(GuardianChild.guardian_id == guardian_id, Child.left_at.is_(None))
        .order_by(Group.name, Child.first_name, Child.id)
    ).all()
    return tuple(ChildInClass(*row) for row in rows)


def family_of_chat(session: Session, *, chat_id: int, bot: str | None) -> Family | None:
    """The guardian linked to the chat on this bot (the first school, when several)."""
    query = select(Guardian).where(Guardian.chat_id == chat_id, Guardian.left_at.is_(None))
    if bot is not None:
        query = query.join(School, School.id == Guardian.school_id).where(School.bot == bot)
    guardian = session.scalars(query.order_by(Guardian.id).limit(1)).first()
    if guardian is None:
        return None
    children = children_of(session, guardian_id=guardian.id)
    return Family(guardian.id, guardian.name, guardian.language, guardian.school_id, children)


def conversation_for(
    session: Session, *, school_id: int, guardian_id: int, now: datetime
) -> Conversation:
    """The guardian's conversation with the school, begun now when there was none."""
    found = session.scalars(
        select(Conversation).where(
            Conversation.school_id == school_id, Conversation.guardian_id == guardian_id
        )
    ).first()
    if found is not None:
        return found
    conversation = Conversation(
        school_id=school_id,
        guardian_id=guardian_id,
        status=ConversationStatus.ANSWERED.value,
        started_at=now,
        waiting_since=None,
        last_message_at=now,
    )
    session.add(conversation)
    session.flush()
    return conversation


def add_message(session: Session, message: ConversationMessage) -> bool:
    """Store one message of a conversation; False when it was stored before (the same
    Telegram message delivered twice)."""
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError:
        return False
    return True


def questions_since(session: Session, *, conversation_id: int, since: datetime) -> int:
    """How many messages (acknowledgements not counted) the parent sent since the moment."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(ConversationMessage)
            .where(
                ConversationMessage.conversation_id == conversation_id,
                ConversationMessage.direction == Direction.PARENT.value,
                ConversationMessage.kind != ConversationKind.ACKNOWLEDGEMENT.value,
                ConversationMessage.at >= since,
            )
        )
        or 0
    )


def mark_waiting(session: Session, *, conversation: Conversation, at: datetime) -> None:
    """The parent asked: open, waiting since the first question not answered yet."""
    conversation.status = ConversationStatus.OPEN.value
    conversation.waiting_since = conversation.waiting_since or at
    conversation.last_message_at = at
    conversation.handled_by = conversation.handled_at = None


def mark_answered(session: Session, *, conversation_id: int, at: datetime) -> None:
    """A staff member answered: nobody waits any more."""
    session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(
            status=ConversationStatus.ANSWERED.value,
            waiting_since=None,
            last_message_at=at,
            handled_by=None,
            handled_at=None,
        )
    )


def mark_handled(session: Session, *, conversation_id: int, by: str, at: datetime) -> bool:
    """A staff member marked the waiting question handled without an answer (a parent who
    only told the school something): nobody waits any more. False when it was not waiting."""
    result = session.execute(
        update(Conversation)
        .where(
            Conversation.id == conversation_id,
            Conversation.status == ConversationStatus.OPEN.value,
        )
        .values(
            status=ConversationStatus.HANDLED.value,
            waiting_since=None,
            handled_by=by,
            handled_at=at,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def touch(session: Session, *, conversation: Conversation, at: datetime) -> None:
    """A message that asks nothing (a thanks): only the time of the last message."""
    conversation.last_message_at = at


@dataclass(frozen=True)
class StaffTarget:
    """A staff member who gets a parent's message on their phone."""

    staff_id: int
    chat_id: int
    name: str


def teachers_of_groups(
    session: Session, *, school_id: int, group_ids: Sequence[int]
) -> list[StaffTarget]:
    """The joined teachers of these classes (each once)."""
    rows = session.execute(
        select(Staff.id, Staff.chat_id, Staff.name)
        .join(StaffGroup, StaffGroup.staff_id == Staff.id)
        .where(
            Staff.school_id == school_id,
            Staff.role == Role.TEACHER.value,
            Staff.chat_id.is_not(None),
            StaffGroup.group_id.in_(list(group_ids)),
        )
        .distinct()
        .order_by(Staff.id)
    ).all()
    return [StaffTarget(r.id, r.chat_id, r.name) for r in rows]


def liaisons_of_school(session: Session, *, school_id: int) -> list[StaffTarget]:
    """The school's joined brugfiguren."""
    rows = session.execute(
        select(Staff.id, Staff.chat_id, Staff.name)
        .where(
            Staff.school_id == school_id,
            Staff.role == Role.LIAISON.value,
            Staff.chat_id.is_not(None),
        )
        .order_by(Staff.id)
    ).all()
    return [StaffTarget(r.id, r.chat_id, r.name) for r in rows]


def add_notice(
    session: Session,
    *,
    school_id: int,
    conversation_message_id: int,
    staff_id: int,
    chat_id: int,
    telegram_message_id: int,
    at: datetime,
) -> None:
    """Remember which staff message shows which parent message (a reply to it answers)."""
    session.add(
        ConversationNotice(
            school_id=school_id,
            conversation_message_id=conversation_message_id,
            staff_id=staff_id,
            chat_id=chat_id,
            telegram_message_id=telegram_message_id,
            at=at,
        )
    )


@dataclass(frozen=True)
class Replier:
    """The staff member behind a chat, and the classes they teach."""

    staff_id: int
    school_id: int
    name: str
    role: str
    group_ids: frozenset[int]


def replier_of_chat(session: Session, *, chat_id: int, bot: str | None) -> Replier | None:
    """The staff member linked to this chat on this bot; None for anyone else."""
    query = select(Staff.id, Staff.school_id, Staff.name, Staff.role).where(
        Staff.chat_id == chat_id
    )
    if bot is not None:
        query = query.join(School, School.id == Staff.school_id).where(School.bot == bot)
    staff = session.execute(query.order_by(Staff.id).limit(1)).first()
    if staff is None:
        return None
    groups = frozenset(
        session.scalars(select(StaffGroup.group_id).where(StaffGroup.staff_id == staff.id))
    )
    return Replier(staff.id, staff.school_id, staff.name, staff.role, groups)


def noticed_message(
    session: Session, *, chat_id: int, telegram_message_id: int
) -> ConversationMessage | None:
    """The parent's message a staff chat got as this Telegram message; None when it is not one."""
    return session.scalars(
        select(ConversationMessage)
        .join(
            ConversationNotice,
            ConversationNotice.conversation_message_id == ConversationMessage.id,
        )
        .where(
            ConversationNotice.chat_id == chat_id,
            ConversationNotice.telegram_message_id == telegram_message_id,
        )
    ).first()


def parent_message(
    session: Session, *, school_id: int, message_id: int
) -> ConversationMessage | None:
    """One parent message of the school's conversations."""
    return session.scalars(
        select(ConversationMessage).where(
            ConversationMessage.id == message_id,
            ConversationMessage.school_id == school_id,
            ConversationMessage.direction == Direction.PARENT.value,
        )
    ).first()


def guardian_of(session: Session, *, guardian_id: int) -> Guardian:
    """The guardian row."""
    return session.get_one(Guardian, guardian_id)


@dataclass(frozen=True)
class OpenConversation:
    """A conversation waiting for the school, as the lists show it."""

    conversation_id: int
    guardian_id: int
    guardian: str
    language: str
    waiting_since: datetime
    children: tuple[ChildInClass, ...]
    first_message_id: int
    first_text: str | None
    first_translated: str | None
    first_kind: str


def open_conversations(
    session: Session, *, school_id: int, group_ids: frozenset[int] | None = None
) -> list[OpenConversation]:
    """The school's conversations waiting for an answer, longest waiting first; with
    `group_ids`, only those about a child of these classes."""
    rows = session.execute(
        select(Conversation, Guardian.name, Guardian.language)
        .join(Guardian, Guardian.id == Conversation.guardian_id)
        .where(
            Conversation.school_id == school_id,
            Conversation.status == ConversationStatus.OPEN.value,
            Conversation.waiting_since.is_not(None),
        )
        .order_by(Conversation.waiting_since, Conversation.id)
    ).all()
    found = []
    for conversation, name, language in rows:
        first = session.scalars(
            select(ConversationMessage)
            .where(
                ConversationMessage.conversation_id == conversation.id,
                ConversationMessage.direction == Direction.PARENT.value,
                ConversationMessage.at >= conversation.waiting_since,
            )
            .order_by(ConversationMessage.at, ConversationMessage.id)
            .limit(1)
        ).first()
        if first is None or conversation.waiting_since is None:
            continue
        children = children_of(session, guardian_id=conversation.guardian_id)
        concerned = tuple(c for c in children if c.id in set(first.child_ids)) or children
        if group_ids is not None and not any(c.group_id in group_ids for c in concerned):
            continue
        found.append(
            OpenConversation(
                conversation.id,
                conversation.guardian_id,
                name,
                language,
                conversation.waiting_since,
                concerned,
                first.id,
                first.text,
                first.translated,
                first.kind,
            )
        )
    return found


def conversation_of_school(
    session: Session, *, school_id: int, conversation_id: int
) -> Conversation | None:
    """One conversation of the school."""
    return session.scalars(
        select(Conversation).where(
            Conversation.id == conversation_id, Conversation.school_id == school_id
        )
    ).first()


def messages_of(session: Session, *, conversation_id: int) -> list[ConversationMessage]:
    """Both sides of one conversation, in order."""
    return list(
        session.scalars(
            select(ConversationMessage)
            .where(ConversationMessage.conversation_id == conversation_id)
            .order_by(ConversationMessage.at, ConversationMessage.id)
        )
    )


def answer_within_hours(session: Session, *, school_id: int) -> int:
    """The school's answer time, in school hours."""
    return session.get_one(School, school_id).answer_within_hours


def set_answer_within_hours(session: Session, *, school_id: int, hours: int) -> None:
    """Change the school's answer time."""
    session.get_one(School, school_id).answer_within_hours = hours


def latest_parent_message(session: Session, *, conversation_id: int) -> ConversationMessage | None:
    """The parent's newest message of a conversation (acknowledgements not counted): what an
    answer on the desk answers."""
    return session.scalars(
        select(ConversationMessage)
        .where(
            ConversationMessage.conversation_id == conversation_id,
            ConversationMessage.direction == Direction.PARENT.value,
            ConversationMessage.kind != ConversationKind.ACKNOWLEDGEMENT.value,
        )
        .order_by(ConversationMessage.at.desc(), ConversationMessage.id.desc())
        .limit(1)
    ).first()


def slip_titles_of(session: Session, *, message_ids: set[int]) -> dict[int, str]:
    """The Dutch text of the slips these messages were about, by message id."""
    if not message_ids:
        return {}
    rows = session.execute(select(Message.id, Message.text_nl).where(Message.id.in_(message_ids)))
    return {row.id: row.text_nl for row in rows}
