"""The desk's Prikkels page: the library with each prikkel's pictogram and the languages it is
reviewed in (for this school), queueing one for a class (through services/prikkel_draft.py and
prikkel_queue.py: the outbox's door, the weekly dose, the scheduler sends it), the queue per
class with cancel, and a week view of this week and the next.

A teacher works with their own classes only; the brugfiguur and the administrator with every
class of the school. A class or prikkel outside that is "not found" and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.domain.languages import SOURCE_LANGUAGE
from oudersbot.domain.prikkels import DEFAULT_TIME, DEFAULT_WEEKLY_LIMIT, prikkel_text, week_of
from oudersbot.services import prikkel_draft, prikkel_queue, translation_review
from oudersbot.services.prikkel_queue import QueuedPrikkel
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.models import Role
from oudersbot.store.prikkels import prikkels_between

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

STAFF_ROLES = (Role.TEACHER.value, Role.LIAISON.value, Role.ADMIN.value)
WEEKS_SHOWN = 2  # this week and the next
SCHOOL_DAYS = 5  # Monday to Friday
FURTHEST = dt.timedelta(days=366)  # a prikkel is queued at most a year ahead


class NotFoundError(LookupError):
    """A class, prikkel or queued prikkel this viewer may not see: the page says "not found"."""


def _check(viewer: Viewer) -> None:
    if viewer.role not in STAFF_ROLES:
        raise NotAllowedError(viewer.role)


@dataclass(frozen=True)
class LibraryEntry:
    """A library prikkel as the page shows it."""

    id: str
    theme: str
    age: str
    symbol: str
    text_nl: str
    question: str
    reviewed: tuple[str, ...]  # the languages parents read it in as reviewed, sorted


def library(
    deps: Deps, viewer: Viewer, *, theme: str | None = None, age: str | None = None
) -> list[LibraryEntry]:
    """The library (of a theme and age band, when given), by id; per prikkel the languages
    in which it is reviewed: shipped as reviewed, or reviewed by this school's vertalers."""
    _check(viewer)
    done = translation_review.school_outcomes(deps, school_id=viewer.school_id)
    symbols = deps.phrasebook.pictograms.by_key
    found = []
    for prikkel in deps.phrasebook.prikkels.choose(theme=theme, age=age):
        reviewed = sorted(
            tag
            for tag, wording in prikkel.wordings.items()
            if tag != SOURCE_LANGUAGE
            and (
                wording.status == "reviewed"
                or (
                    (outcome := done.get((translation_review.PRIKKEL, prikkel.id, tag))) is not None
                    and outcome.reviewed
                )
            )
        )
        dutch = prikkel.wordings[SOURCE_LANGUAGE]
        found.append(
            LibraryEntry(
                prikkel.id,
                prikkel.theme,
                prikkel.age,
                symbols[prikkel.pictogram].symbol,
                prikkel_text(dutch.context, dutch.question, dutch.tip),
                dutch.question,
                tuple(reviewed),
            )
        )
    return found


def themes(deps: Deps) -> list[str]:
    """The library's themes, sorted."""
    return deps.phrasebook.prikkels.themes()


def classes(deps: Deps, viewer: Viewer) -> list[str]:
    """The classes this viewer may queue prikkels for, by name."""
    _check(viewer)
    return prikkel_queue.classes_of(deps, viewer)


@dataclass(frozen=True)
class Queued:
    """A prikkel just queued: its message, how many families it reaches and how many of them
    wait for a later week (their weekly dose was full), and the first moment."""

    message_id: int
    group: str
    due: dt.datetime
    reaching: int
    delayed: int


def queue_for_class(
    deps: Deps, viewer: Viewer, *, group: str, prikkel_id: str, day: dt.date | None = None
) -> Queued:
    """Queue a library prikkel for one of the viewer's classes, after school on `day` (or
    the next school day), within the weekly dose. Raises NotFoundError for a class or
    prikkel the viewer may not use, PrikkelError when it cannot go as asked."""
    if group not in classes(deps, viewer) or prikkel_id not in deps.phrasebook.prikkels.prikkels:
        raise NotFoundError(group)
    due = None
    if day is not None:
        today = deps.clock.now().astimezone(deps.settings.timezone).date()
        if day > today + FURTHEST:
            raise prikkel_draft.PrikkelError("too_far", f"{day} is more than a year ahead")
        due = dt.datetime.combine(day, DEFAULT_TIME, tzinfo=deps.settings.timezone)
    draft = prikkel_draft.prepare_prikkel(
        deps,
        school=prikkel_queue.school_slug(deps, viewer.school_id),
        groups=[group],
        prikkel_id=prikkel_id,
        due=due,
    )
    message_id = prikkel_queue.queue_prikkel(deps, draft, created_by=viewer.name)
    return Queued(message_id, group, draft.due, draft.reaching, draft.delayed)


