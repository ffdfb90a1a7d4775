"""Nieuw bericht on the desk, over HTTP as a browser uses it, with the bot and the simulated
parents running: a teacher composes a slip from a template, sees the check and the preview per
language, sends it through the door and the parents get it; own words show the findings with
the spans marked; the role and the class are checked at every step and at the send; a double
submit sends once; in the quiet hours the desk offers urgent and the school's next moments."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import httpx
from markupsafe import escape
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps
from oudersbot.domain.plain_language import check
from oudersbot.domain.slips import ANSWER_PREFIX
from oudersbot.services.check_lines import finding_lines
from oudersbot.store.models import Delivery, Group, Message
from tests.desk import add_staff, csrf_of, desk_client, login
from tests.integration import test_bot_e2e
from tests.integration import test_web_desk as desk_tests

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock
school = desk_tests.school  # two schools, each with its own classes

TEACHER_3A, LIAISON, TRANSLATOR, ADMIN = 950, 951, 952, 953
WORDY = (
    "Wij delen u mede dat de zwemles morgen niet doorgaat omdat het zwembad wegens "
    "onderhoudswerkzaamheden gesloten is en de kinderen daarom de hele namiddag in de klas "
    "blijven om te lezen en te tekenen."
)
PLAIN = "Morgen is er geen zwemles. Uw kind blijft in de klas."
BILL = {"sjabloon": "factuur", "slot-bedrag": "12,50", "slot-datum": "2026-12-04"}


def group_id(bot: Harness, name: str) -> int:
    with bot.deps.db.session() as s:
        return s.scalars(select(Group.id).where(Group.name == name)).one()


def messages_sent(bot: Harness) -> int:
    with bot.deps.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Message)) or 0)


def deliveries_of(bot: Harness, message_id: int) -> list[Delivery]:
    with bot.deps.db.session() as s:
        rows = list(s.scalars(select(Delivery).where(Delivery.message_id == message_id)))
        s.expunge_all()
        return rows


def deadline_of(html: str) -> str:
    found = re.search(r'name="tegen" type="datetime-local" value="([^"]+)"', html)
    assert found, "no deadline field"
    return found.group(1)


@asynccontextmanager
async def staff_client(
    bot: Harness, name: str, role: str, chat_id: int, groups: tuple[str, ...] = ()
) -> AsyncIterator[httpx.AsyncClient]:
    """A desk client logged in as a new staff member."""
    add_staff(bot.deps, name, role, chat_id, groups=groups)
    async with desk_client(bot.deps) as client:
        await login(client, bot.deps, chat_id)
        yield client


async def checked(client: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    """Open the write step for the class and template, then press "Controleren"."""
    query = {"klas": fields["klas"], "sjabloon": fields.get("sjabloon", "")}
    write = await client.get("/bericht/opstellen", params=query)
    assert write.status_code == 200, write.text
    return await client.post(
        "/bericht/controleren", data={**fields, "csrftoken": csrf_of(write.text)}
    )


async def test_a_teacher_composes_a_slip_sees_check_and_preview_and_parents_get_it(
    bot: Harness,
) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    iryna = await bot.join("Iryna Kovalenko")
    async with staff_client(bot, "Juf Els", "teacher", TEACHER_3A, groups=("3A",)) as client:
        start = await client.get("/bericht")
        assert start.status_code == 200
        assert f'<option value="{group_id(bot, "3A")}">3A</option>' in start.text
        assert ">3B</option>" not in start.text  # only her own class
        assert "Schoolrekening" in start.text and "💶" in start.text  # with its pictogram
        assert words.text("nl", "bericht.own_words_button") in start.text

        klas = str(group_id(bot, "3A"))
        write = await client.get("/bericht/opstellen", params={"klas": klas, "sjabloon": "factuur"})
        assert 'type="date"' in write.text and 'inputmode="decimal"' in write.text
        deadline = deadline_of(write.text)
        fields = {"klas": klas, **BILL, "tegen": deadline}

        bad = await checked(client, {**fields, "slot-bedrag": "twaalf euro"})
        assert bad.status_code == 400
        assert (
            str(escape(words.text("nl", "slot.not_amount", slot="bedrag", value="twaalf euro")))
            in bad.text
        )

        page = await checked(client, fields)
        assert page.status_code == 200, page.text
        assert "12,50" in page.text and "4 december 2026" in page.text
        for language in ("Turks", "Oekraïens", "Arabisch", "Nederlands"):
            assert f"<h3>{language} <small>" in page.text
        assert "Turks <small>· 1 ouder</small>" in page.text
        assert words.text("nl", "bericht.reaches", count=2, group="3A") in page.text
        assert words.text("nl", "bericht.send_now_button") in page.text
        assert words.text("nl", "answer.yes") in page.text  # the slip's answers

        send = {**fields, "wanneer": "nu", "csrftoken": csrf_of(page.text)}
        first, second = await asyncio.gather(
            client.post("/bericht/versturen", data=send),
            client.post("/bericht/versturen", data=send),
        )
        assert first.status_code == second.status_code == 303
        assert first.headers["location"] == second.headers["location"]  # a double submit
        (message_id,) = re.findall(r"/strookjes/(\d+)$", first.headers["location"])
        slip_page = await client.get(first.headers["location"])
        assert slip_page.status_code == 200 and "12,50" in slip_page.text

    assert messages_sent(bot) == 1
    assert len(deliveries_of(bot, int(message_id))) == 5  # one per guardian of 3A, once
    assert await bot.settle(int(message_id)) == {"sent": 2, "not_joined": 3}
    got = bot.sim.inbox(ayse)[-1]
    assert "12,50" in (got.text or "") and got.reply_markup  # she can answer with one tap
    assert "12,50" in (bot.sim.inbox(iryna)[-1].text or "")
    with bot.deps.db.session() as s:
        message = s.get(Message, int(message_id))
        assert message is not None
        assert message.kind == "slip" and message.created_by == "Juf Els"


async def test_own_words_show_the_findings_marked_then_a_plain_text_goes_out(
    bot: Harness,
) -> None:
    ayse = await bot.join("Ayşe Yılmaz")
    async with staff_client(bot, "Bram", "liaison", LIAISON) as client:
        start = await client.get("/bericht")
        assert ">3A</option>" in start.text and ">3B</option>" in start.text  # every class
        klas = str(group_id(bot, "3A"))
        page = await checked(client, {"klas": klas, "tekst": WORDY})
        assert page.status_code == 200
        findings = check(WORDY, bot.deps.lexicon, kind="info")
        lines = finding_lines(bot.deps.words, "nl", WORDY, findings)
        assert len(lines) > 1
        for line in lines:
            assert str(escape(line)) in page.text  # the same findings as `oudersbot check`
        marked = re.findall(r"<mark [^>]*>([^<]*)</mark>", page.text)
        spans = [f.excerpt for f in findings if f.end > f.start]
        assert marked and any(span in "".join(marked) for span in spans)
        assert "onderhoudswerkzaamheden" in "".join(marked)

        page = await checked(client, {"klas": klas, "tekst": PLAIN})
        assert "<mark" not in page.text
        send = {"klas": klas, "tekst": PLAIN, "wanneer": "nu", "csrftoken": csrf_of(page.text)}
        answer = await client.post("/bericht/versturen", data=send)
        assert answer.status_code == 303 and "verstuurd=" in answer.headers["location"]
        done = await client.get(answer.headers["location"])
        message_id = int(re.findall(r"verstuurd=(\d+)", answer.headers["location"])[0])
        queued = bot.deps.words.text("nl", "cli.send.queued", id=message_id, count=1)
        assert queued in done.text and bot.deps.words.text("nl", "bericht.goes_now") in done.text
        again = await client.post("/bericht/versturen", data=send)  # refreshed: sent once
        assert "al=1" in again.headers["location"]
    assert messages_sent(bot) == 1
    assert await bot.settle(message_id) == {"sent": 1, "not_joined": 4}
    assert "zwemles" in (bot.sim.inbox(ayse)[-1].text or "")


async def test_own_words_with_answers_ticked_are_a_slip_parents_answer_with_one_tap(
    bot: Harness,
) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    question = "Wie helpt mee op het kerstfeest van vrijdag?"
    async with staff_client(bot, "Juf Els", "teacher", TEACHER_3A, groups=("3A",)) as client:
        klas = str(group_id(bot, "3A"))
        write = await client.get("/bericht/opstellen", params={"klas": klas})
        assert words.text("nl", "web.compose.own_answers") in write.text
        assert 'type="checkbox" name="antwoord" value="yes"' in write.text
        deadline = deadline_of(write.text)  # filled in, for when answers are ticked
        token = csrf_of(write.text)
        fields = {"klas": klas, "tekst": question, "tegen": deadline, "csrftoken": token}

        # One answer is no slip, an unknown one (a forged form) neither: nothing is kept.
        for forged in (["yes"], ["yes", "maybe"]):
            bad = await client.post("/bericht/controleren", data={**fields, "antwoord": forged})
            assert bad.status_code == 400
            refused = await client.post(
                "/bericht/versturen", data={**fields, "antwoord": forged, "wanneer": "nu"}
            )
            assert refused.status_code == 400
        assert messages_sent(bot) == 0
        no_date = {**fields, "tegen": "", "antwoord": ["yes", "no"]}
        bad = await client.post("/bericht/controleren", data=no_date)
        assert bad.status_code == 400 and messages_sent(bot) == 0

        chosen = {**fields, "antwoord": ["yes", "no"]}
        page = await client.post("/bericht/controleren", data=chosen)
        assert page.status_code == 200, page.text
        answers = ", ".join(words.text("nl", f"answer.{a}") for a in ("yes", "no"))
        assert str(escape(answers)) in page.text  # the slip's summary under the preview
        send_form = page.text.split('class="send"')[1]
        assert send_form.count('type="hidden" name="antwoord"') == 2  # checked is what is sent
        sent = await client.post(
            "/bericht/versturen", data={**chosen, "wanneer": "nu", "csrftoken": csrf_of(page.text)}
        )
        assert sent.status_code == 303
        (message_id,) = re.findall(r"/strookjes/(\d+)$", sent.headers["location"])
    with bot.deps.db.session() as s:
        message = s.get(Message, int(message_id))
        assert message is not None
        assert (message.kind, message.text_nl) == ("slip", question)
        assert tuple(message.answers) == ("yes", "no") and message.deadline is not None
    assert (await bot.settle(int(message_id)))["sent"] == 1
    got = bot.sim.inbox(ayse)[-1]
    assert question in (got.text or "")
    assert any(data.startswith(ANSWER_PREFIX) for data in got.callback_data())  # one tap


async def test_no_session_wrong_role_another_class_and_no_csrf_send_nothing(
    bot: Harness,
) -> None:
    await bot.join("Ayşe Yılmaz")
    klas_3a, klas_3b = str(group_id(bot, "3A")), str(group_id(bot, "3B"))
    async with desk_client(bot.deps) as anonymous:
        for path in ("/bericht", f"/bericht/opstellen?klas={klas_3a}"):
            answer = await anonymous.get(path)
            assert answer.status_code == 303 and answer.headers["location"].endswith("/login")

    async with staff_client(bot, "Lina", "translator", TRANSLATOR) as vertaler:
        assert (await vertaler.get("/bericht")).status_code == 403
        page = await vertaler.get(f"/bericht/opstellen?klas={klas_3a}")
        assert page.status_code == 403
        forged = {"klas": klas_3a, "tekst": PLAIN, "wanneer": "nu", "csrftoken": csrf_of(page.text)}
        assert (await vertaler.post("/bericht/controleren", data=forged)).status_code == 403
        assert (await vertaler.post("/bericht/versturen", data=forged)).status_code == 403

    async with staff_client(bot, "Juf Els", "teacher", TEACHER_3A, groups=("3A",)) as teacher:
        assert (await teacher.get(f"/bericht/opstellen?klas={klas_3b}")).status_code == 404
        assert (await teacher.get("/bericht/opstellen?klas=99999")).status_code == 404
        own = await teacher.get(f"/bericht/opstellen?klas={klas_3a}")
        assert (
            await teacher.get(f"/bericht/opstellen?klas={klas_3a}&sjabloon=geen")
        ).status_code == 404
        token = csrf_of(own.text)
        other = {"klas": klas_3b, "tekst": PLAIN, "csrftoken": token}
        assert (await teacher.post("/bericht/controleren", data=other)).status_code == 404
        sent = await teacher.post("/bericht/versturen", data={**other, "wanneer": "urgent"})
        assert sent.status_code == 404
        no_csrf = {"klas": klas_3a, "tekst": PLAIN, "wanneer": "nu"}
        refused = await teacher.post("/bericht/versturen", data=no_csrf)
        assert refused.status_code == 403
    assert messages_sent(bot) == 0


async def test_in_the_quiet_hours_it_waits_is_urgent_or_planned_for_a_moment_offered(
    bot: Harness,
) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    zone = bot.deps.settings.timezone
    now = bot.deps.clock.now().astimezone(zone)
    bot.deps.clock.advance(now.replace(hour=21) - now)  # type: ignore[attr-defined]
    async with staff_client(bot, "Mevrouw Claes", "admin", ADMIN) as client:
        klas = str(group_id(bot, "3A"))
        page = await checked(client, {"klas": klas, "tekst": PLAIN})
        assert words.text("nl", "bericht.urgent_button") in page.text
        assert words.text("nl", "bericht.send_now_button") not in page.text
        moments = re.findall(r'name="wanneer" value="(\d{4}-[^"]+)"', page.text)
        assert moments
        token = csrf_of(page.text)
        fields = {"klas": klas, "tekst": PLAIN, "csrftoken": token}
        forged = await client.post(
            "/bericht/versturen", data={**fields, "wanneer": "2030-01-01T03:00:00+01:00"}
        )
        assert forged.status_code == 400 and messages_sent(bot) == 0
        planned = await client.post("/bericht/versturen", data={**fields, "wanneer": moments[0]})
        assert planned.status_code == 303
    message_id = int(re.findall(r"verstuurd=(\d+)", planned.headers["location"])[0])
    (due,) = {d.next_attempt_at for d in deliveries_of(bot, message_id) if d.status == "pending"}
    assert due is not None
    assert due.astimezone(zone) == datetime.fromisoformat(moments[0]).astimezone(zone)
    assert due > bot.deps.clock.now() + timedelta(hours=1)
    await asyncio.sleep(0.3)  # a few of the sender's ticks: nothing goes out before
    assert not any("zwemles" in (m.text or "") for m in bot.sim.inbox(ayse))


async def test_a_class_of_another_school_is_not_found_and_nothing_is_sent(school: Deps) -> None:
    with school.db.session() as s:
        other = s.scalars(select(Group.id).where(Group.school_id == 2, Group.name == "3A")).one()
    async with desk_client(school) as client:
        await login(client, school, desk_tests.LIAISON)  # the brugfiguur of school 1
        page = await client.get(f"/bericht/opstellen?klas={other}")
        assert page.status_code == 404
        start = await client.get("/bericht")
        assert f'value="{other}"' not in start.text
        fields = {"klas": str(other), "tekst": PLAIN, "csrftoken": csrf_of(start.text)}
        assert (await client.post("/bericht/controleren", data=fields)).status_code == 404
        sent = await client.post("/bericht/versturen", data={**fields, "wanneer": "dringend"})
        assert sent.status_code == 404
    with school.db.session() as s:
        assert int(s.scalar(select(func.count()).select_from(Message)) or 0) == 0
