"""The queries of a school's roster: its classes, children, guardians and who is whose."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import Child, Guardian, GuardianChild


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
