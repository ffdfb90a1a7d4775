"""`oudersbot demo`: a scripted school day on the simulator, with the real client over HTTP."""

from __future__ import annotations

import asyncio
import shutil
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.bot.app import build_application, running
from oudersbot.cli.calendar import print_import_report, print_upcoming
from oudersbot.cli.common import plain
from oudersbot.cli.output import (
    print_preview,
    print_recipients,
    print_roster_report,
    write_sheet,
)
from oudersbot.clock import ShiftedClock
from oudersbot.domain.languages import base_language, native_name
from oudersbot.services import invites, messages, roster
from oudersbot.services.calendar_import import import_calendar
from oudersbot.services.calendar_send import next_due, send_due_calendar
from oudersbot.services.calendar_view import upcoming
from oudersbot.services.invites import IssuedInvite
from oudersbot.settings import PACKAGE_DIR, Settings
from oudersbot.simulator import ReceivedMessage, Simulator, SimulatorConfig
from oudersbot.store.models import Role
from oudersbot.store.outbox import status_counts

ROSTER = PACKAGE_DIR / "examples" / "roster-demo.csv"
CALENDAR = PACKAGE_DIR / "scheduler" / "voorbeeld-kalender.csv"
DAY = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Brussels"))
SCHOOL = "regenboog"
NOT_JOINING = {"Mehmet Yılmaz", "Piotr Wiśniewski", "Pieter Claes"}
CHANGES_LANGUAGE = ("Youssef El Amrani", "ar")
WRONG_CODE_FIRST = "Sarah Johnson"
ASKS_A_QUESTION = ("Sophie Dubois", "<b>Moet mijn kind iets meebrengen?</b> 🙂")
BLOCKS_THE_BOT = "Emily Brown"


def _say(deps: Deps, key: str, /, **slots: object) -> None:
    click.echo(deps.words.text("nl", key, **slots))


def _heading(deps: Deps, key: str, /, **slots: object) -> None:
    click.echo()
    click.secho(deps.words.text("nl", key, **slots), bold=True)


def _show_phone(name: str, received: ReceivedMessage) -> None:
    """What a parent's phone shows of a message, as plain text."""
    click.echo()
    click.secho(f"📱 {name}", bold=True)
    click.echo("   " + plain(received.source or received.text or "").replace("\n", "\n   "))


def _first_line(text: str | None) -> str:
    return plain(text or "").strip().splitlines()[0]


async def _wait_until_sent(deps: Deps, message_id: int, within: float = 30.0) -> dict[str, int]:
    deadline = time.monotonic() + within
    while True:
        with deps.db.session() as session:
            counts = status_counts(session, message_id=message_id)
        if not (counts.get("pending") or counts.get("sending")) or time.monotonic() > deadline:
            return counts
        await asyncio.sleep(0.1)


async def _wait_for_edit(sim: Simulator, uid: int, message_id: int, within: float = 5.0) -> str:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for message in sim.inbox(uid):
            if message.message_id == message_id and message.edit_date:
                return message.text or ""
        await asyncio.sleep(0.02)
    raise TimeoutError("the language choice was not confirmed")


