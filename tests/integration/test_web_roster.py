"""The desk's Klaslijst: a roster file checked first (the change, or the problem table with
nothing imported), applied only with the token of exactly that file; the classes with their
counts; a class's invite sheet as a PDF. Only for the administrator, only their own school."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services.roster import import_roster
from oudersbot.store.db import Database
from oudersbot.store.models import AuditEntry, Child, Guardian, Invite
from tests.conftest import FIXTURE_DIR, import_fixture_roster, make_settings, mark_joined
from tests.desk import BASE, add_staff, csrf_of, desk_client, login

TEACHER, ADMIN, OTHER_ADMIN = 911, 912, 913
ROSTER = (FIXTURE_DIR / "roster_3a_3b.csv").read_text(encoding="utf-8")
WITH_NEW_CHILD = ROSTER + "3B,Noor,Karim Haddad,ar,\n"
_TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    """School 1 (3A, 3B) with a teacher of 3A and an administrator; school 2 with its own
    administrator and the same classes."""
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    report = import_roster(
        deps,
        data=ROSTER.encode(),
        filename="lijst.csv",
        school="andere",
        school_name="De Andere School",
    )
    assert report.ok
    mark_joined(deps, {"Ayşe Yılmaz": 103})
    add_staff(deps, "Juf Lies", "teacher", TEACHER, groups=("3A",))
    add_staff(deps, "Mevrouw Claes", "admin", ADMIN)
    add_staff(deps, "Meneer Peeters", "admin", OTHER_ADMIN, school_id=2)
    return deps


def children(deps: Deps, school_id: int = 1) -> int:
    with deps.db.session() as session:
        query = select(func.count()).select_from(Child).where(Child.school_id == school_id)
        return int(session.scalar(query) or 0)


def audit_lines(deps: Deps) -> list[str]:
    """Who imported a roster at the desk (the fixture's imports are the command line's)."""
    with deps.db.session() as session:
        rows = session.scalars(
            select(AuditEntry.actor).where(
                AuditEntry.action == "roster.import", AuditEntry.actor.startswith("desk:")
            )
        )
        return list(rows)


def group_id(deps: Deps, school_id: int, name: str) -> int:
    from oudersbot.store.models import Group

    with deps.db.session() as session:
        return session.scalars(
            select(Group.id).where(Group.school_id == school_id, Group.name == name)
        ).one()


async def upload(
    client: httpx.AsyncClient, text: str, *, name: str = "lijst.csv", scope: str = "part"
) -> httpx.Response:
    page = await client.get("/klaslijst")
    assert page.status_code == 200
    return await client.post(
        "/klaslijst/controleren",
        data={"csrftoken": csrf_of(page.text), "scope": scope},
        files={"file": (name, text.encode("utf-8"), "text/csv")},
    )


def token_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no Toepassen button"
    return found.group(1)


async def test_the_page_lists_the_classes_with_their_counts(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await client.get("/klaslijst")
    assert page.status_code == 200
    assert "<h1>Klaslijst</h1>" in page.text
    assert re.search(r"3A</td>\s*<td[^>]*>\d+</td>", page.text)
    assert 'class="num">1</td>' in page.text  # Ayşe joined, in 3A
    assert "Klaslijst <small>" not in page.text  # no longer "binnenkort" in the menu


async def test_upload_shows_the_change_and_apply_imports_exactly_that_file(
    school: Deps,
) -> None:
    before = children(school)
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, WITH_NEW_CHILD)
        assert checked.status_code == 200, checked.text
        assert "Wat lijst.csv zou veranderen" in checked.text
        assert "Kinderen per klas" in checked.text and "Nieuwe kinderen" in checked.text
        assert re.search(r"3B</td>\s*<td[^>]*>1: Noor</td>", checked.text)
        assert re.search(
            r"Nieuwe ouders</td>\s*<td[^>]*>1</td>\s*<td[^>]*>Karim Haddad", checked.text
        )
        assert children(school) == before  # checking writes nothing
        applied = await client.post(
            "/klaslijst/toepassen",
            data={"csrftoken": csrf_of(checked.text), "token": token_of(checked.text)},
        )
        assert applied.status_code == 200, applied.text
        assert "lijst.csv is ingelezen" in applied.text
        assert children(school) == before + 1
        assert audit_lines(school) == ["desk:Mevrouw Claes"]
        # The token is spent: a second apply changes nothing.
        again = await client.post(
            "/klaslijst/toepassen",
            data={"csrftoken": csrf_of(applied.text), "token": token_of(checked.text)},
        )
    assert again.status_code == 400
    assert "niet meer klaar" in again.text
    assert children(school) == before + 1


async def test_a_complete_list_marks_leavers_only_when_applied(school: Deps) -> None:
    without_3b = "\n".join(line for line in ROSTER.splitlines() if not line.startswith("3B"))
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, without_3b + "\n", scope="school")
        assert re.search(r"3B</td>(\s*<td[^>]*>–</td>){3}\s*<td[^>]*>\d+: ", checked.text)
        assert "volledige lijst van de hele school" in checked.text
        with school.db.session() as session:
            gone = session.scalar(select(func.count()).where(Child.left_at.is_not(None)))
        assert gone == 0
        await client.post(
            "/klaslijst/toepassen",
            data={"csrftoken": csrf_of(checked.text), "token": token_of(checked.text)},
        )
    with school.db.session() as session:
        left = session.scalar(
            select(func.count())
            .select_from(Child)
            .where(Child.left_at.is_not(None), Child.school_id == 1)
        )
    assert left and left > 0


async def test_a_bad_file_shows_the_problem_table_and_imports_nothing(school: Deps) -> None:
    before = children(school)
    bad = ROSTER + "3C,Mila,,nl,\n3C,Tom,Els,zz,\n"
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, bad)
    assert checked.status_code == 422
    assert "Problemen in lijst.csv" in checked.text
    assert "lijst.csv, regel 12" in checked.text
    assert "lijst.csv, regel 13" in checked.text
    assert 'name="token"' not in checked.text
    assert children(school) == before
    assert audit_lines(school) == []


async def test_a_file_too_big_or_none_is_refused_in_dutch(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, ROSTER + "x" * 5_000_001)
        page = await client.get("/klaslijst")
        empty = await client.post(
            "/klaslijst/controleren",
            data={"csrftoken": csrf_of(page.text), "scope": "part"},
            files={"file": ("", b"", "text/csv")},
        )
    assert checked.status_code == 413
    assert "te groot" in checked.text and "5 MB" in checked.text
    assert empty.status_code == 400 and "Kies eerst een bestand" in empty.text


async def test_a_forged_or_foreign_token_changes_nothing(school: Deps) -> None:
    before = children(school)
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, WITH_NEW_CHILD)
        token = token_of(checked.text)
        forged = await client.post(
            "/klaslijst/toepassen",
            data={"csrftoken": csrf_of(checked.text), "token": token[:-2] + "xx"},
        )
        assert forged.status_code == 400
    # The administrator of another school cannot apply it either (nor spend it).
    async with desk_client(school) as other:
        await login(other, school, OTHER_ADMIN)
        page = await other.get("/klaslijst")
        stolen = await other.post(
            "/klaslijst/toepassen", data={"csrftoken": csrf_of(page.text), "token": token}
        )
        assert stolen.status_code == 400
    assert children(school) == before
    assert children(school, 2) == before


async def test_the_invite_sheet_of_a_class_is_a_pdf(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await client.get("/klaslijst")
        answer = await client.post(
            f"/klaslijst/{group_id(school, 1, '3A')}/uitnodigingen",
            data={"csrftoken": csrf_of(page.text)},
        )
        assert answer.status_code == 200
        assert answer.headers["content-type"] == "application/pdf"
        assert "attachment" in answer.headers["content-disposition"]
        assert answer.content.startswith(b"%PDF")
        with school.db.session() as session:
            issued = session.scalar(select(func.count()).select_from(Invite))
        assert issued and issued > 0
        # Everyone holds a working code now: no new sheet, a clear word instead.
        again = await client.post(
            f"/klaslijst/{group_id(school, 1, '3A')}/uitnodigingen",
            data={"csrftoken": csrf_of(page.text)},
        )
        assert again.status_code == 200
        assert "Niemand heeft een nieuwe uitnodiging nodig" in again.text
        reissued = await client.post(
            f"/klaslijst/{group_id(school, 1, '3A')}/uitnodigingen",
            data={"csrftoken": csrf_of(page.text), "reissue": "1"},
        )
        assert reissued.headers["content-type"] == "application/pdf"


async def test_another_schools_class_is_not_found(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await client.get("/klaslijst")
        answer = await client.post(
            f"/klaslijst/{group_id(school, 2, '3A')}/uitnodigingen",
            data={"csrftoken": csrf_of(page.text)},
        )
        missing = await client.post(
            "/klaslijst/99999/uitnodigingen", data={"csrftoken": csrf_of(page.text)}
        )
    assert answer.status_code == 404 and missing.status_code == 404
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Invite)) == 0


async def test_without_a_session_or_as_a_teacher_nothing_opens(school: Deps) -> None:
    before = children(school)
    async with desk_client(school) as client:
        for path in ("/klaslijst",):
            answer = await client.get(path)
            assert answer.status_code == 303
            assert answer.headers["location"] == f"{BASE}/login"
        await login(client, school, TEACHER)
        assert (await client.get("/klaslijst")).status_code == 403
        home = await client.get("/")
        refused = await client.post(
            "/klaslijst/controleren",
            data={"csrftoken": csrf_of(home.text)},
            files={"file": ("lijst.csv", WITH_NEW_CHILD.encode(), "text/csv")},
        )
        assert refused.status_code == 403
        pdf = await client.post(
            f"/klaslijst/{group_id(school, 1, '3A')}/uitnodigingen",
            data={"csrftoken": csrf_of(home.text)},
        )
        assert pdf.status_code == 403
        assert "Klaslijst" not in (await client.get("/")).text.split("<main", 1)[0]
    assert children(school) == before
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Invite)) == 0


def guardians(deps: Deps) -> int:
    with deps.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Guardian)) or 0)


async def test_a_post_without_csrf_is_refused_and_changes_nothing(school: Deps) -> None:
    before, parents = children(school), guardians(school)
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, WITH_NEW_CHILD)
        token = token_of(checked.text)
        applied = await client.post("/klaslijst/toepassen", data={"token": token})
        assert applied.status_code == 403
        no_csrf_upload = await client.post(
            "/klaslijst/controleren",
            files={"file": ("lijst.csv", WITH_NEW_CHILD.encode(), "text/csv")},
        )
        assert no_csrf_upload.status_code == 403
        pdf = await client.post(f"/klaslijst/{group_id(school, 1, '3A')}/uitnodigingen")
        assert pdf.status_code == 403
        # The file before the CSRF field: refused too (asgi-csrf reads the field first).
        file_first = await client.post(
            "/klaslijst/controleren",
            files={
                "file": ("lijst.csv", WITH_NEW_CHILD.encode(), "text/csv"),
                "csrftoken": (None, csrf_of(checked.text)),
            },
        )
        assert file_first.status_code == 403
    assert children(school) == before and guardians(school) == parents
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Invite)) == 0


async def test_a_list_changed_since_the_check_is_not_applied_but_shown_anew(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, WITH_NEW_CHILD)
        # Meanwhile Noor arrives by another import: the checked change no longer holds.
        meanwhile = import_roster(
            school, data=WITH_NEW_CHILD.encode(), filename="ander.csv", school="demo"
        )
        assert meanwhile.ok
        before = children(school)
        applied = await client.post(
            "/klaslijst/toepassen",
            data={"csrftoken": csrf_of(checked.text), "token": token_of(checked.text)},
        )
    assert applied.status_code == 200
    assert "intussen veranderd" in applied.text
    assert "Niets te veranderen" in applied.text and 'name="token"' not in applied.text
    assert children(school) == before
    assert audit_lines(school) == []


async def test_a_school_bot_without_a_username_makes_no_letters_and_says_why(
    school: Deps,
) -> None:
    from oudersbot.store.schools import set_school_bot

    with school.db.session() as session:
        set_school_bot(session, slug="demo", bot="tweede")
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await client.get("/klaslijst")
        answer = await client.post(
            f"/klaslijst/{group_id(school, 1, '3A')}/uitnodigingen",
            data={"csrftoken": csrf_of(page.text)},
        )
    assert answer.status_code == 409
    assert "Geen uitnodigingen gemaakt" in answer.text and "tweede" in answer.text
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Invite)) == 0
