"""/web in Telegram, through python-telegram-bot and the simulator: a staff member gets a
one-time link (without a link preview) that opens the desk; a parent, or a stranger, gets the
usual "only for the school team" answer and nothing is issued."""

from __future__ import annotations

from sqlalchemy import func, select

from oudersbot.store.models import Staff, WebLoginLink
from tests.desk import csrf_of, desk_client
from tests.integration import test_bot_e2e, test_prikkel_bot

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock
last_with = test_prikkel_bot.last_with


def links(bot: Harness) -> int:
    with bot.deps.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(WebLoginLink)) or 0)


async def test_staff_get_a_link_that_opens_the_desk_and_parents_get_nothing(
    bot: Harness,
) -> None:
    parent = await bot.join("Fatima El Amrani", language_code="ar")
    before = len(bot.sim.inbox(parent))
    await bot.sim.send_text(parent, "/web")
    refusal = await last_with(bot, parent, bot.deps.words.text("ar", "command.staff_only"), before)
    assert "/login/" not in (refusal.text or "")
    stranger = bot.sim.add_user("Onbekend", language_code="nl")
    await bot.sim.send_text(stranger, "/web")
    await last_with(bot, stranger, "alleen voor het schoolteam")
    assert links(bot) == 0

    sara = bot.sim.add_user("Sara", language_code="nl")
    with bot.deps.db.session() as session:
        session.add(Staff(school_id=1, name="Brugfiguur Sara", role="liaison", chat_id=sara))
    await bot.sim.send_text(sara, "/web")
    message = await last_with(bot, sara, "/login/")
    assert links(bot) == 1
    assert "10 minuten" in (message.text or "")
    url = next(word for word in (message.text or "").split() if "/login/" in word)
    token = url.rsplit("/", 1)[1]
    with bot.deps.db.session() as session:
        assert token not in session.scalars(select(WebLoginLink.token_hash)).one()
    async with desk_client(bot.deps) as client:
        page = await client.get(f"/login/{token}")
        opened = await client.post("/login", data={"token": token, "csrftoken": csrf_of(page.text)})
        assert opened.status_code == 303
        assert "Brugfiguur Sara" in (await client.get("/")).text
