"""'Begrepen' / 'Uitleg graag' under every school message: the two buttons, a parent's tap,
the sender told about 'please explain', the counts per message and the brugfiguur's list.

Which sends carry the buttons: staff messages and slips (services/messages.py). Prikkels
have their own two buttons (a suggestion, not information to understand); a slip reminder
repeats a slip that already carried them (the tap under the slip counts); calendar reminders
and month overviews repeat what the calendar said. A resend carries the buttons of the copy it
replaces, so a tap under it counts for the original message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from oudersbot.domain.languages import SOURCE_LANGUAGE
from oudersbot.domain.understanding import (
    Counts,
    Reaction,
    UnderstandingTap,
    counts_of,
    decode_understanding,
    encode_understanding,
)
from oudersbot.services.slip_status import title
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.audit import record as audit
from oudersbot.store.slip_status import group_names
from oudersbot.store.understanding import (
    ExplainRequest,
    add_reaction,
    children_in,
    explain_count,
    mark_explained,
    message_counts,
    open_explain_requests,
    reaction_of,
    staff_chats,
    tap_owner,
)

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)
STAFF = SOURCE_LANGUAGE
# The sender hears of the first few requests per message in their chat; the rest (a message
# many did not understand) wait on the brugfiguur's list and in the counts, not as a flood.
NOTICES_PER_MESSAGE = 5


def understanding_row(deps: Deps, message_id: int, language: str) -> list[list[str]]:
    """The one row of two small buttons under a message, in the guardian's language: rows of
    [label, callback data] as the outbox's door takes them."""
    words = deps.words
    return [
        [
            words.text(language, "understanding.button.understood"),
            encode_understanding(UnderstandingTap(message_id, Reaction.UNDERSTOOD)),
        ],
        [
            words.text(language, "understanding.button.explain"),
            encode_understanding(UnderstandingTap(message_id, Reaction.EXPLAIN)),
        ],
    ]


class ReactionOutcome(StrEnum):
    """What a tap on one of the two buttons did."""

    RECORDED = "recorded"  # new, or changed
    SAME = "same"  # the same reaction again: nothing new, nobody told again
    REFUSED = "refused"  # forged, garbled, another chat's message, unknown id


@dataclass(frozen=True)
class ReactionResult:
    """The outcome, the parent's language for the confirmation, and (for a new 'please
    explain') the staff chats to tell with the Dutch notice."""

    outcome: ReactionOutcome
    language: str = SOURCE_LANGUAGE
    reaction: Reaction | None = None
    notify: tuple[int, ...] = ()
    notice: str = ""


def record_reaction(deps: Deps, *, chat_id: int, data: str) -> ReactionResult:
    """Record a tap, if this chat got the message and its buttons carry this very data; the
    latest tap counts. A Telegram retry of the same tap racing the first is taken once."""
    tap = decode_understanding(data)
    if tap is None:
        log.warning("refused understanding data from chat %s", chat_id)
        return ReactionResult(ReactionOutcome.REFUSED)
    try:
        return _record(deps, chat_id, data, tap)
    except IntegrityError:  # two taps at once: the other one wrote the first row
        return _record(deps, chat_id, data, tap)


def _record(deps: Deps, chat_id: int, data: str, tap: UnderstandingTap) -> ReactionResult:
    now = deps.clock.now()
    explain = tap.reaction is Reaction.EXPLAIN
    with deps.db.session() as session:
        owner = tap_owner(session, chat_id=chat_id, message_id=tap.message_id)
        carried = owner is not None and any(
            button[1] == data for row in owner.buttons for button in row
        )
        if owner is None or not carried:
            log.warning("refused understanding tap on message %s: not theirs", tap.message_id)
            return ReactionResult(ReactionOutcome.REFUSED)
        row = reaction_of(session, message_id=tap.message_id, guardian_id=owner.guardian_id)
        same = row is not None and row.reaction == tap.reaction.value
        if row is None:
            add_reaction(
                session,
                school_id=owner.school_id,
                message_id=tap.message_id,
                guardian_id=owner.guardian_id,
                reaction=tap.reaction.value,
                at=now,
                explain=explain,
            )
        else:
            row.taps += 1
            row.tapped_at = now
            if not same:
                row.reaction = tap.reaction.value
                if explain:
                    row.explain_at = now
        if same:
            return ReactionResult(ReactionOutcome.SAME, owner.language, tap.reaction)
        if not explain:
            return ReactionResult(ReactionOutcome.RECORDED, owner.language, tap.reaction)
        asking = explain_count(session, message_id=tap.message_id)
        if asking > NOTICES_PER_MESSAGE:
            return ReactionResult(ReactionOutcome.RECORDED, owner.language, tap.reaction)
        children = children_in(session, guardian_id=owner.guardian_id, groups=owner.groups)
        chats = staff_chats(
            session, school_id=owner.school_id, name=owner.created_by, groups=owner.groups
        )
    family = ", ".join(f"{name} ({group})" for name, group in children) or "-"
    notice = deps.words.text(
        STAFF,
        "understanding.staff_notice",
        guardian=owner.guardian,
        children=family,
        message=tap.message_id,
        title=title(owner.text_nl),
    )
    if asking == NOTICES_PER_MESSAGE:
        notice += "\n" + deps.words.text(STAFF, "understanding.staff_notice_last")
    return ReactionResult(
        ReactionOutcome.RECORDED, owner.language, tap.reaction, tuple(chats), notice
    )


