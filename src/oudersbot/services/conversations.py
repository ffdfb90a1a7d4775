"""A parent's conversation with the school: whatever a parent sends is kept and reaches the
class teacher(s) of their children in Dutch; a teacher's Telegram reply goes back to the
parent through the outbox's door, in their language with the Dutch original below it.

- A short thanks ("👍", "ok", "merci", "tamam", ... `messages/acknowledgements.toml`) is kept
  as an acknowledgement: no question, no staff member called.
- A message sent while a slip is open for the family (and went out to their chat) is linked
  to that slip, and kept with the slip as its question as before.
- A voice note, photo, sticker or file is kept by its Telegram file_id (not the file) and
  shown to staff as "[spraakbericht]", "[foto]", ...
- No teacher of the children joined the bot yet: the brugfiguur gets it on their phone instead.
- Many messages at once: the first few reach the teacher's phone, all are kept
  (`NOTES_PER_BURST`).
- Translation unavailable: staff see the original with a clear "niet vertaald" mark; the
  parent's words are stored as they came, always.
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from oudersbot.delivery.door import Content, SendKind
from oudersbot.domain.languages import is_rtl
from oudersbot.domain.rendering import MessageView, Version, render_html
from oudersbot.domain.time_rules import Urgency
from oudersbot.services.slip_status import title
from oudersbot.services.viewers import Viewer
from oudersbot.store.audience import recipient_of_guardian
from oudersbot.store.conversations import (
    ChildInClass,
    Family,
    Replier,
    StaffTarget,
    add_message,
    add_notice,
    children_of,
    conversation_for,
    conversation_of_school,
    family_of_chat,
    guardian_of,
    latest_parent_message,
    liaisons_of_school,
    mark_answered,
    mark_waiting,
    noticed_message,
    parent_message,
    questions_since,
    replier_of_chat,
    teachers_of_groups,
    touch,
)
from oudersbot.store.door import message_with_key
from oudersbot.store.models import (
    Conversation,
    ConversationKind,
    ConversationMessage,
    Direction,
    Message,
    MessageKind,
    Role,
)
from oudersbot.store.slips import add_question, newest_open_slip
from oudersbot.translation.acknowledgements import load_acknowledgements
from oudersbot.translation.conversation import from_dutch, is_dutch, to_dutch

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)
# A staff answer is the answer to what a parent just asked: it may go out on any day (the
# teacher chose to answer then), but never in the school's quiet hours (a reply typed at
# 22:00 arrives at 07:30). See docs/architecture.md.
REPLY_URGENCY = Urgency.ANY_DAY
# A parent who sends many messages at once reaches the teacher's phone with the first few; the
# rest are kept (and listed by /gesprekken): a flood of one chat never floods staff, nor runs the
# bot into Telegram's per-chat limit, which would hold up the replies to every other parent.
NOTES_PER_BURST = 5
BURST = timedelta(minutes=10)
REPLY_PICTOGRAM = "oudercontact"
REPLY_CATEGORY = "info"


@dataclass(frozen=True)
class ParentNote:
    """A parent's message as staff see it (Dutch first, the original one tap away)."""

    message_id: int
    school_id: int
    guardian: str
    language: str
    kind: str
    text: str | None
    dutch: str | None  # None: not translated
    children: tuple[ChildInClass, ...]
    slip_title: str | None
    at: datetime


@dataclass(frozen=True)
class Received:
    """What became of a parent's message: their language (to thank them in), whether it was
    an acknowledgement, linked to a slip, or stored before; the staff to tell and the note."""

    language: str | None
    acknowledgement: bool = False
    slip_linked: bool = False
    duplicate: bool = False
    note: ParentNote | None = None
    targets: tuple[StaffTarget, ...] = ()


