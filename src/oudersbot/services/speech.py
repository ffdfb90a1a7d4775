"""Messages read aloud: the 🔊 button, a tap that sends the voice message through the door,
and the voice message by itself for a parent who prefers to listen. One synthesis per message
and language; after the first upload every send names Telegram's file_id."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from oudersbot.bootstrap import Deps
from oudersbot.delivery.door import Content, SendKind, reachable
from oudersbot.domain.languages import SOURCE_LANGUAGE
from oudersbot.domain.rendering import Version
from oudersbot.domain.spoken import spoken_text
from oudersbot.domain.time_rules import Urgency
from oudersbot.domain.voices import LISTEN_PREFIX, READ_ALOUD_PREFIX, voice_for
from oudersbot.speech import Audio, SpeechUnavailableError
from oudersbot.store.audience import Recipient, recipient_of_guardian
from oudersbot.store.members import guardians_of_chat
from oudersbot.store.models import Message, MessageKind
from oudersbot.store.voices import add_voice, listening, tapped_message, voice_of
from oudersbot.translation.spoken_forms import spoken_forms

log = logging.getLogger(__name__)
Rows = list[list[list[str]]]


class Heard(StrEnum):
    """What a 🔊 tap did."""

    QUEUED = "queued"
    REFUSED = "refused"  # not this chat's message, or an unknown id: nothing changes
    NO_VOICE = "no_voice"


@dataclass(frozen=True)
class Spoken:
    """The text a voice reads for one rendition, and the voice (None: no voice for it)."""

    language: str
    text: str
    voice: str | None


def read_aloud_button(deps: Deps, message_id: int, recipient: Recipient) -> Rows:
    """The 🔊 row under a school message, in the parent's language; none without a voice."""
    if voice_for(recipient.language) is None:
        return []
    label = deps.words.text(recipient.language, "speech.button")
    return [[[label, f"{READ_ALOUD_PREFIX}{message_id}"]]]


def listen_choice(deps: Deps, language: str) -> Rows:
    """After the language: read yourself, or hear each message too (only with a voice)."""
    if voice_for(language) is None:
        return []
    return [
        [[deps.words.text(language, "speech.prefer_reading"), f"{LISTEN_PREFIX}0"]],
        [[deps.words.text(language, "speech.prefer_listening"), f"{LISTEN_PREFIX}1"]],
    ]


def spoken(deps: Deps, language: str, origin: str, parts: Sequence[str]) -> Spoken:
    """What a voice reads for a rendition: an untranslated one (Dutch) by the Dutch voice."""
    read_as = SOURCE_LANGUAGE if origin == "none" else language
    text = spoken_text(parts, spoken_forms(deps.words, read_as))
    return Spoken(language, text, voice_for(read_as))


def synthesize(deps: Deps, text: str, voice: str) -> Audio | None:
    """The voice file, or None when speech cannot be made here (logged once per call)."""
    try:
        return deps.speech.synthesize(text, voice)
    except SpeechUnavailableError as exc:
        log.error("no voice message: %s", exc)
        return None


def read_aloud(deps: Deps, *, chat_id: int, message_id: int, bot: str) -> tuple[Heard, str]:
    """A parent's 🔊 tap: their message, as a voice message in their language, through the
    door now; the outcome and the language to answer in. The voice file is made at most once
    per message and language."""
    with deps.db.session() as session:
        heard = tapped_message(session, chat_id=chat_id, message_id=message_id, bot=bot)
        if heard is None:
            return Heard.REFUSED, SOURCE_LANGUAGE
        known = voice_of(session, message_id=message_id, language=heard.language) is not None
    what = spoken(deps, heard.language, heard.origin, heard.parts)
    if what.voice is None:
        return Heard.NO_VOICE, heard.language
    audio = None if known else synthesize(deps, what.text, what.voice)
    if not known and audio is None:
        return Heard.NO_VOICE, heard.language
    with deps.db.session() as session:
        if audio is not None:
            _keep(deps, session, message_id, heard.language, audio)
        recipient = recipient_of_guardian(session, guardian_id=heard.guardian_id)
        source = session.get_one(Message, message_id)
        deps.outbox.put(
            session,
            school_id=heard.school_id,
            content=_voice_content(source, {heard.language: what}),
            to=[_in(recipient, heard.language)],
            kind=SendKind.VOICE,
            # The parent just asked: an answer, sent now.
            urgency=Urgency.NOW,
        )
    return Heard.QUEUED, heard.language


