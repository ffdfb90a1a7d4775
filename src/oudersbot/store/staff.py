"""The queries of staff: teachers and liaisons, and the classes a teacher teaches."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import Staff, StaffGroup


def find_staff(session: Session, *, school_id: int, name: str, role: str) -> Staff | None:
    """The school's staff member with this name and role, if there is one."""
    return session.scalar(
        select(Staff).where(Staff.school_id == school_id, Staff.name == name, Staff.role == role)
    )


def taught_group_ids(session: Session, *, staff_id: int) -> set[int]:
    """The ids of the classes a staff member is linked to."""
    return set(session.scalars(select(StaffGroup.group_id).where(StaffGroup.staff_id == staff_id)))