def receive(
    deps: Deps,
    *,
    chat_id: int,
    bot: str | None,
    telegram_message_id: int,
    kind: ConversationKind,
    text: str | None = None,
    file_id: str | None = None,
) -> Received:
    """Keep a parent's message in their conversation; None as language: not a guardian."""
    now = deps.clock.now()
    with deps.db.session() as session:
        family = family_of_chat(session, chat_id=chat_id, bot=bot)
        slip = newest_open_slip(session, chat_id=chat_id, now=now) if family else None
    if family is None:
        return Received(None)
    acknowledgements = load_acknowledgements(deps.settings.messages_dir)
    wordy = kind in (ConversationKind.TEXT, ConversationKind.STICKER)
    if wordy and text is not None and acknowledgements.matches(text):
        kind = ConversationKind.ACKNOWLEDGEMENT
    asks = kind is not ConversationKind.ACKNOWLEDGEMENT
    if slip is not None and (slip.school_id != family.school_id or not asks):
        slip = None
    dutch = None
    if kind is ConversationKind.STICKER:
        dutch = text  # a sticker's emoji needs no translation
    elif text and asks:
        dutch = to_dutch(deps.translator, text, family.language)
    concerned = _concerned(family, {c.child_id for c in slip.children} if slip else set())
    with deps.db.session() as session:
        conversation = conversation_for(
            session, school_id=family.school_id, guardian_id=family.guardian_id, now=now
        )
        row = ConversationMessage(
            conversation_id=conversation.id,
            school_id=family.school_id,
            guardian_id=family.guardian_id,
            direction=Direction.PARENT.value,
            kind=kind.value,
            text=text,
            language=family.language,
            translated=dutch,
            file_id=file_id,
            child_ids=[c.id for c in concerned],
            slip_id=slip.message_id if slip else None,
            telegram_message_id=telegram_message_id,
            at=now,
        )
        if not add_message(session, row):
            return Received(family.language, not asks, duplicate=True)
        if not asks:
            touch(session, conversation=conversation, at=now)
            return Received(family.language, acknowledgement=True)
        burst = questions_since(session, conversation_id=conversation.id, since=now - BURST)
        mark_waiting(session, conversation=conversation, at=now)
        slip_title = None
        if slip is not None:
            if text:  # the slip's lists show the question, as before
                add_question(
                    session,
                    school_id=slip.school_id,
                    message_id=slip.message_id,
                    guardian_id=slip.guardian_id,
                    child_ids=[c.child_id for c in slip.children],
                    text=text,
                    text_nl=dutch,
                    received_at=now,
                )
            slip_title = title(session.get_one(Message, slip.message_id).text_nl)
        targets = teachers_of_groups(
            session, school_id=family.school_id, group_ids=sorted({c.group_id for c in concerned})
        ) or liaisons_of_school(session, school_id=family.school_id)  # no teacher joined yet
        if burst > NOTES_PER_BURST:
            targets = []
        note = ParentNote(
            row.id,
            family.school_id,
            family.name,
            family.language,
            kind.value,
            text,
            dutch,
            concerned,
            slip_title,
            now,
        )
    return Received(
        family.language, slip_linked=slip is not None, note=note, targets=tuple(targets)
    )


def _concerned(family: Family, on_slip: set[int]) -> tuple[ChildInClass, ...]:
    """The children a message is about: those on the open slip, else all of the family's."""
    return tuple(c for c in family.children if c.id in on_slip) or family.children


def remember_notice(
    deps: Deps, *, note: ParentNote, target: StaffTarget, telegram_message_id: int
) -> None:
    """A staff member got the note as this Telegram message: their reply to it answers."""
    with deps.db.session() as session:
        add_notice(
            session,
            school_id=note.school_id,
            conversation_message_id=note.message_id,
            staff_id=target.staff_id,
            chat_id=target.chat_id,
            telegram_message_id=telegram_message_id,
            at=deps.clock.now(),
        )


def note_of(deps: Deps, *, school_id: int, message_id: int) -> ParentNote | None:
    """A parent's message of the school, as staff see it."""
    with deps.db.session() as session:
        row = parent_message(session, school_id=school_id, message_id=message_id)
        if row is None:
            return None
        guardian = guardian_of(session, guardian_id=row.guardian_id)
        children = children_of(session, guardian_id=row.guardian_id)
        concerned = tuple(c for c in children if c.id in set(row.child_ids)) or children
        slip_title = title(session.get_one(Message, row.slip_id).text_nl) if row.slip_id else None
        return ParentNote(
            row.id,
            row.school_id,
            guardian.name,
            row.language,
            row.kind,
            row.text,
            row.translated,
            concerned,
            slip_title,
            row.at,
        )


