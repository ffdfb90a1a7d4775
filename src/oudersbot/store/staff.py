"""The queries of staff: teachers and liaisons, their role and the classes they teach."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import School, Staff, StaffGroup


def find_staff(session: Session, *, school_id: int, name: str, role: str) -> Staff | None:
    """The school's staff member with this name and role, if there is one."""
    return session.scalar(
        select(Staff).where(Staff.school_id == school_id, Staff.name == name, Staff.role == role)
    )


def taught_group_ids(session: Session, *, staff_id: int) -> set[int]:
    """The ids of the classes a staff member is linked to."""
    return set(session.scalars(select(StaffGroup.group_id).where(StaffGroup.staff_id == staff_id)))


@dataclass(frozen=True)
class StaffSeat:
    """A staff member behind a chat, with their classes."""

    school_id: int
    role: str
    name: str
    group_ids: frozenset[int]


def staff_seat_of_chat(session: Session, *, chat_id: int) -> StaffSeat | None:
    """The staff member linked to a chat, with their classes; None for anyone else."""
    staff = session.execute(
        select(Staff.id, Staff.school_id, Staff.role, Staff.name).where(Staff.chat_id == chat_id)
    ).first()
    if staff is None:
        return None
    groups = frozenset(
        session.scalars(select(StaffGroup.group_id).where(StaffGroup.staff_id == staff.id))
    )
    return StaffSeat(staff.school_id, staff.role, staff.name, groups)


def staff_roles_by_chat(session: Session, *, bot: str) -> dict[int, list[str]]:
    """The roles of every staff member who joined, per chat, in the schools on this bot (for
    the commands their Telegram menu shows)."""
    rows = session.execute(
        select(Staff.chat_id, Staff.role)
        .join(School, School.id == Staff.school_id)
        .where(School.bot == bot, Staff.chat_id.is_not(None))
        .order_by(Staff.chat_id, Staff.id)
    )
    found: dict[int, list[str]] = {}
    for chat_id, role in rows:
        if chat_id is not None:
            found.setdefault(chat_id, []).append(role)
    return found


@dataclass(frozen=True)
class StaffMember:
    """A staff member as the desk needs them: who, of which school, with their classes."""

    staff_id: int
    school_id: int
    role: str
    name: str
    group_ids: frozenset[int]


def staff_member(session: Session, *, staff_id: int) -> StaffMember | None:
    """A staff member by id, with their classes; None when they are gone."""
    staff = session.execute(
        select(Staff.id, Staff.school_id, Staff.role, Staff.name).where(Staff.id == staff_id)
    ).first()
    if staff is None:
        return None
    groups = frozenset(
        session.scalars(select(StaffGroup.group_id).where(StaffGroup.staff_id == staff.id))
    )
    return StaffMember(staff.id, staff.school_id, staff.role, staff.name, groups)


def staff_of_chat(session: Session, *, chat_id: int) -> StaffMember | None:
    """The staff member linked to a chat; None for anyone else."""
    staff_id = session.scalar(select(Staff.id).where(Staff.chat_id == chat_id))
    return None if staff_id is None else staff_member(session, staff_id=staff_id)
