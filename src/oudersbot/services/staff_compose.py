"""Composing a message on the phone or at the desk: what the CLI's `send` has no need for.
Which classes a staff member may address, the templates to pick from, the plain-language
findings of the text before the preview, the moments a plan may pick, and the draft and the
send for one of the sender's classes (checked again at every step). The draft itself and the
send are `services/messages.py`'s, exactly as for the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.dates import format_datetime

from oudersbot.domain.plain_language import Finding, check
from oudersbot.domain.rendering import TEXT_LIMIT
from oudersbot.domain.slots import SlotType
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages
from oudersbot.services.messages import Draft, DraftError, SendReport
from oudersbot.services.viewers import Viewer
from oudersbot.store.models import Role
from oudersbot.store.schools import class_choices, school_by_id

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

# Who may send a message or a slip to families: a teacher to their own classes, the
# brugfiguur and the administrator (as at the command line) to every class of the school.
# A vertaler or a parent may not.
SENDERS = (Role.TEACHER.value, Role.LIAISON.value, Role.ADMIN.value)
DEFAULT_PICTOGRAM = "info"
STAFF_LOCALE = "nl_BE"
DEADLINE_DAYS = (3, 7)  # a slip's deadline offered first: in 3 or 7 days ...
DEADLINE_HOUR = dt.time(18, 0)  # ... at 18:00
# What a sender may choose under the preview (see `send_choices`).
SEND_NOW, SEND_AT, SEND_URGENT, SEND_PLAN = "now", "at", "urgent", "plan"


@dataclass(frozen=True)
class ClassChoice:
    """A class the staff member may send to."""

    id: int
    name: str


@dataclass(frozen=True)
class TemplateChoice:
    """A template as a sender picks it: its pictogram, whether it is a slip, what it asks."""

    id: str
    title: str
    symbol: str
    pictogram: str
    mark: str
    slots: tuple[tuple[str, SlotType], ...]
    answers: tuple[str, ...]

    @property
    def slip(self) -> bool:
        """True when parents answer it (a slip)."""
        return bool(self.answers)


@dataclass(frozen=True)
class Composition:
    """What the sender asked for: a class, a template with its slot values or own words, and
    for a slip its deadline. Nothing is stored until it is sent."""

    group_id: int
    template_id: str | None = None
    slots: Mapping[str, str] | None = None
    text: str | None = None
    deadline: dt.datetime | None = None
    # Own words made a slip: the answer options chosen (a template brings its own).
    answers: tuple[str, ...] | None = None


class NotYourClassError(LookupError):
    """A class this sender may not address (another teacher's, another school's, none)."""


def may_compose(viewer: Viewer | None) -> bool:
    """True for a teacher, a brugfiguur or the school's administrator."""
    return viewer is not None and viewer.role in SENDERS


def sendable_classes(deps: Deps, viewer: Viewer | None) -> list[ClassChoice]:
    """The classes this staff member may send to, by name: a teacher's own, the brugfiguur's
    whole school; nothing for anyone else."""
    if viewer is None or not may_compose(viewer):
        return []
    only = None if viewer.sees_school else viewer.group_ids
    with deps.db.session() as session:
        rows = class_choices(session, school_id=viewer.school_id, group_ids=only)
    return [ClassChoice(group_id, name) for group_id, name in rows]


def class_of(deps: Deps, viewer: Viewer | None, group_id: int) -> ClassChoice:
    """One of the sender's classes, checked against the database now; NotYourClassError for
    any other id."""
    for choice in sendable_classes(deps, viewer):
        if choice.id == group_id:
            return choice
    raise NotYourClassError(group_id)


def template_choices(deps: Deps) -> list[TemplateChoice]:
    """Every template by title, with its pictogram and, for a slip, its answers."""
    book = deps.phrasebook
    found = []
    for template in sorted(book.templates.values(), key=lambda t: t.title.casefold()):
        picto = book.pictograms.resolve(template.pictogram)
        found.append(
            TemplateChoice(
                id=template.id,
                title=template.title,
                symbol=picto.symbol,
                pictogram=picto.key,
                mark=template.category.mark,
                slots=tuple(template.slots.items()),
                answers=tuple(template.answers),
            )
        )
    return found


def template_choice(deps: Deps, template_id: str) -> TemplateChoice | None:
    """One template by id, or None."""
    return next((c for c in template_choices(deps) if c.id == template_id), None)


def families_per_language(draft: Draft) -> dict[str, int]:
    """How many guardians of the audience read each language of the draft."""
    counts = dict.fromkeys(draft.versions, 0)
    for recipient in draft.recipients:
        counts[recipient.language] = counts.get(recipient.language, 0) + 1
    return counts