def concerned_children(
    children: tuple[ChildInClass, ...], asked: ConversationMessage
) -> tuple[ChildInClass, ...]:
    """The children a parent's message is about (all of the family's when it names none)."""
    return tuple(c for c in children if c.id in set(asked.child_ids)) or children


def may_answer(role: str, group_ids: frozenset[int], children: tuple[ChildInClass, ...]) -> bool:
    """The brugfiguur answers every family of the school; a teacher only those of their
    classes."""
    if role == Role.LIAISON.value:
        return True
    return role == Role.TEACHER.value and any(c.group_id in group_ids for c in children)


@dataclass(frozen=True)
class Answered:
    """What a staff reply did: sent to whom, when; or the problem (not_staff, not_a_question,
    not_allowed, not_reachable; bad_form: a desk form without its one-time token)."""

    problem: str | None = None
    guardian: str | None = None
    translated: bool = False
    due: datetime | None = None
    duplicate: bool = False


def answer(
    deps: Deps,
    *,
    chat_id: int,
    bot: str | None,
    reply_to: int,
    text: str,
    telegram_message_id: int,
) -> Answered:
    """A staff member's Telegram reply to a parent's message they got: checked on the server
    (their school, their classes), translated, put through the door to the parent."""
    with deps.db.session() as session:
        replier = replier_of_chat(session, chat_id=chat_id, bot=bot)
        if replier is None:
            return Answered("not_staff")
        asked = noticed_message(session, chat_id=chat_id, telegram_message_id=reply_to)
        if asked is None or asked.school_id != replier.school_id:
            return Answered("not_a_question")
        asked_id = asked.id
    return _reply(
        deps,
        replier,
        asked_id=asked_id,
        text=text,
        dedupe_key=f"reply:{chat_id}:{telegram_message_id}",
    )


def visible_conversation(
    session: Session, viewer: Viewer, conversation_id: int
) -> tuple[Conversation, tuple[ChildInClass, ...]] | None:
    """A conversation of the viewer's school with the family's children; None when there is
    no such conversation, or (for a teacher) it is about no child of their classes."""
    found = conversation_of_school(
        session, school_id=viewer.school_id, conversation_id=conversation_id
    )
    if found is None:
        return None
    children = children_of(session, guardian_id=found.guardian_id)
    if not viewer.sees_school and not any(c.group_id in viewer.group_ids for c in children):
        return None
    return found, children


DESK_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def desk_token() -> str:
    """A fresh one-time token for an answer form on the desk: the same form sent twice (a
    double click, a reload) carries the same token, and the door queues it once."""
    return secrets.token_urlsafe(24)


def answer_on_desk(
    deps: Deps,
    viewer: Viewer,
    *,
    staff_id: int,
    conversation_id: int,
    text: str,
    token: str,
) -> Answered | None:
    """A staff member's answer typed on the desk: the same checks, translation and door as a
    Telegram reply, to the parent's newest message of the conversation. None when there is no
    such conversation for the viewer (another school's, or about no child of the teacher's
    classes); the form's one-time token makes a double submit queue once."""
    if not DESK_TOKEN.fullmatch(token):
        return Answered("bad_form")
    with deps.db.session() as session:
        if visible_conversation(session, viewer, conversation_id) is None:
            return None
        asked = latest_parent_message(session, conversation_id=conversation_id)
        if asked is None:
            return Answered("not_a_question")
        asked_id = asked.id
    replier = Replier(staff_id, viewer.school_id, viewer.name, viewer.role, viewer.group_ids)
    return _reply(
        deps,
        replier,
        asked_id=asked_id,
        text=text,
        dedupe_key=f"desk-reply:{staff_id}:{conversation_id}:{token}",
    )


