"""Composing a message on the phone: what the CLI's `send` has no need for. Which classes a
staff member may address, the plain-language findings of the text before the preview, and the
moments a plan may pick. The draft itself and the send are `services/messages.py`'s, exactly
as for the CLI and the web desk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.domain.plain_language import Finding, check
from oudersbot.domain.rendering import TEXT_LIMIT
from oudersbot.domain.time_rules import Urgency
from oudersbot.services.messages import Draft, DraftError
from oudersbot.services.viewers import Viewer
from oudersbot.store.models import Role
from oudersbot.store.schools import class_choices, school_by_id

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

# Who may send a message or a slip to families: a teacher to their own classes, the
# brugfiguur to every class of the school. A vertaler or a parent may not.
SENDERS = (Role.TEACHER.value, Role.LIAISON.value)
DEFAULT_PICTOGRAM = "info"


@dataclass(frozen=True)
class ClassChoice:
    """A class the staff member may send to."""

    id: int
    name: str


def may_compose(viewer: Viewer | None) -> bool:
    """True for a teacher or a brugfiguur."""
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
