"""Queries about schools and classes."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import Group, School


class UnknownSchoolError(LookupError):
    """No school with that slug."""


class UnknownGroupError(LookupError):
    """No class with that name in the school."""


def get_or_create_school(session: Session, *, slug: str, name: str | None = None) -> School:
    """The school with that slug, created when new."""
    school = session.scalar(select(School).where(School.slug == slug))
    if school is None:
        school = School(slug=slug, name=name or slug)
        session.add(school)
        session.flush()
    elif name and school.name != name:
        school.name = name
    return school


def get_school(session: Session, *, slug: str) -> School:
    """The school with that slug, or UnknownSchoolError."""
    school = session.scalar(select(School).where(School.slug == slug))
    if school is None:
        raise UnknownSchoolError(slug)
    return school


def school_by_id(session: Session, *, school_id: int) -> School:
    """The school with that id, or LookupError."""
    school = session.get(School, school_id)
    if school is None:
        raise LookupError(f"no school {school_id}")
    return school


def get_groups(session: Session, *, school_id: int, names: list[str]) -> list[Group]:
    """The classes by name, or UnknownGroupError naming the first that does not exist."""
    found = {
        g.name: g
        for g in session.scalars(
            select(Group).where(Group.school_id == school_id, Group.name.in_(names))
        )
    }
    for name in names:
        if name not in found:
            raise UnknownGroupError(name)
    return [found[name] for name in names]


def class_names(
    session: Session, *, school_id: int, group_ids: Collection[int] | None = None
) -> list[str]:
    """The names of the school's classes (only these, when `group_ids` is given), sorted."""
    query = select(Group.name).where(Group.school_id == school_id)
    if group_ids is not None:
        query = query.where(Group.id.in_(group_ids))
    return sorted(session.scalars(query))


def class_choices(
    session: Session, *, school_id: int, group_ids: Collection[int] | None = None
) -> list[tuple[int, str]]:
    """The school's classes (only these, when `group_ids` is given) as (id, name), by name."""
    query = select(Group.id, Group.name).where(Group.school_id == school_id)
    if group_ids is not None:
        query = query.where(Group.id.in_(group_ids))
    return sorted(((row.id, row.name) for row in session.execute(query)), key=lambda r: r[1])


def set_school_bot(session: Session, *, slug: str, bot: str) -> None:
    """Let a school speak through another of the deployment's bots (OUDERSBOT_EXTRA_BOTS)."""
    get_school(session, slug=slug).bot = bot
