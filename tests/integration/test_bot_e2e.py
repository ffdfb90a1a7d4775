"""The whole parent loop through python-telegram-bot, over HTTP, against the simulator."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import func, select, update
from telegram.ext import Application

from oudersbot.bootstrap import Deps
from oudersbot.bot.app import build_application, running
from oudersbot.clock import Clock, ShiftedClock
from oudersbot.domain.languages import native_name
from oudersbot.services import invites, messages
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.simulator.ratelimit import RateLimits
from oudersbot.store.models import ConversationMessage, Delivery, Guardian, InboundText
from oudersbot.store.outbox import status_counts
from tests.conftest import BRUSSELS, import_fixture_roster

TOKEN = "123456:TEST-token"


@dataclass
class Harness:
    sim: Simulator
    app: Application  # type: ignore[type-arg]
    deps: Deps
    codes: dict[str, str]

    async def join(self, name: str, language_code: str | None = None) -> int:
        uid = self.sim.add_user(name.split()[0], language_code=language_code)
        await self.sim.send_text(uid, f"/start {self.codes[name]}")
        await self.sim.wait_for_inbox(uid, 2)
        return uid

    def send_slip(self, group: str, text: str) -> int:
        """A yes/no slip to a class, due in three days; its message id."""
        from datetime import timedelta

        from oudersbot.domain.slips import parse_answers

        draft = messages.prepare_message(
            self.deps,
            school="demo",
            groups=[group],
            text=text,
            answers=parse_answers("ja,nee"),
            deadline=self.deps.clock.now() + timedelta(days=3),
        )
        return messages.send_message(self.deps, draft).message_id

    async def settle(self, message_id: int, within: float = 20.0) -> dict[str, int]:
        deadline = time.monotonic() + within
        while True:
            with self.deps.db.session() as s:
                counts = status_counts(s, message_id=message_id)
            if not (counts.get("pending") or counts.get("sending")) or time.monotonic() > deadline:
                return counts
            await asyncio.sleep(0.05)


@pytest.fixture
def clock() -> Clock:
    """Real time (429 waits, leases), running from a school-day morning: the outbox's door
    holds messages in quiet hours and at weekends, and the tests run at any hour."""
    return ShiftedClock(datetime(2026, 11, 24, 10, 0, tzinfo=BRUSSELS))


@pytest.fixture
async def bot(deps: Deps) -> AsyncIterator[Harness]:
    import_fixture_roster(deps)
    codes = {}
    for group in ("3A", "3B"):
        codes.update(
            {
                i.name: i.code
                for i in invites.issue_guardian_invites(deps, school="demo", group=group).issued
            }
        )
    config = SimulatorConfig(
        bot_token=TOKEN, bot_username="testschool_bot", validate_responses=True
    )
    async with Simulator(config) as sim:
        app = build_application(deps, token=TOKEN, base_url=sim.base_url, send_rate=25.0, tick=0.1)
        async with running(app):
            yield Harness(sim, app, deps, codes)


async def test_a_parent_joins_in_the_roster_language_and_picks_another(bot: Harness) -> None:
    words = bot.deps.words
    uid = await bot.join("Fatima El Amrani", language_code="fr")
    greeting, picker = bot.sim.inbox(uid)
    assert greeting.text == words.text(
        "ar",
        "join.welcome_guardian",
        name="Fatima El Amrani",
        school="De Regenboog",
        children="Amira, Sami",
    )
    assert picker.text == words.text("ar", "join.choose_language")
    assert picker.reply_markup is not None
    labels = [b["text"] for row in picker.reply_markup["inline_keyboard"] for b in row]
    assert labels == [
        f"✓ {native_name(t)}" if t == words.resolve("ar") else native_name(t)
        for t in words.languages
    ]
    callback = await bot.sim.tap(uid, picker.message_id, "lang:fr")
    edited = await _wait_for_edit(bot.sim, uid, picker.message_id)
    assert edited == words.text("fr", "language.changed", language="Français")
    assert bot.sim.callback(callback).answered
    with bot.deps.db.session() as s:
        fatima = s.scalars(select(Guardian).where(Guardian.name == "Fatima El Amrani")).one()
        assert (fatima.language, fatima.language_source, fatima.reachability) == (
            "fr",
            "parent",
            "joined",
        )


async def _wait_for_edit(sim: Simulator, uid: int, message_id: int) -> str:
    for _ in range(200):
        for m in sim.inbox(uid):
            if m.message_id == message_id and m.edit_date:
                return m.text or ""
        await asyncio.sleep(0.02)
    raise AssertionError("no edit")


async def test_a_wrong_code_is_explained_in_the_parents_app_language_and_dutch(
    bot: Harness,
) -> None:
    words = bot.deps.words
    uid = bot.sim.add_user("Olga", language_code="uk")
    await bot.sim.send_text(uid, "/start this-code-does-not-exist-at-all")
    (answer,) = await bot.sim.wait_for_inbox(uid, 1)
    assert answer.text is not None
    assert words.text("nl", "join.problem.unknown") in answer.text
    assert words.text("uk", "join.problem.unknown") in answer.text
    assert (
        answer.text.index(words.text("uk", "join.problem.unknown")) == 0
        or words.resolve("uk") == "nl"
    )
    with bot.deps.db.session() as s:
        assert s.scalars(select(Guardian).where(Guardian.chat_id == uid)).all() == []


async def test_a_parent_scanning_their_own_letter_again_hears_they_are_connected(
    bot: Harness,
) -> None:
    words = bot.deps.words
    uid = await bot.join("Iryna Kovalenko", language_code="uk")
    await bot.sim.send_text(uid, f"/start {bot.codes['Iryna Kovalenko']}")
    (*_, answer) = await bot.sim.wait_for_inbox(uid, 3)
    assert answer.text == words.text("uk", "join.already_connected", school="De Regenboog")
    assert "/taal" in (answer.text or "") and "/help" in (answer.text or "")
    # Someone else with the same letter hears it is used, in their own language and Dutch.
    stranger = bot.sim.add_user("Mallory", language_code="fr")
    await bot.sim.send_text(stranger, f"/start {bot.codes['Iryna Kovalenko']}")
    (refused,) = await bot.sim.wait_for_inbox(stranger, 1)
    assert words.text("fr", "join.problem.used") in (refused.text or "")
    assert words.text("nl", "join.problem.used") in (refused.text or "")
    with bot.deps.db.session() as s:
        assert s.scalars(select(Guardian.name).where(Guardian.chat_id == uid)).all() == [
            "Iryna Kovalenko"
        ]


async def test_a_letter_from_before_a_stop_is_void(bot: Harness) -> None:
    with bot.deps.db.session() as s:
        s.execute(
            update(Guardian)
            .where(Guardian.name == "Elena Popescu")
            .values(stopped_at=bot.deps.clock.now(), reachability="stopped")
        )
    uid = bot.sim.add_user("Elena", language_code="ro")
    await bot.sim.send_text(uid, f"/start {bot.codes['Elena Popescu']}")
    (answer,) = await bot.sim.wait_for_inbox(uid, 1)
    assert (answer.text or "").startswith(bot.deps.words.text("ro", "join.problem.void"))


async def test_guessing_codes_is_slowed_down(bot: Harness) -> None:
    uid = bot.sim.add_user("Mallory", language_code="nl")
    for n in range(4):
        await bot.sim.send_text(uid, f"/start guess-{n:020d}")
        await bot.sim.wait_for_inbox(uid, n + 1)
    last = bot.sim.inbox(uid)[-1].text or ""
    assert bot.deps.words.text("nl", "join.problem.slowed_down", minutes=1) in last
    await bot.sim.send_text(uid, f"/start {bot.codes['Sarah Johnson']}")
    (*_, refused) = await bot.sim.wait_for_inbox(uid, 5)
    assert "slowed" not in (refused.text or "") and bot.deps.words.text(
        "nl", "join.problem.slowed_down", minutes=2
    )[:20] in (refused.text or "")
    with bot.deps.db.session() as s:
        assert (
            s.scalars(select(Guardian.chat_id).where(Guardian.name == "Sarah Johnson")).one()
            is None
        )


async def test_a_forged_button_changes_nothing(bot: Harness) -> None:
    uid = await bot.join("Sophie Dubois")
    picker = bot.sim.inbox(uid)[-1]
    stranger = bot.sim.add_user("Eve")
    forged = await bot.sim.forge_callback(stranger, picker.message_id, "lang:ar", chat_id=uid)
    unknown = await bot.sim.forge_callback(uid, picker.message_id, "lang:tlh")
    junk = await bot.sim.forge_callback(uid, picker.message_id, "delete:everything")
    await asyncio.sleep(0.5)
    for callback in (forged, unknown, junk):
        record = bot.sim.callback(callback)
        assert record.answered
    with bot.deps.db.session() as s:
        assert (
            s.scalars(select(Guardian.language).where(Guardian.name == "Sophie Dubois")).one()
            == "fr"
        )


async def test_odd_text_is_stored_as_written_and_answered_kindly(bot: Harness) -> None:
    uid = await bot.join("Ayşe Yılmaz")
    odd = "<script>alert('x')</script> &amp; 😀 ' OR 1=1 --"
    await bot.sim.send_text(uid, odd)
    (*_, reply) = await bot.sim.wait_for_inbox(uid, 3)
    # No slip is open: the words become her conversation with the school.
    assert reply.text == bot.deps.words.text("tr", "inbound.received")
    with bot.deps.db.session() as s:
        assert s.scalars(select(InboundText.text)).one() == odd
        assert s.scalars(select(ConversationMessage.text)).one() == odd


async def test_a_message_reaches_every_joined_parent_once_in_their_language(bot: Harness) -> None:
    joined = {
        name: await bot.join(name)
        for name in ("Fatima El Amrani", "Youssef El Amrani", "Iryna Kovalenko", "Ayşe Yılmaz")
    }
    before = {uid: len(bot.sim.inbox(uid)) for uid in joined.values()}
    draft = messages.prepare_message(
        bot.deps,
        school="demo",
        groups=["3A"],
        template_id="uitstap",
        slots={"datum": "2026-12-03", "plaats": "de zoo"},
    )
    report = messages.send_message(bot.deps, draft)
    assert sorted(r.name for r in report.not_joined) == ["Katrien Peeters"]
    counts = await bot.settle(report.message_id)
    assert counts == {"sent": 4, "not_joined": 1}
    for name, uid in joined.items():
        inbox = bot.sim.inbox(uid)
        assert len(inbox) == before[uid] + 1, name
        received = inbox[-1]
        assert received.text is not None and received.text.lstrip("\u2066\u2067").startswith("🔴")
        types = {e["type"] for e in received.entities}
        if name == "Youssef El Amrani":
            assert "expandable_blockquote" not in types
            assert "donderdag 3 december 2026" in received.text
        else:
            assert "expandable_blockquote" in types  # the Dutch original, folded
            assert draft.text_nl in received.text  # the Dutch original, in full
    arabic = bot.sim.inbox(joined["Fatima El Amrani"])[-1].text or ""
    assert "\u2067" in arabic  # right-to-left lines are isolated
    with bot.deps.db.session() as s:
        ids = s.scalars(select(Delivery.telegram_message_id).where(Delivery.status == "sent")).all()
    assert sorted(ids) == sorted(bot.sim.inbox(uid)[-1].message_id for uid in joined.values())


async def test_a_parent_who_blocked_the_bot_becomes_unreachable_not_retried(bot: Harness) -> None:
    uid = await bot.join("Iryna Kovalenko")
    bot.sim.block(uid)
    report = messages.send_message(
        bot.deps, messages.prepare_message(bot.deps, school="demo", groups=["3A"], text="Hallo")
    )
    assert await bot.settle(report.message_id) == {"unreachable": 1, "not_joined": 4}
    with bot.deps.db.session() as s:
        assert (
            s.scalars(select(Guardian.reachability).where(Guardian.chat_id == uid)).one()
            == "blocked"
        )
    assert bot.sim.stats.requests.get("sendMessage", 0) >= 1
    again = messages.send_message(
        bot.deps, messages.prepare_message(bot.deps, school="demo", groups=["3A"], text="Nog eens")
    )
    assert [r.name for r in again.unreachable] == ["Iryna Kovalenko"]


async def test_flood_control_is_honoured_and_nothing_is_sent_twice(bot: Harness) -> None:
    uids = {name: await bot.join(name) for name in bot.codes if name != "Katrien Peeters"}
    bot.sim.set_limits(
        RateLimits(global_rate=3.0, global_burst=3, per_chat_rate=1.0, per_chat_burst=3)
    )
    bot.sim.reset_stats()
    report = messages.send_message(
        bot.deps,
        messages.prepare_message(
            bot.deps, school="demo", groups=["3A", "3B"], text="Hallo allemaal"
        ),
    )
    counts = await bot.settle(report.message_id, within=30)
    assert counts.get("sent") == len(uids)
    assert bot.sim.stats.errors.get(429, 0) >= 1  # the simulator did push back
    for uid in uids.values():
        assert [m.text for m in bot.sim.inbox(uid)].count(bot.sim.inbox(uid)[-1].text) == 1


async def test_a_parent_answers_a_slip_in_one_tap_in_their_language(bot: Harness) -> None:

    from oudersbot.store.models import Reply

    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    fatima = await bot.join("Fatima El Amrani")
    slip = bot.send_slip("3A", "Gaat uw kind mee naar de zoo?")
    await bot.settle(slip)
    received = (await bot.sim.wait_for_inbox(ayse, 3))[-1]
    assert received.reply_markup is not None
    buttons = [b for row in received.reply_markup["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == [
        words.text("tr", "answer.yes"),
        "Hayır",
        "✅ Anladım",
        "❓ Lütfen açıklayın",
        words.text("tr", "speech.button"),  # 🔊: the slip read aloud
    ]
    assert words.text("tr", "slip.answer_by", date="").split("{")[0][:10] in (received.text or "")

    callback = await bot.sim.tap(ayse, received.message_id, buttons[0]["callback_data"])
    edited = await _wait_for_markup_edit(bot.sim, ayse, received.message_id)
    expected = words.text("tr", "slip.recorded", answer="Evet", child="Emre")
    assert bot.sim.callback(callback).answer_text == expected
    assert edited == [
        f"✓ {words.text('tr', 'answer.yes')}",
        "Hayır",
        "✅ Anladım",
        "❓ Lütfen açıklayın",
        words.text("tr", "speech.button"),
    ]

    # Fatima's buttons are for Amira; tapping Emre's button from her chat is refused.
    stranger = await bot.sim.forge_callback(
        fatima, received.message_id, buttons[1]["callback_data"], chat_id=fatima
    )
    # Someone else pressing in Ayşe's chat, and junk data, change nothing either.
    eve = bot.sim.add_user("Eve")
    forged = await bot.sim.forge_callback(
        eve, received.message_id, buttons[1]["callback_data"], chat_id=ayse
    )
    await bot.sim.wait_for_answer(stranger)
    await bot.sim.wait_for_answer(forged)
    with bot.deps.db.session() as s:
        assert s.execute(select(Reply.answer)).scalars().all() == ["yes"]


async def _wait_for_markup_edit(sim: Simulator, uid: int, message_id: int) -> list[str]:
    for _ in range(200):
        for m in sim.inbox(uid):
            if m.message_id == message_id and m.edit_date and m.reply_markup:
                return [b["text"] for row in m.reply_markup["inline_keyboard"] for b in row]
        await asyncio.sleep(0.02)
    raise AssertionError("no keyboard edit")


ROLE_MATRIX = [
    # role, command, what the reply must contain, what it must not
    ("stranger", "/opvolgen", "command.staff_only", None),
    ("stranger", "/overzicht", "command.staff_only", None),
    ("parent", "/opvolgen", "command.staff_only", None),
    ("parent", "/overzicht", "command.staff_only", None),
    ("teacher", "/opvolgen", "cli.staff.liaison_only", None),
    ("teacher", "/overzicht", "klas 3A", "klas 3B"),
    ("liaison", "/opvolgen", "+32475998877", None),
    ("liaison", "/overzicht", "klas 3B", None),
    ("stranger", "/overzicht prikkels", "command.staff_only", None),
    ("parent", "/overzicht prikkels", "command.staff_only", None),
    ("liaison", "/overzicht prikkels", "cli.prikkel.teachers_only", None),
    ("teacher", "/overzicht prikkels", "Klas 3A", "3B"),
    ("parent", "/prikkels", "cli.prikkel.teachers_only", None),
    ("liaison", "/prikkels", "cli.prikkel.teachers_only", None),
    ("teacher", "/prikkels", "Klas 3A", "3B"),
]


@pytest.mark.parametrize(("role", "command", "must", "must_not"), ROLE_MATRIX)
async def test_every_staff_command_checks_the_role_on_every_call(
    bot: Harness, role: str, command: str, must: str, must_not: str | None
) -> None:

    from oudersbot.store.models import Group, Staff, StaffGroup

    for group in ("3A", "3B"):
        bot.send_slip(group, "Komt u naar het oudercontact?")
    if role == "parent":
        uid = await bot.join("Sophie Dubois")
    else:
        uid = bot.sim.add_user(role.title(), language_code="nl")
    if role in ("teacher", "liaison"):
        with bot.deps.db.session() as s:
            staff = Staff(school_id=1, name=f"{role} X", role=role, chat_id=uid)
            s.add(staff)
            s.flush()
            if role == "teacher":
                group_a = s.scalars(select(Group.id).where(Group.name == "3A")).one()
                s.add(StaffGroup(staff_id=staff.id, group_id=group_a))
    before = len(bot.sim.inbox(uid))
    await bot.sim.send_text(uid, command)
    replies = await bot.sim.wait_for_inbox(uid, before + 1)
    text = "\n".join(m.text or "" for m in replies[before:])
    words = bot.deps.words
    if must.startswith(("command.", "cli.")):
        language = "fr" if role == "parent" else "nl"
        assert words.text(language, must) in text
    else:
        assert must in text
    if must_not:
        assert must_not not in text
    if role != "liaison":
        assert "+32475998877" not in text


async def test_when_one_guardian_answers_the_other_sees_it_answered(bot: Harness) -> None:

    fatima = await bot.join("Fatima El Amrani")
    youssef = await bot.join("Youssef El Amrani")
    await bot.settle(bot.send_slip("3A", "Mag uw kind mee op foto?"))
    his = (await bot.sim.wait_for_inbox(youssef, 3))[-1]
    hers = (await bot.sim.wait_for_inbox(fatima, 3))[-1]
    assert his.reply_markup is not None
    no = his.reply_markup["inline_keyboard"][1][0]
    await bot.sim.tap(youssef, his.message_id, no["callback_data"])
    ticked = await _wait_for_markup_edit(bot.sim, fatima, hers.message_id)
    assert ticked == [
        bot.deps.words.text("ar", "answer.yes"),
        "✓ " + bot.deps.words.text("ar", "answer.no"),
        bot.deps.words.text("ar", "understanding.button.understood"),
        bot.deps.words.text("ar", "understanding.button.explain"),
        bot.deps.words.text("ar", "speech.button"),  # 🔊 stays under the slip
    ]


async def test_the_liaison_records_follow_up_with_buttons_and_others_cannot(
    bot: Harness,
) -> None:

    from oudersbot.store.models import FollowUp, Reply, Staff

    bot.send_slip("3A", "Komt u naar het oudercontact?")
    liaison, teacher = bot.sim.add_user("Sara"), bot.sim.add_user("Els")
    with bot.deps.db.session() as s:
        s.add(Staff(school_id=1, name="Sara", role="liaison", chat_id=liaison))
        s.add(Staff(school_id=1, name="Els", role="teacher", chat_id=teacher))
    await bot.sim.send_text(liaison, "/opvolgen")
    (listing,) = await bot.sim.wait_for_inbox(liaison, 1)
    assert listing.reply_markup is not None
    buttons = {
        b["text"]: b["callback_data"]
        for row in listing.reply_markup["inline_keyboard"]
        for b in row
    }
    katrien = buttons["Katrien Peeters (Jan)"]

    # A teacher, or someone pressing in the liaison's chat, gets nowhere.
    refused = await bot.sim.forge_callback(teacher, listing.message_id, katrien + ":0:0:0")
    eve = bot.sim.add_user("Eve")
    forged = await bot.sim.forge_callback(
        eve, listing.message_id, katrien + ":0:0:0", chat_id=liaison
    )

    words = bot.deps.words

    async def press(data: str, label: str) -> dict[str, str]:
        await bot.sim.tap(liaison, listing.message_id, data)
        for _ in range(200):
            current = bot.sim.inbox(liaison)[0]
            if current.reply_markup and label in str(current.reply_markup):
                return {
                    b["text"]: b["callback_data"]
                    for row in current.reply_markup["inline_keyboard"]
                    for b in row
                }
            await asyncio.sleep(0.02)
        raise AssertionError(f"no keyboard with {label}")

    actions = await press(katrien, words.text("nl", "cli.action.school_gate"))
    outcomes = await press(
        actions[words.text("nl", "cli.action.school_gate")],
        words.text("nl", "cli.outcome.reached_answered"),
    )
    answers = await press(outcomes[words.text("nl", "cli.outcome.reached_answered")], "Ja")
    await bot.sim.tap(liaison, listing.message_id, answers["Ja"])
    for _ in range(200):
        if "Bewaard voor Katrien Peeters" in (bot.sim.inbox(liaison)[0].text or ""):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("not recorded")
    assert bot.sim.callback(refused).answered and bot.sim.callback(forged).answered
    with bot.deps.db.session() as s:
        assert s.execute(select(FollowUp.action, FollowUp.outcome)).all() == [
            ("school_gate", "reached_answered")
        ]
        assert s.execute(select(Reply.answer, Reply.source)).all() == [("yes", "liaison")]


async def test_a_teacher_queues_a_prikkel_in_telegram_and_others_cannot(bot: Harness) -> None:
    from oudersbot.store.models import Delivery, Group, Message, Staff, StaffGroup

    await bot.join("Ayşe Yılmaz")
    await bot.join("Iryna Kovalenko")
    els, lies = bot.sim.add_user("Els"), bot.sim.add_user("Lies")
    with bot.deps.db.session() as s:
        group_a = s.scalars(select(Group.id).where(Group.name == "3A")).one()
        for name, chat in (("Els", els), ("Lies", lies)):
            staff = Staff(school_id=1, name=name, role="teacher", chat_id=chat)
            s.add(staff)
            s.flush()
            s.add(StaffGroup(staff_id=staff.id, group_id=group_a))

    async def current(uid: int, contains: str) -> dict[str, str]:
        for _ in range(250):
            inbox = bot.sim.inbox(uid)
            if inbox and contains in (inbox[-1].text or "") and inbox[-1].reply_markup:
                keyboard = inbox[-1].reply_markup["inline_keyboard"]
                return {b["text"]: b["callback_data"] for row in keyboard for b in row}
            await asyncio.sleep(0.02)
        raise AssertionError(f"no message with {contains!r}")

    words = bot.deps.words
    await bot.sim.send_text(els, "/prikkel")
    themes = await current(els, "Klas 3A")
    # Lies starts her own flow; her screen never shows Els's draft.
    await bot.sim.send_text(lies, "/prikkel")
    await current(lies, "Klas 3A")
    message = bot.sim.inbox(els)[-1].message_id
    await bot.sim.tap(els, message, themes["lezen"])
    choices = await current(els, words.text("nl", "cli.prikkel.pick_prikkel"))
    await bot.sim.tap(els, message, next(iter(choices.values())))
    preview = await current(els, "gezinnen")
    assert "Turks 1" in (bot.sim.inbox(els)[-1].text or "")

    lies_message = bot.sim.inbox(lies)[-1].message_id
    await bot.sim.forge_callback(lies, lies_message, "q:y:3A")  # nothing to confirm for Lies
    parent = bot.sim.add_user("Ouder")
    await bot.sim.forge_callback(parent, 1, "q:y:3A")
    await bot.sim.tap(els, message, preview[words.text("nl", "cli.prikkel.confirm_button")])
    for _ in range(250):
        if "staat in de wachtrij" in (bot.sim.inbox(els)[-1].text or ""):
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("not queued")
    with bot.deps.db.session() as s:
        kinds = s.execute(select(Message.kind, Message.created_by)).all()
        assert kinds == [("prikkel", "Els")]
        assert s.scalar(select(func.count()).select_from(Delivery)) == 2


async def test_a_parent_types_a_buttons_number_in_their_script(bot: Harness) -> None:
    from oudersbot.store.models import Reply

    fatima = await bot.join("Fatima El Amrani")
    youssef = await bot.join("Youssef El Amrani")
    await bot.settle(bot.send_slip("3A", "Mag uw kind mee op foto?"))
    hers = (await bot.sim.wait_for_inbox(fatima, 3))[-1]
    await bot.sim.wait_for_inbox(youssef, 3)
    await bot.sim.send_text(youssef, " ٢ ")  # Arabic-Indic two: the second button, "Nee"
    (*_, confirmed) = await bot.sim.wait_for_inbox(youssef, 4)
    words = bot.deps.words
    no = words.text("nl", "answer.no")
    assert confirmed.text == words.text("nl", "slip.recorded", answer=no, child="Amira")
    ticked = await _wait_for_markup_edit(bot.sim, fatima, hers.message_id)
    assert ticked == [
        words.text("ar", "answer.yes"),
        "✓ " + words.text("ar", "answer.no"),
        words.text("ar", "understanding.button.understood"),
        words.text("ar", "understanding.button.explain"),
        words.text("ar", "speech.button"),
    ]
    with bot.deps.db.session() as s:
        assert s.execute(select(Reply.answer, Reply.source)).all() == [("no", "text")]


async def test_the_liaisons_list_shows_reach_in_dutch_without_control_characters(
    bot: Harness,
) -> None:
    from oudersbot.store.models import Staff

    with bot.deps.db.session() as s:
        s.execute(
            Guardian.__table__.update()
            .where(Guardian.name == "Katrien Peeters")
            .values(name="Katrien\x1b[2J\x1b]0;x\x07 Peeters")
        )
    bot.send_slip("3A", "Komt u naar het oudercontact?")
    liaison = bot.sim.add_user("Sara")
    with bot.deps.db.session() as s:
        s.add(Staff(school_id=1, name="Sara", role="liaison", chat_id=liaison))
    await bot.sim.send_text(liaison, "/opvolgen")
    (listing,) = await bot.sim.wait_for_inbox(liaison, 1)
    text = listing.text or ""
    assert "Katrien Peeters (nr. " in text and "nooit aangesloten" in text
    assert not any(ord(c) < 32 and c != "\n" for c in text)
    assert listing.reply_markup is not None
    labels = [b["text"] for row in listing.reply_markup["inline_keyboard"] for b in row]
    assert "Katrien Peeters (Jan)" in labels
