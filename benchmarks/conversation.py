"""A parent's question to the teacher's phone, and the teacher's reply back to the parent.

The running bot (python-telegram-bot over HTTP against the simulator in its own process, at
Telegram's limits) with a machine translation service stubbed locally (Microsoft's wire
format, 50 ms a call): 20 parents, each in their own class with their own teacher, ask one
question each in their language; each teacher answers with a Telegram reply. Measured from the
simulated phone: question sent -> the note in Dutch in the teacher's chat, and reply sent ->
the answer in the parent's language in the parent's chat (it goes through the outbox's door).
Target: p95 under 2 s each. Figures are printed, never asserted.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from benchmarks.harness import TOKEN, database, joined_school, simulator_process
from oudersbot.bootstrap import bootstrap
from oudersbot.bot.app import build_application, running
from oudersbot.clock import ShiftedClock
from oudersbot.settings import Settings
from oudersbot.simulator.client import SimulatorClient
from oudersbot.simulator.translation_services import TranslationServiceStub
from oudersbot.store.db import Database
from oudersbot.store.models import Group, School, Staff, StaffGroup
from oudersbot.translation.machine import MachineTranslator

FAMILIES = 20
TARGET_P95 = 2.0
LATENCY = 0.05
# A school-day morning: the reply is not held by the quiet hours whenever the bench runs.
MORNING = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))
QUESTIONS = [
    "Moet mijn kind morgen turnkledij meebrengen?",
    "هل توجد رحلة غدا؟",
    "Yarın okul kaçta başlıyor?",
    "Czy jutro jest basen?",
    "Ce trebuie să aducă copilul mâine?",
    "Чи буде завтра екскурсія?",
    "Est-ce qu'il y a piscine demain ?",
    "Is there swimming tomorrow?",
]


async def _until(client: SimulatorClient, chat: int, count: int, within: float = 20.0) -> float:
    """Wait until the chat holds `count` messages from the bot; the moment it did."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if len(await client.inbox(chat)) >= count:
            return time.perf_counter()
        await asyncio.sleep(0.005)
    raise RuntimeError(f"chat {chat} did not get message {count} in time")


def _teachers(db: Database, teacher_chats: list[int]) -> None:
    """Teacher n teaches class K00n, joined from the chat given."""
    with db.session() as session:
        school = session.scalars(select(School).where(School.slug == "bench")).one()
        groups = dict(
            session.execute(select(Group.name, Group.id).where(Group.school_id == school.id)).all()
        )
        for n, chat in enumerate(teacher_chats):
            staff = Staff(school_id=school.id, name=f"Juf {n}", role="teacher", chat_id=chat)
            session.add(staff)
            session.flush()
            session.add(StaffGroup(staff_id=staff.id, group_id=groups[f"K{n:03d}"]))


async def run() -> dict[str, float]:
    """Seconds per question (parent -> teacher) and per reply (teacher -> parent)."""
    with (
        database("sqlite") as db,
        tempfile.TemporaryDirectory() as folder,
        TranslationServiceStub("microsoft") as stub,
    ):
        assert db is not None
        stub.state.latency = LATENCY
        settings = Settings.from_env(
            {"OUDERSBOT_DATA_DIR": str(folder), "OUDERSBOT_SCHOOL": "bench"}
        )
        translator = MachineTranslator("microsoft", url=stub.url, api_key="bench", timeout=2.0)
        deps = bootstrap(settings, db=db, clock=ShiftedClock(MORNING), translator=translator)
        async with simulator_process() as (base_url, control_url):
            parents = await joined_school(deps, control_url, FAMILIES, per_class=1)
            async with SimulatorClient(control_url) as client:
                teachers = [await client.add_user(f"Juf {n}") for n in range(FAMILIES)]
                _teachers(db, teachers)
                app = build_application(deps, token=TOKEN, base_url=base_url, tick=0.5)
                logging.getLogger("apscheduler").setLevel(logging.ERROR)
                asked, answered = [], []
                async with running(app):
                    notes: list[int] = []
                    for n, (parent, teacher) in enumerate(zip(parents, teachers, strict=True)):
                        started = time.perf_counter()
                        await client.send_text(parent, QUESTIONS[n % len(QUESTIONS)])
                        asked.append(await _until(client, teacher, 1) - started)
                        notes.append((await client.inbox(teacher))[0]["message_id"])
                    for parent, teacher, note in zip(parents, teachers, notes, strict=True):
                        before = len(await client.inbox(parent))
                        started = time.perf_counter()
                        await client.send_text(teacher, "Ja, dat klopt. Tot morgen!", reply_to=note)
                        answered.append(await _until(client, parent, before + 1) - started)
    return {
        "question_median": statistics.median(asked),
        "question_p95": _p95(asked),
        "reply_median": statistics.median(answered),
        "reply_p95": _p95(answered),
        "calls": float(len(stub.state.calls)),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report() -> list[str]:
    """Lines for `make bench`."""
    result = asyncio.run(run())
    return [
        f"Conversation, {FAMILIES} families, translation stub {LATENCY * 1000:.0f} ms a call"
        f" (target p95 < {TARGET_P95:.0f} s each):",
        f"  question -> teacher's phone: median {result['question_median']:.3f} s,"
        f" p95 {result['question_p95']:.3f} s"
        f" = {result['question_p95'] / TARGET_P95:.2f} of the target",
        f"  reply -> parent's phone:     median {result['reply_median']:.3f} s,"
        f" p95 {result['reply_p95']:.3f} s = {result['reply_p95'] / TARGET_P95:.2f} of the target",
        f"  translation calls: {result['calls']:.0f}",
    ]
