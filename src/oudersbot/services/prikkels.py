"""Ouderprikkels: queue one for a class at a good hour, in every family's language, within a
humane weekly dose; count the parents' taps in aggregate only; let a parent pause them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from babel.numbers import format_decimal
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from oudersbot.domain.holidays import (
    Holiday,
    holidays,
    is_school_day,
    next_school_day,
    school_year_of,
)
from oudersbot.domain.languages import SOURCE_LANGUAGE, dutch_name, is_source_language
from oudersbot.domain.pictograms import Category
from oudersbot.domain.plain_language import Finding, check
from oudersbot.domain.prikkels import (
    DEFAULT_TIME,
    DEFAULT_WEEKLY_LIMIT,
    PHOTO_LIMIT,
    decode_feedback,
    encode_feedback,
    longest_caption,
    photo_problem,
    prikkel_text,
    week_of,
    within_dose,
)
from oudersbot.domain.rendering import CAPTION_LIMIT
from oudersbot.services.messages import (
    DraftError,
    Version,
    add_with_renditions,
    render_version,
)
from oudersbot.services.viewers import Viewer
from oudersbot.store.audience import Recipient, recipients_of_groups
from oudersbot.store.models import (
    Delivery,
    DeliveryStatus,
    Group,
    Guardian,
    Message,
    MessageKind,
    PrikkelFeedback,
    Rendition,
    School,
)
from oudersbot.store.schools import get_groups, get_school
from oudersbot.translation.phrasebook import Wording
from oudersbot.translation.prikkels import Prikkel

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

PARENT_ASKED = "parent:another"
STAFF_LOCALE = "nl_BE"


@dataclass(frozen=True)
class _LibraryWording:
    """A library prikkel seen as a template with one wording per language (for rendering)."""

    prikkel: Prikkel

    def wording_for(self, language: str) -> tuple[str, Wording] | None:
        base = language.split("-")[0]
        for tag in (language, base):
            found = self.prikkel.wordings.get(tag)
            if found is not None:
                return tag, Wording(
                    prikkel_text(found.context, found.question, found.tip), found.status
                )
        return None

    def fill(self, text: str, values: Mapping[str, object], language: str) -> str:
        return text


@dataclass(frozen=True)
class PrikkelDraft:
    """A prikkel for some classes with every language version and each family's due time."""

    school_id: int
    groups: tuple[str, ...]
    prikkel_id: str | None
    text_nl: str
    pictogram: str
    due: dt.datetime
    versions: Mapping[str, Version]
    recipients: tuple[Recipient, ...]
    due_per_guardian: Mapping[int, dt.datetime]
    paused: int
    findings: tuple[Finding, ...] = ()
    photo: str | None = None  # a Telegram file_id of a photo sent with it

    @property
    def delayed(self) -> int:
        """Families for whom this prikkel waits for a later week (the weekly dose is full)."""
        return sum(1 for when in self.due_per_guardian.values() if when != self.due)

    @property
    def reaching(self) -> int:
        """Families who will get it."""
        return len(self.due_per_guardian)


class PrikkelError(DraftError):
    """A prikkel that cannot be queued as asked."""


def check_photo(draft: PrikkelDraft, *, mime_type: str | None, size: int | None) -> None:
    """Refuse a file that cannot go with this prikkel as its photo: not an image, over
    Telegram's 10 MB, or a prikkel too long for a caption in any of its languages."""
    problem = photo_problem(mime_type, size)
    if problem == "not_image":
        raise PrikkelError(problem, f"{mime_type} is not an image", mime_type=mime_type)
    if problem == "photo_too_large":
        megabytes = format_decimal((size or 0) / 1024 / 1024, "0.0", locale=STAFF_LOCALE)
        limit = PHOTO_LIMIT // 1024 // 1024
        raise PrikkelError(
            problem, f"{size} bytes is over {PHOTO_LIMIT}", size=megabytes, limit=limit
        )
    _check_caption(draft.versions)


def _check_caption(versions: Mapping[str, Version]) -> None:
    worst = longest_caption((lang, list(v.parts)) for lang, v in versions.items())
    if worst is not None:
        language, length = worst
        raise PrikkelError(
            "caption_too_long",
            f"with a photo the text holds at most {CAPTION_LIMIT} characters; "
            f"in {language} it has {length}",
            language=dutch_name(language),
            count=length,
            limit=CAPTION_LIMIT,
        )


