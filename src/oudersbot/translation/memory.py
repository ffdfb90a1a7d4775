"""The translation memory: each distinct text is translated once per language and kept.

A school-wide message in 12 languages costs 12 machine translations; sending it again costs
none. A staff member's correction (origin `human`) or approval wins over the machine.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from oudersbot.clock import Clock
from oudersbot.counters import TRANSLATIONS
from oudersbot.domain.languages import SOURCE_LANGUAGE, normalize
from oudersbot.store.db import Database
from oudersbot.store.models import TranslationEntry, TranslationOrigin
from oudersbot.translation.machine import TranslationUnavailableError, Translator

log = logging.getLogger(__name__)


class TranslationMemoryError(LookupError):
    """No such translation, or a correction that cannot be made."""


@dataclass(frozen=True)
class Translation:
    """One text in one language, as the memory gives it."""

    language: str
    text: str | None  # None: no translation now (the parent gets Dutch and a line of their own)
    origin: str | None  # human, machine, phrasebook; None when unavailable
    reviewed: bool = False
    provider: str | None = None
    entry_id: int | None = None
    fresh: bool = False  # translated just now, at the cost of a provider call
    # Why there is no text: no_provider, unsupported (the service lacks the language), failed.
    reason: str | None = None


def source_key(text: str, source: str = SOURCE_LANGUAGE) -> str:
    """A stable key for a source text: NFC, trimmed, line ends unified, then SHA-256."""
    canonical = unicodedata.normalize("NFC", text.replace("\r\n", "\n").strip())
    return hashlib.sha256(f"{source}\n{canonical}".encode()).hexdigest()


class TranslationMemory:
    """Looks texts up, translates what is missing (concurrently, bounded), stores the result."""

    def __init__(
        self, db: Database, translator: Translator, clock: Clock, *, concurrency: int = 4
    ) -> None:
        self._db = db
        self._translator = translator
        self._clock = clock
        self._concurrency = max(1, concurrency)

    def translate(
        self, *, school_id: int, text: str, languages: Iterable[str]
    ) -> dict[str, Translation]:
        """The text in every language asked (Dutch itself excluded)."""
        wanted = sorted({normalize(lang) for lang in languages} - {SOURCE_LANGUAGE})
        key = source_key(text)
        with self._db.session() as session:
            known = {
                e.language: _from_entry(e)
                for e in session.scalars(
                    select(TranslationEntry).where(
                        TranslationEntry.school_id == school_id,
                        TranslationEntry.source_hash == key,
                        TranslationEntry.language.in_(wanted),
                    )
                )
            }
        missing = [lang for lang in wanted if lang not in known]
        fresh, reasons = self._machine(text, missing)
        if fresh:
            now = self._clock.now()
            with self._db.session() as session:
                for language, translated in fresh.items():
                    _insert_if_absent(
                        session,
                        school_id=school_id,
                        source_hash=key,
                        source_language=SOURCE_LANGUAGE,
                        source_text=text,
                        language=language,
                        text=translated,
                        origin=TranslationOrigin.MACHINE.value,
                        provider=self._translator.name,
                        reviewed=False,
                        created_at=now,
                        updated_at=now,
                    )
        result = dict(known)
        for language in missing:
            if language in fresh:
                result[language] = Translation(
                    language,
                    fresh[language],
                    TranslationOrigin.MACHINE.value,
                    provider=self._translator.name,
                    fresh=True,
                )
            else:
                result[language] = Translation(
                    language, None, None, reason=reasons.get(language, "failed")
                )
        return result

    def _machine(self, text: str, languages: list[str]) -> tuple[dict[str, str], dict[str, str]]:
        """The texts the service gave, and why the others are missing."""
        if not languages:
            return {}, {}

        def one(language: str) -> str:
            return self._translator.translate(text, source=SOURCE_LANGUAGE, target=language)

        done: dict[str, str] = {}
        reasons: dict[str, str] = {}
        workers = min(self._concurrency, len(languages))
        with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="tm") as pool:
            futures = {pool.submit(one, language): language for language in languages}
            for future in concurrent.futures.as_completed(futures):
                language = futures[future]
                try:
                    done[language] = future.result()
                except TranslationUnavailableError as exc:
                    reasons[language] = exc.reason
                    TRANSLATIONS.labels(language=language, outcome="failed").inc()
                    log.info("no machine translation to %s: %s", language, exc)
                else:
                    TRANSLATIONS.labels(language=language, outcome="ok").inc()
        return done, reasons

    def entries(
        self, *, school_id: int, language: str | None = None, unreviewed: bool = False
    ) -> list[TranslationEntry]:
        """The memory's entries, newest first (detached copies for listing)."""
        query = select(TranslationEntry).where(TranslationEntry.school_id == school_id)
        if language:
            query = query.where(TranslationEntry.language == normalize(language))
        if unreviewed:
            query = query.where(TranslationEntry.reviewed.is_(False))
        query = query.order_by(TranslationEntry.updated_at.desc(), TranslationEntry.id.desc())
        with self._db.session() as session:
            rows = list(session.scalars(query))
            session.expunge_all()
        return rows

    def get(self, *, school_id: int, entry_id: int) -> TranslationEntry:
        """One entry of this school's memory."""
        with self._db.session() as session:
            entry = session.get(TranslationEntry, entry_id)
            if entry is None or entry.school_id != school_id:
                raise TranslationMemoryError(f"no translation with number {entry_id}")
            session.expunge(entry)
        return entry

    def edit(self, *, school_id: int, entry_id: int, text: str, by: str) -> TranslationEntry:
        """A staff member's correction: it becomes a reviewed human translation."""
        corrected = text.strip()
        if not corrected:
            raise TranslationMemoryError("a correction cannot be empty")
        with self._db.session() as session:
            entry = session.get(TranslationEntry, entry_id)
            if entry is None or entry.school_id != school_id:
                raise TranslationMemoryError(f"no translation with number {entry_id}")
            entry.text = corrected
            entry.origin = TranslationOrigin.HUMAN.value
            entry.reviewed = True
            entry.updated_at = self._clock.now()
            entry.updated_by = by
            session.flush()
            session.expunge(entry)
        return entry

    def approve(self, *, school_id: int, entry_id: int, by: str) -> TranslationEntry:
        """A native reader checked a machine translation: it counts as reviewed."""
        with self._db.session() as session:
            entry = session.get(TranslationEntry, entry_id)
            if entry is None or entry.school_id != school_id:
                raise TranslationMemoryError(f"no translation with number {entry_id}")
            entry.reviewed = True
            entry.updated_at = self._clock.now()
            entry.updated_by = by
            session.flush()
            session.expunge(entry)
        return entry


def _from_entry(entry: TranslationEntry) -> Translation:
    return Translation(
        entry.language,
        entry.text,
        entry.origin,
        reviewed=entry.reviewed,
        provider=entry.provider,
        entry_id=entry.id,
    )


def _insert_if_absent(session: Session, **values: object) -> None:
    """Insert, leaving an entry another process stored meanwhile as it is."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(pg_insert(TranslationEntry).values(**values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite_insert(TranslationEntry).values(**values).on_conflict_do_nothing())
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect}")
