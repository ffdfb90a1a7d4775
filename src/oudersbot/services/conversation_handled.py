"""Mark a parent's question handled without an answer: a parent who only told the school
something ("Ahmed is ziek vandaag") needs no reply, and the question should not wait on the
lists nor reach the brugfiguur's list. The same people who may answer may mark it (the
brugfiguur every family, a teacher the families of their classes); the conversation keeps who
did it and when, and the parent's next question opens it again. On the desk a conversation is
marked; in Telegram, the note of one message (the button under it), so a teacher never marks a
newer question they have not seen."""

from __future__ import annotations

import logging
from enum import StrEnum

from oudersbot.bootstrap import Deps
from oudersbot.services.conversations import (
    concerned_children,
    may_answer,
    visible_conversation,
)
from oudersbot.services.viewers import Viewer
from oudersbot.store.conversations import latest_parent_message, mark_handled, parent_message

log = logging.getLogger(__name__)


class Handled(StrEnum):
    """What marking did."""

    DONE = "done"
    NOT_WAITING = "not_waiting"  # answered or marked before (a double click, another staff)
    NOT_ALLOWED = "not_allowed"  # the viewer may read but not answer (the administrator)
    NEWER = "newer"  # the parent wrote again after the message tapped: that one waits


def mark_handled_on_desk(deps: Deps, viewer: Viewer, *, conversation_id: int) -> Handled | None:
    """Mark the conversation's waiting question handled by the viewer; None when there is no
    such conversation for the viewer (another school's, or about no child of the teacher's
    classes)."""
    return _mark(deps, viewer, conversation_id=conversation_id, tapped_id=None)


def mark_handled_from_note(deps: Deps, viewer: Viewer, *, message_id: int) -> Handled | None:
    """'Afgehandeld' under the note of a parent's message in Telegram; None when the message
    is no parent message the viewer may see (a forged or another school's button)."""
    with deps.db.session() as session:
        row = parent_message(session, school_id=viewer.school_id, message_id=message_id)
        if row is None:
            return None
        conversation_id = row.conversation_id
    return _mark(deps, viewer, conversation_id=conversation_id, tapped_id=message_id)


def _mark(
    deps: Deps, viewer: Viewer, *, conversation_id: int, tapped_id: int | None
) -> Handled | None:
    with deps.db.session() as session:
        visible = visible_conversation(session, viewer, conversation_id)
        if visible is None:
            return None
        _, children = visible
        asked = latest_parent_message(session, conversation_id=conversation_id)
        if asked is None:
            return Handled.NOT_WAITING
        if not may_answer(viewer.role, viewer.group_ids, concerned_children(children, asked)):
            log.warning("refused marking handled by a %s: not their family", viewer.role)
            return Handled.NOT_ALLOWED
        if tapped_id is not None and asked.id != tapped_id:
            return Handled.NEWER
        done = mark_handled(
            session, conversation_id=conversation_id, by=viewer.name, at=deps.clock.now()
        )
    return Handled.DONE if done else Handled.NOT_WAITING
