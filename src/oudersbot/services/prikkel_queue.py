"""The prikkel queue: a drafted prikkel goes into the outbox through its door, one delivery per
family on a school day of its own; the teacher sees what still waits and may cancel it."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.delivery.door import Content, SendKind
from oudersbot.domain.pictograms import Category
from oudersbot.domain.prikkels import encode_feedback
from oudersbot.services.prikkel_draft import PrikkelDraft
from oudersbot.services.viewers import Viewer
from oudersbot.store.models import MessageKind
from oudersbot.store.prikkels import cancel_waiting_prikkel, prikkel_groups, waiting_prikkels
from oudersbot.store.schools import class_names, school_by_id

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


def feedback_buttons(deps: Deps, language: str, message_id: int) -> list[list[list[str]]]:
    """The two buttons under a prikkel: 'we talked about it' and 'another idea'."""
    return [
        [[deps.words.text(language, "prikkel.talked"), encode_feedback("talked", message_id)]],
        [[deps.words.text(language, "prikkel.another"), encode_feedback("another", message_id)]],
    ]


def queue_prikkel(
    deps: Deps, draft: PrikkelDraft, *, created_by: str | None = None, again: bool = False
) -> int:
    """Put the prikkel in the outbox through its door: one delivery per family, each on a
    school day of its own within the weekly dose. Queueing the same prikkel for the same classes
    at the same moment twice queues nothing the second time, unless `again`."""
    content = Content(
        kind=MessageKind.PRIKKEL,
        text_nl=draft.text_nl,
        pictogram=draft.pictogram,
        category=Category.INFO.value,
        versions=draft.versions,
        template_id=draft.prikkel_id,
        audience={"groups": list(draft.groups)},
        created_by=created_by,
        photo=draft.photo,
    )
    key = None
    if not again:
        groups = sorted(draft.groups)
        source = f"{draft.prikkel_id}|{draft.text_nl}|{groups}|{draft.due.isoformat()}"
        key = "prikkel:" + hashlib.sha256(source.encode()).hexdigest()[:40]
    with deps.db.session() as session:
        posted = deps.outbox.put(
            session,
            school_id=draft.school_id,
            content=content,
            to=draft.recipients,
            kind=SendKind.PRIKKEL,
            not_before=draft.due,
            dedupe_key=key,
            buttons=lambda message_id, r: feedback_buttons(deps, r.language, message_id),
            weekly_limit=draft.weekly_limit,
        )
        return posted.message_id


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
        waiting = waiting_prikkels(session, school_id=school_id, group=group)
    found = [QueuedPrikkel(w.message_id, w.text_nl, w.due, w.families) for w in waiting]
    return sorted(found, key=lambda item: (item.due, item.message_id))


def cancel(
    deps: Deps, *, school_id: int, message_id: int, groups: Sequence[str] | None = None
) -> int:
    """Cancel what is still waiting of a prikkel (of this school, and when `groups` is given,
    for one of those classes); the number of families it no longer reaches."""
    with deps.db.session() as session:
        if groups is not None:
            queued_for = prikkel_groups(session, school_id=school_id, message_id=message_id)
            if not queued_for & set(groups):
                return 0
        return cancel_waiting_prikkel(session, school_id=school_id, message_id=message_id)


def classes_of(deps: Deps, viewer: Viewer) -> list[str]:
    """The classes a staff member may send prikkels to, by name: a teacher their own, the
    brugfiguur and the administrator every class of the school."""
    group_ids = None if viewer.sees_school else viewer.group_ids
    with deps.db.session() as session:
        return class_names(session, school_id=viewer.school_id, group_ids=group_ids)


def school_slug(deps: Deps, school_id: int) -> str:
    """A school's slug."""
    with deps.db.session() as session:
        return school_by_id(session, school_id=school_id).slug