def with_photo(draft: PrikkelDraft, photo: str) -> PrikkelDraft:
    """The draft with a photo (a Telegram file_id of a photo), once its text fits a caption."""
    _check_caption(draft.versions)
    return replace(draft, photo=photo)


def _school_holidays(day: dt.date) -> tuple[Holiday, ...]:
    year = school_year_of(day)
    return holidays(year) + holidays(year + 1)


def default_due(deps: Deps, now: dt.datetime) -> dt.datetime:
    """The next school day after today (no weekend, no Flemish school holiday) at 15:45."""
    tomorrow = now.astimezone(deps.settings.timezone).date() + dt.timedelta(days=1)
    day = next_school_day(tomorrow, _school_holidays(tomorrow))
    return dt.datetime.combine(day, DEFAULT_TIME, tzinfo=deps.settings.timezone)


def _weekly_counts(deps: Deps, guardian_ids: list[int]) -> dict[int, dict[dt.date, int]]:
    """Per guardian, prikkels queued or sent per local week (parent-asked ones excluded)."""
    zone = deps.settings.timezone
    since = deps.clock.now() - dt.timedelta(days=7)
    counts: dict[int, dict[dt.date, int]] = {}
    with deps.db.session() as session:
        rows = session.execute(
            select(Delivery.guardian_id, Delivery.next_attempt_at, Delivery.sent_at)
            .join(Message, Message.id == Delivery.message_id)
            .where(
                Message.kind == MessageKind.PRIKKEL.value,
                func.coalesce(Message.created_by, "") != PARENT_ASKED,
                Delivery.guardian_id.in_(guardian_ids),
                Delivery.status.in_(
                    [
                        DeliveryStatus.PENDING,
                        DeliveryStatus.SENDING,
                        DeliveryStatus.SENT,
                        DeliveryStatus.UNCONFIRMED,
                    ]
                ),
                func.coalesce(Delivery.sent_at, Delivery.next_attempt_at) >= since,
            )
        ).all()
    for guardian_id, planned, sent in rows:
        at = sent or planned
        if at is None:
            continue
        moment = at.astimezone(zone)
        week = counts.setdefault(guardian_id, {})
        week[week_of(moment)] = week.get(week_of(moment), 0) + 1
    return counts


def prepare_prikkel(
    deps: Deps,
    *,
    school: str,
    groups: list[str],
    prikkel_id: str | None = None,
    text: str | None = None,
    due: dt.datetime | None = None,
    weekly_limit: int = DEFAULT_WEEKLY_LIMIT,
    photo: str | None = None,
) -> PrikkelDraft:
    """A library prikkel or the teacher's own words (maybe with a photo's file_id),
    previewed per language, with the dose applied per family. Nothing is stored."""
    now = deps.clock.now()
    library = deps.phrasebook.prikkels
    source = None
    if prikkel_id is not None:
        chosen = library.prikkels.get(prikkel_id)
        if chosen is None:
            raise PrikkelError("unknown_prikkel", f"unknown prikkel {prikkel_id!r}", id=prikkel_id)
        dutch = chosen.wordings[SOURCE_LANGUAGE]
        text_nl = prikkel_text(dutch.context, dutch.question, dutch.tip)
        picto_key = chosen.pictogram
        source = _LibraryWording(chosen)
    elif text and text.strip():
        text_nl = text.strip()
        picto_key = "klasthema"
    else:
        raise PrikkelError("no_text", "a prikkel needs a library id or a text")
    when = due or default_due(deps, now)
    if when <= now:
        raise PrikkelError("past", "a prikkel cannot be queued in the past")
    local = when.astimezone(deps.settings.timezone)
    if local.time() >= dt.time(20, 0) or local.time() < dt.time(7, 30):
        raise PrikkelError("quiet_hours", "not in quiet hours (20:00-07:30)")
    if not is_school_day(local.date(), school_year_holidays=_school_holidays(local.date())):
        raise PrikkelError("holiday", "not on a weekend or in a school holiday")
    pictogram = deps.phrasebook.pictograms.resolve(picto_key)
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        group_rows = get_groups(session, school_id=school_row.id, names=groups)
        recipients = recipients_of_groups(session, group_ids=[g.id for g in group_rows])
        paused_ids = set(
            session.scalars(
                select(Guardian.id).where(
                    Guardian.id.in_([r.guardian_id for r in recipients]),
                    Guardian.prikkels_paused.is_(True),
                )
            )
        )
    reachable = [
        r
        for r in recipients
        if r.chat_id is not None and r.reachability == "joined" and r.guardian_id not in paused_ids
    ]
    if not reachable:
        raise PrikkelError("nobody", "no family of these classes can get it now")
    counts = _weekly_counts(deps, [r.guardian_id for r in reachable])
    due_per_guardian = {
        r.guardian_id: within_dose(when, counts.get(r.guardian_id, {}), weekly_limit)
        for r in reachable
    }
    languages = sorted({r.language for r in reachable} | {SOURCE_LANGUAGE})
    needs_machine = [
        lang
        for lang in languages
        if not is_source_language(lang) and (source is None or not source.wording_for(lang))
    ]
    machine = deps.memory.translate(school_id=school_row.id, text=text_nl, languages=needs_machine)
    versions = {
        lang: render_version(deps, lang, text_nl, source, {}, pictogram, Category.INFO, machine)
        for lang in languages
    }
    if photo is not None:
        _check_caption(versions)
    return PrikkelDraft(
        school_id=school_row.id,
        groups=tuple(groups),
        prikkel_id=prikkel_id,
        text_nl=text_nl,
        pictogram=pictogram.key,
        due=when,
        versions=versions,
        recipients=tuple(reachable),
        due_per_guardian=due_per_guardian,
        paused=len(paused_ids),
        findings=tuple(check(text_nl, deps.lexicon)),
        photo=photo,
    )


