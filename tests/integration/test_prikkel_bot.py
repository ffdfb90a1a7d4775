"""A teacher's prikkels in Telegram, through python-telegram-bot and the simulator: a photo
with the prikkel, /prikkels to see and cancel the queue, /overzicht prikkels."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from oudersbot.simulator import ReceivedMessage
from oudersbot.store.models import (
    Delivery,
    DeliveryStatus,
    Group,
    Message,
    Rendition,
    Staff,
    StaffGroup,
)
from tests.integration import test_bot_e2e

# The running bot, the simulator and the roster of 3A and 3B (real time, real HTTP).
Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock


def add_teacher(bot: Harness, name: str, group: str) -> int:
    uid = bot.sim.add_user(name, language_code="nl")
    with bot.deps.db.session() as s:
        staff = Staff(school_id=1, name=name, role="teacher", chat_id=uid)
        s.add(staff)
        s.flush()
        group_id = s.scalars(select(Group.id).where(Group.name == group)).one()
        s.add(StaffGroup(staff_id=staff.id, group_id=group_id))
    return uid


async def last_with(bot: Harness, uid: int, contains: str, after: int = 0) -> ReceivedMessage:
    """The newest message to `uid` after message `after` whose text or caption holds
    `contains` (waiting for it)."""
    for _ in range(250):
        for message in reversed(bot.sim.inbox(uid)):
            if message.message_id > after and contains in (message.text or message.caption or ""):
                return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"no message with {contains!r}")


async def answered(bot: Harness, query_id: str) -> None:
    """Wait until the bot has answered a button press."""
    for _ in range(250):
        if bot.sim.callback(query_id).answered:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the button press was not answered")


def buttons(message: ReceivedMessage) -> dict[str, str]:
    keyboard = (message.reply_markup or {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in keyboard for b in row}


async def preview(bot: Harness, uid: int, text: str | None = None) -> ReceivedMessage:
    """Through /prikkel to the preview: the first reading prikkel, or the teacher's own text."""
    words = bot.deps.words
    start = (await bot.sim.send_text(uid, "/prikkel")).message_id
    themes = await last_with(bot, uid, "Klas 3A", start)
    if text is None:
        await bot.sim.tap(uid, themes.message_id, buttons(themes)["lezen"])
        choices = await last_with(bot, uid, words.text("nl", "cli.prikkel.pick_prikkel"), start)
        await bot.sim.tap(uid, themes.message_id, next(iter(buttons(choices).values())))
    else:
        own = buttons(themes)[words.text("nl", "cli.prikkel.own_text")]
        await bot.sim.tap(uid, themes.message_id, own)
        await last_with(bot, uid, words.text("nl", "cli.prikkel.type_text"), start)
        await bot.sim.send_text(uid, text)
    return await last_with(bot, uid, words.text("nl", "cli.prikkel.photo_hint"), start)


async def confirm(bot: Harness, uid: int, shown: ReceivedMessage) -> int:
    """Tap 'queue it' under a preview; the id of the queued prikkel."""
    words = bot.deps.words
    await bot.sim.tap(
        uid, shown.message_id, buttons(shown)[words.text("nl", "cli.prikkel.confirm_button")]
    )
    await last_with(bot, uid, "staat in de wachtrij", shown.message_id - 1)
    with bot.deps.db.session() as s:
        return s.scalars(select(Message.id).order_by(Message.id.desc())).first() or 0


async def deliver_now(bot: Harness, message_id: int) -> None:
    """Its due time comes: the dispatcher sends it to every family."""
    with bot.deps.db.session() as s:
        s.execute(
            update(Delivery)
            .where(Delivery.message_id == message_id)
            .values(next_attempt_at=bot.deps.clock.now() - timedelta(seconds=1))
        )
    counts = await bot.settle(message_id)
    assert set(counts) == {"sent"}, counts


def messages(bot: Harness) -> list[tuple[str, str | None]]:
    with bot.deps.db.session() as s:
        return [(m.kind, m.photo) for m in s.scalars(select(Message))]


