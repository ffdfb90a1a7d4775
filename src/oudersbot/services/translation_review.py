"""Vertalers review the shipped draft translations for their school.

A draft is a template's or a prikkel's text in one language whose status in messages/ is
"draft". A vertaler of that language approves it or sends a correction. For the school's
parents, an approved draft or an accepted correction is "reviewed"; a correction waits for a
second vertaler's approval when the school asks for a second reader.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oudersbot.domain.languages import SOURCE_LANGUAGE
from oudersbot.domain.prikkels import prikkel_text
from oudersbot.store.models import Role, TranslationReview, Verdict
from oudersbot.store.reviews import (
    add_review,
    school_reviews,
    second_reader,
    set_second_reader,
    translator,
    translator_by_chat,
)
from oudersbot.store.schools import UnknownSchoolError, get_school
from oudersbot.translation.phrasebook import Wording

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps
    from oudersbot.translation.phrasebook import Phrasebook

TEMPLATE = "template"
PRIKKEL = "prikkel"


class ReviewError(ValueError):
    """A review that may not be recorded; ``code`` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class DraftItem:
    """One shipped text in one language, with the Dutch beside it."""

    kind: str
    item_id: str
    language: str
    dutch: str
    text: str

    @property
    def key(self) -> tuple[str, str, str]:
        """(kind, item id, language)."""
        return self.kind, self.item_id, self.language


@dataclass(frozen=True)
class Outcome:
    """What the school's reviews make of one draft."""

    text: str | None  # a correction in use, or None: the shipped text
    reviewed: bool
    reviewers: frozenset[int | None]  # who already gave a verdict on the current text
    pending: str | None = None  # a correction waiting for a second vertaler


def drafts(book: Phrasebook, language: str) -> list[DraftItem]:
    """Every shipped draft of a language: templates by id, then prikkels by id."""
    found = []
    for template in sorted(book.templates.values(), key=lambda t: t.id):
        wording = template.wordings.get(language)
        if wording is not None and wording.status == "draft":
            found.append(DraftItem(TEMPLATE, template.id, language, template.text_nl, wording.text))
    for prikkel in book.prikkels.choose():
        own = prikkel.wordings.get(language)
        if own is not None and own.status == "draft":
            dutch = prikkel.wordings[SOURCE_LANGUAGE]
            found.append(
                DraftItem(
                    PRIKKEL,
                    prikkel.id,
                    language,
                    prikkel_text(dutch.context, dutch.question, dutch.tip),
                    prikkel_text(own.context, own.question, own.tip),
                )
            )
    return found


def all_languages(book: Phrasebook) -> list[str]:
    """Every language a template or prikkel has a wording in, except Dutch."""
    tags = {tag for t in book.templates.values() for tag in t.wordings}
    tags |= {tag for p in book.prikkels.prikkels.values() for tag in p.wordings}
    return sorted(tags - {SOURCE_LANGUAGE})


def outcomes(
    reviews: Iterable[TranslationReview], *, second: bool
) -> dict[tuple[str, str, str], Outcome]:
    """Fold a school's reviews (oldest first) into the outcome per draft."""
    result: dict[tuple[str, str, str], Outcome] = {}
    pending: dict[tuple[str, str, str], tuple[str, int | None]] = {}
    for row in reviews:
        key = (row.kind, row.item_id, row.language)
        before = result.get(key, Outcome(None, False, frozenset()))
        if row.verdict == Verdict.CORRECTED.value and row.text is not None:
            if second:
                pending[key] = (row.text, row.reviewer_id)
                result[key] = Outcome(
                    before.text, before.reviewed, frozenset({row.reviewer_id}), row.text
                )
            else:
                result[key] = Outcome(row.text, True, frozenset({row.reviewer_id}))
        elif key in pending and pending[key][1] != row.reviewer_id:
            text, _ = pending.pop(key)
            result[key] = Outcome(text, True, before.reviewers | {row.reviewer_id})
        elif key not in pending:
            result[key] = Outcome(before.text, True, before.reviewers | {row.reviewer_id})
    return result


def school_outcomes(
    deps: Deps, *, school_id: int, language: str | None = None
) -> dict[tuple[str, str, str], Outcome]:
    """The outcome per draft for one school."""
    with deps.db.session() as session:
        second = second_reader(session, school_id=school_id)
        return outcomes(
            school_reviews(session, school_id=school_id, language=language), second=second
        )


def progress(deps: Deps, *, school_id: int) -> dict[str, tuple[int, int]]:
    """Per language: (drafts this school reviewed, drafts shipped)."""
    done = school_outcomes(deps, school_id=school_id)
    result = {}
    for language in all_languages(deps.phrasebook):
        items = drafts(deps.phrasebook, language)
        reviewed = sum(1 for item in items if (o := done.get(item.key)) and o.reviewed)
        result[language] = (reviewed, len(items))
    return result


def school_progress(deps: Deps, *, school: str) -> dict[str, tuple[int, int]] | None:
    """Progress for a school by its slug; None when there is no such school yet."""
    try:
        with deps.db.session() as session:
            school_id = get_school(session, slug=school).id
    except UnknownSchoolError:
        return None
    return progress(deps, school_id=school_id)


def _languages(reads: str | None) -> list[str]:
    return [tag.strip() for tag in (reads or "").split(",") if tag.strip()]


