"""The desk's Vertalingen page: per language the school's progress and the drafts beside the
Dutch, to approve or correct (services/translation_review.py, the bot's /vertalen rules, the
second reader included).

A vertaler sees and reviews only their own languages; another language is "not found". The
administrator sees every language's progress and drafts but does not review: a review is a
vertaler's (as in the bot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.domain.languages import dutch_name, is_rtl
from oudersbot.services import translation_review
from oudersbot.services.translation_review import DraftItem, ReviewError
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.models import Role
from oudersbot.store.reviews import translator

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

TEXT_LIMIT = 4000  # a correction longer than this is refused as unknown input
DRAFT, PENDING, REVIEWED = "draft", "pending", "reviewed"


class NotFoundError(LookupError):
    """A language or draft this viewer may not see: the page says "not found"."""


@dataclass(frozen=True)
class LanguageProgress:
    """One language: its name, direction and drafts reviewed of those shipped."""

    language: str
    name: str
    rtl: bool
    reviewed: int
    total: int


@dataclass(frozen=True)
class DeskDraft:
    """One draft as the page shows it: the Dutch, the text parents read (or will read once a
    second vertaler approves it) and where it stands."""

    item: DraftItem
    text: str
    state: str  # DRAFT, PENDING (a correction waits for a second vertaler) or REVIEWED
    mine_waiting: bool  # the viewer's own correction waits: someone else must approve it

    @property
    def ident(self) -> str:
        """The draft's id on the page: kind:item id."""
        return f"{self.item.kind}:{self.item.item_id}"


def _languages(deps: Deps, viewer: Viewer, staff_id: int) -> list[str]:
    if viewer.role == Role.ADMIN.value:
        return translation_review.all_languages(deps.phrasebook)
    if viewer.role != Role.TRANSLATOR.value:
        raise NotAllowedError(viewer.role)
    with deps.db.session() as session:
        reviewer = translator(session, staff_id=staff_id)
        if reviewer is None or reviewer.school_id != viewer.school_id:
            raise NotAllowedError(viewer.role)
        reads = reviewer.reads
    known = set(translation_review.all_languages(deps.phrasebook))
    return [tag.strip() for tag in (reads or "").split(",") if tag.strip() in known]


def may_review(viewer: Viewer) -> bool:
    """Only a vertaler reviews; the administrator looks on."""
    return viewer.role == Role.TRANSLATOR.value


def progress(deps: Deps, viewer: Viewer, *, staff_id: int) -> list[LanguageProgress]:
    """The viewer's languages with the school's progress (reviewed / shipped)."""
    languages = _languages(deps, viewer, staff_id)
    per_language = translation_review.progress(deps, school_id=viewer.school_id)
    return [
        LanguageProgress(tag, dutch_name(tag), is_rtl(tag), *per_language.get(tag, (0, 0)))
        for tag in languages
    ]


def drafts_of(
    deps: Deps, viewer: Viewer, *, staff_id: int, language: str, everything: bool = False
) -> list[DeskDraft]:
    """The drafts of one of the viewer's languages: first corrections that wait for this
    viewer as second reader, then drafts not reviewed yet, then (with `everything`) those
    already reviewed or waiting for someone else."""
    if language not in _languages(deps, viewer, staff_id):
        raise NotFoundError(language)
    done = translation_review.school_outcomes(deps, school_id=viewer.school_id, language=language)
    found = []
    for item in translation_review.drafts(deps.phrasebook, language):
        outcome = done.get(item.key)
        if outcome is None:
            found.append(DeskDraft(item, item.text, DRAFT, False))
        elif outcome.pending is not None:
            mine = staff_id in outcome.reviewers
            found.append(DeskDraft(item, outcome.pending, PENDING, mine))
        else:
            found.append(DeskDraft(item, outcome.text or item.text, REVIEWED, False))
    order = {PENDING: 0, DRAFT: 1, REVIEWED: 2}
    found.sort(key=lambda d: order[d.state] + (2 if d.mine_waiting else 0))
    if everything:
        return found
    return [d for d in found if d.state == DRAFT or (d.state == PENDING and not d.mine_waiting)]


def review(
    deps: Deps,
    viewer: Viewer,
    *,
    staff_id: int,
    language: str,
    ident: str,
    text: str | None,
    approve: bool,
) -> str:
    """Approve (`approve`) or save a draft as the bot does: a changed text is a correction
    (which waits for a second vertaler when the school asks for one), an unchanged one an
    approval when approving and nothing when saving. What happened: "approved", "corrected",
    "waiting" (a correction for a second vertaler) or "unchanged". NotFoundError for a
    language or draft not the viewer's; ReviewError("empty"/"slots") for a correction the
    bot would refuse too."""
    if not may_review(viewer):
        raise NotAllowedError(viewer.role)
    shown = drafts_of(deps, viewer, staff_id=staff_id, language=language, everything=True)
    draft = next((d for d in shown if d.ident == ident), None)
    if draft is None:
        raise NotFoundError(ident)
    if text is not None and len(text) > TEXT_LIMIT:
        raise ReviewError("too_long", "a correction over the limit")
    changed = text is not None and text.strip() != draft.text.strip()
    if not changed and (not approve or draft.mine_waiting):
        return "unchanged"  # (approving one's own correction counts for nothing, as in the bot)
    translation_review.record(
        deps,
        staff_id=staff_id,
        school_id=viewer.school_id,
        kind=draft.item.kind,
        item_id=draft.item.item_id,
        language=language,
        correction=text if changed else None,
    )
    if not changed:
        return "approved"
    done = translation_review.school_outcomes(deps, school_id=viewer.school_id, language=language)
    outcome = done.get(draft.item.key)
    return "waiting" if outcome is not None and outcome.pending is not None else "corrected"
