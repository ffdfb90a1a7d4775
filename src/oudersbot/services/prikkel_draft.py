"""Drafting a prikkel: a library prikkel or the teacher's own words, previewed in every
family's language at a good hour, within a humane weekly dose, maybe with a photo. Nothing is
stored until it is queued (services/prikkel_queue.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from babel.numbers import format_decimal

from oudersbot.delivery.door import SendKind
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
    longest_caption,
    photo_problem,
    prikkel_text,
)
from oudersbot.domain.rendering import CAPTION_LIMIT, Version
from oudersbot.services import translation_review
from oudersbot.services.messages import DraftError, render_version
from oudersbot.store.audience import Recipient, recipients_of_groups
from oudersbot.store.prikkels import paused_guardians
from oudersbot.store.schools import get_groups, get_school
from oudersbot.translation.phrasebook import Wording
from oudersbot.translation.prikkels import Prikkel

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

STAFF_LOCALE = "nl_BE"


@dataclass(frozen=True)
class LibraryWording:
    """A library prikkel seen as a template with one wording per language (for rendering)."""

    prikkel: Prikkel

    def wording_for(self, language: str) -> tuple[str, Wording] | None:
        """The prikkel's text in a language (or its base language), with the tag found."""
        base = language.split("-")[0]
        for tag in (language, base):
            found = self.prikkel.wordings.get(tag)
            if found is not None:
                return tag, Wording(
                    prikkel_text(found.context, found.question, found.tip), found.status
                )
        return None

    def fill(self, text: str, values: Mapping[str, object], language: str) -> str:
        """A prikkel has no slots: the text as it is."""
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
    weekly_limit: int = DEFAULT_WEEKLY_LIMIT

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
        source = LibraryWording(chosen)
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
        paused_ids = paused_guardians(session, guardian_ids=[r.guardian_id for r in recipients])
    reachable = [
        r
        for r in recipients
        if r.chat_id is not None and r.reachability == "joined" and r.guardian_id not in paused_ids
    ]
    if not reachable:
        raise PrikkelError("nobody", "no family of these classes can get it now")
    with deps.db.session() as session:
        planned = deps.outbox.plan(
            session,
            school_id=school_row.id,
            to=reachable,
            kind=SendKind.PRIKKEL,
            not_before=when,
            weekly_limit=weekly_limit,
        )
    due_per_guardian = {g: moment for g, moment in planned.items() if moment is not None}
    languages = sorted({r.language for r in reachable} | {SOURCE_LANGUAGE})
    needs_machine = [
        lang
        for lang in languages
        if not is_source_language(lang) and (source is None or not source.wording_for(lang))
    ]
    machine = deps.memory.translate(school_id=school_row.id, text=text_nl, languages=needs_machine)
    wording = translation_review.for_school(
        deps, school_id=school_row.id, source=source, kind="prikkel", item_id=prikkel_id or ""
    )
    versions = {
        lang: render_version(deps, lang, text_nl, wording, {}, pictogram, Category.INFO, machine)
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
        weekly_limit=weekly_limit,
    )
