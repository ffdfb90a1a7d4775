"""Who a message to some classes reaches."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import Child, Guardian, GuardianChild


@dataclass(frozen=True)
class Recipient:
    """A guardian in a message's audience, with the children that put them there."""

    guardian_id: int
    name: str
    language: str
    chat_id: int | None
    reachability: str
    phone: str | None
    children: tuple[str, ...]
    child_ids: tuple[int, ...] = ()
    # Not on the school's complete list any more: nothing is sent (see delivery/door.py).
    left: bool = False


def recipients_of_groups(session: Session, *, group_ids: list[int]) -> list[Recipient]:
    """Every guardian of every child in the classes, once each, by name; leavers (children and
    guardians no longer on the school's list) are not in any audience."""
    rows = session.execute(
        select(Guardian, Child.first_name, Child.id)
        .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
        .join(Child, Child.id == GuardianChild.child_id)
        .where(Child.group_id.in_(group_ids), Child.left_at.is_(None), Guardian.left_at.is_(None))
        .order_by(Guardian.name, Child.first_name)
    ).all()
    by_guardian: dict[int, tuple[Guardian, list[tuple[str, int]]]] = {}
    for guardian, child, child_id in rows:
        by_guardian.setdefault(guardian.id, (guardian, []))[1].append((child, child_id))
    return [
        Recipient(
            g.id,
            g.name,
            g.language,
            g.chat_id,
            g.reachability,
            g.phone,
            tuple(name for name, _ in kids),
            tuple(child_id for _, child_id in kids),
        )
        for g, kids in by_guardian.values()
    ]


def guardians_by_id(session: Session, *, guardian_ids: Collection[int]) -> list[Guardian]:
    """These guardians, in no particular order; leavers left out (they get nothing more)."""
    return list(
        session.scalars(
            select(Guardian).where(Guardian.id.in_(guardian_ids), Guardian.left_at.is_(None))
        )
    )


def recipient_of_guardian(session: Session, *, guardian_id: int) -> Recipient:
    """One guardian as a recipient, with all their children."""
    guardian = session.get(Guardian, guardian_id)
    if guardian is None:
        raise LookupError(f"no guardian {guardian_id}")
    return recipient_from(guardian)


def recipient_from(guardian: Guardian) -> Recipient:
    """A loaded guardian as a recipient, with their children still at the school."""
    children = sorted(
        (child for child in guardian.children if child.left_at is None),
        key=lambda child: child.first_name,
    )
    return Recipient(
        guardian_id=guardian.id,
        name=guardian.name,
        language=guardian.language,
        chat_id=guardian.chat_id,
        reachability=guardian.reachability,
        phone=guardian.phone,
        children=tuple(child.first_name for child in children),
        child_ids=tuple(child.id for child in children),
        left=guardian.left_at is not None,
    )
