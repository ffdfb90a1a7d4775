"""Messages read aloud: the CPU one voice message costs, and how many are made for a broadcast.

1. Every template of the phrasebook, in every language with a voice, as the parent reads it
   (its phrasebook wording, else the Dutch read by the Dutch voice): the CPU seconds of one
   synthesis (eSpeak NG + OGG/Opus), `time.process_time` around the synthesiser; median, p95.
2. A broadcast in 12 languages to 1,000 guardians who all prefer to listen, through the door
   and the dispatcher to the simulator: how many syntheses (target 12) and uploads; then every
   parent taps 🔊 again (the voice sent again): syntheses (target 0) and uploads (target 0).

Figures, never assertions. `python -m benchmarks.run speech` runs only this.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, update
from telegram import Bot

from benchmarks.harness import TOKEN, database, deps_for, simulator_process
from oudersbot.bootstrap import Deps
from oudersbot.delivery.aiohttp_request import AiohttpRequest
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.delivery.telegram_sender import TelegramSender
from oudersbot.domain.slots import SlotType
from oudersbot.domain.time_rules import Urgency
from oudersbot.domain.voices import voice_for
from oudersbot.services import messages, speech
from oudersbot.services.roster import import_roster
from oudersbot.simulator.client import SimulatorClient
from oudersbot.speech import Audio, ESpeakSynthesizer
from oudersbot.store.models import Guardian

GUARDIANS = 1000
TWELVE = ["nl", "fr", "en", "ar", "tr", "pl", "ro", "bg", "uk", "ru", "es", "pt"]
SAMPLE = {
    SlotType.DATE: "2026-12-10",
    SlotType.TIME: "14:30",
    SlotType.AMOUNT: "12.50",
    SlotType.PLACE: "de sporthal",
    SlotType.ITEM: "een lunchpakket",
    SlotType.TEXT: "de juf",
}


class Counting:
    """The real synthesiser, counting its calls."""

    def __init__(self) -> None:
        self.real = ESpeakSynthesizer()
        self.calls = 0

    def synthesize(self, text: str, voice: str) -> Audio:
        self.calls += 1
        return self.real.synthesize(text, voice)


class CountingSender(TelegramSender):
    """TelegramSender, counting voice uploads (bytes) and sends by file_id."""

    uploads = 0
    by_file_id = 0

    async def send_voice(
        self, chat_id: int, voice: bytes | str, *, duration: int
    ) -> tuple[int, str]:
        if isinstance(voice, bytes):
            self.uploads += 1
        else:
            self.by_file_id += 1
        return await super().send_voice(chat_id, voice, duration=duration)


def cpu_per_message(deps: Deps) -> dict[str, float]:
    """CPU seconds of one synthesis, over the templates × the languages with a voice."""
    languages = [tag for tag in deps.words.languages if voice_for(tag)]
    synthesizer = ESpeakSynthesizer()
    synthesizer.synthesize("Start.", "nl")  # the engine starts once per process
    seconds: list[float] = []
    audio_seconds: list[float] = []
    for template in deps.phrasebook.templates.values():
        slots = {name: SAMPLE[kind] for name, kind in template.slots.items()}
        versions = messages.preview_template(deps, template.id, languages=languages, slots=slots)
        for language, version in versions.items():
            what = speech.spoken(deps, language, version.origin, version.parts)
            assert what.voice is not None
            started = time.process_time()
            audio = synthesizer.synthesize(what.text, what.voice)
            seconds.append(time.process_time() - started)
            audio_seconds.append(audio.seconds)
    seconds.sort()
    return {
        "count": len(seconds),
        "median": statistics.median(seconds),
        "p95": seconds[int(0.95 * (len(seconds) - 1))],
        "audio_median": statistics.median(audio_seconds),
        "languages": len(languages),
    }


async def broadcast(kind: str) -> dict[str, float] | None:
    """Syntheses and uploads for a 12-language broadcast to 1,000 listeners, and its resend."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        counting = Counting()
        deps = replace(deps_for(db, Path(folder)), speech=counting)
        async with simulator_process() as (base_url, control_url):
            rows = ["klas,kind,ouder,taal"]
            for n in range(GUARDIANS):
                rows.append(f"K{n // 25:03d},Kind {n},Ouder {n},{TWELVE[n % len(TWELVE)]}")
            report = import_roster(
                deps, data="\n".join(rows).encode(), filename="b.csv", school="bench"
            )
            assert report.ok, report.problems
            async with SimulatorClient(control_url) as client:
                chats: list[int] = []
                for start in range(0, GUARDIANS, 50):
                    names = [f"Ouder {n}" for n in range(start, min(GUARDIANS, start + 50))]
                    chats += await asyncio.gather(*(client.add_user(name) for name in names))
            with deps.db.session() as session:
                ids = dict(session.execute(select(Guardian.name, Guardian.id)).all())
                session.execute(
                    update(Guardian),
                    [
                        {
                            "id": ids[f"Ouder {n}"],
                            "chat_id": chat,
                            "reachability": "joined",
                            "prefers_listening": True,
                        }
                        for n, chat in enumerate(chats)
                    ],
                )
            groups = sorted({f"K{n // 25:03d}" for n in range(GUARDIANS)})
            draft = messages.prepare_message(
                deps,
                school="bench",
                groups=groups,
                template_id="turnkledij",
                slots={"datum": "2026-12-03"},
            )
            started = time.process_time()
            message_id = messages.send_message(deps, draft, urgency=Urgency.NOW).message_id
            queue_cpu = time.process_time() - started
            broadcast_syntheses = counting.calls
            request = AiohttpRequest(connection_pool_size=64)
            async with Bot(TOKEN, base_url=base_url, request=request) as bot:
                sender = CountingSender(bot)
                dispatcher = Dispatcher(db, sender, deps.clock, rate=28.0)
                started_wall = time.perf_counter()
                first = await dispatcher.drain()
                drain_seconds = time.perf_counter() - started_wall
                uploads, by_file_id = sender.uploads, sender.by_file_id
                # Every parent asks again: 🔊 under the message.
                for chat in chats:
                    speech.read_aloud(deps, chat_id=chat, message_id=message_id, bot="main")
                again = await dispatcher.drain()
            return {
                "broadcast_syntheses": broadcast_syntheses,
                "uploads": uploads,
                "by_file_id": by_file_id,
                "sent": first.sent,
                "drain_seconds": drain_seconds,
                "queue_cpu": queue_cpu,
                "resend_syntheses": counting.calls - broadcast_syntheses,
                "resend_uploads": sender.uploads - uploads,
                "resend_by_file_id": sender.by_file_id - by_file_id,
                "resend_sent": again.sent,
            }


