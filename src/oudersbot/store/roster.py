"""The queries of a school's roster: its classes, children, guardians and who is whose."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import Child, Group, Guardian, GuardianChild


class GuardianOf(NamedTuple):
    """A guardian of a child: one row of the roster's links."""

    guardian_id: int
    child_id: int


def classes_by_name(session: Session, *, school_id: int) -> dict[str, Group]:
    """The school's classes, by name."""
    return {g.name: g for g in session.scalars(select(Group).where(Group.school_id == school_id))}


def children_by_class(session: Session, *, school_id: int) -> dict[tuple[int, str], Child]:
    """The school's children, by class id and first name (a first name is unique in a class)."""
    return {
        (c.group_id, c.first_name): c
        for c in session.scalars(select(Child).where(Child.school_id == school_id))
    }


def guardians_by_name(session: Session, *, school_id: int) -> dict[str, Guardian]:
    """The school's guardians, by name casefolded (the roster's names may differ in case)."""
    return {
        g.name.casefold(): g
        for g in session.scalars(select(Guardian).where(Guardian.school_id == school_id))
    }


def guardian_links(session: Session, *, school_id: int) -> set[GuardianOf]:
    """Which guardian of the school is whose, as pairs."""
    return {
        GuardianOf(row.guardian_id, row.child_id)
        for row in session.execute(
            select(GuardianChild.guardian_id, GuardianChild.child_id)
            .join(Guardian, Guardian.id == GuardianChild.guardian_id)
            .where(Guardian.school_id == school_id)
        )
    }


def guardians_of_class(
    session: Session, *, group_id: int, name: str | None = None, not_joined: bool = False
) -> list[Guardian]:
    """The guardians of a class's children, once each, by name; only the one with `name` when
    it is given, only those without a linked chat with `not_joined`."""
    query = (
        select(Guardian)
        .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
        .join(Child, Child.id == GuardianChild.child_id)
        .where(Child.group_id == group_id)
        .order_by(Guardian.name)
        .distinct()
    )
    if name is not None:
        query = query.where(Guardian.name == name)
    if not_joined:
        query = query.where(Guardian.chat_id.is_(None))
    return list(session.scalars(query))
