"""'Begrepen' / 'Uitleg graag' through python-telegram-bot, over HTTP, against the simulator:
the two buttons in the parent's language, a tap, the sender told, the brugfiguur's list, the
counts, and forged presses that change nothing."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from click.testing import CliRunner
from sqlalchemy import select

from oudersbot.cli import main
from oudersbot.domain.understanding import Reaction, UnderstandingTap, encode_understanding
from oudersbot.services import messages
from oudersbot.simulator import Simulator
from oudersbot.store.models import Group, Staff, StaffGroup, Understanding
from tests.integration.test_bot_e2e import Harness, bot, clock  # noqa: F401 (fixtures)

UNDERSTOOD_TR = "✅ Anladım"
EXPLAIN_TR = "❓ Lütfen açıklayın"


def send(harness: Harness, group: str, text: str, by: str = "Juf Lies") -> int:
    draft = messages.prepare_message(harness.deps, school="demo", groups=[group], text=text)
    return messages.send_message(harness.deps, draft, created_by=by).message_id


def add_staff(harness: Harness, name: str, role: str, chat: int, group: str | None) -> None:
    with harness.deps.db.session() as s:
        staff = Staff(school_id=1, name=name, role=role, chat_id=chat)
        s.add(staff)
        s.flush()
        if group is not None:
            group_id = s.scalars(select(Group.id).where(Group.name == group)).one()
            s.add(StaffGroup(staff_id=staff.id, group_id=group_id))


def rows_of(message: Any) -> list[list[tuple[str, str]]]:
    assert message.reply_markup is not None
    return [
        [(b["text"], b["callback_data"]) for b in row]
        for row in message.reply_markup["inline_keyboard"]
    ]


async def answered(sim: Simulator, callback: str) -> str | None:
    for _ in range(250):
        record = sim.callback(callback)
        if record.answered:
            return record.answer_text
        await asyncio.sleep(0.02)
    raise AssertionError("the tap was never answered")


def reactions(harness: Harness) -> list[tuple[int, int, str, int]]:
    with harness.deps.db.session() as s:
        return [
            (r.message_id, r.guardian_id, r.reaction, r.taps)
            for r in s.scalars(select(Understanding).order_by(Understanding.id))
        ]


async def test_a_turkish_parent_asks_for_an_explanation_and_the_school_hears_it(
    bot: Harness,  # noqa: F811
) -> None:
    words = bot.deps.words
    teacher = bot.sim.add_user("Lies", language_code="nl")
    liaison = bot.sim.add_user("Sara", language_code="nl")
    add_staff(bot, "Juf Lies", "teacher", teacher, "3A")
    add_staff(bot, "Sara", "liaison", liaison, None)
    ayse = await bot.join("Ayşe Yılmaz")
    fatima = await bot.join("Fatima El Amrani")

    # Under a staff message: one row, both buttons in Turkish (then the row of 🔊).
    message_id = send(bot, "3A", "Morgen is er geen zwemles.")
    await bot.settle(message_id)
    received = (await bot.sim.wait_for_inbox(ayse, 3))[-1]
    (row, listen) = rows_of(received)
    assert [label for label, _ in listen] == [words.text("tr", "speech.button")]
    assert [label for label, _ in row] == [UNDERSTOOD_TR, EXPLAIN_TR]
    assert (
        words.text("tr", "understanding.button.understood"),
        words.text("tr", "understanding.button.explain"),
    ) == (UNDERSTOOD_TR, EXPLAIN_TR)
    # Under a slip: below the answer buttons.
    slip = bot.send_slip("3A", "Gaat uw kind mee naar de zoo?")
    await bot.settle(slip)
    slip_copy = (await bot.sim.wait_for_inbox(ayse, 4))[-1]
    slip_rows = rows_of(slip_copy)
    assert [label for label, _ in slip_rows[-2]] == [UNDERSTOOD_TR, EXPLAIN_TR]
    assert [r[0][0] for r in slip_rows[:-2]] == [words.text("tr", "answer.yes"), "Hayır"]

    # "Please explain": confirmed kindly in Turkish, the sender hears it in Dutch.
    callback = await bot.sim.tap(ayse, received.message_id, row[1][1])
    assert await answered(bot.sim, callback) == words.text("tr", "understanding.recorded.explain")
    (notice,) = await bot.sim.wait_for_inbox(teacher, 1)
    text = notice.text or ""
    assert "Ayşe Yılmaz" in text and "Emre (3A)" in text
    assert f"bericht nr. {message_id}" in text and "Morgen is er geen zwemles." in text
    assert bot.sim.inbox(liaison) == []  # the sender is told, not everyone
    # The same tap again: recorded once more, nobody is told twice.
    again = await bot.sim.tap(ayse, received.message_id, row[1][1])
    await answered(bot.sim, again)
    await asyncio.sleep(0.3)
    assert len(bot.sim.inbox(teacher)) == 1

    # Fatima understood; the counts show in slips status and /overzicht.
    (fatima_row, _listen) = rows_of((await bot.sim.wait_for_inbox(fatima, 3))[-2])
    understood = await bot.sim.tap(fatima, bot.sim.inbox(fatima)[-2].message_id, fatima_row[0][1])
    assert await answered(bot.sim, understood) == words.text(
        "ar", "understanding.recorded.understood"
    )
    demo = replace(bot.deps, settings=bot.deps.settings.model_copy(update={"school_slug": "demo"}))
    status = CliRunner().invoke(main, ["slips", "status"], obj={"deps": demo})
    assert status.exit_code == 0, status.output
    line = next(x for x in status.output.splitlines() if f"Bericht nr. {message_id} " in x)
    assert "1 begrepen, 1 uitleg graag, 0 nog niet getikt" in line
    slip_line = next(x for x in status.output.splitlines() if f"Bericht nr. {slip} " in x)
    assert "0 begrepen, 0 uitleg graag, 2 nog niet getikt" in slip_line
    await bot.sim.send_text(teacher, "/overzicht")
    (*_, overview) = await bot.sim.wait_for_inbox(teacher, 2)
    assert words.text("nl", "understanding.counts_header") in (overview.text or "")
    assert "1 begrepen, 1 uitleg graag, 0 nog niet getikt" in (overview.text or "")

    # The brugfiguur's list: a section "vroeg om uitleg" with a button to record it explained.
    await bot.sim.send_text(liaison, "/opvolgen")
    replies = await bot.sim.wait_for_inbox(liaison, 1)
    await asyncio.sleep(0.3)
    replies = bot.sim.inbox(liaison)
    section = next(
        m for m in replies if words.text("nl", "understanding.explain_header") in (m.text or "")
    )
    assert "Ayşe Yılmaz (Turks, tel. +32470112233)" in (section.text or "")
    assert "Fatima" not in (section.text or "")
    ((label, data),) = [r[0] for r in rows_of(section)]
    assert label.startswith("✓ Uitgelegd aan Ayşe Yılmaz")
    # A parent pressing the liaison's button changes nothing.
    forged = await bot.sim.forge_callback(ayse, section.message_id, data, chat_id=ayse)
    await answered(bot.sim, forged)
    done = await bot.sim.tap(liaison, section.message_id, data)
    request = int(data.split(":")[1])
    assert await answered(bot.sim, done) == words.text(
        "nl", "understanding.explained_done", request=request
    )
    twice = await bot.sim.tap(liaison, section.message_id, data)
    assert await answered(bot.sim, twice) == words.text(
        "nl", "understanding.explained_unknown", request=request
    )
    before = len(bot.sim.inbox(liaison))
    await bot.sim.send_text(liaison, "/opvolgen")
    await bot.sim.wait_for_inbox(liaison, before + 1)
    await asyncio.sleep(0.3)
    later = "\n".join(m.text or "" for m in bot.sim.inbox(liaison)[before:])
    assert words.text("nl", "understanding.explain_header") not in later


async def test_a_forged_or_garbled_press_changes_nothing(bot: Harness) -> None:  # noqa: F811
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")  # 3A only
    sophie = await bot.join("Sophie Dubois")  # 3B only
    own = send(bot, "3A", "Morgen turnen.")
    other = send(bot, "3B", "Morgen zwemmen.")
    await bot.settle(own)
    await bot.settle(other)
    mine = (await bot.sim.wait_for_inbox(ayse, 3))[-1]
    hers = (await bot.sim.wait_for_inbox(sophie, 3))[-1]
    (sophie_row, _listen) = rows_of(hers)
    stale = words.text("tr", "button.stale")
    eve = bot.sim.add_user("Eve")
    presses = [
        # Another family's message, its very button data, from Ayşe's chat.
        (ayse, mine.message_id, sophie_row[1][1], None),
        # An unknown message id; a garbled payload; an impossible reaction.
        (
            ayse,
            mine.message_id,
            encode_understanding(UnderstandingTap(99999, Reaction.EXPLAIN)),
            None,
        ),
        (ayse, mine.message_id, "und:!!:u", None),
        (ayse, mine.message_id, f"und:{own}:x", None),
        # Someone else pressing in Ayşe's chat.
        (eve, mine.message_id, rows_of(mine)[0][1][1], ayse),
    ]
    for user, message_id, data, chat in presses:
        callback = await bot.sim.forge_callback(user, message_id, data, chat_id=chat)
        text = await answered(bot.sim, callback)
        if user == ayse:
            assert text == stale
    assert reactions(bot) == []
    # The same message, but a copy never sent to her (not in her deliveries): refused too.
    with bot.deps.db.session() as s:
        assert s.scalars(select(Understanding)).all() == []
    # Her own press still works afterwards.
    ok = await bot.sim.tap(ayse, mine.message_id, rows_of(mine)[0][0][1])
    assert await answered(bot.sim, ok) == words.text("tr", "understanding.recorded.understood")
    assert [(m, r, n) for m, _, r, n in reactions(bot)] == [(own, "understood", 1)]