def next_draft(deps: Deps, *, staff_id: int) -> DraftItem | None:
    """The next draft this vertaler has not given a verdict on and the school still needs."""
    with deps.db.session() as session:
        reviewer = translator(session, staff_id=staff_id)
        if reviewer is None:
            return None
        school_id, languages = reviewer.school_id, _languages(reviewer.reads)
    done = school_outcomes(deps, school_id=school_id)
    waiting = []
    for language in languages:
        for item in drafts(deps.phrasebook, language):
            outcome = done.get(item.key)
            if outcome is None:
                waiting.append(item)
            elif outcome.pending is not None and staff_id not in outcome.reviewers:
                # A correction that waits for a second vertaler comes first.
                return DraftItem(item.kind, item.item_id, language, item.dutch, outcome.pending)
    return waiting[0] if waiting else None


def _find(deps: Deps, kind: str, item_id: str, language: str) -> DraftItem:
    for item in drafts(deps.phrasebook, language):
        if item.kind == kind and item.item_id == item_id:
            return item
    raise ReviewError("unknown", f"no draft {kind} {item_id!r} in {language!r}")


def record(
    deps: Deps,
    *,
    staff_id: int,
    school_id: int,
    kind: str,
    item_id: str,
    language: str,
    correction: str | None = None,
) -> None:
    """An approval (no correction) or a correction, checked: only a vertaler of this school
    who reads this language, only for a shipped draft; a template's correction keeps the
    same {slots} as the Dutch."""
    item = _find(deps, kind, item_id, language)
    if correction is not None:
        correction = correction.strip()
        if not correction:
            raise ReviewError("empty", "an empty correction")
        if kind == TEMPLATE and _slots(correction) != _slots(item.dutch):
            raise ReviewError("slots", "the correction must keep the same {slots}")
    with deps.db.session() as session:
        reviewer = translator(session, staff_id=staff_id)
        if (
            reviewer is None
            or reviewer.school_id != school_id
            or reviewer.role != Role.TRANSLATOR.value
            or language not in _languages(reviewer.reads)
        ):
            raise ReviewError("not_allowed", "not a vertaler of this language and school")
        add_review(
            session,
            school_id=school_id,
            kind=kind,
            item_id=item_id,
            language=language,
            reviewer_id=staff_id,
            verdict=(Verdict.APPROVED if correction is None else Verdict.CORRECTED).value,
            text=correction,
            at=deps.clock.now(),
        )


def _slots(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def set_school_second_reader(deps: Deps, *, school: str, required: bool) -> None:
    """`oudersbot vertalers instellen --tweede-lezer ja|nee`."""
    with deps.db.session() as session:
        set_second_reader(session, school_id=get_school(session, slug=school).id, required=required)


class SchoolWording:
    """A template or library prikkel as this school's parents read it: a reviewed draft is
    "reviewed", an accepted correction replaces the shipped text."""

    def __init__(self, source: Any, kind: str, item_id: str, done: Mapping[Any, Outcome]):
        self._source = source
        self._kind = kind
        self._item_id = item_id
        self._done = done

    def wording_for(self, language: str) -> tuple[str, Wording] | None:
        """The shipped wording, with the school's review applied."""
        found: tuple[str, Wording] | None = self._source.wording_for(language)
        if found is None:
            return None
        tag, wording = found
        outcome = self._done.get((self._kind, self._item_id, tag))
        if outcome is None or not outcome.reviewed:
            return found
        return tag, Wording(outcome.text or wording.text, "reviewed")

    def fill(self, text: str, values: Mapping[str, Any], language: str) -> str:
        """As the source fills it."""
        filled: str = self._source.fill(text, values, language)
        return filled


def for_school(deps: Deps, *, school_id: int, source: Any, kind: str, item_id: str) -> Any:
    """The source (a Template or LibraryWording) with the school's reviews applied."""
    if source is None:
        return None
    return SchoolWording(source, kind, item_id, school_outcomes(deps, school_id=school_id))


def record_from_file(
    deps: Deps, *, school_id: int, language: str, texts: Mapping[tuple[str, str], str]
) -> tuple[int, int]:
    """A professional translator's file, imported at the shell: a text equal to the draft is
    an approval, another text a correction (reviewer unknown). Checked by the caller.
    Returns (approved, corrected)."""
    current = {(i.kind, i.item_id): i for i in drafts(deps.phrasebook, language)}
    approved = corrected = 0
    with deps.db.session() as session:
        for (kind, item_id), text in texts.items():
            same = text.strip() == current[(kind, item_id)].text.strip()
            add_review(
                session,
                school_id=school_id,
                kind=kind,
                item_id=item_id,
                language=language,
                reviewer_id=None,
                verdict=(Verdict.APPROVED if same else Verdict.CORRECTED).value,
                text=None if same else text.strip(),
                at=deps.clock.now(),
            )
            approved += same
            corrected += not same
    return approved, corrected


def slot_names(text: str) -> set[str]:
    """The {slots} of a template text."""
    return _slots(text)


@dataclass(frozen=True)
class Reviewer:
    """The vertaler behind a Telegram chat."""

    staff_id: int
    school_id: int


def reviewer_of_chat(deps: Deps, *, chat_id: int) -> Reviewer | None:
    """The vertaler behind a chat, or None for anyone else."""
    with deps.db.session() as session:
        row = translator_by_chat(session, chat_id=chat_id)
        return Reviewer(row.id, row.school_id) if row is not None else None
