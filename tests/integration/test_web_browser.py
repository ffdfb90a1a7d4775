"""The staff desk in a real Chromium (the Debian package, driven by Playwright; its own
browsers are never downloaded): the brugfiguur logs in from a /web link the bot gave, sees
Vandaag, watches the tally of a slip that simulated parents answered by tapping in Telegram,
and records a follow-up. With OUDERSBOT_SCREENSHOTS=1 it saves the main pages to
docs/screenshots/ (laptop and phone sizes)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from oudersbot.settings import PROJECT_ROOT
from oudersbot.store.models import Staff
from oudersbot.web.server import serving_desk
from tests.integration import test_bot_e2e, test_prikkel_bot

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = PROJECT_ROOT / "docs" / "screenshots"

playwright = pytest.importorskip("playwright.async_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and shutil.which("chromium") is None,
    reason="no Chromium at /usr/bin/chromium: `make test` installs the Debian package "
    "`chromium` when it runs as root; install it to run the browser tests",
)

Harness = test_bot_e2e.Harness
bot = test_bot_e2e.bot
clock = test_bot_e2e.clock
last_with = test_prikkel_bot.last_with
answered = test_prikkel_bot.answered


@pytest.fixture(params=["sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """SQLite only: one browser run is enough (the HTTP tests cover PostgreSQL)."""
    from oudersbot.store.db import Database

    db = Database.from_url(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield db
    db.dispose()


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
    slip = bot.send_slip("3A", "Gaat uw kind mee naar de zoo?")
    await bot.settle(slip)
    # Ayşe taps "yes"; the others do not answer.
    received = (await bot.sim.wait_for_inbox(parents["Ayşe Yılmaz"], 3))[-1]
    yes = received.reply_markup["inline_keyboard"][0][0]["callback_data"]  # type: ignore[index]
    await answered(bot, await bot.sim.tap(parents["Ayşe Yılmaz"], received.message_id, yes))

    await bot.sim.send_text(sara, "/web")
    link = await last_with(bot, sara, "/login/")
    token = next(w for w in (link.text or "").split() if "/login/" in w).rsplit("/", 1)[1]
    shots = os.environ.get("OUDERSBOT_SCREENSHOTS") == "1"

    async with (
        serving_desk(bot.deps, port=0) as server,
        playwright.async_playwright() as driver,
    ):
        assert server is not None
        base = f"http://127.0.0.1:{server.port}"
        browser = await driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            locale="nl-BE",
            viewport={"width": 1280, "height": 860},
        )
        try:
            page = await browser.new_page()
            await page.goto(f"{base}/login/{token}")
            if shots:
                await page.screenshot(path=str(SHOTS / "login.png"))
            await page.get_by_role("button", name="Aanmelden").click()
            await page.wait_for_url(f"{base}/")
            assert await page.locator("html").get_attribute("lang") == "nl-BE"
            await page.get_by_role("heading", name="Vandaag").wait_for()
            assert "Gaat uw kind mee naar de zoo?" in await page.content()
            if shots:
                await page.screenshot(path=str(SHOTS / "vandaag.png"), full_page=True)

            # Strookjes: Ayşe's "yes" is counted; then Iryna taps "no" and the tally follows.
            await page.get_by_role("link", name="Strookjes").click()
            await page.get_by_role("link", name="Gaat uw kind mee naar de zoo?").first.click()
            emre = page.locator("tr", has_text="Emre")
            assert words.text("nl", "answer.yes") in await emre.inner_text()
            tally = page.locator("td[data-label='Geantwoord']").first
            assert (await tally.inner_text()).strip() == "1"
            letter = (await bot.sim.wait_for_inbox(parents["Iryna Kovalenko"], 3))[-1]
            keys = [b for row in letter.reply_markup["inline_keyboard"] for b in row]  # type: ignore[index]
            no = keys[1]["callback_data"]
            await answered(
                bot, await bot.sim.tap(parents["Iryna Kovalenko"], letter.message_id, no)
            )
            await page.reload()
            assert (await tally.inner_text()).strip() == "2"
            assert (
                words.text("nl", "answer.no")
                in await page.locator("tr", has_text="Olena").inner_text()
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
        finally:
            await browser.close()