def _buttons(deps: Deps, language: str, message_id: int) -> list[list[list[str]]]:
    return [
        [[deps.words.text(language, "prikkel.talked"), encode_feedback("talked", message_id)]],
        [[deps.words.text(language, "prikkel.another"), encode_feedback("another", message_id)]],
    ]


def queue_prikkel(deps: Deps, draft: PrikkelDraft, *, created_by: str | None = None) -> int:
    """Store the prikkel and one planned delivery per family, in one transaction."""
    with deps.db.session() as session:
        message = Message(
            school_id=draft.school_id,
            kind=MessageKind.PRIKKEL.value,
            template_id=draft.prikkel_id,
            slots={},
            text_nl=draft.text_nl,
            pictogram=draft.pictogram,
            category=Category.INFO.value,
            audience={"groups": list(draft.groups)},
            created_by=created_by,
            created_at=deps.clock.now(),
            photo=draft.photo,
        )
        renditions = add_with_renditions(session, message, draft.versions)
        session.execute(
            insert(Delivery),
            [
                {
                    "school_id": draft.school_id,
                    "message_id": message.id,
                    "guardian_id": r.guardian_id,
                    "rendition_id": renditions[r.language].id,
                    "status": DeliveryStatus.PENDING.value,
                    "attempts": 0,
                    "next_attempt_at": draft.due_per_guardian[r.guardian_id],
                    "buttons": _buttons(deps, r.language, message.id),
                }
                for r in draft.recipients
            ],
        )
        return message.id


@dataclass(frozen=True)
class QueuedPrikkel:
    """A prikkel still waiting, for the teacher's list."""

    message_id: int
    text_nl: str
    due: dt.datetime
    families: int


def queued(deps: Deps, *, school_id: int, group: str) -> list[QueuedPrikkel]:
    """Prikkels for a class with deliveries still waiting, soonest first."""
    with deps.db.session() as session:
        waiting = session.execute(
            select(Delivery.message_id, func.min(Delivery.next_attempt_at), func.count())
            .join(Message, Message.id == Delivery.message_id)
            .where(
                Message.school_id == school_id,
                Message.kind == MessageKind.PRIKKEL.value,
                Delivery.status == DeliveryStatus.PENDING.value,
            )
            .group_by(Delivery.message_id)
        ).all()
        details = {
            m_id: (text, audience)
            for m_id, text, audience in session.execute(
                select(Message.id, Message.text_nl, Message.audience).where(
                    Message.id.in_([row[0] for row in waiting])
                )
            )
        }
    found = [
        QueuedPrikkel(m_id, details[m_id][0], due, count)
        for m_id, due, count in waiting
        if due is not None and group in (details[m_id][1] or {}).get("groups", [])
    ]
    return sorted(found, key=lambda item: (item.due, item.message_id))


