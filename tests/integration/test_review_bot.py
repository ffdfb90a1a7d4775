"""A vertaler reviews drafts in Telegram, through python-telegram-bot and the simulator."""

from __future__ import annotations

from sqlalchemy import select

from oudersbot.services import translation_review
from oudersbot.store.models import Staff, TranslationReview
from tests.integration import test_bot_e2e, test_prikkel_bot

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock
last_with = test_prikkel_bot.last_with
answered = test_prikkel_bot.answered
buttons = test_prikkel_bot.buttons


def add_vertaler(bot: Harness, name: str, reads: str) -> int:
    uid = bot.sim.add_user(name, language_code="nl")
    with bot.deps.db.session() as s:
        s.add(Staff(school_id=1, name=name, role="translator", chat_id=uid, reads=reads))
    return uid


def reviews(bot: Harness) -> list[tuple[str, str, str | None]]:
    with bot.deps.db.session() as s:
        return [(r.item_id, r.verdict, r.text) for r in s.scalars(select(TranslationReview))]


async def test_a_vertaler_approves_and_corrects_and_a_forged_press_changes_nothing(
    bot: Harness,
) -> None:
    words = bot.deps.words
    lina = add_vertaler(bot, "Lina", "ar")
    start = (await bot.sim.send_text(lina, "/vertalen")).message_id
    first = await last_with(bot, lina, "Nederlands:", start)
    assert "afwezig · ar" in (first.text or "")
    ok = buttons(first)[words.text("nl", "review.button_ok")]
    query = await bot.sim.tap(lina, first.message_id, ok)
    await answered(bot, query)
    second = await last_with(bot, lina, "Nederlands:", first.message_id)
    assert reviews(bot) == [("afwezig", "approved", None)]
    item_id = (second.text or "").split(" · ")[0].split(" ")[-1]
    item = next(
        i for i in translation_review.drafts(bot.deps.phrasebook, "ar") if i.item_id == item_id
    )
    slots = sorted(translation_review.slot_names(item.dutch))
    assert slots  # the second template has slots: a correction without them is refused
    await bot.sim.send_text(lina, "نص مصحح")
    await last_with(bot, lina, "accolades", second.message_id)
    correction = "نص مصحح " + " ".join("{" + name + "}" for name in slots)
    await bot.sim.send_text(lina, correction)
    await last_with(bot, lina, "je verbetering is bewaard", second.message_id)
    assert reviews(bot)[-1] == (item_id, "corrected", correction)
    # A teacher (or anyone not a vertaler of Arabic) pressing forged data changes nothing.
    omar = add_vertaler(bot, "Omar", "tr")
    forged = await bot.sim.forge_callback(omar, first.message_id, "v:t:ar:bibliotheek")
    await answered(bot, forged)
    assert len(reviews(bot)) == 2
    assert translation_review.progress(bot.deps, school_id=1)["ar"][0] == 2
