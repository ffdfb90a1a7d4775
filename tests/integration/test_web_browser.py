"""The staff desk in a real Chromium (the Debian package, driven by Playwright; its own
browsers are never downloaded): the brugfiguur logs in from a /web link the bot gave, composes
a slip on Nieuw bericht (the plain-language check with its spans marked, the preview in every
language, the send through the door), sees Vandaag, watches the tally of that slip as simulated
parents answer it by tapping in Telegram, and records a follow-up. With
OUDERSBOT_SCREENSHOTS=1 it saves the main pages to docs/screenshots/ (laptop and phone
sizes)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from oudersbot.store.models import Staff
from tests.browser import SHOTS, desk_in_chromium, needs_chromium, shots_wanted
from tests.browser import database as sqlite_database
from tests.integration import test_bot_e2e, test_prikkel_bot

WORDY = (
    "Morgen is er geen zwemles, want het zwembad wordt hersteld. De leerlingen mogen drie "
    "boeken meebrengen. Daarnaast vragen wij de ouders om de turnzak te controleren."
)
THEATRE = re.compile("naar het theater")

pytest.importorskip("playwright.async_api", reason="playwright is not installed")
pytestmark = needs_chromium

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock
last_with = test_prikkel_bot.last_with
answered = test_prikkel_bot.answered


database = sqlite_database  # SQLite only: one browser run is enough


async def test_the_brugfiguur_logs_in_watches_the_tally_and_records_a_follow_up(
    bot: Harness, tmp_path: Path
) -> None:
    words = bot.deps.words
    parents = {
        name: await bot.join(name)
        for name in ("Ayşe Yılmaz", "Fatima El Amrani", "Iryna Kovalenko")
    }
    sara = bot.sim.add_user("Sara", language_code="nl")
    with bot.deps.db.session() as session:
        session.add(Staff(school_id=1, name="Brugfiguur Sara", role="liaison", chat_id=sara))
    await bot.sim.send_text(sara, "/web")
    link = await last_with(bot, sara, "/login/")
    token = next(w for w in (link.text or "").split() if "/login/" in w).rsplit("/", 1)[1]
    shots = shots_wanted()

    async with desk_in_chromium(bot.deps, tmp_path) as (base, browser):
        page = await browser.new_page()
        await page.goto(f"{base}/login/{token}")
        if shots:
            await page.screenshot(path=str(SHOTS / "login.png"))
        await page.get_by_role("button", name="Aanmelden").click()
        await page.wait_for_url(f"{base}/")
        assert await page.locator("html").get_attribute("lang") == "nl-BE"
        await page.get_by_role("heading", name="Vandaag").wait_for()

        # Nieuw bericht: own words first; the check marks what is not plain language.
        await page.get_by_role("link", name="Nieuw bericht").click()
        await page.get_by_label("Klas", exact=True).select_option(label="3A")
        await page.get_by_label("Eigen woorden").check()
        await page.get_by_role("button", name="Verder").click()
        await page.get_by_label("Je bericht, in eenvoudige woorden").fill(WORDY)
        await page.get_by_role("button", name="Controleren").click()
        await page.get_by_role("heading", name="Eenvoudige taal").wait_for()
        marked = await page.locator("mark").all_inner_texts()
        assert {"wordt hersteld", "drie", "Daarnaast"} <= set(marked)
        assert "3" in await page.locator(".findings").inner_text()  # "drie": write 3
        previews = page.locator(".preview")
        await page.get_by_role("heading", name="Zo lezen de ouders het").wait_for()
        for language in ("Turks", "Arabisch", "Oekraïens", "Nederlands"):
            heading = previews.get_by_role("heading", name=re.compile(f"^{language} ·"))
            assert await heading.count() == 1
        if shots:
            await page.screenshot(path=str(SHOTS / "compose.png"), full_page=True)

        # Then the slip: the theatre template, its typed slots, its deadline; sent now.
        await page.get_by_role("link", name="Ander bericht kiezen").click()
        await page.get_by_label("Klas", exact=True).select_option(label="3A")
        await page.get_by_label("Naar het theater").check()
        await page.get_by_role("button", name="Verder").click()
        outing = bot.deps.clock.now().date() + timedelta(days=8)
        await page.get_by_label("datum").fill(outing.isoformat())
        await page.get_by_label("bedrag").fill("5")
        assert await page.get_by_label("Antwoorden tegen").input_value()
        await page.get_by_role("button", name="Controleren").click()
        await page.get_by_role("heading", name="Zo lezen de ouders het").wait_for()
        dutch = previews.filter(has=page.get_by_role("heading", name=re.compile("^Nederlands ·")))
        assert "5,00" in await dutch.inner_text()
        await page.get_by_role("button", name="Nu versturen").click()
        await page.wait_for_url(re.compile(r"/strookjes/\d+$"))
        slip = int(page.url.rsplit("/", 1)[1])
        assert (await bot.settle(slip)) == {"sent": 3, "not_joined": 2}
        # Ayşe taps "yes"; the others do not answer.
        received = (await bot.sim.wait_for_inbox(parents["Ayşe Yılmaz"], 3))[-1]
        yes = received.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
        await answered(bot, await bot.sim.tap(parents["Ayşe Yılmaz"], received.message_id, yes))

        await page.get_by_role("link", name="Vandaag").click()
        await page.get_by_role("heading", name="Vandaag").wait_for()
        assert "naar het theater" in await page.content()
        if shots:
            await page.screenshot(path=str(SHOTS / "vandaag.png"), full_page=True)

        # Strookjes: Ayşe's "yes" is counted; then Iryna taps "no" and the tally follows.
        await page.get_by_role("link", name="Strookjes").click()
        await page.get_by_role("link", name=THEATRE).first.click()
        emre = page.locator("tr", has_text="Emre")
        assert words.text("nl", "answer.yes") in await emre.inner_text()
        tally = page.locator("td[data-label='Geantwoord']").first
        assert (await tally.inner_text()).strip() == "1"
        letter = (await bot.sim.wait_for_inbox(parents["Iryna Kovalenko"], 3))[-1]
        keys = [b for row in letter.reply_markup["inline_keyboard"] for b in row]  # type: ignore[index]
        no = keys[1]["callback_data"]
        await answered(bot, await bot.sim.tap(parents["Iryna Kovalenko"], letter.message_id, no))
        await page.reload()
        assert (await tally.inner_text()).strip() == "2"
        assert (
            words.text("nl", "answer.no") in await page.locator("tr", has_text="Olena").inner_text()
        )
        if shots:
            await page.screenshot(path=str(SHOTS / "strookje.png"), full_page=True)

        # Opvolging: Amira has no answer; the brugfiguur called and it was not reached.
        await page.get_by_role("link", name="Opvolging").click()
        amira = page.locator("article", has_text="Amira (3A)")
        await amira.locator("summary").first.click()
        await amira.get_by_label("Wat deed je?").first.select_option("called")
        await amira.get_by_label("Uitkomst").first.select_option("not_reached")
        await amira.get_by_label("Notitie").first.fill("voicemail, morgen opnieuw")
        if shots:
            await page.screenshot(path=str(SHOTS / "opvolging.png"), full_page=True)
        await amira.get_by_role("button", name="Bewaren").first.click()
        await page.get_by_text("De opvolging is bewaard.").wait_for()
        assert (
            "gebeld: niet bereikt"
            in await page.locator("article", has_text="Amira (3A)").inner_text()
        )
        if shots:
            phone = await browser.new_page()
            await phone.set_viewport_size({"width": 390, "height": 844})
            await phone.goto(f"{base}/")
            await phone.screenshot(path=str(SHOTS / "vandaag-gsm.png"), full_page=True)
            await phone.goto(f"{base}/opvolging")
            await phone.screenshot(path=str(SHOTS / "opvolging-gsm.png"))

        # Keyboard only: the skip link is the first stop, and logging out works.
        await page.keyboard.press("Tab")
        focused = await page.evaluate("document.activeElement.textContent")
        assert focused.strip() == "Naar de inhoud"
        await page.get_by_role("button", name="Afmelden").click()
        await page.get_by_text("Je bent afgemeld.").wait_for()
        await page.goto(f"{base}/opvolging")
        assert page.url.endswith("/login")
