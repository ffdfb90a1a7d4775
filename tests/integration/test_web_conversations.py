"""Gesprekken on the desk, over HTTP as a browser uses it, with the bot, the simulated parents
and a stub translation service running: a parent's question shows on the list in Dutch; the
answer typed on the desk reaches the parent in their language through the same door as a
Telegram reply, once, also when the form is sent twice; in the quiet hours it waits. Security:
no session, the wrong role, another class's or school's conversation, no CSRF. And Vandaag's
"Vroeg om uitleg" and "Open gesprekken"."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from markupsafe import escape
from sqlalchemy import func, select, update

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services import conversation_list, conversations
from oudersbot.services.understanding import record_reaction
from oudersbot.services.viewers import admin_viewer
from oudersbot.store.db import Database
from oudersbot.store.models import (
    Conversation,
    ConversationKind,
    Delivery,
    Guardian,
    Message,
)
from tests.conftest import import_fixture_roster, make_settings, mark_joined
from tests.desk import add_staff, csrf_of, desk_client, import_other_school, login
from tests.integration import test_conversations_bot as talk
from tests.integration import test_understanding as understanding_tests

School = talk.School
school = talk.school  # the bot on the simulator, two classes, staff who join by invite
stub = talk.stub
school_clock = talk.school_clock
wired = talk.wired

AYSE_PHONE = "+32470112233"  # 0470 11 22 33 in the roster, kept as E.164
_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def token_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "the page has no answer form"
    return found.group(1)


def conversation_of(deps: Deps, guardian: str, school_id: int = 1) -> int:
    with deps.db.session() as s:
        return s.scalars(
            select(Conversation.id)
            .join(Guardian, Guardian.id == Conversation.guardian_id)
            .where(Guardian.name == guardian, Conversation.school_id == school_id)
        ).one()


def replies_queued(deps: Deps) -> int:
    """Messages the door holds for staff replies (each answer is one)."""
    with deps.db.session() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.pictogram == conversations.REPLY_PICTOGRAM)
            )
            or 0
        )


@asynccontextmanager
async def desk_as(deps: Deps, chat_id: int) -> AsyncIterator[httpx.AsyncClient]:
    async with desk_client(deps) as client:
        await login(client, deps, chat_id)
        yield client


async def answered(
    client: httpx.AsyncClient, number: int, text: str, page: httpx.Response | None = None
) -> httpx.Response:
    """Open the conversation (unless given) and send the answer."""
    page = page or await client.get(f"/gesprekken/{number}")
    assert page.status_code == 200, page.text
    fields = {"antwoord": text, "token": token_of(page.text), "csrftoken": csrf_of(page.text)}
    return await client.post(f"/gesprekken/{number}/antwoord", data=fields)


async def test_a_question_is_listed_in_dutch_and_the_desk_answer_reaches_the_parent_once(
    school: School,
) -> None:
    words = school.deps.words
    fatima = await school.join("Fatima El Amrani")  # Amira in 3A, Sami in 3B; Arabic
    lies = await school.join("Juf Lies")
    katrien = await school.join("Katrien Peeters")  # Jan in 3A; Dutch
    question = "هل يحتاج أمين إلى حذاء رياضي غدا؟"
    await school.sim.send_text(fatima, question)
    await school.said(fatima, 3)
    school.clock.advance(timedelta(hours=1))
    await school.sim.send_text(katrien, "Mag Jan vrijdag vroeger weg?")
    await school.said(katrien, 3)
    number = conversation_of(school.deps, "Fatima El Amrani")
    async with desk_as(school.deps, lies) as client:
        listed = await client.get("/gesprekken")
        assert listed.status_code == 200
        html = listed.text
        # Longest waiting first: Fatima, then Katrien; the first words in Dutch.
        assert html.index("Fatima El Amrani") < html.index("Katrien Peeters")
        assert "Amira (3A), Sami (3B)" in html and "Jan (3A)" in html
        assert str(escape(f"<nl> {question}")) in html
        assert "Mag Jan vrijdag vroeger weg?" in html
        assert f'href="/gesprekken/{number}"' in html
        assert words.text("nl", "web.conversations.not_translated") not in html
        # The menu shows the page.
        nav = words.text("nl", "web.nav.conversations")
        assert f'href="/gesprekken" aria-current="page">{nav}</a>' in html
        # One conversation: her words in Dutch, the original beside it, right to left.
        page = await client.get(f"/gesprekken/{number}")
        assert page.status_code == 200
        assert str(escape(f"<nl> {question}")) in page.text
        assert '<blockquote lang="ar" dir="rtl">' in page.text
        assert question in page.text
        assert "+32470123456" not in page.text  # no phone numbers for a teacher
        # The answer goes through the door, translated; a second submit of the same form
        # sends nothing more.
        answer = "Ja, graag turnpantoffels meegeven."
        first = await answered(client, number, answer, page)
        assert first.status_code == 303
        assert first.headers["location"].startswith(f"/gesprekken/{number}?verstuurd=1")
        again = await answered(client, number, answer, page)
        assert again.status_code == 303 and "al=1" in again.headers["location"]
        shown = await client.get(first.headers["location"])
        assert (
            words.text("nl", "conversation.reply.sent", guardian="Fatima El Amrani") in shown.text
        )
        assert words.text("nl", "web.conversations.answered") in shown.text
        assert str(escape(f"<ar> {answer}")) in shown.text  # what she read, beside the Dutch
        twice = await client.get(again.headers["location"])
        assert words.text("nl", "web.conversations.duplicate") in twice.text
    reply = await school.said(fatima, 4)
    assert reply.text is not None and f"<ar> {answer}" in reply.text
    assert words.text("ar", "inbound.answer_from", name="Juf Lies") in reply.text
    await asyncio.sleep(0.5)
    assert len(school.sim.inbox(fatima)) == 4  # once
    assert replies_queued(school.deps) == 1
    assert talk.conversation_rows(school.deps)[-1] == ("staff", "text", answer, f"<ar> {answer}")
    with school.deps.db.session() as s:
        kinds = s.scalars(
            select(Delivery.kind).join(Message).where(Message.pictogram == "oudercontact")
        ).all()
        assert kinds == ["staff_reply"]


async def test_in_the_quiet_hours_the_desk_answer_waits_and_says_so(school: School) -> None:
    words = school.deps.words
    ayse = await school.join("Ayşe Yılmaz")  # Emre in 3A; Turkish
    sara = await school.join("Sara Brugfiguur")
    await school.sim.send_text(ayse, "Emre is ziek vandaag.")
    await school.said(ayse, 3)
    school.clock.advance(timedelta(hours=12))  # Tuesday 22:00
    number = conversation_of(school.deps, "Ayşe Yılmaz")
    async with desk_as(school.deps, sara) as client:
        page = await client.get(f"/gesprekken/{number}")
        assert AYSE_PHONE in page.text  # the brugfiguur sees the phone number
        sent = await answered(client, number, "Beterschap aan Emre!", page)
        assert sent.status_code == 303
        shown = await client.get(sent.headers["location"])
    waits = words.text("nl", "conversation.reply.waits", when="25/11 07:30").split(":")[0]
    assert waits in shown.text
    await asyncio.sleep(0.5)
    assert len(school.sim.inbox(ayse)) == 3  # not at 22:00
    assert replies_queued(school.deps) == 1


async def test_no_session_wrong_role_another_class_or_school_and_no_csrf_send_nothing(
    school: School,
) -> None:
    deps = school.deps
    ayse = await school.join("Ayşe Yılmaz")  # Emre in 3A
    tom = await school.join("Meester Tom")  # 3B
    await school.sim.send_text(ayse, "Is er morgen zwemmen?")
    await school.said(ayse, 3)
    number = conversation_of(deps, "Ayşe Yılmaz")
    # Another school, with a conversation of its own.
    import_other_school(deps)
    with deps.db.session() as s:
        s.execute(
            update(Guardian)
            .where(Guardian.name == "Sophie Dubois", Guardian.school_id == 2)
            .values(chat_id=777_002, reachability="joined")
        )
    other = conversations.receive(
        deps,
        chat_id=777_002,
        bot=None,
        telegram_message_id=1,
        kind=ConversationKind.TEXT,
        text="Bonjour, une question.",
    )
    assert other.note is not None and other.note.school_id == 2
    other_number = conversation_of(deps, "Sophie Dubois", school_id=2)
    # No session: the login page.
    async with desk_client(deps) as client:
        for path in ("/gesprekken", f"/gesprekken/{number}"):
            response = await client.get(path)
            assert response.status_code == 303 and response.headers["location"].endswith("/login")
    # A translator: refused.
    add_staff(deps, "Lina", "translator", 952)
    async with desk_as(deps, 952) as client:
        assert (await client.get("/gesprekken")).status_code == 403
        assert (await client.get(f"/gesprekken/{number}")).status_code == 403
    # Meester Tom (3B): Ayşe's conversation is not on his list, nor found.
    async with desk_as(deps, tom) as client:
        listed = await client.get("/gesprekken")
        assert listed.status_code == 200 and "Ayşe" not in listed.text
        assert (await client.get(f"/gesprekken/{number}")).status_code == 404
        assert (await client.get("/gesprekken/abc")).status_code == 404
        today = await client.get("/")
        forged = await client.post(
            f"/gesprekken/{number}/antwoord",
            data={"antwoord": "Nee", "token": "x" * 32, "csrftoken": csrf_of(today.text)},
        )
        assert forged.status_code == 404
    # The brugfiguur of school 1: school 2's conversation is not found.
    sara = await school.join("Sara Brugfiguur")
    async with desk_as(deps, sara) as client:
        assert (await client.get(f"/gesprekken/{other_number}")).status_code == 404
        page = await client.get(f"/gesprekken/{number}")
        forged = await client.post(
            f"/gesprekken/{other_number}/antwoord",
            data={"antwoord": "Ja", "token": token_of(page.text), "csrftoken": csrf_of(page.text)},
        )
        assert forged.status_code == 404
        # Without the CSRF field: refused, nothing sent.
        bare = await client.post(
            f"/gesprekken/{number}/antwoord",
            data={"antwoord": "Ja", "token": token_of(page.text)},
        )
        assert bare.status_code == 403
        # Without the one-time token, or empty: nothing sent either.
        tokenless = await client.post(
            f"/gesprekken/{number}/antwoord",
            data={"antwoord": "Ja", "csrftoken": csrf_of(page.text)},
        )
        assert tokenless.status_code == 400
        empty = await client.post(
            f"/gesprekken/{number}/antwoord",
            data={"antwoord": "  ", "token": token_of(page.text), "csrftoken": csrf_of(page.text)},
        )
        assert empty.status_code == 400
    # The administrator sees the school's conversations, but neither answers nor sees phones.
    add_staff(deps, "Mevrouw Claes", "admin", 953)
    async with desk_as(deps, 953) as client:
        listed = await client.get("/gesprekken")
        assert "Ayşe Yılmaz" in listed.text
        page = await client.get(f"/gesprekken/{number}")
        assert page.status_code == 200 and 'name="antwoord"' not in page.text
        assert AYSE_PHONE not in page.text
        refused = await client.post(
            f"/gesprekken/{number}/antwoord",
            data={"antwoord": "Ja", "token": "y" * 32, "csrftoken": csrf_of(page.text)},
        )
        assert refused.status_code == 403
    await asyncio.sleep(0.3)
    assert replies_queued(deps) == 0
    assert len(school.sim.inbox(ayse)) == 3
    assert [d for d, *_ in talk.conversation_rows(deps)] == ["parent", "parent"]
    with deps.db.session() as s:
        assert (
            s.scalars(select(Conversation.status).where(Conversation.id == number)).one() == "open"
        )


# --- Vandaag: "Vroeg om uitleg" and "Open gesprekken" (no bot needed) ---

LIAISON, TEACHER_3A, ADMIN = 960, 961, 962
AYSE, SOPHIE = 103, 208


@pytest.fixture
def desk_school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": AYSE, "Sophie Dubois": SOPHIE})
    add_staff(deps, "Bram", "liaison", LIAISON)
    add_staff(deps, "Juf Lies", "teacher", TEACHER_3A, groups=("3A",))
    add_staff(deps, "Mevrouw Claes", "admin", ADMIN)
    return deps


def asks_explanation(deps: Deps, group: str, text: str, chat: int) -> None:
    """A message to the class, and the parent of this chat taps 'Uitleg graag'."""
    message_id = understanding_tests.sent(deps, group, text)
    record_reaction(deps, chat_id=chat, data=understanding_tests.data_of(deps, message_id, chat, 1))


def writes(deps: Deps, chat: int, text: str, number: int) -> None:
    received = conversations.receive(
        deps,
        chat_id=chat,
        bot=None,
        telegram_message_id=number,
        kind=ConversationKind.TEXT,
        text=text,
    )
    assert received.note is not None


async def test_vandaag_shows_who_asked_for_an_explanation_and_the_open_conversations(
    desk_school: Deps, clock: FixedClock
) -> None:
    deps, words = desk_school, desk_school.words
    asks_explanation(deps, "3A", "Morgen is er geen zwemles.", AYSE)
    asks_explanation(deps, "3B", "Vrijdag is er een uitstap.", SOPHIE)
    writes(deps, SOPHIE, "Lucas a perdu son manteau.", 1)  # 3B, no translation: marked
    clock.advance(timedelta(hours=1))
    writes(deps, AYSE, "Emre is ziek vandaag.", 2)  # 3A
    explain_title = words.text("nl", "web.today.explain_title")
    open_title = words.text("nl", "web.today.conversations_title")
    async with desk_as(deps, TEACHER_3A) as client:
        page = (await client.get("/")).text
    assert explain_title in page and open_title in page
    mine = page.split(explain_title)[1]
    assert "Ayşe Yılmaz" in mine and "Morgen is er geen zwemles." in mine
    assert "Sophie Dubois" not in page and "Vrijdag is er een uitstap." not in page
    assert words.plural("nl", "web.today.conversations_count", 1) in page
    assert AYSE_PHONE not in page
    number = conversation_of(deps, "Ayşe Yılmaz")
    assert f'href="/gesprekken/{number}">Ayşe Yılmaz</a>' in page
    async with desk_as(deps, LIAISON) as client:
        page = (await client.get("/")).text
        listed = (await client.get("/gesprekken")).text
    section = page.split(explain_title)[1].split(open_title)[0]
    assert section.index("Ayşe Yılmaz") < section.index("Sophie Dubois")
    assert AYSE_PHONE in section  # the brugfiguur sees the phone number
    conversations_part = page.split(open_title)[1]
    assert words.plural("nl", "web.today.conversations_count", 2) in conversations_part
    assert conversations_part.index("Sophie Dubois") < conversations_part.index("Ayşe Yılmaz")
    assert words.text("nl", "web.conversations.not_translated") in listed
    assert "Lucas a perdu son manteau." in listed  # the original, marked once
    assert words.text("nl", "conversation.not_translated_mark") not in listed
    async with desk_as(deps, ADMIN) as client:
        page = (await client.get("/")).text
    assert "Sophie Dubois" in page and "Ayşe Yılmaz" in page
    assert AYSE_PHONE not in page  # not for the administrator
    # Nothing open: the sections say so.
    async with desk_as(deps, TEACHER_3A) as client:
        answer_page = await client.get(f"/gesprekken/{number}")
        sent = await answered(client, number, "Beterschap!", answer_page)
        assert sent.status_code == 303
    async with desk_as(deps, TEACHER_3A) as client:
        page = (await client.get("/")).text
    assert words.text("nl", "web.today.conversations_none") in page


async def handle(client: httpx.AsyncClient, number: int, page: httpx.Response) -> httpx.Response:
    """Press 'Afgehandeld, geen antwoord nodig' on the conversation's page."""
    return await client.post(
        f"/gesprekken/{number}/afgehandeld", data={"csrftoken": csrf_of(page.text)}
    )