def cancel(
    deps: Deps, *, school_id: int, message_id: int, groups: Sequence[str] | None = None
) -> int:
    """Cancel what is still waiting of a prikkel (of this school, and when `groups` is given,
    for one of those classes); the number of families it no longer reaches."""
    with deps.db.session() as session:
        if groups is not None:
            audience = session.scalar(
                select(Message.audience).where(
                    Message.id == message_id, Message.school_id == school_id
                )
            )
            if not set((audience or {}).get("groups", [])) & set(groups):
                return 0
        result = session.execute(
            update(Delivery)
            .returning(Delivery.id)
            .where(
                Delivery.message_id == message_id,
                Delivery.school_id == school_id,
                Delivery.status == DeliveryStatus.PENDING.value,
                Delivery.message_id.in_(
                    select(Message.id).where(Message.kind == MessageKind.PRIKKEL.value)
                ),
            )
            .values(status=DeliveryStatus.CANCELLED.value)
        )
        return len(result.all())


def is_paused(deps: Deps, *, chat_id: int) -> bool | None:
    """Whether this chat's guardian paused prikkels; None when the chat is no guardian's."""
    with deps.db.session() as session:
        return session.scalar(select(Guardian.prikkels_paused).where(Guardian.chat_id == chat_id))


def set_paused(deps: Deps, *, chat_id: int, paused: bool) -> str | None:
    """A parent pauses (or resumes) prikkels; waiting ones are cancelled. Their language, or
    None when the chat is no guardian's."""
    with deps.db.session() as session:
        guardian = session.scalar(select(Guardian).where(Guardian.chat_id == chat_id))
        if guardian is None:
            return None
        guardian.prikkels_paused = paused
        if paused:
            session.execute(
                update(Delivery)
                .where(
                    Delivery.guardian_id == guardian.id,
                    Delivery.status == DeliveryStatus.PENDING.value,
                    Delivery.message_id.in_(
                        select(Message.id).where(Message.kind == MessageKind.PRIKKEL.value)
                    ),
                )
                .values(status=DeliveryStatus.CANCELLED.value)
            )
        return guardian.language


@dataclass(frozen=True)
class FeedbackResult:
    """What a tap under a prikkel did."""

    counted: bool
    language: str = SOURCE_LANGUAGE
    kind: str | None = None
    another: int | None = None  # the message id of the related prikkel sent on request


def record_feedback(deps: Deps, *, chat_id: int, data: str) -> FeedbackResult:
    """Count a tap under a prikkel sent to this chat (once per kind); for 'another idea', send
    a related prikkel from the library to this family only."""
    decoded = decode_feedback(data)
    if decoded is None:
        return FeedbackResult(False)
    kind, message_id = decoded
    now = deps.clock.now()
    with deps.db.session() as session:
        row = session.execute(
            select(Guardian.id, Guardian.language, Message.school_id, Message.template_id)
            .join(Delivery, Delivery.guardian_id == Guardian.id)
            .join(Message, Message.id == Delivery.message_id)
            .where(
                Guardian.chat_id == chat_id,
                Message.id == message_id,
                Message.kind == MessageKind.PRIKKEL.value,
            )
        ).first()
        if row is None:
            return FeedbackResult(False)
        guardian_id, language, school_id, prikkel_id = row
        try:
            session.execute(
                insert(PrikkelFeedback).values(
                    school_id=school_id,
                    message_id=message_id,
                    guardian_id=guardian_id,
                    kind=kind,
                    at=now,
                )
            )
        except IntegrityError:
            session.rollback()
            return FeedbackResult(False, language, kind)
        sent_ids = set(
            session.scalars(
                select(Message.template_id)
                .join(Delivery, Delivery.message_id == Message.id)
                .where(
                    Delivery.guardian_id == guardian_id, Message.kind == MessageKind.PRIKKEL.value
                )
            )
        )
    another = None
    if kind == "another":
        another = _send_related(deps, guardian_id, language, school_id, prikkel_id, sent_ids)
    return FeedbackResult(True, language, kind, another)


