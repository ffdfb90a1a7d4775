"""The staff desk over HTTP, as a browser uses it: the login by a one-time /web link, the
session, the role checks (the bot's own), the CSRF check on every form, and ids of another
school or class that are not found; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.domain.slips import parse_answers
from oudersbot.services import messages
from oudersbot.services.roster import import_roster
from oudersbot.services.web_login import issue_link
from oudersbot.store.db import Database
from oudersbot.store.models import AuditEntry, FollowUp, Guardian, WebLoginLink, WebSession
from tests.conftest import BRUSSELS, FIXTURE_DIR, import_fixture_roster, make_settings
from tests.desk import BASE, add_staff, csrf_of, desk_client, login

LIAISON, TEACHER_3A, ADMIN, TRANSLATOR, OTHER_LIAISON = 900, 901, 902, 903, 904
DEADLINE = datetime(2026, 11, 25, 18, 0, tzinfo=BRUSSELS)


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    """School 1 (3A, 3B) with a brugfiguur, a teacher of 3A, an administrator and a vertaler;
    school 2 with its own brugfiguur and a slip."""
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    report = import_roster(
        deps,
        data=(FIXTURE_DIR / "roster_3a_3b.csv").read_bytes(),
        filename="lijst.csv",
        school="andere",
        school_name="De Andere School",
    )
    assert report.ok
    add_staff(deps, "Bram", "liaison", LIAISON)
    add_staff(deps, "Juf Lies", "teacher", TEACHER_3A, groups=("3A",))
    add_staff(deps, "Mevrouw Claes", "admin", ADMIN)
    add_staff(deps, "Lina", "translator", TRANSLATOR)
    add_staff(deps, "Els", "liaison", OTHER_LIAISON, school_id=2)
    return deps


def send_slip(deps: Deps, school: str, groups: list[str], text: str) -> int:
    draft = messages.prepare_message(
        deps,
        school=school,
        groups=groups,
        text=text,
        answers=parse_answers("ja,nee"),
        deadline=DEADLINE,
    )
    return messages.send_message(deps, draft).message_id


def guardian_id(deps: Deps, name: str, school_id: int = 1) -> int:
    with deps.db.session() as session:
        return session.scalars(
            select(Guardian.id).where(Guardian.name == name, Guardian.school_id == school_id)
        ).one()


def count(deps: Deps, model: type[FollowUp] | type[WebSession]) -> int:
    with deps.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def child_of(html: str, slip: int) -> str:
    marker = 'name="child" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


async def test_without_a_session_every_page_leads_to_the_login_page(school: Deps) -> None:
    async with desk_client(school) as client:
        for path in ("/", "/strookjes", "/strookjes/1", "/opvolging", "/opvolging/export.csv"):
            answer = await client.get(path)
            assert answer.status_code == 303, path
            assert answer.headers["location"] == f"{BASE}/login"
        page = await client.get("/login")
        assert page.status_code == 200
        assert '<html lang="nl-BE">' in page.text
        assert "Typ /web in je chat" in page.text
        # A post without any cookie is no session either: nothing recorded.
        answer = await client.post(
            "/opvolging/noteren",
            data={"slip": "1", "guardian": "1", "child": "1", "action": "called"},
        )
        assert answer.status_code == 303
    assert count(school, FollowUp) == 0


async def test_a_link_opens_one_session_once_and_only_for_ten_minutes(
    school: Deps, clock: FixedClock
) -> None:
    link = issue_link(school, chat_id=LIAISON)
    assert link is not None and link.url.startswith("http://127.0.0.1:8080/login/")
    assert len(link.token) >= 43  # 256 random bits, URL-safe
    with school.db.session() as session:
        stored = session.scalars(select(WebLoginLink.token_hash)).one()
    assert link.token not in stored  # only the hash is kept
    async with desk_client(school) as client:
        # Opening the link (as a link preview would) uses nothing: a button does.
        for _ in range(2):
            page = await client.get(f"/login/{link.token}")
            assert page.status_code == 200 and "Aanmelden" in page.text
        answer = await client.post(
            "/login", data={"token": link.token, "csrftoken": csrf_of(page.text)}
        )
        assert answer.status_code == 303
        cookie = next(
            c for c in answer.headers.get_list("set-cookie") if c.startswith("oudersbot_desk=")
        )
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
        today = await client.get("/")
        assert today.status_code == 200 and "Bram · brugfiguur" in today.text
        # The same link again, in another browser: refused with a clear page.
        async with desk_client(school) as other:
            page = await other.get(f"/login/{link.token}")
            again = await other.post(
                "/login", data={"token": link.token, "csrftoken": csrf_of(page.text)}
            )
            assert again.status_code == 403
            assert "al gebruikt of verlopen" in again.text
            assert "oudersbot_desk" not in again.headers.get("set-cookie", "")
            assert (await other.get("/")).status_code == 303
            # A link older than ten minutes: refused too.
            late = issue_link(school, chat_id=LIAISON)
            assert late is not None
            clock.advance(timedelta(minutes=10, seconds=1))
            expired = await other.post(
                "/login", data={"token": late.token, "csrftoken": csrf_of(page.text)}
            )
            assert expired.status_code == 403 and "al gebruikt of verlopen" in expired.text
            unknown = await other.post(
                "/login", data={"token": "x" * 43, "csrftoken": csrf_of(page.text)}
            )
            assert unknown.status_code == 403
    assert count(school, WebSession) == 1


async def test_a_session_ends_when_idle_and_at_logout(school: Deps, clock: FixedClock) -> None:
    async with desk_client(school) as client:
        await login(client, school, LIAISON)
        clock.advance(timedelta(minutes=29))
        assert (await client.get("/")).status_code == 200  # seen: the idle time starts again
        clock.advance(timedelta(minutes=29))
        page = await client.get("/")
        assert page.status_code == 200
        out = await client.post("/logout", data={"csrftoken": csrf_of(page.text)})
        assert out.status_code == 303 and out.headers["location"].endswith("/login?uit=1")
        assert (await client.get("/")).status_code == 303
        await login(client, school, LIAISON)
        clock.advance(timedelta(minutes=31))
        assert (await client.get("/")).status_code == 303


async def test_on_https_the_cookies_are_secure(
    tmp_path: Path, database: Database, clock: FixedClock
) -> None:
    settings = make_settings(tmp_path, web_url="https://school.example/desk")
    deps = bootstrap(settings, clock=clock, db=database)
    import_fixture_roster(deps)
    add_staff(deps, "Bram", "liaison", LIAISON)
    link = issue_link(deps, chat_id=LIAISON)
    assert link is not None and link.url.startswith("https://school.example/desk/login/")
    async with desk_client(deps, base="https://school.example") as client:
        page = await client.get(f"/login/{link.token}")
        csrf_cookie = page.headers["set-cookie"]
        assert "Secure" in csrf_cookie
        answer = await client.post(
            "/login", data={"token": link.token, "csrftoken": csrf_of(page.text)}
        )
        assert "Secure" in answer.headers["set-cookie"]
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["referrer-policy"] == "no-referrer"


async def test_a_teacher_sees_only_their_classes_and_no_follow_up(school: Deps) -> None:
    slip_3a = send_slip(school, "demo", ["3A"], "Gaat uw kind mee naar het bos?")
    slip_3b = send_slip(school, "demo", ["3B"], "Gaat uw kind mee naar de zee?")
    both = send_slip(school, "demo", ["3A", "3B"], "Komt u naar het oudercontact?")
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        today = await client.get("/")
        assert "Gaat uw kind mee naar het bos?" in today.text
        assert "naar de zee" not in today.text
        assert (await client.get(f"/strookjes/{slip_3a}")).status_code == 200
        assert (await client.get(f"/strookjes/{slip_3b}")).status_code == 404
        mixed = await client.get(f"/strookjes/{both}")
        assert mixed.status_code == 200
        assert "Amira" in mixed.text and "Zofia" not in mixed.text
        assert "+32" not in mixed.text  # phone numbers only for the brugfiguur
        # The brugfiguur's pages: refused, nothing shown, nothing exported.
        refused = await client.get("/opvolging")
        assert refused.status_code == 403 and "Amira" not in refused.text
        assert (await client.get("/opvolging/export.csv")).status_code == 403
        menu = today.text.split("<nav", 1)[1].split("</nav>", 1)[0]
        assert "Opvolging" not in menu and "Klaslijst" not in menu
    async with desk_client(school) as client:
        await login(client, school, TRANSLATOR)
        # Vandaag is not for a vertaler: they land on the first page that is (Vertalingen);
        # a page for teachers stays refused.
        landing = await client.get("/")
        assert landing.status_code == 303 and landing.headers["location"].endswith("/vertalingen")
        assert (await client.get("/strookjes")).status_code == 403


async def test_another_schools_ids_are_not_found_and_change_nothing(school: Deps) -> None:
    ours = send_slip(school, "demo", ["3A"], "Gaat uw kind mee naar het bos?")
    theirs = send_slip(school, "andere", ["3A"], "Gaat uw kind mee naar de boerderij?")
    their_parent = guardian_id(school, "Fatima El Amrani", school_id=2)
    async with desk_client(school) as client:
        await login(client, school, LIAISON)
        assert (await client.get(f"/strookjes/{theirs}")).status_code == 404
        assert (await client.get(f"/opvolging?strookje={theirs}")).status_code == 404
        assert (await client.get("/strookjes/999999")).status_code == 404
        page = await client.get(f"/opvolging?strookje={ours}")
        assert page.status_code == 200 and "boerderij" not in page.text
        token = csrf_of(page.text)
        for slip, parent in ((theirs, their_parent), (ours, their_parent)):
            forged = await client.post(
                "/opvolging/noteren",
                data={
                    "csrftoken": token,
                    "slip": str(slip),
                    "guardian": str(parent),
                    "child": child_of(page.text, ours),
                    "action": "called",
                    "outcome": "not_reached",
                },
            )
            assert forged.status_code == 404
    async with desk_client(school) as client:
        await login(client, school, OTHER_LIAISON)
        theirs_page = await client.get("/opvolging")
        assert "boerderij" in theirs_page.text and "het bos" not in theirs_page.text
    assert count(school, FollowUp) == 0


async def test_a_post_without_the_right_csrf_token_changes_nothing(school: Deps) -> None:
    slip = send_slip(school, "demo", ["3A"], "Gaat uw kind mee naar het bos?")
    parent = guardian_id(school, "Katrien Peeters")
    async with desk_client(school) as client:
        await login(client, school, LIAISON)
        page = await client.get("/opvolging")
        form = {
            "slip": str(slip),
            "guardian": str(parent),
            "child": child_of(page.text, slip),
            "action": "called",
            "outcome": "not_reached",
        }
        for token in (None, "", "forged", csrf_of(page.text) + "x"):
            data = form if token is None else {**form, "csrftoken": token}
            answer = await client.post("/opvolging/noteren", data=data)
            assert answer.status_code == 403
            assert "Er is niets veranderd" in answer.text
        # Logout is a form too.
        assert (await client.post("/logout", data={})).status_code == 403
        assert (await client.get("/")).status_code == 200
    assert count(school, FollowUp) == 0


async def test_the_brugfiguur_records_an_outcome_and_exports_the_list(school: Deps) -> None:
    slip = send_slip(school, "demo", ["3A"], "Gaat uw kind mee naar het bos?")
    parent = guardian_id(school, "Katrien Peeters")
    async with desk_client(school) as client:
        await login(client, school, LIAISON)
        page = await client.get("/opvolging?klas=3A")
        assert "Jan (3A)" in page.text and "+32475998877" in page.text
        assert "Zofia" not in page.text
        jan = page.text.split("Jan (3A)")[1]
        form = {
            "csrftoken": csrf_of(page.text),
            "slip": str(slip),
            "guardian": str(parent),
            "child": child_of(jan, slip),
            "action": "called",
            "outcome": "not_reached",
            "note": "belt terug",
            "klas": "3A",
            "status": "open",
        }
        answer = await client.post("/opvolging/noteren", data=form)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/opvolging?status=open&klas=3A&bewaard=1"
        after = await client.get(answer.headers["location"])
        assert "De opvolging is bewaard." in after.text
        assert "gebeld: niet bereikt" in after.text.split("Jan (3A)")[1]  # an attempt: open
        resolved = {**form, "action": "school_gate", "outcome": "reached_answered", "answer": "ja"}
        assert (await client.post("/opvolging/noteren", data=resolved)).status_code == 303
        assert "Jan (3A)" not in (await client.get("/opvolging?klas=3A")).text
        tally = (await client.get(f"/strookjes/{slip}")).text
        jan_row = tally.split(">Jan</td>")[1].split("</tr>")[0]
        assert ">Ja<" in jan_row or ">Ja," in jan_row, jan_row
        # A bad answer: a clear line, nothing recorded.
        bad = await client.post(
            "/opvolging/noteren",
            data={
                "csrftoken": csrf_of(page.text),
                "slip": str(slip),
                "guardian": str(parent),
                "child": child_of(jan, slip),
                "action": "called",
                "outcome": "reached_answered",
                "answer": "misschien",
            },
        )
        assert bad.status_code == 400 and "hoort niet bij dit strookje" in bad.text
        exported = await client.get("/opvolging/export.csv?status=alles")
        assert exported.status_code == 200
        assert exported.headers["content-disposition"] == 'attachment; filename="opvolging.csv"'
        text = exported.content.decode("utf-8-sig")
        assert text.startswith("strookje;klas;kind;ouder")
        assert "Fatima El Amrani" in text and "'+32470123456" in text
        assert "Katrien Peeters" not in text  # resolved
        assert (await client.get("/opvolging/export.pdf")).status_code == 404
    assert count(school, FollowUp) == 2
    with school.db.session() as session:
        actions = [
            (a.actor, a.action) for a in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert ("Bram", "web.login") in actions
    assert ("Bram", "followup.record") in actions
    assert ("Bram", "followup.export") in actions


async def test_the_administrator_sees_the_school_and_an_error_shows_no_traceback(
    school: Deps,
) -> None:
    send_slip(school, "demo", ["3A", "3B"], "Komt u naar het oudercontact?")
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await client.get("/opvolging")
        assert page.status_code == 200 and "Zofia" in page.text
        assert "+32" not in page.text  # phone numbers only for the brugfiguur
        menu = (await client.get("/")).text.split("<nav", 1)[1].split("</nav>", 1)[0]
        # Every page is built: each a link, none "binnenkort" any more.
        assert 'href="/klaslijst"' in menu and 'href="/kalender"' in menu
        assert "binnenkort" not in menu
        missing = await client.get("/bestaat-niet")
        assert missing.status_code == 404 and "Niet gevonden" in missing.text


async def test_the_daily_retention_forgets_old_links_and_sessions(
    school: Deps, clock: FixedClock
) -> None:
    from oudersbot.services import retention

    async with desk_client(school) as client:
        await login(client, school, LIAISON)
    assert issue_link(school, chat_id=TEACHER_3A) is not None
    retention.apply(school, school_id=1, actor="test")
    assert count(school, WebSession) == 1  # still usable: kept
    clock.advance(timedelta(hours=25))
    totals = retention.apply(school, school_id=1, actor="test")
    assert totals["web_logins"] == 3  # the used link, the unused one, the session
    assert count(school, WebSession) == 0
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebLoginLink)) == 0


async def test_a_staff_member_removed_takes_their_links_and_sessions_along(
    school: Deps,
) -> None:
    from sqlalchemy import delete

    from oudersbot.store.models import Staff

    async with desk_client(school) as client:
        await login(client, school, LIAISON)
        assert issue_link(school, chat_id=LIAISON) is not None
        with school.db.session() as session:
            session.execute(delete(Staff).where(Staff.chat_id == LIAISON))
        assert (await client.get("/")).status_code == 303  # the session is gone with them
    assert count(school, WebSession) == 0
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebLoginLink)) == 0