@dataclass(frozen=True)
class MessageUnderstanding:
    """One message with its counts: understood, please explain, no tap."""

    message_id: int
    title: str
    created_at: datetime
    groups: tuple[str, ...]
    counts: Counts


def understanding_counts(
    deps: Deps, viewer: Viewer, *, message_id: int | None = None, last: int = 10
) -> list[MessageUnderstanding]:
    """The latest messages with the two buttons (or the one asked for), newest first, with
    their counts; a teacher sees the messages to their own classes only (counts, no names)."""
    with deps.db.session() as session:
        rows = message_counts(session, school_id=viewer.school_id, message_id=message_id, last=last)
        own = set() if viewer.sees_school else group_names(session, group_ids=viewer.group_ids)
    return [
        MessageUnderstanding(
            row.message_id,
            title(row.text_nl),
            row.created_at,
            row.groups,
            counts_of(row.reached, row.understood, row.explain),
        )
        for row in rows
        if viewer.sees_school or own & set(row.groups)
    ]


@dataclass(frozen=True)
class ExplainItem:
    """On the brugfiguur's list: a family that asked for an explanation of a message."""

    request_id: int
    message_id: int
    title: str
    groups: tuple[str, ...]
    guardian_id: int
    guardian: str
    language: str
    phone: str | None
    asked_at: datetime


def explain_list(deps: Deps, viewer: Viewer) -> list[ExplainItem]:
    """The families who asked for an explanation and are still waiting, oldest first; for the
    liaison (and the administrator) only."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison works the follow-up list")
    with deps.db.session() as session:
        rows = open_explain_requests(session, school_id=viewer.school_id)
    return [_item(row) for row in rows]


def explain_waiting(deps: Deps, viewer: Viewer) -> list[ExplainItem]:
    """The families still waiting for an explanation, oldest first, as "Vandaag" shows them:
    the whole school for the brugfiguur and the administrator, the families of their own
    classes (a message to that class, a child in it) for a teacher. The phone number only for
    the brugfiguur."""
    with deps.db.session() as session:
        rows = open_explain_requests(session, school_id=viewer.school_id)
        if not viewer.sees_school:
            own = group_names(session, group_ids=viewer.group_ids)
            rows = [
                row
                for row in rows
                if own & set(row.groups)
                and children_in(session, guardian_id=row.guardian_id, groups=own & set(row.groups))
            ]
    items = [_item(row) for row in rows]
    if not viewer.sees_phones:
        items = [replace(item, phone=None) for item in items]
    return items


def _item(row: ExplainRequest) -> ExplainItem:
    return ExplainItem(
        row.request_id,
        row.message_id,
        title(row.text_nl),
        row.groups,
        row.guardian_id,
        row.guardian,
        row.language,
        row.phone,
        row.asked_at,
    )


def record_explained(
    deps: Deps, viewer: Viewer, *, request_id: int, actor: str | None = None
) -> bool:
    """The brugfiguur explained it: the family leaves the open list (until they ask again).
    False when there is no such open request at the viewer's school; audited."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison records follow-up")
    now = deps.clock.now()
    with deps.db.session() as session:
        done = mark_explained(
            session, school_id=viewer.school_id, request_id=request_id, by=viewer.name, at=now
        )
        if done:
            audit(session, viewer.school_id, now, actor or viewer.name, "followup.explained",
                  None, f"understanding {request_id}")  # fmt: skip
    return done
