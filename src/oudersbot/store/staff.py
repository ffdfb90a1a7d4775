"""Staff as the services see them: role, school and the classes a teacher teaches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import Staff, StaffGroup


@dataclass(frozen=True)
class StaffSeat:
    """A staff member behind a chat, with their classes."""

    school_id: int
    role: str
    name: str
    group_ids: frozenset[int]


def staff_of_chat(session: Session, *, chat_id: int) -> StaffSeat | None:
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