async def test_a_question_that_needs_no_answer_is_marked_handled_and_waits_no_more(
    desk_school: Deps, clock: FixedClock
) -> None:
    deps, words = desk_school, desk_school.words
    writes(deps, AYSE, "Emre is ziek vandaag.", 1)  # 3A
    number = conversation_of(deps, "Ayşe Yılmaz")
    school = admin_viewer(1)
    handle_label = words.text("nl", "web.conversations.handle")
    # The administrator reads but may not mark it; without the CSRF field nothing changes.
    async with desk_as(deps, ADMIN) as client:
        page = await client.get(f"/gesprekken/{number}")
        assert handle_label not in page.text
        assert (await handle(client, number, page)).status_code == 403
        bare = await client.post(f"/gesprekken/{number}/afgehandeld", data={})
        assert bare.status_code == 403
    assert [i.guardian for i in conversation_list.waiting_list(deps, school).items] == [
        "Ayşe Yılmaz"
    ]
    # Juf Lies (3A) marks it handled: off her list and Vandaag, and who did it shows.
    async with desk_as(deps, TEACHER_3A) as client:
        page = await client.get(f"/gesprekken/{number}")
        assert handle_label in page.text
        marked = await handle(client, number, page)
        assert marked.status_code == 303
        assert marked.headers["location"] == f"/gesprekken/{number}?afgehandeld=1"
        shown = (await client.get(marked.headers["location"])).text
        assert words.text("nl", "web.conversations.handled_notice") in shown
        assert "Afgehandeld zonder antwoord door Juf Lies" in shown
        assert handle_label not in shown
        again = await handle(client, number, page)  # a double click: nothing more
        assert again.headers["location"] == f"/gesprekken/{number}"
        assert "Ayşe" not in (await client.get("/gesprekken")).text
        today = (await client.get("/")).text
        assert words.text("nl", "web.today.conversations_none") in today
    # Days later it is not on the brugfiguur's list; the parent got no message.
    clock.advance(timedelta(days=5))
    assert conversation_list.unanswered(deps, school).items == []
    assert replies_queued(deps) == 0
    # The parent writes again: the conversation is open, the mark gone.
    writes(deps, AYSE, "Mag hij morgen weer zwemmen?", 2)
    async with desk_as(deps, TEACHER_3A) as client:
        page = await client.get(f"/gesprekken/{number}")
    assert "Afgehandeld zonder antwoord" not in page.text and handle_label in page.text
    assert [i.guardian for i in conversation_list.waiting_list(deps, school).items] == [
        "Ayşe Yılmaz"
    ]


async def test_a_teacher_cannot_mark_another_class_or_school_handled(
    desk_school: Deps,
) -> None:
    deps = desk_school
    writes(deps, SOPHIE, "Lucas a perdu son manteau.", 1)  # 3B
    number = conversation_of(deps, "Sophie Dubois")
    async with desk_as(deps, TEACHER_3A) as client:
        today = await client.get("/")
        forged = await handle(client, number, today)
        assert forged.status_code == 404
        assert (await handle(client, number + 100, today)).status_code == 404
    with deps.db.session() as s:
        row = s.get(Conversation, number)
        assert row is not None and row.status == "open" and row.handled_by is None
