"""The queries of a school's roster: its classes, children, guardians and who is whose, as the
import sees them, and the writes of an import."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from oudersbot.domain.roster_plan import KnownChild, KnownGuardian
from oudersbot.store.audit import record as audit
from oudersbot.store.models import (
    Child,
    Delivery,
    DeliveryStatus,
    Group,
    Guardian,
    GuardianChild,
)

_IN_LIST = 500  # ids per IN (...): bound parameters are limited (SQLite: 999 before 3.32)


def classes_by_name(session: Session, *, school_id: int) -> dict[str, Group]:
    """The school's classes, by name."""
    return {g.name: g for g in session.scalars(select(Group).where(Group.school_id == school_id))}


def add_classes(session: Session, *, school_id: int, names: Iterable[str]) -> dict[str, int]:
    """Every class of these names, created where missing; their ids by name."""
    groups = classes_by_name(session, school_id=school_id)
    for name in sorted(set(names) - set(groups)):
        groups[name] = Group(school_id=school_id, name=name)
        session.add(groups[name])
    session.flush()
    return {name: group.id for name, group in groups.items()}


def known_people(
    session: Session, *, school_id: int
) -> tuple[list[KnownChild], list[KnownGuardian]]:
    """Every child and guardian of the school, leavers too, as the roster import matches them."""
    links: dict[int, set[int]] = defaultdict(set)
    for child_id, guardian_id in session.execute(
        select(GuardianChild.child_id, GuardianChild.guardian_id)
        .join(Child, Child.id == GuardianChild.child_id)
        .where(Child.school_id == school_id)
    ):
        links[child_id].add(guardian_id)
    children = [
        KnownChild(
            row.id,
            row.group,
            row.first_name,
            row.external_id,
            row.left_at is not None,
            frozenset(links[row.id]),
        )
        for row in session.execute(
            select(
                Child.id,
                Group.name.label("group"),
                Child.first_name,
                Child.external_id,
                Child.left_at,
            )
            .join(Group, Group.id == Child.group_id)
            .where(Child.school_id == school_id)
            .order_by(Child.id)
        )
    ]
    guardians = [
        KnownGuardian(
            row.id,
            row.name,
            row.external_id,
            row.language,
            row.language_source == "roster",
            row.phone,
            row.left_at is not None,
        )
        for row in session.execute(
            select(
                Guardian.id,
                Guardian.name,
                Guardian.external_id,
                Guardian.language,
                Guardian.language_source,
                Guardian.phone,
                Guardian.left_at,
            )
            .where(Guardian.school_id == school_id)
            .order_by(Guardian.id)
        )
    ]
    return children, guardians


def add_child(
    session: Session, *, school_id: int, group_id: int, first_name: str, external_id: str | None
) -> Child:
    """A new child (its id after the next flush)."""
    child = Child(
        school_id=school_id, group_id=group_id, first_name=first_name, external_id=external_id
    )
    session.add(child)
    return child


def update_child(
    session: Session, *, child_id: int, group_id: int, first_name: str, external_id: str | None
) -> None:
    """A known child as the roster now says: its class, first name and id; back if it had left."""
    session.execute(
        update(Child)
        .where(Child.id == child_id)
        .values(group_id=group_id, first_name=first_name, external_id=external_id, left_at=None)
    )


def add_guardian(
    session: Session,
    *,
    school_id: int,
    name: str,
    external_id: str | None,
    language: str,
    phone: str | None,
) -> Guardian:
    """A new guardian who has not joined yet (their id after the next flush)."""
    guardian = Guardian(
        school_id=school_id,
        name=name,
        external_id=external_id,
        language=language,
        phone=phone,
        language_source="roster",
        reachability="not_joined",
    )
    session.add(guardian)
    return guardian


def update_guardian(
    session: Session,
    *,
    guardian_id: int,
    name: str,
    external_id: str | None,
    language: str,
    phone: str | None,
) -> None:
    """A known guardian as the roster now says; back if they had left."""
    session.execute(
        update(Guardian)
        .where(Guardian.id == guardian_id)
        .values(name=name, external_id=external_id, language=language, phone=phone, left_at=None)
    )


def link(session: Session, *, pairs: Collection[tuple[int, int]]) -> None:
    """Make guardians guardians of children: (child id, guardian id) pairs not linked yet."""
    if pairs:
        session.execute(
            insert(GuardianChild),
            [{"child_id": child, "guardian_id": guardian} for child, guardian in pairs],
        )