def report() -> list[str]:
    """Lines for `make bench`."""
    from benchmarks.harness import deps_for as wired

    with database("sqlite") as db, tempfile.TemporaryDirectory() as folder:
        assert db is not None
        cpu = cpu_per_message(wired(db, Path(folder)))
    lines = [
        f"Speech, CPU per voice message over {cpu['count']:.0f} (templates ×"
        f" {cpu['languages']:.0f} voiced languages): median {cpu['median'] * 1000:.0f} ms,"
        f" p95 {cpu['p95'] * 1000:.0f} ms (audio median {cpu['audio_median']:.1f} s)"
    ]
    for kind in ("sqlite", "postgres"):
        result = asyncio.run(broadcast(kind))
        if result is None:
            lines.append(f"  {kind}: PostgreSQL not reachable, skipped")
            continue
        lines.append(
            f"  {kind}: 12-language broadcast to {GUARDIANS} listeners:"
            f" {result['broadcast_syntheses']:.0f} syntheses (target 12 ="
            f" {result['broadcast_syntheses'] / 12:.2f} of it), {result['uploads']:.0f} uploads,"
            f" {result['by_file_id']:.0f} sends by file_id; {result['sent']:.0f} sent in"
            f" {result['drain_seconds']:.1f} s; queueing took {result['queue_cpu']:.1f} CPU s"
        )
        lines.append(
            f"  {kind}: sent again (every parent taps 🔊): {result['resend_syntheses']:.0f}"
            f" syntheses (target 0), {result['resend_uploads']:.0f} uploads,"
            f" {result['resend_by_file_id']:.0f} by file_id, {result['resend_sent']:.0f} sent"
        )
    return lines
