"""The queries of invite codes: open codes, using one once, revoking, and the slow-down of
chats that guess."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import Child, Guardian, GuardianChild, Invite, JoinThrottle


def invite_by_hash(session: Session, *, code_hash: str) -> Invite | None:
    """The invite with this code hash, used or not."""
    return session.scalar(select(Invite).where(Invite.code_hash == code_hash))


def use_invite(session: Session, *, invite_id: int, chat_id: int, now: datetime) -> bool:
    """Mark an invite used by this chat; False when it was used already (a concurrent join
    of the same code), so a code links one chat only."""
    claimed = session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.used_at.is_(None))
        .values(used_at=now, used_by_chat_id=chat_id)
    )
    count: int = claimed.rowcount  # type: ignore[attr-defined]
    return count == 1


def guardians_with_open_invite(session: Session, *, school_id: int, now: datetime) -> set[int]:
    """The school's guardians holding a code that still works (unused, not revoked, valid)."""
    return {
        guardian_id
        for guardian_id in session.scalars(
            select(Invite.guardian_id).where(
                Invite.school_id == school_id,
                Invite.used_at.is_(None),
                Invite.revoked_at.is_(None),
                Invite.expires_at > now,
            )
        )
        if guardian_id is not None
    }


def invite_holders_of_class(
    session: Session, *, group_id: int, not_joined: bool = False
) -> list[Guardian]:
    """The guardians of a class's children on the list, once each, by name (ids break ties,
    for names are not unique); only those without a linked chat with `not_joined`. Leavers, and
    children who left, hold no invite."""
    query = (
        select(Guardian)
        .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
        .join(Child, Child.id == GuardianChild.child_id)
        .where(Child.group_id == group_id, Child.left_at.is_(None), Guardian.left_at.is_(None))
        .order_by(Guardian.name, Guardian.id)
        .distinct()
    )
    if not_joined:
        query = query.where(Guardian.chat_id.is_(None))
    return list(session.scalars(query))


def revoke_open_invites(
    session: Session, *, now: datetime, guardian_id: int | None = None, staff_id: int | None = None
) -> None:
    """Stop the unused codes of a guardian (or, without one, of a staff member) from working."""
    owner = Invite.guardian_id == guardian_id if guardian_id else Invite.staff_id == staff_id
    session.execute(
        update(Invite)
        .where(owner, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def throttle_of(session: Session, *, chat_id: int) -> JoinThrottle | None:
    """A chat's count of wrong codes, if it has one."""
    return session.get(JoinThrottle, chat_id)


def forget_throttle(session: Session, *, throttle: JoinThrottle) -> None:
    """A chat that joined starts with a clean slate."""
    session.delete(throttle)