def listen_along(
    deps: Deps,
    *,
    message_id: int,
    recipients: Iterable[Recipient],
    versions: Mapping[str, Version],
    urgency: Urgency = Urgency.NORMAL,
    not_before: datetime | None = None,
    latest: datetime | None = None,
) -> int:
    """The voice message with a school message, for each parent who prefers to listen (one
    voice file per language); how many were queued. A second call queues nothing."""
    reached = [r for r in recipients if reachable(r) and voice_for(r.language)]
    with deps.db.session() as session:
        ids = listening(session, guardian_ids=[r.guardian_id for r in reached])
        listeners = [r for r in reached if r.guardian_id in ids]
        languages = {r.language for r in listeners}
        known = {
            lang for lang in languages if voice_of(session, message_id=message_id, language=lang)
        }
    if not listeners:
        return 0
    texts = {
        lang: spoken(deps, lang, versions[lang].origin, versions[lang].parts) for lang in languages
    }
    made = {
        lang: audio
        for lang, what in texts.items()
        if lang not in known
        and what.voice is not None
        and (audio := synthesize(deps, what.text, what.voice)) is not None
    }
    with deps.db.session() as session:
        for lang, audio in made.items():
            _keep(deps, session, message_id, lang, audio)
        voiced = known | set(made)
        to = [r for r in listeners if r.language in voiced]
        if not to:
            return 0
        source = session.get_one(Message, message_id)
        posted = deps.outbox.put(
            session,
            school_id=source.school_id,
            content=_voice_content(source, {lang: texts[lang] for lang in voiced}),
            to=to,
            kind=SendKind.VOICE,
            urgency=urgency,
            not_before=not_before,
            latest=latest,
            dedupe_key=f"voice:{message_id}",
        )
        return posted.queued


def set_listening(deps: Deps, *, chat_id: int, listen: bool, bot: str) -> str | None:
    """A parent's choice in /taal: hear each school message too, or not; their language, or
    None when the chat is no guardian's."""
    with deps.db.session() as session:
        guardians = guardians_of_chat(session, chat_id=chat_id, bot=bot)
        for guardian in guardians:
            guardian.prefers_listening = listen
        return guardians[0].language if guardians else None


def speak(deps: Deps, *, language: str, text: str) -> Audio:
    """A text read as a parent in that language would hear it (`oudersbot voorlezen`);
    LookupError when the language has no voice."""
    voice = voice_for(language)
    if voice is None:
        raise LookupError(language)
    words = spoken_text([text], spoken_forms(deps.words, language))
    return deps.speech.synthesize(words, voice)


def _keep(deps: Deps, session: Session, message_id: int, language: str, audio: Audio) -> None:
    add_voice(
        session,
        message_id=message_id,
        language=language,
        voice=audio.voice,
        ogg=audio.ogg,
        duration_ms=round(audio.seconds * 1000),
        now=deps.clock.now(),
    )


def _in(recipient: Recipient, language: str) -> Recipient:
    return replace(recipient, language=language)


def _voice_content(source: Message, texts: Mapping[str, Spoken]) -> Content:
    return Content(
        kind=MessageKind.VOICE,
        text_nl=source.text_nl,
        pictogram=source.pictogram,
        category=source.category,
        versions={
            lang: Version(lang, "voice", (what.text or "…",)) for lang, what in texts.items()
        },
        template_id=source.template_id,
        audience={"voice_of": source.id},
        created_by=source.created_by,
        voice_of=source.id,
    )