async def test_a_photo_goes_with_the_prikkel_and_parents_get_it_with_the_buttons(
    bot: Harness,
) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    els = add_teacher(bot, "Els", "3A")
    await preview(bot, els)
    await bot.sim.send_photo(els, file_size=1_500_000)
    again = await last_with(bot, els, words.text("nl", "cli.prikkel.with_photo"))
    shown = bot.sim.inbox(els)[-2]  # the photo with the Dutch text, as parents will see it
    assert shown.has_photo and shown.parse_mode == "HTML" and shown.caption
    message_id = await confirm(bot, els, again)
    ((kind, photo),) = messages(bot)
    assert kind == "prikkel" and photo == shown.file_ids[0]

    await deliver_now(bot, message_id)
    got = bot.sim.inbox(ayse)[-1]
    assert got.has_photo and got.text is None and got.file_ids[0] == photo
    with bot.deps.db.session() as s:
        (turkish,) = s.scalars(
            select(Rendition.parts).where(
                Rendition.message_id == message_id, Rendition.language == "tr"
            )
        ).all()
    assert got.source == turkish[0] and got.parse_mode == "HTML"  # the caption
    assert list(buttons(got)) == [
        words.text("tr", "prikkel.talked"),
        words.text("tr", "prikkel.another"),
    ]
    tap = await bot.sim.tap(ayse, got.message_id, buttons(got)[words.text("tr", "prikkel.talked")])
    await answered(bot, tap)
    assert bot.sim.callback(tap).answer_text == words.text("tr", "prikkel.thanks")


async def test_an_image_sent_as_a_file_is_sent_back_once_as_a_photo(bot: Harness) -> None:
    words = bot.deps.words
    iryna = await bot.join("Iryna Kovalenko")
    els = add_teacher(bot, "Els", "3A")
    await preview(bot, els)
    await bot.sim.send_document(
        els, file_name="knutselwerk.png", mime_type="image/png", content=b"\x89PNG knutselwerk"
    )
    again = await last_with(bot, els, words.text("nl", "cli.prikkel.with_photo"))
    shown = bot.sim.inbox(els)[-2]
    assert shown.has_photo
    message_id = await confirm(bot, els, again)
    ((_, photo),) = messages(bot)
    # A document's file_id is no photo's: what is stored is the photo the bot made of it.
    assert photo == shown.file_ids[-1] and photo.startswith("AgAC")
    await deliver_now(bot, message_id)
    assert bot.sim.inbox(iryna)[-1].has_photo


async def test_a_wrong_photo_or_a_text_too_long_is_refused_and_nothing_is_queued(
    bot: Harness,
) -> None:
    words = bot.deps.words
    await bot.join("Ayşe Yılmaz")
    els = add_teacher(bot, "Els", "3A")

    def refusal(code: str, **params: object) -> str:
        return words.text("nl", f"draft.{code}", **params)

    await preview(bot, els)
    await bot.sim.send_document(els, file_name="brief.pdf", mime_type="application/pdf")
    await last_with(bot, els, refusal("not_image", mime_type="application/pdf"))
    await bot.sim.send_photo(els, file_size=12 * 1024 * 1024)
    await last_with(bot, els, refusal("photo_too_large", size="12,0", limit=10))
    await bot.sim.send_document(
        els, file_name="groot.jpg", mime_type="image/jpeg", file_size=15 * 1024 * 1024
    )
    await last_with(bot, els, refusal("photo_too_large", size="15,0", limit=10))

    long_text = ("Wij lezen elke dag samen in de klas. " * 40)[:1000]
    await preview(bot, els, text=long_text)
    await bot.sim.send_photo(els)
    refused = await last_with(bot, els, "Met een foto mag de tekst hoogstens 1024 tekens")
    assert "Turks" in (refused.text or "")
    assert messages(bot) == []
    assert not any(m.has_photo for m in bot.sim.inbox(els))


async def test_a_photo_without_a_draft_or_from_another_teacher_attaches_nothing(
    bot: Harness,
) -> None:
    words = bot.deps.words
    await bot.join("Ayşe Yılmaz")
    els, lies = add_teacher(bot, "Els", "3A"), add_teacher(bot, "Lies", "3A")
    shown = await preview(bot, els)
    await bot.sim.send_photo(lies)  # Lies has no draft: Els's stays without a photo
    await last_with(bot, lies, words.text("nl", "cli.prikkel.photo_without_draft"))
    await confirm(bot, els, shown)
    assert messages(bot) == [("prikkel", None)]


