"""One deployment, two schools on one shared bot, and a parent in both: each message that parent
gets names its school on the first line; parents of one school see no such line."""

from __future__ import annotations

from oudersbot.bootstrap import Deps
from oudersbot.delivery.worker import SendWorker
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages
from oudersbot.services.roster import import_roster
from tests.conftest import import_fixture_roster, mark_joined
from tests.fakes import RecordingSender

SECOND_ROSTER = "klas,kind,ouder,taal\n1A,Mila,Fatima El Amrani,ar\n1A,Noor,Piet Peeters,nl\n"


def send(deps: Deps, school: str, group: str, text: str) -> None:
    draft = messages.prepare_message(deps, school=school, groups=[group], text=text)
    messages.send_message(deps, draft, urgency=Urgency.NOW)


async def test_a_parent_of_two_schools_reads_which_school_writes(deps: Deps) -> None:
    import_fixture_roster(deps)  # De Regenboog, slug demo
    report = import_roster(
        deps,
        data=SECOND_ROSTER.encode(),
        filename="zonnebloem.csv",
        school="zonnebloem",
        school_name="De Zonnebloem",
    )
    assert report.ok, report.problems
    # Fatima has a child in each school and one Telegram chat; both schools use the one bot.
    mark_joined(deps, {"Fatima El Amrani": 201, "Iryna Kovalenko": 203, "Piet Peeters": 204})
    send(deps, "demo", "3A", "Morgen is er turnen.")
    send(deps, "zonnebloem", "1A", "Vrijdag is er geen school.")

    sender = RecordingSender()
    worker = SendWorker(deps.db, deps.clock, {"main": sender}, role="dispatch", rate=None)
    await worker.start(exclusive=True)
    await worker.drain()
    await worker.stop()

    texts = {chat: [parts[0] for c, parts in sender.sent if c == chat] for chat in (201, 203, 204)}
    first_lines = sorted(text.splitlines()[0] for text in texts[201])
    assert len(first_lines) == 2
    assert "🏫 <b>De Regenboog</b>" in first_lines[0]
    assert "🏫 <b>De Zonnebloem</b>" in first_lines[1]
    assert all("🏫" not in text for chat in (203, 204) for text in texts[chat])