def _reply(deps: Deps, replier: Replier, *, asked_id: int, text: str, dedupe_key: str) -> Answered:
    """The one way a staff answer goes to a parent (Telegram reply or desk): the replier may
    answer this family, the answer is translated and put through the door as a staff reply
    (quiet hours respected), kept in the conversation, and the conversation is answered."""
    with deps.db.session() as session:
        asked = parent_message(session, school_id=replier.school_id, message_id=asked_id)
        if asked is None:
            return Answered("not_a_question")
        children = children_of(session, guardian_id=asked.guardian_id)
        concerned = concerned_children(children, asked)
        if not may_answer(replier.role, replier.group_ids, concerned):
            log.warning("refused a reply of staff %s to a family not theirs", replier.staff_id)
            return Answered("not_allowed")
        recipient = recipient_of_guardian(session, guardian_id=asked.guardian_id)
        conversation_id, school_id = asked.conversation_id, asked.school_id
    language = deps.words.resolve(recipient.language)
    translated = from_dutch(deps.translator, text, language)
    version = reply_version(deps, language, text, translated, replier.name)
    now = deps.clock.now()
    try:
        with deps.db.session() as session:
            posted = deps.outbox.put(
                session,
                school_id=school_id,
                content=_content(text, version, conversation_id, replier.name),
                to=[replace(recipient, language=language)],
                kind=SendKind.STAFF_REPLY,
                urgency=REPLY_URGENCY,
                dedupe_key=dedupe_key,
            )
            if posted.duplicate:
                return Answered(None, recipient.name, translated is not None, duplicate=True)
            add_message(
                session,
                ConversationMessage(
                    conversation_id=conversation_id,
                    school_id=school_id,
                    guardian_id=recipient.guardian_id,
                    direction=Direction.STAFF.value,
                    kind=ConversationKind.TEXT.value,
                    text=text,
                    language="nl",
                    translated=None if is_dutch(language) else translated,
                    child_ids=[c.id for c in concerned],
                    staff_id=replier.staff_id,
                    staff_name=replier.name,
                    outbox_message_id=posted.message_id,
                    # Message ids count per chat: two teachers' replies may share one; the door's
                    # dedupe key already keeps a replayed reply from going out twice.
                    telegram_message_id=None,
                    at=now,
                ),
            )
            mark_answered(session, conversation_id=conversation_id, at=now)
    except IntegrityError:  # the same answer raced in from another process: it is queued once
        with deps.db.session() as session:
            if message_with_key(session, school_id=school_id, key=dedupe_key) is None:
                raise
        return Answered(None, recipient.name, translated is not None, duplicate=True)
    if not posted.queued:
        return Answered("not_reachable", recipient.name)
    return Answered(None, recipient.name, translated is not None, posted.first_due)


def _content(text_nl: str, version: Version, conversation_id: int, by: str) -> Content:
    return Content(
        kind=MessageKind.MESSAGE,
        text_nl=text_nl,
        pictogram=REPLY_PICTOGRAM,
        category=REPLY_CATEGORY,
        versions={version.language: version},
        audience={"conversation": conversation_id},
        created_by=by,
    )


def reply_version(
    deps: Deps, language: str, text_nl: str, translated: str | None, staff: str
) -> Version:
    """The answer as the parent sees it: in their language with the Dutch original below it;
    Dutch with a line in their language when no translation is available."""
    words = deps.words
    label = words.text(language, "inbound.answer_from", name=staff)
    if is_dutch(language):
        body, note, origin, original = text_nl, None, "source", None
    elif translated is not None:
        body, origin, original = translated, "machine", text_nl
        note = words.text(language, "message.machine_translated")
    else:
        body, origin, original = text_nl, "none", None
        note = words.text(language, "message.no_translation")
    view = MessageView(
        mark="💬",
        category_label=label,
        symbol="💬",
        topic_label=None,
        body=body,
        rtl=is_rtl(language) and origin != "none",
        translation_note=note,
        original_label=words.text(language, "message.original") if original else None,
        original=original,
    )
    return Version(language, origin, tuple(render_html(view)))


def staff_target_of_chat(deps: Deps, *, chat_id: int, bot: str | None) -> StaffTarget | None:
    """The staff member behind a chat, as one who gets parents' messages."""
    with deps.db.session() as session:
        replier = replier_of_chat(session, chat_id=chat_id, bot=bot)
    return None if replier is None else StaffTarget(replier.staff_id, chat_id, replier.name)