async def test_the_teacher_lists_and_cancels_the_queue_and_forged_cancels_change_nothing(
    bot: Harness,
) -> None:
    words = bot.deps.words
    await bot.join("Ayşe Yılmaz")
    await bot.join("Iryna Kovalenko")
    await bot.join("Sophie Dubois")
    els, bart = add_teacher(bot, "Els", "3A"), add_teacher(bot, "Bart", "3B")
    first = await confirm(bot, els, await preview(bot, els))
    second = await confirm(bot, els, await preview(bot, els, text="Wij tellen tot 10. Tel samen!"))

    await bot.sim.send_text(els, "/prikkels")
    listing = await last_with(bot, els, words.text("nl", "cli.prikkel.class_header", group="3A"))
    text = listing.text or ""
    assert "2 gezinnen" in text and "Wij tellen tot 10. Tel samen!" in text
    assert f"  {first}  " in text and f"  {second}  " in text
    cancel = {data for data in buttons(listing).values()}
    assert cancel == {f"qc:{first}", f"qc:{second}"}

    # Bart (3B), a parent, and someone pressing in Els's chat get nowhere.
    await bot.sim.send_text(bart, "/prikkels")
    bart_listing = await last_with(bot, bart, words.text("nl", "cli.prikkel.none_queued"))
    refused = [
        await bot.sim.forge_callback(bart, bart_listing.message_id, f"qc:{first}"),
        await bot.sim.forge_callback(
            bot.sim.add_user("Eve"), listing.message_id, f"qc:{first}", chat_id=els
        ),
        await bot.sim.forge_callback(els, listing.message_id, "qc:999"),
        await bot.sim.forge_callback(els, listing.message_id, "qc:abc"),
    ]
    for query in refused:
        await answered(bot, query)
    assert [bot.sim.callback(q).answer_text for q in refused] == [
        words.text("nl", "cli.prikkel.nothing_to_cancel"),
        words.text("nl", "cli.prikkel.teachers_only"),
        words.text("nl", "cli.prikkel.nothing_to_cancel"),
        words.text("nl", "cli.prikkel.teachers_only"),
    ]
    with bot.deps.db.session() as s:
        statuses = s.scalars(select(Delivery.status).where(Delivery.message_id == first)).all()
    assert set(statuses) == {DeliveryStatus.PENDING.value}

    await bot.sim.tap(els, listing.message_id, f"qc:{first}")
    done = words.text("nl", "cli.prikkel.cancelled", id=first, count=2)
    edited = await last_with(bot, els, done)
    assert edited.message_id == listing.message_id
    assert set(buttons(edited).values()) == {f"qc:{second}"}
    with bot.deps.db.session() as s:
        statuses = s.scalars(select(Delivery.status).where(Delivery.message_id == first)).all()
    assert set(statuses) == {DeliveryStatus.CANCELLED.value}


async def test_the_class_view_shows_aggregates_only(bot: Harness) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    iryna = await bot.join("Iryna Kovalenko")
    els = add_teacher(bot, "Els", "3A")
    message_id = await confirm(bot, els, await preview(bot, els))
    await deliver_now(bot, message_id)
    got = bot.sim.inbox(ayse)[-1]
    tap = await bot.sim.tap(ayse, got.message_id, buttons(got)[words.text("tr", "prikkel.talked")])
    await answered(bot, tap)
    await bot.sim.send_text(iryna, "/pauze")
    await last_with(bot, iryna, words.text("uk", "prikkel.paused"))

    await bot.sim.send_text(els, "/overzicht prikkels")
    view = await last_with(bot, els, words.text("nl", "cli.prikkel.class_header", group="3A"))
    week = bot.deps.clock.now().astimezone(bot.deps.settings.timezone).date()
    monday = week - timedelta(days=week.weekday())
    text = view.text or ""
    # 2 of the 5 guardians of 3A reached (40%), 1 of those 2 talked about it (50%).
    assert (
        words.text(
            "nl", "cli.prikkel.week", week=monday.isoformat(), prikkels=1, reached=40, talked=50
        )
        in text
    )
    assert words.text("nl", "cli.prikkel.paused_count", count=1) in text
    for name in ("Ayşe", "Iryna", "Yılmaz", "Kovalenko", "Emre", "Olena"):
        assert name not in text

    await bot.sim.send_text(els, "/overzicht")  # without argument: the slips, as before
    await last_with(bot, els, words.text("nl", "cli.slips.none"))
