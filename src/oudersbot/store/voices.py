"""The voice files of messages read aloud, and who prefers to listen."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Delivery,
    Guardian,
    Message,
    MessageKind,
    Rendition,
    School,
    VoiceRendition,
)


@dataclass(frozen=True)
class Heard:
    """What a parent's 🔊 tap names, once it is theirs: the message, in their language."""

    school_id: int
    guardian_id: int
    message_id: int
    language: str
    origin: str
    parts: tuple[str, ...]


def tapped_message(session: Session, *, chat_id: int, message_id: int, bot: str) -> Heard | None:
    """The message this chat's guardian got (through this bot), in the language it went in;
    None for anyone else's message or an unknown id (a forged press)."""
    row = session.execute(
        select(
            Delivery.school_id,
            Delivery.guardian_id,
            Rendition.language,
            Rendition.origin,
            Rendition.parts,
        )
        .join(Guardian, Guardian.id == Delivery.guardian_id)
        .join(Rendition, Rendition.id == Delivery.rendition_id)
        .join(Message, Message.id == Delivery.message_id)
        .join(School, School.id == Delivery.school_id)
        .where(
            Delivery.message_id == message_id,
            Guardian.chat_id == chat_id,
            Guardian.left_at.is_(None),
            School.bot == bot,
            Message.kind != MessageKind.VOICE,
        )
        .limit(1)
    ).first()
    if row is None:
        return None
    return Heard(
        row.school_id, row.guardian_id, message_id, row.language, row.origin, tuple(row.parts)
    )


def voice_of(session: Session, *, message_id: int, language: str) -> VoiceRendition | None:
    """The voice file of a message in a language, if it was made."""
    return session.scalar(
        select(VoiceRendition).where(
            VoiceRendition.message_id == message_id, VoiceRendition.language == language
        )
    )


def voiced_languages(session: Session, *, message_id: int) -> set[str]:
    """The languages a message was read aloud in already."""
    return set(
        session.scalars(
            select(VoiceRendition.language).where(VoiceRendition.message_id == message_id)
        )
    )


def add_voice(
    session: Session,
    *,
    message_id: int,
    language: str,
    voice: str,
    ogg: bytes,
    duration_ms: int,
    now: datetime,
) -> VoiceRendition:
    """Keep a voice file; when another process kept one for the same message and language
    meanwhile, theirs is the one (a savepoint keeps the caller's transaction)."""
    row = VoiceRendition(
        message_id=message_id,
        language=language,
        voice=voice,
        ogg=ogg,
        duration_ms=duration_ms,
        file_ids={},
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        earlier = voice_of(session, message_id=message_id, language=language)
        assert earlier is not None
        return earlier
    return row


def voice_audio(session: Session, *, voice_id: int) -> tuple[bytes, int]:
    """A voice file's bytes and its length in whole seconds (at least one)."""
    row = session.get_one(VoiceRendition, voice_id)
    return row.ogg, max(1, round(row.duration_ms / 1000))


def record_file_id(session: Session, *, voice_id: int, bot: str, file_id: str) -> None:
    """Telegram's file_id for this voice file on this bot: every later send names it."""
    row = session.get_one(VoiceRendition, voice_id, with_for_update=True)
    if row.file_ids.get(bot) != file_id:
        row.file_ids = {**row.file_ids, bot: file_id}


def listening(session: Session, *, guardian_ids: Collection[int]) -> set[int]:
    """Those of these guardians who prefer to listen."""
    if not guardian_ids:
        return set()
    return set(
        session.scalars(
            select(Guardian.id).where(
                Guardian.id.in_(set(guardian_ids)), Guardian.prefers_listening.is_(True)
            )
        )
    )
