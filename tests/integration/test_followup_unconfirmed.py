"""Messages that may not have reached a parent (the sender died while Telegram was being asked)
are on the liaison's list: in the service, in `oudersbot followup list` and in /opvolgen."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from oudersbot.bootstrap import Deps
from oudersbot.bot.app import build_application, running
from oudersbot.cli import main
from oudersbot.clock import Clock, ShiftedClock
from oudersbot.domain.slips import parse_answers
from oudersbot.services import followup, messages
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.settings import Settings
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.store.models import Delivery, Group, Guardian, Staff
from oudersbot.store.outbox import claim_due, mark_started, release_claims, status_counts
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined

TOKEN = "123456:TEST-token"
JOINED = {
    "Fatima El Amrani": 101,
    "Ayşe Yılmaz": 103,
    "Iryna Kovalenko": 104,
    "Elena Popescu": 106,
    "Sophie Dubois": 108,
}


@pytest.fixture
def clock() -> Clock:
    """Real time (429 waits, leases), running from a school-day morning: the outbox's door
    holds messages in quiet hours and at weekends, and the tests run at any hour."""
    return ShiftedClock(datetime(2026, 11, 24, 10, 0, tzinfo=BRUSSELS))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The command line works on school 'demo'."""
    return make_settings(tmp_path, school_slug="demo")


@pytest.fixture
def school(deps: Deps) -> Deps:
    """The fixture roster, some guardians joined."""
    import_fixture_roster(deps)
    mark_joined(deps, JOINED)
    return deps


def send(deps: Deps, group: str, text: str, *, slip: bool = False) -> int:
    """A message (or a yes/no slip) to a class, queued; its id."""
    draft = messages.prepare_message(
        deps,
        school="demo",
        groups=[group],
        text=text,
        answers=parse_answers("ja,nee") if slip else (),
        deadline=deps.clock.now() + timedelta(days=3) if slip else None,
    )
    return messages.send_message(deps, draft).message_id


def sender_died_while_asking(deps: Deps, names: Sequence[str]) -> dict[str, int]:
    """The outbox as a sender leaves it when it dies with its requests for these guardians
    under way: those deliveries unconfirmed, the rest it held back in the queue. Returns the
    unconfirmed delivery ids by guardian name."""
    now = deps.clock.now()
    with deps.db.session() as session:
        held = claim_due(session, now=now, limit=1000, lease=timedelta(seconds=15))
    with deps.db.session() as session:
        name_of = {row.id: row.name for row in session.execute(select(Guardian.id, Guardian.name))}
        asked = {
            name_of[c.guardian_id]: c.delivery_id for c in held if name_of[c.guardian_id] in names
        }
        mark_started(session, dict.fromkeys(asked.values(), 0), now)
    with deps.db.session() as session:
        release_claims(session, now=now, all_held=True)
    return asked


def test_unconfirmed_deliveries_of_every_kind_are_on_the_liaisons_list(school: Deps) -> None:
    slip = send(school, "3A", "Gaat uw kind mee naar de zoo?", slip=True)
    first = sender_died_while_asking(school, ["Ayşe Yılmaz"])
    note = send(school, "3B", "Morgen is de school dicht.\nDe opvang is open.")
    second = sender_died_while_asking(school, ["Elena Popescu", "Fatima El Amrani"])
    with school.db.session() as session:
        assert status_counts(session, message_id=slip)["unconfirmed"] == 1
        assert status_counts(session, message_id=note)["unconfirmed"] == 2

    overview = followup.followup_overview(school, Viewer(1, "liaison"))
    found = [(u.message_id, u.kind, u.guardian, u.language, u.phone) for u in overview.unconfirmed]
    assert found == [
        (slip, "slip", "Ayşe Yılmaz", "tr", "+32470112233"),
        (note, "message", "Elena Popescu", "ro", "+32471000001"),
        (note, "message", "Fatima El Amrani", "ar", "+32470123456"),
    ]
    assert [u.delivery_id for u in overview.unconfirmed] == [
        first["Ayşe Yılmaz"],
        second["Elena Popescu"],
        second["Fatima El Amrani"],
    ]
    assert {u.title for u in overview.unconfirmed} == {
        "Gaat uw kind mee naar de zoo?",
        "Morgen is de school dicht.",
    }
    assert all(u.date is not None for u in overview.unconfirmed)
    # Ayşe's child still has no answer: she is on the slip's list as well.
    assert "Emre" in {item.state.child for item in overview.items}
    only_slip = followup.followup_overview(school, Viewer(1, "liaison"), slip_id=slip)
    assert [u.guardian for u in only_slip.unconfirmed] == ["Ayşe Yılmaz"]

    with school.db.session() as session:  # Elena left the school since
        elena = session.scalars(select(Guardian).where(Guardian.name == "Elena Popescu")).one()
        elena.left_at = school.clock.now()
    after = followup.followup_overview(school, Viewer(1, "liaison"))
    assert [u.guardian for u in after.unconfirmed] == ["Ayşe Yılmaz", "Fatima El Amrani"]