def _send_related(
    deps: Deps,
    guardian_id: int,
    language: str,
    school_id: int,
    prikkel_id: str | None,
    sent: set[str | None],
) -> int | None:
    library = deps.phrasebook.prikkels
    current = library.prikkels.get(prikkel_id or "")
    candidates = [
        p
        for p in library.choose(
            theme=current.theme if current else None, age=current.age if current else None
        )
        if p.id not in sent
    ] or [p for p in library.choose() if p.id not in sent]
    if not candidates:
        return None
    chosen = candidates[0]
    source = _LibraryWording(chosen)
    dutch = chosen.wordings[SOURCE_LANGUAGE]
    text_nl = prikkel_text(dutch.context, dutch.question, dutch.tip)
    pictogram = deps.phrasebook.pictograms.resolve(chosen.pictogram)
    machine = deps.memory.translate(
        school_id=school_id,
        text=text_nl,
        languages=[]
        if source.wording_for(language) or is_source_language(language)
        else [language],
    )
    version = render_version(deps, language, text_nl, source, {}, pictogram, Category.INFO, machine)
    now = deps.clock.now()
    with deps.db.session() as session:
        message = Message(
            school_id=school_id,
            kind=MessageKind.PRIKKEL.value,
            template_id=chosen.id,
            slots={},
            text_nl=text_nl,
            pictogram=pictogram.key,
            category=Category.INFO.value,
            audience={"guardian": guardian_id},
            created_by=PARENT_ASKED,
            created_at=now,
        )
        session.add(message)
        session.flush()
        rendition = Rendition(
            message_id=message.id,
            language=language,
            origin=version.origin,
            parts=list(version.parts),
        )
        session.add(rendition)
        session.flush()
        session.add(
            Delivery(
                school_id=school_id,
                message_id=message.id,
                guardian_id=guardian_id,
                rendition_id=rendition.id,
                status=DeliveryStatus.PENDING.value,
                attempts=0,
                next_attempt_at=now,
                buttons=_buttons(deps, language, message.id),
            )
        )
        return message.id


@dataclass(frozen=True)
class WeekStats:
    """One week of a class's prikkels, in aggregate only."""

    week: dt.date
    prikkels: int
    families: int
    reached: int
    talked: int
    paused: int = 0
    shares: dict[str, float] = field(default_factory=dict)


def class_view(deps: Deps, *, school_id: int, group: str) -> list[WeekStats]:
    """Per week: prikkels sent, share of families reached, share who tapped 'we talked about
    it'; and how many families paused — never who."""
    zone = deps.settings.timezone
    with deps.db.session() as session:
        messages = [
            (m_id, audience)
            for m_id, audience in session.execute(
                select(Message.id, Message.audience).where(
                    Message.school_id == school_id, Message.kind == MessageKind.PRIKKEL.value
                )
            )
            if group in (audience or {}).get("groups", [])
        ]
        ids = [m for m, _ in messages]
        deliveries = session.execute(
            select(
                Delivery.message_id, Delivery.guardian_id, Delivery.status, Delivery.sent_at
            ).where(Delivery.message_id.in_(ids))
        ).all()
        talked = set(
            session.execute(
                select(PrikkelFeedback.message_id, PrikkelFeedback.guardian_id).where(
                    PrikkelFeedback.message_id.in_(ids), PrikkelFeedback.kind == "talked"
                )
            ).all()
        )
        group_rows = get_groups(session, school_id=school_id, names=[group])
        families = recipients_of_groups(session, group_ids=[g.id for g in group_rows])
        paused = session.scalar(
            select(func.count())
            .select_from(Guardian)
            .where(
                Guardian.id.in_([f.guardian_id for f in families]),
                Guardian.prikkels_paused.is_(True),
            )
        )
    weeks: dict[dt.date, dict[str, set[object]]] = {}
    for message_id, guardian_id, status, sent_at in deliveries:
        if status != DeliveryStatus.SENT.value or sent_at is None:
            continue
        week = weeks.setdefault(
            week_of(sent_at.astimezone(zone)),
            {"prikkels": set(), "reached": set(), "talked": set()},
        )
        week["prikkels"].add(message_id)
        week["reached"].add(guardian_id)
        if (message_id, guardian_id) in talked:
            week["talked"].add(guardian_id)
    total = len(families)
    return [
        WeekStats(
            week,
            len(data["prikkels"]),
            total,
            len(data["reached"]),
            len(data["talked"]),
            int(paused or 0),
            {
                "reached": len(data["reached"]) / total if total else 0.0,
                "talked": len(data["talked"]) / len(data["reached"]) if data["reached"] else 0.0,
            },
        )
        for week, data in sorted(weeks.items())
    ]


def classes_of(deps: Deps, viewer: Viewer) -> list[str]:
    """The classes a teacher may send prikkels to: their own, by name."""
    with deps.db.session() as session:
        return sorted(
            session.scalars(
                select(Group.name).where(
                    Group.id.in_(viewer.group_ids), Group.school_id == viewer.school_id
                )
            )
        )


def school_slug(deps: Deps, school_id: int) -> str:
    """A school's slug."""
    with deps.db.session() as session:
        school = session.get(School, school_id)
        if school is None:
            raise LookupError(f"no school {school_id}")
        return school.slug
