"""Messages read aloud, through python-telegram-bot and the simulator: 🔊 under a school
message sends it as a voice message in the parent's language through the door; one synthesis
per message and language, Telegram's file_id after the first upload; "I prefer to listen"."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from oudersbot.bootstrap import Deps
from oudersbot.cli import main
from oudersbot.domain.rendering import Version
from oudersbot.services import messages
from oudersbot.services.language_overview import language_lines
from oudersbot.services.resend import resend_unconfirmed
from oudersbot.services.viewers import Viewer
from oudersbot.simulator import ReceivedMessage
from oudersbot.speech import Audio, ESpeakSynthesizer
from oudersbot.store.models import Delivery, Guardian, Message, VoiceRendition
from oudersbot.store.retention import delete_messages
from tests.integration import test_bot_e2e
from tests.integration.test_prikkel_bot import answered, buttons

pytest.importorskip("soundfile", reason="soundfile (with libsndfile) is not installed")
pytest.importorskip("espeakng_loader", reason="espeakng-loader (eSpeak NG) is not installed")

Harness = test_bot_e2e.Harness
clock = test_bot_e2e.clock


class CountingSynthesizer:
    """The real synthesiser, with a record of every text it was asked to read and the voice."""

    def __init__(self) -> None:
        self.real = ESpeakSynthesizer()
        self.calls: list[tuple[str, str]] = []

    def synthesize(self, text: str, voice: str) -> Audio:
        self.calls.append((voice, text))
        return self.real.synthesize(text, voice)


@pytest.fixture
def counting() -> CountingSynthesizer:
    return CountingSynthesizer()


@pytest.fixture
def deps(deps: Deps, counting: CountingSynthesizer) -> Deps:
    return replace(deps, speech=counting)


@pytest.fixture
async def bot(deps: Deps) -> AsyncIterator[Harness]:
    async for harness in test_bot_e2e.bot.__wrapped__(deps):  # type: ignore[attr-defined]
        yield harness


def send(bot: Harness, group: str, text: str) -> int:
    draft = messages.prepare_message(bot.deps, school="demo", groups=[group], text=text)
    return messages.send_message(bot.deps, draft).message_id


async def newest(bot: Harness, uid: int, *, voice: bool, after: int = 0) -> ReceivedMessage:
    for _ in range(400):
        for message in reversed(bot.sim.inbox(uid)):
            if message.message_id > after and message.has_voice == voice:
                return message
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {'voice' if voice else 'text'} message for {uid}")


def voice_file(message: ReceivedMessage) -> str:
    return message.file_ids[0]


async def test_read_aloud_once_per_language_then_by_file_id(
    bot: Harness, counting: CountingSynthesizer
) -> None:
    names = {
        "Fatima El Amrani": "ar",
        "Youssef El Amrani": "nl",
        "Ayşe Yılmaz": "tr",
        "Iryna Kovalenko": "uk",
    }
    uids = {name: await bot.join(name) for name in names}
    message_id = send(bot, "3A", "Morgen om 14:30 gaan we naar het bos. Het kost € 12,50.")
    await bot.settle(message_id)
    texts = {name: await newest(bot, uid, voice=False) for name, uid in uids.items()}
    for name, text in texts.items():
        label = bot.deps.words.text(names[name], "speech.button")
        assert buttons(text)[label] == f"say:{message_id}"
    first: dict[str, ReceivedMessage] = {}
    for name, uid in uids.items():
        query = await bot.sim.tap(uid, texts[name].message_id, f"say:{message_id}")
        await answered(bot, query)
        assert bot.sim.callback(query).answer_text == bot.deps.words.text(
            names[name], "speech.coming"
        )
        first[name] = await newest(bot, uid, voice=True)
    # One synthesis per language (no provider here: the Dutch text, read by the Dutch voice).
    with bot.deps.db.session() as s:
        kept = s.scalars(select(VoiceRendition).where(VoiceRendition.message_id == message_id))
        assert sorted(v.language for v in kept) == sorted(names.values())
    assert len(counting.calls) == len(set(names.values())) == 4
    assert all("14 uur 30" in text and "12 euro 50" in text for _, text in counting.calls)
    # Each voice file went up once: every voice message of a language names the same file.
    # A second tap: no synthesis, and Telegram's file_id is sent (no new upload).
    uid = uids["Fatima El Amrani"]
    query = await bot.sim.tap(uid, texts["Fatima El Amrani"].message_id, f"say:{message_id}")
    await answered(bot, query)
    again = await newest(bot, uid, voice=True, after=first["Fatima El Amrani"].message_id)
    assert voice_file(again) == voice_file(first["Fatima El Amrani"])
    assert len(counting.calls) == 4
    with bot.deps.db.session() as s:
        voice_sends = s.scalars(select(Delivery).where(Delivery.kind == "voice")).all()
        assert len(voice_sends) == 5  # every voice message went through the door
        lost = voice_sends[0]
        lost_uid = s.get_one(Guardian, lost.guardian_id).chat_id
        lost.status = "unconfirmed"  # its answer was lost: the brugfiguur sends it again
    assert lost_uid is not None
    before = bot.sim.inbox(lost_uid)[-1]
    resent = resend_unconfirmed(bot.deps, Viewer(1, "liaison"), delivery_id=lost.id)
    assert resent.problem is None
    again = await newest(bot, lost_uid, voice=True, after=before.message_id)
    assert voice_file(again) == voice_file(before)  # the same voice file, by its file_id
    assert len(counting.calls) == 4
    await bot.settle(message_id)
    # The history rule removes the message with its voice files (the voice messages stay
    # until their own turn, no longer pointing at it).
    with bot.deps.db.session() as s:
        delete_messages(s, ids=[message_id])
    with bot.deps.db.session() as s:
        assert s.scalars(select(VoiceRendition)).all() == []
        assert s.scalars(select(Message).where(Message.voice_of.is_not(None))).all() == []


async def test_a_forged_press_changes_nothing(bot: Harness, counting: CountingSynthesizer) -> None:
    ayse = await bot.join("Ayşe Yılmaz")
    anna = await bot.join("Anna Nowak")
    theirs = send(bot, "3B", "Morgen turnen.")  # to 3B only: not Ayşe's
    await bot.settle(theirs)
    ours = send(bot, "3A", "Morgen zwemmen.")
    await bot.settle(ours)
    shown = await newest(bot, ayse, voice=False)
    anna_shown = await newest(bot, anna, voice=False)
    presses = [
        (ayse, shown.message_id, f"say:{theirs}", None),  # another family's message
        (ayse, shown.message_id, "say:999999", None),  # an unknown id
        (ayse, shown.message_id, "say:abc", None),
        (ayse, anna_shown.message_id, f"say:{theirs}", anna),  # about Anna's chat
    ]
    for uid, shown_id, forged, chat in presses:
        query = await bot.sim.forge_callback(uid, shown_id, forged, chat)
        await answered(bot, query)
        stale = {bot.deps.words.text(lang, "button.stale") for lang in ("tr", "pl")}
        assert bot.sim.callback(query).answer_text in stale
    await asyncio.sleep(0.3)
    assert counting.calls == []
    assert not any(m.has_voice for m in bot.sim.inbox(ayse) + bot.sim.inbox(anna))
    with bot.deps.db.session() as s:
        assert s.scalars(select(VoiceRendition)).all() == []
        assert s.scalars(select(Delivery).where(Delivery.kind == "voice")).all() == []


async def test_a_parent_who_prefers_to_listen_gets_the_voice_message_with_each_message(
    bot: Harness, counting: CountingSynthesizer
) -> None:
    words = bot.deps.words
    ayse = await bot.join("Ayşe Yılmaz")
    iryna = await bot.join("Iryna Kovalenko")
    picker = bot.sim.inbox(ayse)[-1]
    await bot.sim.tap(ayse, picker.message_id, "lang:tr")
    for _ in range(200):
        choice = bot.sim.inbox(ayse)[-1]
        if choice.edit_date and choice.reply_markup:
            break
        await asyncio.sleep(0.02)
    assert buttons(choice)[words.text("tr", "speech.prefer_listening")] == "listen:1"
    await bot.sim.tap(ayse, choice.message_id, "listen:1")
    for _ in range(200):
        if bot.sim.inbox(ayse)[-1].text == words.text("tr", "speech.listening_on"):
            break
        await asyncio.sleep(0.02)
    with bot.deps.db.session() as s:
        listening = dict(s.execute(select(Guardian.name, Guardian.prefers_listening)).all())
    assert listening["Ayşe Yılmaz"] and not listening["Iryna Kovalenko"]
    message_id = send(bot, "3A", "Vrijdag om 9:00 is er een feest.")
    await bot.settle(message_id)
    for _ in range(5):
        await bot.settle(message_id)
    voice = await newest(bot, ayse, voice=True)
    text = await newest(bot, ayse, voice=False)
    assert text.message_id < voice.message_id  # the text first, then the voice message
    assert counting.calls and Counter(v for v, _ in counting.calls) == {"nl": 1}
    assert not any(m.has_voice for m in bot.sim.inbox(iryna))


def test_the_preview_names_the_languages_with_a_voice(deps: Deps) -> None:
    versions = {tag: Version(tag, "machine", ("x",)) for tag in ("nl", "ar", "so", "ps", "prs")}
    lines = language_lines(deps.words, versions, read_aloud=True)
    assert (
        deps.words.text(
            "nl",
            "send_languages.voiced",
            languages="Arabisch (ar), Nederlands (nl), Perzisch (Afghanistan) (prs)",
        )
        in lines
    )
    assert (
        deps.words.text("nl", "send_languages.no_voice", languages="Pasjtoe (ps), Somalisch (so)")
        in lines
    )


def test_voorlezen_writes_a_voice_file(deps: Deps, tmp_path: Path) -> None:
    out = tmp_path / "bericht.ogg"
    result = CliRunner().invoke(
        main,
        ["voorlezen", "--taal", "ar", "مرحبا، الساعة 14:30", "--out", str(out)],
        obj={"deps": deps},
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"OggS") and b"OpusHead" in out.read_bytes()[:200]
    result = CliRunner().invoke(
        main, ["voorlezen", "--taal", "so", "Haye", "--out", str(out)], obj={"deps": deps}
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Er is geen stem voor Somalisch")