def unlink(session: Session, *, pairs: Collection[tuple[int, int]]) -> None:
    """Undo these (child id, guardian id) links: the school's list no longer has them."""
    for child, guardian in pairs:
        session.execute(
            delete(GuardianChild).where(
                GuardianChild.child_id == child, GuardianChild.guardian_id == guardian
            )
        )


def mark_left(
    session: Session, *, child_ids: Collection[int], guardian_ids: Collection[int], at: dt.datetime
) -> None:
    """These children and guardians are not on the school's complete list any more."""
    for model, ids in ((Child, list(child_ids)), (Guardian, list(guardian_ids))):
        for start in range(0, len(ids), _IN_LIST):
            session.execute(
                update(model).where(model.id.in_(ids[start : start + _IN_LIST])).values(left_at=at)
            )


def left_children(session: Session, *, school_id: int) -> set[int]:
    """The ids of the school's children who have left (and are not yet removed)."""
    return set(
        session.scalars(
            select(Child.id).where(Child.school_id == school_id, Child.left_at.is_not(None))
        )
    )


def cancel_pending(session: Session, *, guardian_ids: Collection[int]) -> int:
    """Cancel what is still waiting in the outbox for these guardians (they have left); how
    many deliveries that was. A delivery being sent right now is left to its sender."""
    ids = list(guardian_ids)
    cancelled = 0
    for start in range(0, len(ids), _IN_LIST):
        result = session.execute(
            update(Delivery)
            .where(
                Delivery.guardian_id.in_(ids[start : start + _IN_LIST]),
                Delivery.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.CANCELLED.value, error="left the school")
        )
        cancelled += result.rowcount  # type: ignore[attr-defined]
    return cancelled


def record_import(
    session: Session, *, school_id: int, at: dt.datetime, actor: str, detail: str
) -> None:
    """The audit line of an import that changed the roster (counts only, no names)."""
    audit(session, school_id, at, actor, "roster.import", None, detail)


def guardians_of_class(
    session: Session, *, group_id: int, name: str | None = None, not_joined: bool = False
) -> list[Guardian]:
    """The guardians of a class's children, once each, by name, leavers left out; only the one
    with `name` when it is given, only those without a linked chat with `not_joined`."""
    query = (
        select(Guardian)
        .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
        .join(Child, Child.id == GuardianChild.child_id)
        .where(Child.group_id == group_id, Child.left_at.is_(None), Guardian.left_at.is_(None))
        .order_by(Guardian.name)
        .distinct()
    )
    if name is not None:
        query = query.where(Guardian.name == name)
    if not_joined:
        query = query.where(Guardian.chat_id.is_(None))
    return list(session.scalars(query))


@dataclass(frozen=True)
class ClassCount:
    """One class: its children, their guardians, and those guardians with a linked chat
    (leavers left out)."""

    group_id: int
    name: str
    children: int
    guardians: int
    joined: int


def class_counts(session: Session, *, school_id: int) -> list[ClassCount]:
    """Every class of the school, by name, with its counts."""
    children = dict(
        session.execute(
            select(Child.group_id, func.count(Child.id))
            .where(Child.school_id == school_id, Child.left_at.is_(None))
            .group_by(Child.group_id)
        ).all()
    )
    guardians: dict[int, set[int]] = defaultdict(set)
    joined: dict[int, set[int]] = defaultdict(set)
    for group_id, guardian_id, chat_id in session.execute(
        select(Child.group_id, Guardian.id, Guardian.chat_id)
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Guardian, Guardian.id == GuardianChild.guardian_id)
        .where(Child.school_id == school_id, Child.left_at.is_(None), Guardian.left_at.is_(None))
    ):
        guardians[group_id].add(guardian_id)
        if chat_id is not None:
            joined[group_id].add(guardian_id)
    groups = session.execute(
        select(Group.id, Group.name).where(Group.school_id == school_id).order_by(Group.name)
    ).all()
    return [
        ClassCount(gid, name, children.get(gid, 0), len(guardians[gid]), len(joined[gid]))
        for gid, name in groups
    ]


def class_of_school(session: Session, *, school_id: int, group_id: int) -> str | None:
    """The name of the class with that id in this school; None for any other id."""
    return session.scalar(
        select(Group.name).where(Group.id == group_id, Group.school_id == school_id)
    )