def composed_draft(deps: Deps, viewer: Viewer | None, composition: Composition) -> Draft:
    """The draft for one of the sender's classes, made by the CLI's own `prepare_message`.
    Raises NotYourClassError, or DraftError, SlotError or SlipError as `prepare_message` does."""
    if viewer is None:
        raise NotYourClassError(composition.group_id)
    choice = class_of(deps, viewer, composition.group_id)
    return messages.prepare_message(
        deps,
        school=school_slug(deps, viewer.school_id),
        groups=[choice.name],
        template_id=composition.template_id,
        slots=composition.slots if composition.template_id else None,
        text=None if composition.template_id else composition.text,
        answers=None if composition.template_id else composition.answers,
        deadline=composition.deadline,
    )


def send_composed(
    deps: Deps,
    viewer: Viewer | None,
    composition: Composition,
    *,
    urgency: Urgency = Urgency.NORMAL,
    not_before: dt.datetime | None = None,
) -> SendReport:
    """Through the door: the role and the class are checked again now and the draft made
    anew; a planned moment must be one `plan_moments` offers. The same message to the same
    class on the same day queues nothing twice (a double submit sends once)."""
    if not may_compose(viewer):
        raise NotYourClassError(composition.group_id)
    draft = composed_draft(deps, viewer, composition)
    if not_before is not None and not_before not in plan_moments(deps, draft):
        raise DraftError("past", "that moment is not one the school may send at")
    assert viewer is not None
    return messages.send_message(
        deps, draft, created_by=viewer.name, urgency=urgency, not_before=not_before
    )


def school_slug(deps: Deps, school_id: int) -> str:
    """The slug of the staff member's school (what `prepare_message` takes)."""
    with deps.db.session() as session:
        return school_by_id(session, school_id=school_id).slug


def text_findings(
    deps: Deps,
    *,
    template_id: str | None,
    slots: Mapping[str, str] | None = None,
    text: str | None = None,
) -> tuple[str, tuple[Finding, ...]]:
    """The Dutch text as parents will read it and its plain-language findings (the same as
    `oudersbot check` and the send's preview), before any translation is made. Raises
    DraftError or SlotError as `prepare_message` does."""
    if template_id is not None:
        template = deps.phrasebook.templates.get(template_id)
        if template is None:
            raise DraftError(
                "unknown_template", f"unknown template {template_id!r}", template=template_id
            )
        values = template.parse_slots(slots or {})
        text_nl = template.fill(template.text_nl, values, "nl")
        kind = deps.phrasebook.pictograms.resolve(template.pictogram).key
    else:
        if not text or not text.strip():
            raise DraftError("no_text", "a message needs a template or a text")
        text_nl = text.strip()
        if len(text_nl) > TEXT_LIMIT:
            raise DraftError(
                "too_long",
                f"the text has {len(text_nl)} characters; one message holds at most {TEXT_LIMIT}",
                count=len(text_nl),
                limit=TEXT_LIMIT,
            )
        kind = deps.phrasebook.pictograms.resolve(DEFAULT_PICTOGRAM).key
    return text_nl, tuple(check(text_nl, deps.lexicon, kind=kind))


def plan_moments(deps: Deps, draft: Draft, *, count: int = 2, days: int = 7) -> list[dt.datetime]:
    """The door's next allowed moments on the coming days (from tomorrow on), each once: what
    a plan may pick. Fewer when the slip's deadline comes first."""
    zone = deps.settings.timezone
    today = deps.clock.now().astimezone(zone).date()
    found: list[dt.datetime] = []
    with deps.db.session() as session:
        for ahead in range(1, days + 1):
            start = dt.datetime.combine(today + dt.timedelta(days=ahead), dt.time(0), zone)
            moment = deps.outbox.moment(
                session,
                school_id=draft.school_id,
                not_before=start,
                urgency=Urgency.NORMAL,
                latest=draft.deadline,
            )
            if moment is None or len(found) >= count:
                break
            if moment not in found:
                found.append(moment)
    return found


def staff_moment(deps: Deps, moment: dt.datetime) -> str:
    """A moment as staff read it: "maandag 30 november om 07:30"."""
    local = moment.astimezone(deps.settings.timezone)
    return format_datetime(local, "EEEE d MMMM 'om' HH:mm", locale=STAFF_LOCALE)


def deadline_in(deps: Deps, days: int) -> dt.datetime:
    """A slip's deadline `days` from today at DEADLINE_HOUR, in the school's zone."""
    zone = deps.settings.timezone
    day = deps.clock.now().astimezone(zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, DEADLINE_HOUR, zone)


def send_choices(now: dt.datetime, planned: dt.datetime | None) -> tuple[str, ...]:
    """What the sender may choose once the preview is shown: send now (it goes at once), send
    at the door's next allowed moment (quiet hours, weekend, holiday), urgent (now, also in
    the quiet hours; the only way when the door has no moment before a slip's deadline), or
    plan (one of `plan_moments`)."""
    found = []
    if planned is not None:
        found.append(SEND_NOW if planned <= now else SEND_AT)
    if planned is None or planned > now:
        found.append(SEND_URGENT)
    if planned is not None:
        found.append(SEND_PLAN)
    return tuple(found)
