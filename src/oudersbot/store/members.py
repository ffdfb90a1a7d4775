"""Who a Telegram chat is: guardians and staff linked to it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import Guardian, School, Staff


@dataclass(frozen=True)
class Member:
    """A guardian or staff member as the bot sees them."""

    kind: str  # "guardian" or "staff"
    id: int
    name: str
    language: str
    school_id: int
    school_name: str
    children: tuple[str, ...] = ()
    role: str | None = None


def guardian_member(session: Session, guardian: Guardian) -> Member:
    """A guardian row as a Member."""
    school = session.get_one(School, guardian.school_id)
    children = tuple(sorted(c.first_name for c in guardian.children if c.left_at is None))
    return Member(
        "guardian", guardian.id, guardian.name, guardian.language, school.id, school.name, children
    )


def staff_member(session: Session, staff: Staff) -> Member:
    """A staff row as a Member."""
    school = session.get_one(School, staff.school_id)
    return Member(
        "staff", staff.id, staff.name, staff.language, school.id, school.name, role=staff.role
    )


def guardians_of_chat(session: Session, *, chat_id: int, bot: str | None = None) -> list[Guardian]:
    """The guardians linked to a chat (one per school at most); with `bot`, only those of the
    schools that speak through that bot (Telegram gives one person one chat id on every bot)."""
    query = select(Guardian).where(Guardian.chat_id == chat_id)
    if bot is not None:
        query = query.join(School, School.id == Guardian.school_id).where(School.bot == bot)
    return list(session.scalars(query))


def staff_of_chat(session: Session, *, chat_id: int, bot: str | None = None) -> list[Staff]:
    """The staff rows linked to a chat (one per school at most); with `bot`, of its schools."""
    query = select(Staff).where(Staff.chat_id == chat_id)
    if bot is not None:
        query = query.join(School, School.id == Staff.school_id).where(School.bot == bot)
    return list(session.scalars(query))


def members_of_chat(session: Session, chat_id: int, bot: str | None = None) -> list[Member]:
    """Every guardian and staff row linked to a chat (a teacher may also be a parent); with
    `bot`, only in the schools that speak through that bot."""
    guardians = guardians_of_chat(session, chat_id=chat_id, bot=bot)
    staff = staff_of_chat(session, chat_id=chat_id, bot=bot)
    return [guardian_member(session, g) for g in guardians] + [
        staff_member(session, s) for s in staff
    ]


def unlink_other_guardians(
    session: Session, *, school_id: int, chat_id: int, guardian_id: int
) -> None:
    """Unlink the chat from the school's other guardians: they count as not joined again."""
    session.execute(
        update(Guardian)
        .where(Guardian.school_id == school_id, Guardian.chat_id == chat_id)
        .where(Guardian.id != guardian_id)
        .values(chat_id=None, reachability="not_joined")
    )


def unlink_other_staff(
    session: Session, *, school_id: int, chat_id: int, staff_id: int | None
) -> None:
    """Unlink the chat from the school's other staff rows."""
    session.execute(
        update(Staff)
        .where(Staff.school_id == school_id, Staff.chat_id == chat_id)
        .where(Staff.id != staff_id)
        .values(chat_id=None)
    )


def school_languages(session: Session, school_id: int | None, limit: int = 8) -> list[str]:
    """The school's most spoken home languages (every school's when it is not known)."""
    query = select(Guardian.language)
    if school_id is not None:
        query = query.where(Guardian.school_id == school_id)
    counts = Counter(session.scalars(query))
    # Ties in tag order: the rows come in no order PostgreSQL promises.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [language for language, _ in ranked[:limit]]
