"""Queries on vertalers and their reviews of the shipped draft translations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.store.models import Role, School, Staff, TranslationReview


def translator(session: Session, *, staff_id: int) -> Staff | None:
    """A joined vertaler by id, or None when the id is no vertaler."""
    row = session.get(Staff, staff_id)
    return row if row is not None and row.role == Role.TRANSLATOR.value else None


def translator_by_chat(session: Session, *, chat_id: int) -> Staff | None:
    """The vertaler behind a Telegram chat, if any."""
    return session.scalars(
        select(Staff).where(Staff.chat_id == chat_id, Staff.role == Role.TRANSLATOR.value)
    ).first()


def school_reviews(
    session: Session, *, school_id: int, language: str | None = None
) -> list[TranslationReview]:
    """A school's reviews (of one language, or all), oldest first."""
    query = select(TranslationReview).where(TranslationReview.school_id == school_id)
    if language is not None:
        query = query.where(TranslationReview.language == language)
    return list(session.scalars(query.order_by(TranslationReview.at, TranslationReview.id)))


def add_review(
    session: Session,
    *,
    school_id: int,
    kind: str,
    item_id: str,
    language: str,
    reviewer_id: int | None,
    verdict: str,
    text: str | None,
    at: datetime,
) -> TranslationReview:
    """Record one review."""
    row = TranslationReview(
        school_id=school_id,
        kind=kind,
        item_id=item_id,
        language=language,
        reviewer_id=reviewer_id,
        verdict=verdict,
        text=text,
        at=at,
    )
    session.add(row)
    session.flush()
    return row


def second_reader(session: Session, *, school_id: int) -> bool:
    """Does the school require a second vertaler before a correction is used?"""
    row = session.get(School, school_id)
    return bool(row and row.translation_second_reader)


def set_second_reader(session: Session, *, school_id: int, required: bool) -> None:
    """Switch the school's second-reader rule."""
    row = session.get(School, school_id)
    if row is not None:
        row.translation_second_reader = required
