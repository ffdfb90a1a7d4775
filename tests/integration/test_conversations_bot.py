"""A parent's conversation with the school through python-telegram-bot, over HTTP, against the
simulator and a local stub of a translation service: the question reaches the class teacher
in Dutch, the teacher's Telegram reply reaches the parent in their language."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.bot.app import build_application, running
from oudersbot.bot.conversations import HANDLED_PREFIX, ORIGINAL_PREFIX
from oudersbot.clock import ShiftedClock
from oudersbot.services import invites
from oudersbot.settings import Settings
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.simulator.state import ReceivedMessage
from oudersbot.simulator.translation_services import TranslationServiceStub
from oudersbot.store.db import Database
from oudersbot.store.models import (
    Conversation,
    ConversationMessage,
    ConversationNotice,
    Delivery,
    Role,
    Staff,
)
from oudersbot.translation.machine import MachineTranslator
from tests.conftest import BRUSSELS, import_fixture_roster

TOKEN = "123456:TEST-token"
# A Tuesday morning: nothing waits for the end of quiet hours.
MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=BRUSSELS)


@dataclass
class School:
    sim: Simulator
    deps: Deps
    stub: TranslationServiceStub
    codes: dict[str, str]
    clock: ShiftedClock

    async def join(self, name: str) -> int:
        uid = self.sim.add_user(name.split()[-1])
        await self.sim.send_text(uid, f"/start {self.codes[name]}")
        await self.sim.wait_for_inbox(uid, 1 if name in STAFF else 2)
        return uid

    async def said(self, uid: int, count: int) -> ReceivedMessage:
        """The `count`-th message the bot sent to `uid` (waiting for it)."""
        return (await self.sim.wait_for_inbox(uid, count))[count - 1]

    async def reply(self, uid: int, text: str, to: ReceivedMessage) -> None:
        """`uid` answers the note `to` with a Telegram reply. The bot notes which message
        holds which conversation once Telegram's answer is back, a moment after the note is
        on the phone; a person never replies that fast, so wait for it first."""
        for _ in range(250):
            with self.deps.db.session() as s:
                noted = s.scalar(
                    select(ConversationNotice.id).where(
                        ConversationNotice.chat_id == uid,
                        ConversationNotice.telegram_message_id == to.message_id,
                    )
                )
            if noted is not None:
                break
            await asyncio.sleep(0.02)
        await self.sim.send_text(uid, text, reply_to=to.message_id)


STAFF = {"Juf Lies": ["3A"], "Meester Tom": ["3B"], "Sara Brugfiguur": []}


@pytest.fixture
def stub() -> Iterator[TranslationServiceStub]:
    with TranslationServiceStub("microsoft") as service:
        yield service


@pytest.fixture
def school_clock() -> ShiftedClock:
    return ShiftedClock(MORNING)


@pytest.fixture
def wired(
    settings: Settings, database: Database, stub: TranslationServiceStub, school_clock: ShiftedClock
) -> Deps:
    translator = MachineTranslator("microsoft", url=stub.url, api_key="sleutel", timeout=2.0)
    return bootstrap(settings, clock=school_clock, translator=translator, db=database)


@pytest.fixture
async def school(
    wired: Deps, stub: TranslationServiceStub, school_clock: ShiftedClock
) -> AsyncIterator[School]:
    import_fixture_roster(wired)
    codes = {}
    for group in ("3A", "3B"):
        issued = invites.issue_guardian_invites(wired, school="demo", group=group).issued
        codes.update({i.name: i.code for i in issued})
    for name, groups in STAFF.items():
        role = Role.TEACHER if groups else Role.LIAISON
        issued_staff = invites.issue_staff_invite(
            wired, school="demo", name=name, role=role, groups=groups
        )
        codes[name] = issued_staff.code
    config = SimulatorConfig(bot_token=TOKEN, bot_username="testschool_bot")
    async with Simulator(config) as sim:
        app = build_application(wired, token=TOKEN, base_url=sim.base_url, tick=0.1)
        async with running(app):
            yield School(sim, wired, stub, codes, school_clock)


def conversation_rows(deps: Deps) -> list[tuple[str, str, str | None, str | None]]:
    """(direction, kind, text, translated) of every conversation message, in order."""
    with deps.db.session() as s:
        rows = s.execute(
            select(
                ConversationMessage.direction,
                ConversationMessage.kind,
                ConversationMessage.text,
                ConversationMessage.translated,
            ).order_by(ConversationMessage.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_an_arabic_question_reaches_the_teachers_in_dutch_and_the_answer_comes_back(
    school: School,
) -> None:
    words = school.deps.words
    fatima = await school.join("Fatima El Amrani")  # Amira in 3A, Sami in 3B; Arabic
    lies, tom = await school.join("Juf Lies"), await school.join("Meester Tom")
    question = "هل يحتاج أمين إلى حذاء رياضي غدا؟"
    await school.sim.send_text(fatima, question)
    thanks = await school.said(fatima, 3)
    assert thanks.text == words.text("ar", "inbound.received")
    # Both teachers of her children get it, in Dutch (through the service), with the family.
    for teacher in (lies, tom):
        note = await school.said(teacher, 2)
        assert note.text is not None
        assert f"<nl> {question}" in note.text
        assert "Fatima El Amrani" in note.text and "Amira (3A), Sami (3B)" in note.text
        assert "Arabisch" in note.text
    note = await school.said(lies, 2)
    asked = conversation_rows_id(school.deps)
    assert note.callback_data() == [f"{ORIGINAL_PREFIX}{asked}", f"{HANDLED_PREFIX}{asked}"]
    # The original, one tap away.
    await school.sim.tap(lies, note.message_id, note.callback_data()[0])
    original = await school.said(lies, 3)
    assert original.text is not None and question in original.text
    # Juf Lies answers with a Telegram reply; Fatima gets it in Arabic with the Dutch below.
    answer = "Ja, graag turnpantoffels meegeven."
    await school.reply(lies, answer, note)
    confirmation = await school.said(lies, 4)
    assert confirmation.text == words.text(
        "nl", "conversation.reply.sent", guardian="Fatima El Amrani"
    )
    reply = await school.said(fatima, 4)
    assert reply.text is not None
    assert f"<ar> {answer}" in reply.text
    assert words.text("ar", "inbound.answer_from", name="Juf Lies") in reply.text
    assert answer in reply.text.split(f"<ar> {answer}")[1]  # the Dutch original below it
    assert conversation_rows(school.deps) == [
        ("parent", "text", question, f"<nl> {question}"),
        ("staff", "text", answer, f"<ar> {answer}"),
    ]
    with school.deps.db.session() as s:
        conversation = s.scalars(select(Conversation)).one()
        assert (conversation.status, conversation.waiting_since) == ("answered", None)
    # The sender marks the delivery sent once Telegram's answer is back: a moment after the
    # message is in Fatima's chat.
    assert await sent_kind(school.deps, "staff_reply")


async def sent_kind(deps: Deps, kind: str, within: float = 5.0) -> bool:
    """Whether a delivery of this kind is marked sent, waiting for it up to `within` s."""
    for _ in range(int(within / 0.02)):
        with deps.db.session() as s:
            kinds = s.scalars(select(Delivery.kind).where(Delivery.status == "sent")).all()
        if kind in kinds:
            return True
        await asyncio.sleep(0.02)
    return False


def conversation_rows_id(deps: Deps) -> int:
    with deps.db.session() as s:
        return s.scalars(select(ConversationMessage.id)).one()


async def test_a_thumbs_up_and_thanks_are_acknowledgements_that_call_nobody(
    school: School,
) -> None:
    words = school.deps.words
    ayse = await school.join("Ayşe Yılmaz")  # Emre in 3A; Turkish
    lies = await school.join("Juf Lies")
    await school.sim.send_text(ayse, "👍")
    assert (await school.said(ayse, 3)).text == words.text("tr", "inbound.ack")
    await school.sim.send_text(ayse, "Teşekkürler!")
    assert (await school.said(ayse, 4)).text == words.text("tr", "inbound.ack")
    await school.sim.send_text(ayse, "Yarın okul kaçta başlıyor?")
    assert (await school.said(ayse, 5)).text == words.text("tr", "inbound.received")
    note = await school.said(lies, 2)  # only the question reached the teacher
    assert note.text is not None and "Yarın okul kaçta başlıyor?" in note.text
    await asyncio.sleep(0.3)
    assert len(school.sim.inbox(lies)) == 2
    assert [(d, k) for d, k, _, _ in conversation_rows(school.deps)] == [
        ("parent", "acknowledgement"),
        ("parent", "acknowledgement"),
        ("parent", "text"),
    ]
    assert school.stub.state.calls and all(
        c.text == "Yarın okul kaçta başlıyor?" for c in school.stub.state.calls
    )


async def test_a_teacher_of_another_class_cannot_answer(school: School) -> None:
    words = school.deps.words
    ayse = await school.join("Ayşe Yılmaz")  # Emre in 3A
    lies, tom = await school.join("Juf Lies"), await school.join("Meester Tom")
    await school.sim.send_text(ayse, "Is er morgen zwemmen?")
    await school.said(lies, 2)
    await asyncio.sleep(0.2)
    assert len(school.sim.inbox(tom)) == 1  # only his welcome: Emre is not in his class
    # Meester Tom replies to a message that is no parent's: nothing is sent.
    welcome = school.sim.inbox(tom)[0]
    await school.sim.send_text(tom, "Ja hoor", reply_to=welcome.message_id)
    refused = await school.said(tom, 2)
    assert refused.text == words.text("nl", "conversation.reply.problem.not_a_question")
    # Forged: his chat's message made to look like the notice of Ayşe's question.
    with school.deps.db.session() as s:
        asked = s.scalars(select(ConversationMessage.id)).one()
        tom_id = s.scalars(select(Staff.id).where(Staff.name == "Meester Tom")).one()
        s.add(
            ConversationNotice(
                school_id=1,
                conversation_message_id=asked,
                staff_id=tom_id,
                chat_id=tom,
                telegram_message_id=welcome.message_id,
                at=MORNING,
            )
        )
    await school.sim.send_text(tom, "Nee, geen zwemmen", reply_to=welcome.message_id)
    refused = await school.said(tom, 3)
    assert refused.text == words.text("nl", "conversation.reply.problem.not_allowed")
    # Nor may he see her words with a forged 'Origineel' button.
    forged = await school.sim.forge_callback(tom, welcome.message_id, f"{ORIGINAL_PREFIX}{asked}")
    for _ in range(100):
        if school.sim.callback(forged).answered:
            break
        await asyncio.sleep(0.05)
    assert school.sim.callback(forged).answer_text == words.text("nl", "button.stale")
    await asyncio.sleep(0.3)
    assert len(school.sim.inbox(tom)) == 3
    assert len(school.sim.inbox(ayse)) == 3  # welcome, picker, thanks: no answer from Tom
    assert [d for d, *_ in conversation_rows(school.deps)] == ["parent"]
    with school.deps.db.session() as s:
        assert s.scalars(select(Conversation.status)).one() == "open"


async def test_translation_down_shows_the_original_marked_and_loses_nothing(
    school: School,
) -> None:
    words = school.deps.words
    school.stub.state.mode = "broken"
    iryna = await school.join("Iryna Kovalenko")  # Olena in 3A; Ukrainian
    lies = await school.join("Juf Lies")
    question = "Чи буде завтра екскурсія?"
    await school.sim.send_text(iryna, question)
    assert (await school.said(iryna, 3)).text == words.text("uk", "inbound.received")
    note = await school.said(lies, 2)
    assert note.text is not None
    assert words.text("nl", "conversation.note.not_translated", language="Oekraïens") in note.text
    assert question in note.text
    # No 'Origineel' to tap: the original is the text itself.
    assert [b.split(":")[1] for b in note.callback_data()] == ["h"]
    await school.reply(lies, "Ja, om 9 uur.", note)
    assert (await school.said(lies, 3)).text == words.text(
        "nl", "conversation.reply.sent_dutch", guardian="Iryna Kovalenko"
    )
    reply = await school.said(iryna, 4)
    assert reply.text is not None
    assert "Ja, om 9 uur." in reply.text
    assert words.text("uk", "message.no_translation") in reply.text
    assert conversation_rows(school.deps) == [
        ("parent", "text", question, None),
        ("staff", "text", "Ja, om 9 uur.", None),
    ]


async def test_a_voice_note_is_acknowledged_kindly_and_shown_to_the_teacher(
    school: School,
) -> None:
    words = school.deps.words
    ayse = await school.join("Ayşe Yılmaz")
    lies = await school.join("Juf Lies")
    sent = await school.sim.send_voice(ayse, duration=7)
    assert (await school.said(ayse, 3)).text == words.text("tr", "inbound.media_received")
    note = await school.said(lies, 2)
    assert note.text is not None and "[spraakbericht]" in note.text
    with school.deps.db.session() as s:
        kept = s.scalars(select(ConversationMessage)).one()
        assert (kept.kind, kept.text) == ("voice", None)
    voice = next(
        m for m in school.sim._world.chat(ayse).messages.values() if m.message_id == sent.message_id
    )
    assert kept.file_id == voice.media["file_id"]


async def test_gesprekken_lists_the_longest_waiting_first_and_overdue_on_the_brugfiguur_list(
    school: School,
) -> None:
    words = school.deps.words
    ayse, katrien = await school.join("Ayşe Yılmaz"), await school.join("Katrien Peeters")
    lies, sara = await school.join("Juf Lies"), await school.join("Sara Brugfiguur")
    await school.sim.send_text(katrien, "Mag Jan vrijdag vroeger weg?")
    await school.said(katrien, 3)
    school.clock.advance(timedelta(hours=2))
    await school.sim.send_text(ayse, "Emre is ziek vandaag.")
    await school.said(ayse, 3)
    await school.sim.send_text(lies, "/gesprekken")
    header, first, second = (await school.sim.wait_for_inbox(lies, 6))[-3:]
    assert header.text == words.text("nl", "conversation.list.header", hours=24)
    assert first.text is not None and first.text.startswith("1. Katrien Peeters — Jan (3A)")
    assert "Mag Jan vrijdag vroeger weg?" in first.text
    assert second.text is not None and second.text.startswith("2. Ayşe Yılmaz — Emre (3A)")
    assert "<nl> Emre is ziek vandaag." in second.text  # her Turkish words, in Dutch
    # Dutch: no original to show; each line can be marked handled.
    assert [b.split(":")[1] for b in first.callback_data()] == ["h"]
    assert [b.split(":")[1] for b in second.callback_data()] == ["o", "h"]
    # A reply to a line of the list answers that parent.
    await school.reply(lies, "Ja, dat mag.", first)
    await school.said(lies, 7)
    assert (await school.said(katrien, 4)).text is not None
    # Two school days later (Thursday 12:00, 26 school hours), Ayşe's question is overdue.
    school.clock.advance(timedelta(days=2))
    await school.sim.send_text(sara, "/opvolgen")
    listed = await school.said(sara, 2)
    assert listed.text is not None
    assert listed.text.startswith(words.text("nl", "conversation.followup.header", hours=24))
    assert "Ayşe Yılmaz" in listed.text and "Katrien" not in listed.text


async def test_a_message_that_needs_no_reply_is_marked_handled_from_the_phone(
    school: School,
) -> None:
    words = school.deps.words
    katrien = await school.join("Katrien Peeters")  # Jan in 3A; Dutch
    lies, tom = await school.join("Juf Lies"), await school.join("Meester Tom")
    await school.sim.send_text(katrien, "Jan is vandaag ziek.")
    first = await school.said(lies, 2)
    with school.deps.db.session() as s:
        first_id = s.scalars(select(ConversationMessage.id)).one()
    assert first.callback_data() == [f"{HANDLED_PREFIX}{first_id}"]  # Dutch: no 'Origineel'

    async def tap(uid: int, note: ReceivedMessage, data: str, *, forged: bool = False) -> str:
        if forged:
            query = await school.sim.forge_callback(uid, note.message_id, data)
        else:
            query = await school.sim.tap(uid, note.message_id, data)
        answer = (await school.sim.wait_for_answer(query)).answer_text
        assert answer is not None
        return answer

    def status() -> tuple[str, str | None]:
        with school.deps.db.session() as s:
            row = s.scalars(select(Conversation)).one()
            return row.status, row.handled_by

    # Meester Tom (3B) forges the button: Jan is not in his class.
    tom_welcome = school.sim.inbox(tom)[0]
    refused = await tap(tom, tom_welcome, f"{HANDLED_PREFIX}{first_id}", forged=True)
    assert refused == words.text("nl", "button.stale")
    assert status() == ("open", None)
    # Katrien writes again before Juf Lies looks: the older note does not close the newer one.
    await school.sim.send_text(katrien, "Hij heeft koorts, kan hij morgen thuisblijven?")
    second = await school.said(lies, 3)
    said = await tap(lies, first, f"{HANDLED_PREFIX}{first_id}")
    assert said == words.text("nl", "conversation.handled.newer")
    assert status() == ("open", None)
    # Marked from the newest note: it leaves the lists, and its button goes away.
    (data,) = second.callback_data()
    assert await tap(lies, second, data) == words.text("nl", "conversation.handled.done")
    assert status() == ("handled", "Juf Lies")
    for _ in range(100):
        if school.sim.inbox(lies)[2].callback_data() == []:
            break
        await asyncio.sleep(0.02)
    assert school.sim.inbox(lies)[2].callback_data() == []
    # A second tap (an old copy of the button) changes nothing.
    again = await tap(lies, second, data, forged=True)
    assert again == words.text("nl", "conversation.handled.not_waiting")
    await school.sim.send_text(lies, "/gesprekken")
    assert (await school.said(lies, 4)).text == words.text("nl", "conversation.list.empty")


async def test_without_a_joined_teacher_the_brugfiguur_gets_it(school: School) -> None:
    sophie = await school.join("Sophie Dubois")  # Lucas in 3B; French
    lies, sara = await school.join("Juf Lies"), await school.join("Sara Brugfiguur")
    await school.sim.send_text(sophie, "Lucas a perdu son manteau.")
    note = await school.said(sara, 2)
    assert note.text is not None and "<nl> Lucas a perdu son manteau." in note.text
    assert "Lucas (3B)" in note.text
    await school.reply(sara, "We zoeken hem, hij ligt misschien in de turnzaal.", note)
    reply = await school.said(sophie, 4)
    assert reply.text is not None and "<fr> We zoeken hem" in reply.text
    await asyncio.sleep(0.2)
    assert len(school.sim.inbox(lies)) == 1  # Juf Lies teaches 3A: not her family


async def test_a_long_message_reaches_the_teacher_whole_in_parts(school: School) -> None:
    katrien = await school.join("Katrien Peeters")  # Jan in 3A; Dutch
    lies = await school.join("Juf Lies")
    long = " ".join(f"Zin {n} over Jan en zijn week op school." for n in range(200))
    await school.sim.send_text(katrien, long[:4000])
    first, second = (await school.sim.wait_for_inbox(lies, 3))[1:]
    shown = " ".join(f"{first.text}\n{second.text}".split())
    assert " ".join(long[:4000].split()) in shown
    await school.reply(lies, "Dank u, ik lees het.", second)
    reply = await school.said(katrien, 4)
    assert reply.text is not None and "Dank u, ik lees het." in reply.text
