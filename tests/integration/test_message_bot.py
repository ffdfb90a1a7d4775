"""/bericht: a teacher sends a message or a slip from the phone, through python-telegram-bot and
the simulator (real HTTP), with the CLI's own services: slots, check, preview, door."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from oudersbot.domain.plain_language import check
from oudersbot.domain.rendering import visible_length
from oudersbot.domain.slips import ANSWER_PREFIX
from oudersbot.services.check_lines import finding_lines
from oudersbot.simulator import ReceivedMessage
from oudersbot.store.models import Delivery, Group, Message, StaffGroup
from tests.integration import test_bot_e2e
from tests.integration.test_prikkel_bot import add_teacher, answered, buttons, last_with
from tests.integration.test_staff_menus import add_staff

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock


def nl(bot: Harness, key: str, **slots: object) -> str:
    return bot.deps.words.text("nl", key, **slots)


def group_id(bot: Harness, name: str) -> int:
    with bot.deps.db.session() as s:
        return s.scalars(select(Group.id).where(Group.name == name)).one()


def message_rows(bot: Harness) -> list[Message]:
    with bot.deps.db.session() as s:
        rows = list(s.scalars(select(Message).order_by(Message.id)))
        s.expunge_all()
        return rows


async def tap(bot: Harness, uid: int, shown: ReceivedMessage, label: str) -> str:
    """Tap the button whose label starts with `label`, and wait for the answer."""
    (data,) = [d for text, d in buttons(shown).items() if text.startswith(label)]
    query = await bot.sim.tap(uid, shown.message_id, data)
    await answered(bot, query)
    return query


async def edited(bot: Harness, uid: int, message_id: int, contains: str) -> ReceivedMessage:
    for _ in range(250):
        for message in bot.sim.inbox(uid):
            if message.message_id == message_id and contains in (message.text or ""):
                return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"message {message_id} never said {contains!r}")


async def to_templates(bot: Harness, uid: int, group: str = "3A") -> ReceivedMessage:
    start = (await bot.sim.send_text(uid, "/bericht")).message_id
    classes = await last_with(bot, uid, nl(bot, "bericht.pick_class"), start)
    await tap(bot, uid, classes, group)
    return await edited(bot, uid, classes.message_id, nl(bot, "bericht.pick_template", group=group))


async def own_words(bot: Harness, uid: int, text: str, group: str = "3A") -> ReceivedMessage:
    """Through /bericht with own words to the findings."""
    templates = await to_templates(bot, uid, group)
    await tap(bot, uid, templates, nl(bot, "bericht.own_words_button"))
    await edited(bot, uid, templates.message_id, nl(bot, "bericht.type_text", group=group))
    after = bot.sim.inbox(uid)[-1].message_id
    await bot.sim.send_text(uid, text)
    return await last_with(bot, uid, nl(bot, "bericht.your_text"), after)


async def go_on_plain(bot: Harness, uid: int, findings: ReceivedMessage) -> None:
    """Past the findings of own words, as a plain message (no answer buttons)."""
    await tap(bot, uid, findings, nl(bot, "bericht.go_on_button"))
    asked = await edited(bot, uid, findings.message_id, nl(bot, "bericht.ask_answers"))
    await tap(bot, uid, asked, nl(bot, "bericht.no_answers_button"))


async def send_question(bot: Harness, uid: int, after: int, within: int = 250) -> ReceivedMessage:
    """The message under the preview, with the send buttons."""
    for _ in range(within):
        for message in reversed(bot.sim.inbox(uid)):
            if message.message_id > after and any(
                text.startswith("📤") or text.startswith("⚡") for text in buttons(message)
            ):
                return message
        await asyncio.sleep(0.02)
    raise AssertionError("no send buttons")


async def test_a_teacher_sends_a_slip_from_the_phone_and_parents_answer_it(
    bot: Harness,
) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    iryna = await bot.join("Iryna Kovalenko")
    els = add_teacher(bot, "Els", "3A")
    start = (await bot.sim.send_text(els, "/bericht")).message_id
    classes = await last_with(bot, els, nl(bot, "bericht.pick_class"), start)
    assert [t for t in buttons(classes)] == ["3A", nl(bot, "bericht.cancel_button")]
    await tap(bot, els, classes, "3A")
    templates = await edited(bot, els, classes.message_id, "Klas 3A")
    labels = list(buttons(templates))
    assert labels[0] == nl(bot, "bericht.own_words_button")
    assert any(t.endswith("Schoolrekening 🟢") for t in labels)  # pictogram, title, slip mark
    await tap(bot, els, templates, next(t for t in labels if "Schoolrekening" in t))

    question = await edited(bot, els, templates.message_id, "bedrag")
    assert nl(bot, "bericht.example", example="12,50") in (question.text or "")
    await bot.sim.send_text(els, "twaalf euro")
    wrong = nl(bot, "slot.not_amount", slot="bedrag", value="twaalf euro")
    await last_with(bot, els, nl(bot, "bericht.again", error=wrong), question.message_id)
    await bot.sim.send_text(els, "12,50")
    asked = await last_with(bot, els, "datum", question.message_id + 2)
    await bot.sim.send_text(els, "2026-12-04")
    findings = await last_with(bot, els, nl(bot, "bericht.your_text"), asked.message_id)
    assert "12,50" in (findings.text or "") and "4 december 2026" in (findings.text or "")
    await tap(bot, els, findings, nl(bot, "bericht.go_on_button"))

    deadline_asked = await edited(bot, els, findings.message_id, "Dit is een strookje")
    assert words.text("nl", "answer.yes") in (deadline_asked.text or "")
    await tap(bot, els, deadline_asked, nl(bot, "bericht.deadline_button", days=3))
    await edited(bot, els, findings.message_id, nl(bot, "bericht.preview_intro", group="3A"))
    question = await send_question(bot, els, findings.message_id)
    previews = [m.text or "" for m in bot.sim.inbox(els) if findings.message_id < m.message_id]
    shown = "\n".join(previews)
    for language in ("Turks", "Oekraïens", "Arabisch", "Nederlands"):
        assert f"— {language}: " in shown
    assert "— Turks: 1 ouders" in shown and "— Arabisch: 1 ouders" in shown
    assert all(len(text) <= 4096 for text in previews)
    assert nl(bot, "bericht.goes_now") in (question.text or "")
    assert nl(bot, "bericht.reaches", count=2, group="3A") in (question.text or "")

    await tap(bot, els, question, nl(bot, "bericht.send_now_button"))
    done = await edited(bot, els, question.message_id, "✅")
    (slip,) = message_rows(bot)
    assert nl(bot, "cli.send.queued", id=slip.id, count=2) in (done.text or "")
    assert nl(bot, "bericht.goes_now") in (done.text or "")
    assert slip.kind == "slip" and slip.template_id == "factuur" and slip.created_by == "Els"
    zone = bot.deps.settings.timezone
    today = bot.deps.clock.now().astimezone(zone).date()
    assert slip.deadline is not None
    assert slip.deadline.astimezone(zone).replace(tzinfo=None) == datetime.combine(
        today + timedelta(days=3), datetime.min.time()
    ).replace(hour=18)

    counts = await bot.settle(slip.id)
    assert counts == {"sent": 2, "not_joined": 3}
    got = bot.sim.inbox(ayse)[-1]
    assert "12,50" in (got.text or "")
    answer = await bot.sim.tap(ayse, got.message_id, buttons(got)[words.text("tr", "answer.yes")])
    await answered(bot, answer)
    assert bot.sim.callback(answer).answer_text is not None
    assert buttons(bot.sim.inbox(iryna)[-1])  # Iryna can answer too, in Ukrainian


async def test_own_words_show_the_findings_can_be_changed_and_planned_for_later(
    bot: Harness,
) -> None:
    ayse = await bot.join("Ayşe Yılmaz")
    els = add_teacher(bot, "Els", "3A")
    wordy = (
        "Wij delen u mede dat de zwemles morgen niet doorgaat omdat het zwembad wegens "
        "onderhoudswerkzaamheden gesloten is en de kinderen daarom de hele namiddag in de klas "
        "blijven om te lezen en te tekenen."
    )
    findings = await own_words(bot, els, wordy)
    expected = finding_lines(
        bot.deps.words, "nl", wordy, check(wordy, bot.deps.lexicon, kind="info")
    )
    assert len(expected) > 1  # there is something to find
    for line in expected:
        assert line in (findings.text or "")

    await tap(bot, els, findings, nl(bot, "bericht.change_button"))
    await edited(bot, els, findings.message_id, nl(bot, "bericht.type_text", group="3A"))
    plain = "Morgen is er geen zwemles. Uw kind blijft in de klas."
    await bot.sim.send_text(els, plain)
    again = await last_with(bot, els, plain, findings.message_id)
    await go_on_plain(bot, els, again)
    question = await send_question(bot, els, again.message_id)

    await tap(bot, els, question, nl(bot, "bericht.plan_button"))
    moments = await edited(bot, els, question.message_id, nl(bot, "bericht.pick_moment"))
    first = next(iter(buttons(moments)))
    await tap(bot, els, moments, first)
    done = await edited(bot, els, question.message_id, "✅")
    assert first in (done.text or "")
    (message,) = message_rows(bot)
    with bot.deps.db.session() as s:
        due = s.scalars(
            select(Delivery.next_attempt_at).where(
                Delivery.message_id == message.id, Delivery.status == "pending"
            )
        )
        (moment,) = set(due)
    zone = bot.deps.settings.timezone
    assert moment.astimezone(zone).date() == bot.deps.clock.now().astimezone(zone).date() + (
        timedelta(days=1)
    )
    await asyncio.sleep(0.3)  # a few of the sender's ticks: nothing goes out before
    assert not any(plain[:10] in (m.text or "") for m in bot.sim.inbox(ayse))

    bot.deps.clock.advance(moment - bot.deps.clock.now() + timedelta(seconds=1))  # type: ignore[attr-defined]
    assert await bot.settle(message.id) == {"sent": 1, "not_joined": 4}
    assert "zwemles" in (bot.sim.inbox(ayse)[-1].text or "")


async def test_own_words_become_a_slip_with_one_tap_for_the_answers(bot: Harness) -> None:
    ayse = await bot.join("Ayşe Yılmaz")
    els = add_teacher(bot, "Els", "3A")
    question = "Wie helpt mee op het kerstfeest van vrijdag?"
    findings = await own_words(bot, els, question)
    await tap(bot, els, findings, nl(bot, "bericht.go_on_button"))
    asked = await edited(bot, els, findings.message_id, nl(bot, "bericht.ask_answers"))
    yes_no = f"{nl(bot, 'answer.yes')} / {nl(bot, 'answer.no')}"
    assert list(buttons(asked))[:2] == [nl(bot, "bericht.no_answers_button"), yes_no]
    # A forged set number (one past the last) changes nothing: the question stays.
    token, action = buttons(asked)[yes_no].split(":")[1:3]
    forged = await bot.sim.forge_callback(els, asked.message_id, f"bm:{token}:{action}:99")
    await answered(bot, forged)
    assert nl(bot, "bericht.ask_answers") in (bot.sim.inbox(els)[-1].text or "")
    await answered(bot, await bot.sim.tap(els, asked.message_id, buttons(asked)[yes_no]))
    deadline = await edited(bot, els, findings.message_id, yes_no)  # the deadline, now
    await tap(bot, els, deadline, nl(bot, "bericht.deadline_button", days=3))
    send = await send_question(bot, els, findings.message_id)
    await tap(bot, els, send, nl(bot, "bericht.send_now_button"))
    await edited(bot, els, send.message_id, "✅")
    (slip,) = message_rows(bot)
    assert (slip.kind, slip.text_nl, tuple(slip.answers or ())) == ("slip", question, ("yes", "no"))
    assert slip.deadline is not None and slip.template_id is None
    assert (await bot.settle(slip.id))["sent"] == 1
    got = bot.sim.inbox(ayse)[-1]
    assert question in (got.text or "")
    assert any(d.startswith(ANSWER_PREFIX) for d in got.callback_data())  # one tap to answer


async def test_a_teacher_of_3b_cannot_pick_3a_and_a_forged_class_changes_nothing(
    bot: Harness,
) -> None:
    await bot.join("Sophie Dubois")
    bart = add_teacher(bot, "Bart", "3B")
    start = (await bot.sim.send_text(bart, "/bericht")).message_id
    classes = await last_with(bot, bart, nl(bot, "bericht.pick_class"), start)
    assert "3A" not in buttons(classes) and "3B" in buttons(classes)
    token = buttons(classes)["3B"].split(":")[1]
    forged = await bot.sim.forge_callback(
        bart, classes.message_id, f"bm:{token}:c:{group_id(bot, '3A')}"
    )
    await answered(bot, forged)
    assert bot.sim.callback(forged).answer_text == nl(bot, "bericht.not_your_class")
    assert "Klas 3A" not in (bot.sim.inbox(bart)[-1].text or "")

    # Own words for 3B up to the send buttons; then Bart loses 3B: the send is refused.
    findings = await own_words(bot, bart, "Morgen is er geen zwemles.", group="3B")
    await go_on_plain(bot, bart, findings)
    question = await send_question(bot, bart, findings.message_id)
    with bot.deps.db.session() as s:
        s.execute(delete(StaffGroup).where(StaffGroup.group_id == group_id(bot, "3B")))
    refused = await tap(bot, bart, question, nl(bot, "bericht.send_now_button"))
    assert bot.sim.callback(refused).answer_text == nl(bot, "bericht.not_your_class")
    assert message_rows(bot) == []


async def test_a_double_tap_on_send_sends_once(bot: Harness) -> None:
    await bot.join("Ayşe Yılmaz")
    els = add_teacher(bot, "Els", "3A")
    findings = await own_words(bot, els, "Morgen is er geen zwemles.")
    await go_on_plain(bot, els, findings)
    question = await send_question(bot, els, findings.message_id)
    data = next(d for t, d in buttons(question).items() if t.startswith("📤"))
    taps = [await bot.sim.tap(els, question.message_id, data) for _ in range(2)]
    for query in taps:
        await answered(bot, query)
    await edited(bot, els, question.message_id, "✅")
    (message,) = message_rows(bot)
    with bot.deps.db.session() as s:
        copies = s.scalars(select(Delivery.guardian_id).where(Delivery.message_id == message.id))
        assert len(list(copies)) == 5  # one per guardian of 3A, once


async def test_a_parent_typing_bericht_gets_nothing_special(bot: Harness) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    before = len(bot.sim.inbox(ayse))
    await bot.sim.send_text(ayse, "/bericht")
    (answer,) = (await bot.sim.wait_for_inbox(ayse, before + 1))[before:]
    assert answer.text == words.text("tr", "command.staff_only") and not answer.reply_markup
    await bot.sim.send_text(ayse, "Merhaba, Emre is ziek.")
    (thanks,) = (await bot.sim.wait_for_inbox(ayse, before + 2))[before + 1 :]
    assert thanks.text == words.text("tr", "inbound.received")
    assert message_rows(bot) == []


async def test_cancel_at_any_step(bot: Harness) -> None:
    els = add_teacher(bot, "Els", "3A")
    templates = await to_templates(bot, els)
    await tap(bot, els, templates, nl(bot, "bericht.cancel_button"))
    await edited(bot, els, templates.message_id, nl(bot, "bericht.cancelled"))
    old_button = next(iter(buttons(templates).values()))  # gone from the chat; pressed anyway
    stale = await bot.sim.forge_callback(els, templates.message_id, old_button)
    await answered(bot, stale)
    assert bot.sim.callback(stale).answer_text == nl(bot, "bericht.expired")

    templates = await to_templates(bot, els)
    await tap(bot, els, templates, nl(bot, "bericht.own_words_button"))
    await bot.sim.send_text(els, "/annuleer")
    await last_with(bot, els, nl(bot, "bericht.cancelled"), templates.message_id)
    after = bot.sim.inbox(els)[-1].message_id
    await bot.sim.send_text(els, "Dit is geen bericht meer.")
    await asyncio.sleep(0.3)
    assert not any(
        nl(bot, "bericht.your_text") in (m.text or "")
        for m in bot.sim.inbox(els)
        if m.message_id > after
    )
    assert message_rows(bot) == []


async def test_in_the_quiet_hours_it_waits_unless_the_teacher_says_urgent(bot: Harness) -> None:
    ayse = await bot.join("Ayşe Yılmaz")
    els = add_teacher(bot, "Els", "3A")
    clock = bot.deps.clock
    evening = clock.now().astimezone(bot.deps.settings.timezone).replace(hour=21, minute=0)
    clock.advance(evening - clock.now())  # type: ignore[attr-defined]
    findings = await own_words(bot, els, "Morgen is de school dicht. Er is een stroompanne.")
    await go_on_plain(bot, els, findings)
    question = await send_question(bot, els, findings.message_id)
    labels = list(buttons(question))
    assert nl(bot, "bericht.send_now_button") not in labels  # it would only go tomorrow
    assert any(label.startswith("📤 Versturen (") for label in labels)
    assert "stille uren" in (question.text or "")
    await tap(bot, els, question, nl(bot, "bericht.urgent_button"))
    done = await edited(bot, els, question.message_id, "✅")
    assert nl(bot, "bericht.goes_now") in (done.text or "")
    (message,) = message_rows(bot)
    assert await bot.settle(message.id) == {"sent": 1, "not_joined": 4}
    assert "stroompanne" in (bot.sim.inbox(ayse)[-1].text or "")


async def test_a_long_preview_comes_in_several_messages_of_at_most_4096(bot: Harness) -> None:
    for name in ("Ayşe Yılmaz", "Iryna Kovalenko", "Fatima El Amrani"):
        await bot.join(name)
    els = add_teacher(bot, "Els", "3A")
    long_text = " ".join(f"Zin {n}: we lezen samen in de klas." for n in range(90))[:3000]
    findings = await own_words(bot, els, long_text)
    await go_on_plain(bot, els, findings)
    # One message a second to a chat: Telegram's pace, which the simulator keeps too.
    question = await send_question(bot, els, findings.message_id, within=1000)
    shown = [
        m for m in bot.sim.inbox(els) if findings.message_id < m.message_id < question.message_id
    ]
    assert len(shown) >= 4  # Dutch, Turkish, Ukrainian, Arabic: 3,000 characters each
    assert all(visible_length(m.source or m.text or "") <= 4096 for m in shown)
    assert all(m.parse_mode == "HTML" for m in shown)
    headers = sum(len(re.findall(r"^— .+: \d+ ouders", m.text or "", re.M)) for m in shown)
    assert sum((m.text or "").count("Zin 0:") for m in shown) == headers >= 4  # each once


async def test_the_brugfiguur_picks_any_class_and_a_vertaler_may_not_send(bot: Harness) -> None:
    nadia = add_staff(bot, "Nadia", "liaison")
    start = (await bot.sim.send_text(nadia, "/bericht")).message_id
    classes = await last_with(bot, nadia, nl(bot, "bericht.pick_class"), start)
    assert list(buttons(classes))[:2] == ["3A", "3B"]
    omar = add_staff(bot, "Omar", "translator")
    start = (await bot.sim.send_text(omar, "/bericht")).message_id
    refused = await last_with(bot, omar, nl(bot, "bericht.senders_only"), start)
    assert not refused.reply_markup
