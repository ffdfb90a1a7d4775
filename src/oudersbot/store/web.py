"""The queries of the staff desk's login links and sessions (found by the hash of their secret)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import WebLoginLink, WebSession
from oudersbot.store.privacy import affected


def add_login_link(
    session: Session,
    *,
    school_id: int,
    staff_id: int,
    token_hash: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """A new one-time link."""
    session.add(
        WebLoginLink(
            school_id=school_id,
            staff_id=staff_id,
            token_hash=token_hash,
            created_at=now,
            expires_at=expires_at,
        )
    )


def use_login_link(session: Session, *, token_hash: str, now: datetime) -> int | None:
    """Mark the link used, once: the staff id when it was unused and not expired, else None.
    One UPDATE, so two tabs racing with the same link open one session at most."""
    staff_id = session.scalar(
        update(WebLoginLink)
        .where(
            WebLoginLink.token_hash == token_hash,
            WebLoginLink.used_at.is_(None),
            WebLoginLink.expires_at > now,
        )
        .values(used_at=now)
        .returning(WebLoginLink.staff_id)
    )
    return staff_id


def add_session(
    session: Session,
    *,
    school_id: int,
    staff_id: int,
    token_hash: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    """A new desk session."""
    session.add(
        WebSession(
            school_id=school_id,
            staff_id=staff_id,
            token_hash=token_hash,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
        )
    )


def live_session(
    session: Session, *, token_hash: str, now: datetime, idle_since: datetime
) -> WebSession | None:
    """The session of this secret, when not ended, not past its end and seen since
    `idle_since`."""
    return session.scalar(
        select(WebSession).where(
            WebSession.token_hash == token_hash,
            WebSession.ended_at.is_(None),
            WebSession.expires_at > now,
            WebSession.last_seen_at > idle_since,
        )
    )


def end_session(session: Session, *, token_hash: str, now: datetime) -> None:
    """Logout: the session ends now."""
    session.execute(
        update(WebSession)
        .where(WebSession.token_hash == token_hash, WebSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def forget_old(session: Session, *, before: datetime, school_id: int | None = None) -> int:
    """Remove links and sessions (of one school, or all) that expired or ended before this
    moment; how many."""
    links = delete(WebLoginLink).where(WebLoginLink.expires_at < before)
    sessions = delete(WebSession).where(
        or_(WebSession.expires_at < before, WebSession.ended_at < before)
    )
    if school_id is not None:
        links = links.where(WebLoginLink.school_id == school_id)
        sessions = sessions.where(WebSession.school_id == school_id)
    return affected(session, links) + affected(session, sessions)


def forget_staff(session: Session, *, staff_ids: list[int]) -> None:
    """Remove every link and session of these staff members (erase)."""
    session.execute(delete(WebLoginLink).where(WebLoginLink.staff_id.in_(staff_ids)))
    session.execute(delete(WebSession).where(WebSession.staff_id.in_(staff_ids)))
