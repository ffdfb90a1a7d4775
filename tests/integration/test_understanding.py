"""'Begrepen' / 'Uitleg graag' below the bot: the latest tap counts, the brugfiguur's list on
the command line, a teacher's counts only for their own classes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.domain.understanding import UNDERSTANDING_PREFIX
from oudersbot.services import messages
from oudersbot.services.understanding import (
    ReactionOutcome,
    explain_list,
    record_reaction,
    understanding_counts,
)
from oudersbot.services.viewers import Viewer, admin_viewer
from oudersbot.store.db import Database
from oudersbot.store.models import Delivery, Group, Guardian, Understanding
from tests.conftest import import_fixture_roster, make_settings, mark_joined

AYSE, SOPHIE = 103, 208


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": AYSE, "Sophie Dubois": SOPHIE, "Iryna Kovalenko": 104})
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def sent(deps: Deps, group: str, text: str) -> int:
    """A staff message, as if it went out: its deliveries to joined parents are 'sent'."""
    draft = messages.prepare_message(deps, school="demo", groups=[group], text=text)
    message_id = messages.send_message(deps, draft, created_by="cli").message_id
    with deps.db.session() as s:
        for delivery in s.scalars(select(Delivery).where(Delivery.message_id == message_id)):
            if delivery.status == "pending":
                delivery.status = "sent"
    return message_id


def data_of(deps: Deps, message_id: int, chat: int, place: int) -> str:
    with deps.db.session() as s:
        buttons = s.scalars(
            select(Delivery.buttons)
            .join(Guardian, Guardian.id == Delivery.guardian_id)
            .where(Delivery.message_id == message_id, Guardian.chat_id == chat)
        ).one()
    assert buttons is not None
    (row,) = [row for row in buttons if str(row[0][1]).startswith(UNDERSTANDING_PREFIX)]
    return str(row[place][1])


def test_the_latest_tap_counts_and_the_list_follows_it(school: Deps, clock: FixedClock) -> None:
    message = sent(school, "3A", "Morgen is er geen zwemles.")
    explain, understood = data_of(school, message, AYSE, 1), data_of(school, message, AYSE, 0)
    admin = admin_viewer(1)
    first = record_reaction(school, chat_id=AYSE, data=explain)
    assert (first.outcome, first.language) == (ReactionOutcome.RECORDED, "tr")
    assert "Ayşe Yılmaz" in first.notice and "Emre (3A)" in first.notice
    assert first.notify == ()  # sent from the command line: no teacher with a chat
    assert [i.guardian for i in explain_list(school, admin)] == ["Ayşe Yılmaz"]
    clock.advance(timedelta(minutes=5))
    changed = record_reaction(school, chat_id=AYSE, data=understood)
    assert changed.outcome is ReactionOutcome.RECORDED and changed.notice == ""
    assert explain_list(school, admin) == []  # she understood after all
    (counts,) = understanding_counts(school, admin)
    assert (counts.counts.understood, counts.counts.explain, counts.counts.no_tap) == (1, 0, 1)
    with school.db.session() as s:
        row = s.scalars(select(Understanding)).one()
        assert (row.reaction, row.taps) == ("understood", 2)
        assert row.tapped_at - row.first_at == timedelta(minutes=5)
    assert record_reaction(school, chat_id=AYSE, data=understood).outcome is ReactionOutcome.SAME


def test_the_liaison_records_it_explained_on_the_command_line(
    school: Deps, clock: FixedClock
) -> None:
    message = sent(school, "3A", "Morgen is er geen zwemles.")
    record_reaction(school, chat_id=AYSE, data=data_of(school, message, AYSE, 1))
    listing = run(school, "followup", "list").output
    assert "Vroeg om uitleg (niet begrepen):" in listing
    (line,) = [x for x in listing.splitlines() if "Ayşe Yılmaz" in x and "uitleg nr." in x]
    assert f"bericht nr. {message} “Morgen is er geen zwemles.” (3A)" in line
    request = int(line.split("uitleg nr. ")[1].split(":")[0])
    unknown = CliRunner().invoke(
        main, ["followup", "explained", "--uitleg", "999"], obj={"deps": school}
    )
    assert unknown.exit_code == 1 and "Uitleg nr. 999 staat niet (meer) open" in unknown.output
    done = run(school, "followup", "explained", "--uitleg", str(request))
    assert done.exit_code == 0 and f"uitleg nr. {request} is gegeven" in done.output
    assert "Vroeg om uitleg" not in run(school, "followup", "list").output
    # Asking again later puts the family back on the list.
    clock.advance(timedelta(days=1))
    record_reaction(school, chat_id=AYSE, data=data_of(school, message, AYSE, 0))
    record_reaction(school, chat_id=AYSE, data=data_of(school, message, AYSE, 1))
    assert [i.request_id for i in explain_list(school, admin_viewer(1))] == [request]


def test_a_teacher_sees_the_counts_of_their_own_classes_only(school: Deps) -> None:
    own = sent(school, "3A", "Turnen op maandag.")
    other = sent(school, "3B", "Zwemmen op dinsdag.")
    record_reaction(school, chat_id=SOPHIE, data=data_of(school, other, SOPHIE, 0))
    with school.db.session() as s:
        group_3a = s.scalars(select(Group.id).where(Group.name == "3A")).one()
    teacher = Viewer(1, "teacher", frozenset({group_3a}), "Juf Lies")
    assert [m.message_id for m in understanding_counts(school, teacher)] == [own]
    assert [m.message_id for m in understanding_counts(school, admin_viewer(1))] == [other, own]
    status = run(school, "slips", "status", "--slip", str(other)).output
    assert f"Bericht nr. {other} “Zwemmen op dinsdag.” (3B): 1 begrepen, 0 uitleg graag" in status
    assert f"Bericht nr. {own} " not in status


def test_the_teachers_hear_of_the_first_few_requests_then_the_list_holds_them(
    school: Deps,
) -> None:
    from oudersbot.services.understanding import NOTICES_PER_MESSAGE
    from oudersbot.store.models import Staff, StaffGroup

    mark_joined(school, {"Fatima El Amrani": 301, "Youssef El Amrani": 302, "Anna Nowak": 303})
    with school.db.session() as s:
        teacher = Staff(school_id=1, name="Meester Tom", role="teacher", chat_id=900)
        s.add(teacher)
        s.flush()
        for group_id in s.scalars(select(Group.id)):
            s.add(StaffGroup(staff_id=teacher.id, group_id=group_id))
    draft = messages.prepare_message(school, school="demo", groups=["3A", "3B"], text="Sportdag.")
    message = messages.send_message(school, draft, created_by="cli").message_id
    with school.db.session() as s:
        for delivery in s.scalars(select(Delivery).where(Delivery.status == "pending")):
            delivery.status = "sent"
    chats = [AYSE, SOPHIE, 104, 301, 302, 303]
    told = [record_reaction(school, chat_id=c, data=data_of(school, message, c, 1)) for c in chats]
    # Sent from the command line, by nobody with a chat: the class teacher hears it.
    assert [r.notify for r in told] == [(900,)] * NOTICES_PER_MESSAGE + [()]
    last = school.words.text("nl", "understanding.staff_notice_last")
    assert [last in r.notice for r in told] == [False] * (NOTICES_PER_MESSAGE - 1) + [True, False]
    assert "Amira (3A), Sami (3B)" in told[3].notice  # both of Fatima's children
    assert len(explain_list(school, admin_viewer(1))) == len(chats)