def queues(deps: Deps, viewer: Viewer) -> dict[str, list[QueuedPrikkel]]:
    """Per class of the viewer, what still waits, soonest first."""
    return {
        group: prikkel_queue.queued(deps, school_id=viewer.school_id, group=group)
        for group in classes(deps, viewer)
    }


def cancel(deps: Deps, viewer: Viewer, *, message_id: int) -> int:
    """Cancel what still waits of a prikkel for one of the viewer's classes; the families it
    no longer reaches. NotFoundError when nothing of it waits for the viewer's classes."""
    count = prikkel_queue.cancel(
        deps, school_id=viewer.school_id, message_id=message_id, groups=classes(deps, viewer)
    )
    if count == 0:
        raise NotFoundError(message_id)
    return count


@dataclass(frozen=True)
class PlanEntry:
    """One prikkel for one class on one day: how many families get it (or got it)."""

    group: str
    message_id: int
    symbol: str
    text_nl: str
    families: int
    sent: bool


@dataclass(frozen=True)
class PlanDay:
    """A school-week day and its prikkels, by class."""

    day: dt.date
    entries: tuple[PlanEntry, ...]


@dataclass(frozen=True)
class PlanWeek:
    """A week (Monday to Friday) and the most prikkels one family gets in it."""

    monday: dt.date
    days: tuple[PlanDay, ...]
    most_per_family: int
    limit: int = DEFAULT_WEEKLY_LIMIT


def week_view(deps: Deps, viewer: Viewer) -> list[PlanWeek]:
    """This week and the next: per day which prikkel goes (or went) to which of the viewer's
    classes, and how many families; per week the most prikkels any one family gets, never
    more than the weekly dose."""
    own = set(classes(deps, viewer))
    zone = deps.settings.timezone
    first = week_of(deps.clock.now().astimezone(zone))
    start = dt.datetime.combine(first, dt.time(0, 0), tzinfo=zone)
    end = dt.datetime.combine(first + dt.timedelta(weeks=WEEKS_SHOWN), dt.time(0, 0), tzinfo=zone)
    with deps.db.session() as session:
        found = prikkels_between(session, school_id=viewer.school_id, start=start, end=end)
    symbols = deps.phrasebook.pictograms.by_key
    families: dict[tuple[dt.date, str, int], set[int]] = {}
    sent: dict[tuple[dt.date, str, int], bool] = {}
    texts: dict[int, tuple[str, str]] = {}
    per_family: dict[tuple[dt.date, int], set[int]] = {}
    for item in found:
        day = item.moment.astimezone(zone).date()
        picto = symbols.get(item.pictogram)
        texts[item.message_id] = (picto.symbol if picto else "", item.text_nl)
        for group in sorted(own.intersection(item.groups)):
            key = (day, group, item.message_id)
            families.setdefault(key, set()).add(item.guardian_id)
            sent[key] = sent.get(key, True) and item.sent
            per_family.setdefault((week_of_day(day), item.guardian_id), set()).add(item.message_id)
    weeks = []
    for number in range(WEEKS_SHOWN):
        monday = first + dt.timedelta(weeks=number)
        days = []
        for offset in range(SCHOOL_DAYS):
            day = monday + dt.timedelta(days=offset)
            entries = [
                PlanEntry(group, message_id, *texts[message_id], len(who), sent[key])
                for key, who in sorted(families.items())
                for (when, group, message_id) in [key]
                if when == day
            ]
            days.append(PlanDay(day, tuple(entries)))
        most = max((len(ids) for (week, _), ids in per_family.items() if week == monday), default=0)
        weeks.append(PlanWeek(monday, tuple(days), most))
    return weeks


def week_of_day(day: dt.date) -> dt.date:
    """The Monday of a day's week."""
    return day - dt.timedelta(days=day.weekday())
