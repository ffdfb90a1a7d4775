"""A school with two school years of history around one guardian, for the privacy tests and
the benchmark: messages, slips with buttons, answers with free text, follow-ups with notes,
prikkels and taps, 'Begrepen' / 'Uitleg graag' under the slips, free texts, an invite used by the
chat, wrong-code counts, planned sends, and a conversation with the school (questions, the
teacher's answers, the teacher's copies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Child,
    Conversation,
    ConversationMessage,
    ConversationNotice,
    Delivery,
    FollowUp,
    Group,
    Guardian,
    GuardianChild,
    InboundText,
    Invite,
    JoinThrottle,
    Message,
    PlannedSend,
    PrikkelFeedback,
    Rendition,
    Reply,
    School,
    Staff,
    Understanding,
)

# Strings found nowhere else, so a search of the whole database for them means something.
NAME = "Xylofonia Qwertzbergh"
PHONE = "+32499817263"
CHAT = 987654321987
EXTERNAL = "OUD-ZQX-4711"


@dataclass(frozen=True)
class Family:
    """The ids the tests look at."""

    school_id: int
    guardian_id: int
    other_guardian_id: int
    child_id: int
    only_child_id: int


def build_school(
    session: Session,
    *,
    start: datetime,
    weeks: int = 100,
    others: int = 20,
    slug: str = "demo",
) -> Family:
    """A school with two classes; our guardian has a child shared with another guardian (3A) and
    one of their own (3B); every week a slip to both classes, an answer of ours with our own
    words, a free text, a prikkel with a tap; every fourth week a follow-up with a note."""
    school = School(slug=slug, name="De Regenboog")
    session.add(school)
    session.flush()
    groups = [Group(school_id=school.id, name=name) for name in ("3A", "3B")]
    session.add_all(groups)
    session.flush()
    ours = Guardian(
        school_id=school.id,
        name=NAME,
        external_id=EXTERNAL,
        language="tr",
        phone=PHONE,
        chat_id=CHAT,
        reachability="joined",
        joined_at=start,
        prefers_listening=True,  # "I prefer to listen" (/taal): a personal preference
    )
    partner = Guardian(
        school_id=school.id,
        name="Jan Peeters",
        language="nl",
        reachability="joined",
        chat_id=CHAT + 1,
    )
    session.add_all([ours, partner])
    shared = Child(school_id=school.id, group_id=groups[0].id, first_name="Zümrüt")
    own = Child(school_id=school.id, group_id=groups[1].id, first_name="Yıldızhan")
    session.add_all([shared, own])
    session.flush()
    session.add_all(
        [
            GuardianChild(guardian_id=ours.id, child_id=shared.id),
            GuardianChild(guardian_id=partner.id, child_id=shared.id),
            GuardianChild(guardian_id=ours.id, child_id=own.id),
        ]
    )
    extra = [
        Guardian(
            school_id=school.id,
            name=f"Ouder {n}",
            language="nl",
            reachability="joined",
            chat_id=5000 + n,
        )
        for n in range(others)
    ]
    session.add_all(extra)
    session.flush()
    kids = [
        Child(school_id=school.id, group_id=groups[n % 2].id, first_name=f"Kind {n}")
        for n in range(others)
    ]
    session.add_all(kids)
    session.flush()
    session.add_all(
        GuardianChild(guardian_id=g.id, child_id=c.id) for g, c in zip(extra, kids, strict=True)
    )
    session.add(
        Invite(
            school_id=school.id,
            code_hash="f" * 64,
            guardian_id=ours.id,
            created_at=start,
            expires_at=start + timedelta(days=30),
            used_at=start,
            used_by_chat_id=CHAT,
        )
    )
    session.add(JoinThrottle(chat_id=CHAT, failures=2, window_start=start))
    session.flush()
    everyone = [ours.id, partner.id, *(g.id for g in extra)]
    teacher = Staff(school_id=school.id, name="Juf Lies", role="teacher", chat_id=CHAT + 7)
    session.add(teacher)
    session.flush()
    talks = {
        guardian: Conversation(
            school_id=school.id,
            guardian_id=guardian,
            # Ours: the teacher marked the last message handled without an answer.
            status="handled" if guardian == ours.id else "answered",
            started_at=start,
            last_message_at=start + timedelta(weeks=weeks),
            handled_by=teacher.name if guardian == ours.id else None,
            handled_at=start + timedelta(weeks=weeks) if guardian == ours.id else None,
        )
        for guardian in (ours.id, partner.id)
    }
    session.add_all(talks.values())
    session.flush()
    for week in range(weeks):
        at = start + timedelta(weeks=week)
        slip = _week(session, school.id, at, week, everyone, ours.id, shared.id, own.id)
        _conversation_week(session, school.id, at, week, talks, teacher.id, slip)
    return Family(school.id, ours.id, partner.id, shared.id, own.id)


def _week(
    session: Session,
    school_id: int,
    at: datetime,
    week: int,
    everyone: list[int],
    ours: int,
    shared: int,
    own: int,
) -> int:
    slip, prikkel = session.scalars(
        insert(Message).returning(Message.id),
        [
            {
                "school_id": school_id,
                "kind": "slip",
                "text_nl": f"Strookje {week}: gaat uw kind mee?",
                "pictogram": "uitstap",
                "category": "slip",
                "audience": {"groups": ["3A", "3B"]},
                "created_at": at,
                "answers": ["yes", "no"],
                "deadline": at + timedelta(days=3),
                "slots": {},
            },
            {
                "school_id": school_id,
                "kind": "prikkel",
                "text_nl": f"Prikkel {week}: vraag wat uw kind at.",
                "pictogram": "eten",
                "category": "info",
                "audience": {"groups": ["3A", "3B"]},
                "created_at": at,
                "slots": {},
            },
        ],
    ).all()
    renditions = session.scalars(
        insert(Rendition).returning(Rendition.id),
        [
            {"message_id": m, "language": "nl", "origin": "human", "parts": ["..."]}
            for m in (slip, prikkel)
        ],
    ).all()
    session.execute(
        insert(Delivery),
        [
            {
                "school_id": school_id,
                "message_id": message,
                "guardian_id": guardian,
                "rendition_id": rendition,
                "status": "sent",
                "attempts": 1,
                "sent_at": at,
                "telegram_message_id": 100 + week,
                "buttons": [[["Zümrüt: Evet", f"a:{message}:{shared}:yes"]]]
                if guardian == ours
                else None,
                "kind": kind,
            }
            for message, rendition, kind in (
                (slip, renditions[0], "slip"),
                (prikkel, renditions[1], "prikkel"),
            )
            for guardian in everyone
        ],
    )
    session.execute(
        insert(Reply),
        [
            {
                "school_id": school_id,
                "message_id": slip,
                "child_id": child,
                "guardian_id": ours,
                "answer": "yes" if week % 3 else None,
                "text": None if week % 3 else f"Groeten, {NAME} ({PHONE})",
                "text_nl": None if week % 3 else f"Groeten, {NAME} ({PHONE})",
                "source": "button" if week % 3 else "text",
                "received_at": at + timedelta(hours=2),
            }
            for child in (shared, own)
        ],
    )
    session.add(
        InboundText(
            school_id=school_id,
            guardian_id=ours,
            chat_id=CHAT,
            text=f"Hier is {NAME}, bel mij op {PHONE}",
            received_at=at + timedelta(hours=3),
        )
    )
    session.add(
        PrikkelFeedback(
            school_id=school_id, message_id=prikkel, guardian_id=ours, kind="talked", at=at
        )
    )
    # Under every slip a tap: "please explain" every fifth week (explained in the even ones).
    explain = week % 5 == 0
    session.add(
        Understanding(
            school_id=school_id,
            message_id=slip,
            guardian_id=ours,
            reaction="explain" if explain else "understood",
            first_at=at + timedelta(hours=1),
            tapped_at=at + timedelta(hours=1),
            taps=1,
            explain_at=at + timedelta(hours=1) if explain else None,
            explained_at=at + timedelta(days=1) if explain and week % 2 == 0 else None,
            explained_by="Brugfiguur Els" if explain and week % 2 == 0 else None,
        )
    )
    if week % 4 == 0:
        session.add(
            FollowUp(
                school_id=school_id,
                message_id=slip,
                guardian_id=ours,
                child_id=own,
                action="called",
                outcome="reached_answered",
                note=f"{NAME} gebeld op {PHONE}",
                recorded_by="Brugfiguur Els",
                recorded_at=at + timedelta(days=4),
            )
        )
        session.add(
            PlannedSend(
                school_id=school_id,
                key=f"m:{week}",
                rule="month",
                guardian_id=ours,
                due_at=at,
                status="queued",
                message_id=prikkel,
                updated_at=at,
            )
        )
    session.flush()
    return int(slip)


def _conversation_week(
    session: Session,
    school_id: int,
    at: datetime,
    week: int,
    talks: dict[int, Conversation],
    teacher: int,
    slip: int,
) -> None:
    """Each of the two guardians asks about the week's slip; the teacher answers (her copy of
    the question is a notice in her chat)."""
    for guardian, talk in talks.items():
        mine = guardian == min(talks)
        question = ConversationMessage(
            conversation_id=talk.id,
            school_id=school_id,
            guardian_id=guardian,
            direction="parent",
            kind="text",
            text=f"Soru {week}: {NAME} burada, {PHONE}" if mine else f"Vraag {week}",
            language="tr" if mine else "nl",
            translated=f"Vraag {week}: hier is {NAME}, {PHONE}" if mine else f"Vraag {week}",
            child_ids=[],
            slip_id=slip,
            telegram_message_id=1000 + week,
            at=at + timedelta(hours=4),
        )
        session.add(question)
        session.flush()
        session.add(
            ConversationMessage(
                conversation_id=talk.id,
                school_id=school_id,
                guardian_id=guardian,
                direction="staff",
                kind="text",
                text=f"Antwoord {week}",
                language="nl",
                translated=f"Cevap {week}" if mine else None,
                child_ids=[],
                staff_id=teacher,
                staff_name="Juf Lies",
                outbox_message_id=slip,
                telegram_message_id=2000 + week,
                at=at + timedelta(hours=5),
            )
        )
        session.add(
            ConversationNotice(
                school_id=school_id,
                conversation_message_id=question.id,
                staff_id=teacher,
                chat_id=CHAT + 7,
                telegram_message_id=3000 + week + (0 if mine else 500),
                at=at + timedelta(hours=4),
            )
        )


def guardian_named(session: Session, name: str) -> Guardian:
    """The one guardian with that name."""
    return session.scalars(select(Guardian).where(Guardian.name == name)).one()