def test_a_teacher_sees_unconfirmed_deliveries_of_own_class_only_and_no_phones(
    school: Deps,
) -> None:
    send(school, "3A", "Hallo 3A")
    send(school, "3B", "Hallo 3B")
    sender_died_while_asking(school, ["Ayşe Yılmaz", "Sophie Dubois"])
    with school.db.session() as session:
        group_b = session.scalars(select(Group.id).where(Group.name == "3B")).one()
    teacher = Viewer(1, "teacher", frozenset({group_b}), "meester Tom")
    seen = followup.unconfirmed_list(school, teacher)
    assert [(u.guardian, u.phone) for u in seen] == [("Sophie Dubois", None)]
    with pytest.raises(NotAllowedError):
        followup.followup_overview(school, teacher)
    everything = followup.unconfirmed_list(school, Viewer(1, "liaison"))
    assert [u.guardian for u in everything] == ["Ayşe Yılmaz", "Sophie Dubois"]


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def test_the_command_line_list_names_each_unconfirmed_delivery_by_number(
    school: Deps, tmp_path: Path
) -> None:
    assert "Niets op te volgen" in run(school, "followup", "list").output
    note = send(school, "3B", "Morgen is de school dicht.")
    delivery = sender_died_while_asking(school, ["Elena Popescu"])["Elena Popescu"]
    listing = run(school, "followup", "list").output
    words = school.words
    assert words.text("nl", "staff.unconfirmed.header") in listing
    line = next(x for x in listing.splitlines() if "Elena Popescu" in x)
    assert line.strip().startswith(f"levering {delivery}:")
    assert f"bericht {note} 'Morgen is de school dicht.'" in line
    assert "Roemeens" in line and "tel. +32471000001" in line
    assert "misschien niet ontvangen" in line
    assert "Niets op te volgen" not in listing  # there is something: this message

    slip = send(school, "3A", "Gaat uw kind mee naar de zoo?", slip=True)
    both = run(school, "followup", "list").output
    assert f"Strookje {slip}" in both and "Elena Popescu" in both
    assert "Elena Popescu" not in run(school, "followup", "list", "--slip", str(slip)).output


@pytest.fixture
async def bot(school: Deps) -> AsyncIterator[tuple[Simulator, Deps]]:
    """The bot against the simulator, without its sender: the outbox stays as the test
    leaves it."""
    config = SimulatorConfig(
        bot_token=TOKEN, bot_username="testschool_bot", validate_responses=True
    )
    async with Simulator(config) as sim:
        app = build_application(school, token=TOKEN, base_url=sim.base_url, send=False)
        async with running(app):
            yield sim, school


async def replies_to(sim: Simulator, uid: int, text: str, count: int) -> str:
    """Send a command and wait for `count` messages back; their text, joined."""
    await sim.send_text(uid, text)
    await sim.wait_for_inbox(uid, count)
    await asyncio.sleep(0.3)  # nothing more is coming
    return "\n".join(m.text or "" for m in sim.inbox(uid))