class SchoolDay:
    """The script, step by step, against one simulator and one running bot."""

    def __init__(self, deps: Deps, sim: Simulator, folder: Path) -> None:
        self.deps, self.sim, self.folder = deps, sim, folder
        self.users: dict[str, int] = {}

    def import_roster(self) -> None:
        _heading(self.deps, "demo.step.roster", file=ROSTER.name)
        report = roster.import_roster(
            self.deps,
            data=ROSTER.read_bytes(),
            filename=ROSTER.name,
            school=SCHOOL,
            school_name="Basisschool De Regenboog",
        )
        print_roster_report(self.deps, report, ROSTER.name)

    def print_invites(self) -> tuple[list[IssuedInvite], IssuedInvite]:
        _heading(self.deps, "demo.step.invites")
        letters: list[IssuedInvite] = []
        for group in ("3A", "3B"):
            batch = invites.issue_guardian_invites(self.deps, school=SCHOOL, group=group)
            write_sheet(self.deps, batch.issued, group, self.folder / "invites")
            letters.extend(batch.issued)
        teacher = invites.issue_staff_invite(
            self.deps, school=SCHOOL, name="Juf Lies", role=Role.TEACHER, groups=["3A"]
        )
        return letters, teacher

    async def parents_join(self, letters: list[IssuedInvite], teacher: IssuedInvite) -> None:
        _heading(self.deps, "demo.step.join")
        sim = self.sim
        for letter in letters:
            if letter.name in NOT_JOINING:
                continue
            first, *_, last = letter.name.split()
            uid = sim.add_user(first, last, language_code=base_language(letter.language))
            self.users[letter.name] = uid
            if letter.name == WRONG_CODE_FIRST:
                await sim.send_text(uid, "/start thisisnotarealcode12345")
                (answer,) = await sim.wait_for_inbox(uid, 1)
                _say(
                    self.deps, "demo.wrong_code", name=letter.name, answer=_first_line(answer.text)
                )
            await sim.send_text(uid, f"/start {letter.code}")
        for name, uid in self.users.items():
            expected = 3 if name == WRONG_CODE_FIRST else 2
            inbox = await sim.wait_for_inbox(uid, expected, within=20)
            _say(self.deps, "demo.joined", name=name, greeting=_first_line(inbox[-2].text))
        teacher_id = sim.add_user("Lies", "Peeters", language_code="nl")
        await sim.send_text(teacher_id, f"/start {teacher.code}")
        (welcome,) = await sim.wait_for_inbox(teacher_id, 1)
        _say(self.deps, "demo.joined", name=teacher.name, greeting=_first_line(welcome.text))

    async def a_parent_changes_language_and_asks(self) -> None:
        name, tag = CHANGES_LANGUAGE
        uid = self.users[name]
        picker = self.sim.inbox(uid)[-1]
        await self.sim.tap(uid, picker.message_id, f"lang:{tag}")
        confirmation = await _wait_for_edit(self.sim, uid, picker.message_id)
        _say(
            self.deps,
            "demo.language_changed",
            name=name,
            language=native_name(tag),
            answer=confirmation,
        )
        name, text = ASKS_A_QUESTION
        uid = self.users[name]
        before = len(self.sim.inbox(uid))
        await self.sim.send_text(uid, text)
        reply = (await self.sim.wait_for_inbox(uid, before + 1))[-1]
        _say(self.deps, "demo.free_text", name=name, text=text, answer=reply.text)

    async def send_the_trip(self) -> None:
        _heading(self.deps, "demo.step.send")
        draft = messages.prepare_message(
            self.deps,
            school=SCHOOL,
            groups=["3A", "3B"],
            template_id="uitstap",
            slots={"datum": "2026-12-03", "plaats": "de zoo van Antwerpen"},
        )
        print_preview(self.deps, draft)
        report = messages.send_message(self.deps, draft, created_by="Juf Lies")
        click.echo()
        _say(self.deps, "cli.send.queued", id=report.message_id, count=report.queued)
        counts = await _wait_until_sent(self.deps, report.message_id)
        _say(
            self.deps,
            "demo.delivered",
            sent=counts.get("sent", 0),
            not_joined=counts.get("not_joined", 0),
        )
        print_recipients(self.deps, "cli.send.not_joined", report.not_joined)

        _heading(self.deps, "demo.step.phones")
        for name, uid in sorted(self.users.items()):
            _show_phone(name, self.sim.inbox(uid)[-1])

    async def the_year_calendar(self) -> None:
        _heading(self.deps, "demo.step.calendar")
        report = import_calendar(self.deps, school=SCHOOL, path=CALENDAR)
        print_import_report(self.deps, CALENDAR.name, report)
        print_upcoming(self.deps, upcoming(self.deps, school=SCHOOL, days=14))
        due = next_due(self.deps)
        if due is None or not isinstance(self.deps.clock, ShiftedClock):
            return
        # The scheduler would wake at that moment; the demo does not wait days for it.
        self.deps.clock.advance(max(due - self.deps.clock.now(), timedelta(0)))
        local = due.astimezone(self.deps.settings.timezone)
        _say(self.deps, "demo.calendar_jump", when=local.strftime("%Y-%m-%d %H:%M"))
        before = {name: len(self.sim.inbox(uid)) for name, uid in self.users.items()}
        queued = send_due_calendar(self.deps)
        _say(self.deps, "demo.calendar_queued", count=queued)
        for name, uid in sorted(self.users.items()):
            try:
                inbox = await self.sim.wait_for_inbox(uid, before[name] + 1, within=10)
            except TimeoutError:
                continue
            _show_phone(name, inbox[-1])
            break

    async def a_parent_blocks_the_bot(self) -> None:
        _heading(self.deps, "demo.step.blocked", name=BLOCKS_THE_BOT)
        self.sim.block(self.users[BLOCKS_THE_BOT])
        text = "Morgen is er turnen. Uw kind brengt turnpantoffels mee."
        for _ in range(2):  # the first send finds out; the second does not even try
            draft = messages.prepare_message(
                self.deps, school=SCHOOL, groups=["3B"], text=text, picto="turnen"
            )
            report = messages.send_message(self.deps, draft, created_by="Juf Lies")
            await _wait_until_sent(self.deps, report.message_id)
        print_recipients(self.deps, "cli.send.unreachable", report.unreachable)


async def run_demo(data_dir: Path | None = None) -> int:
    """Import, invite, join, send, and show every phone; returns the exit code."""
    started = time.monotonic()
    folder = data_dir or Path.cwd() / "var" / "demo"
    shutil.rmtree(folder, ignore_errors=True)
    sim_config = SimulatorConfig(bot_username="regenboog_demo_bot")
    async with Simulator(sim_config) as sim:
        settings = Settings.from_env(
            {
                "OUDERSBOT_DATA_DIR": str(folder),
                "OUDERSBOT_BOT_USERNAME": sim_config.bot_username,
                "OUDERSBOT_SCHOOL": SCHOOL,
            }
        )
        # Real time, running from the Monday morning the scripted day is set on.
        deps = bootstrap(settings, clock=ShiftedClock(DAY))
        day = SchoolDay(deps, sim, folder)
        day.import_roster()
        letters, teacher = day.print_invites()
        app = build_application(deps, token=sim_config.bot_token, base_url=sim.base_url, tick=0.2)
        async with running(app):
            await day.parents_join(letters, teacher)
            await day.a_parent_changes_language_and_asks()
            await day.send_the_trip()
            await day.a_parent_blocks_the_bot()
            await day.the_year_calendar()
        seconds = round(time.monotonic() - started, 1)
        _heading(deps, "demo.step.done", seconds=seconds, folder=folder / "invites")
    return 0