async def test_opvolgen_shows_the_liaison_who_may_not_have_received_a_message(
    bot: tuple[Simulator, Deps],
) -> None:
    sim, deps = bot
    words = deps.words
    send(deps, "3A", "Gaat uw kind mee naar de zoo?", slip=True)
    send(deps, "3B", "Morgen is de school dicht.")
    sender_died_while_asking(deps, ["Sophie Dubois"])
    liaison, teacher = sim.add_user("Sara"), sim.add_user("Els")
    with deps.db.session() as session:
        session.add(Staff(school_id=1, name="Sara", role="liaison", chat_id=liaison))
        session.add(Staff(school_id=1, name="Els", role="teacher", chat_id=teacher))

    text = await replies_to(sim, liaison, "/opvolgen", 2)
    assert "Katrien Peeters" in text  # the slip's list, with its buttons
    assert words.text("nl", "staff.unconfirmed.header") in text
    line = next(x for x in text.splitlines() if "Sophie Dubois" in x)
    assert "Frans" in line and "misschien niet ontvangen" in line
    assert "'Morgen is de school dicht.'" in line
    assert "levering" not in text  # delivery numbers are for the command line
    with deps.db.session() as session:
        assert session.scalar(
            select(Delivery.status).join(Guardian).where(Guardian.name == "Sophie Dubois")
        ) == ("unconfirmed")  # shown, never sent again by itself

    refused = await replies_to(sim, teacher, "/opvolgen", 1)
    assert words.text("nl", "cli.staff.liaison_only") in refused
    assert "Sophie Dubois" not in refused


def test_the_liaison_sends_an_unconfirmed_message_again_once_from_the_command_line(
    school: Deps,
) -> None:
    send(school, "3B", "Morgen is de school dicht.")
    delivery = sender_died_while_asking(school, ["Elena Popescu"])["Elena Popescu"]
    done = run(school, "followup", "resend", "--levering", str(delivery), "--nu")
    assert done.exit_code == 0
    assert f"Levering {delivery}: wordt opnieuw verstuurd naar Elena Popescu" in done.output
    again = CliRunner().invoke(
        main, ["followup", "resend", "--levering", str(delivery)], obj={"deps": school}
    )
    assert again.exit_code == 1 and "staat niet (meer) op de lijst" in again.output
    with school.db.session() as session:
        elena = session.scalars(
            select(Delivery.status)
            .join(Guardian)
            .where(Guardian.name == "Elena Popescu")
            .order_by(Delivery.id)
        ).all()
    assert elena == ["resent", "pending"]  # the new copy waits for the sender
    assert "Elena Popescu" not in run(school, "followup", "list").output


async def test_in_telegram_the_liaison_taps_send_again_and_a_forged_tap_changes_nothing(
    bot: tuple[Simulator, Deps],
) -> None:
    sim, deps = bot
    send(deps, "3B", "Morgen is de school dicht.")
    delivery = sender_died_while_asking(deps, ["Sophie Dubois"])["Sophie Dubois"]
    liaison, teacher = sim.add_user("Sara"), sim.add_user("Els")
    with deps.db.session() as session:
        session.add(Staff(school_id=1, name="Sara", role="liaison", chat_id=liaison))
        session.add(Staff(school_id=1, name="Els", role="teacher", chat_id=teacher))
    await replies_to(sim, liaison, "/opvolgen", 1)
    listing = sim.inbox(liaison)[-1]
    assert listing.reply_markup is not None
    (button,) = [b for row in listing.reply_markup["inline_keyboard"] for b in row]
    assert button["text"] == "Opnieuw sturen: Sophie Dubois"

    # The teacher forges the liaison's button in her own chat: refused, nothing changes.
    await sim.send_text(teacher, "/help")
    await sim.wait_for_inbox(teacher, 1)
    own = sim.inbox(teacher)[-1]
    await sim.forge_callback(teacher, own.message_id, button["callback_data"])
    await asyncio.sleep(0.3)
    with deps.db.session() as session:
        assert session.scalar(select(Delivery.status).where(Delivery.id == delivery)) == (
            "unconfirmed"
        )

    await sim.tap(liaison, listing.message_id, button["callback_data"])
    await sim.wait_for_inbox(liaison, 2)
    assert "wordt opnieuw verstuurd naar Sophie Dubois" in (sim.inbox(liaison)[-1].text or "")
    with deps.db.session() as session:
        assert session.scalar(select(Delivery.status).where(Delivery.id == delivery)) == "resent"
