"""Messages read aloud: eSpeak NG makes the speech, libsndfile encodes it as OGG/Opus (the
format of a Telegram voice message). Everything runs in the process; no system package and no
network. The words a voice reads come from `domain/spoken.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from oudersbot.speech.espeak import SpeechUnavailableError, engine
from oudersbot.speech.opus import ogg_opus

__all__ = ["Audio", "ESpeakSynthesizer", "SpeechUnavailableError", "Synthesizer"]


@dataclass(frozen=True)
class Audio:
    """A voice message: OGG/Opus bytes, how long it lasts, and the voice that read it."""

    ogg: bytes
    seconds: float
    voice: str


class Synthesizer(Protocol):
    """Reads a text aloud with a voice."""

    def synthesize(self, text: str, voice: str) -> Audio:
        """The text spoken by the voice (an eSpeak NG voice name), as OGG/Opus."""
        ...


class ESpeakSynthesizer:
    """eSpeak NG from the `espeakng-loader` wheel; the engine starts at the first message."""

    def synthesize(self, text: str, voice: str) -> Audio:
        """The text spoken by the voice, as OGG/Opus (SpeechUnavailableError when it cannot)."""
        samples = engine().speak(text, voice)
        return Audio(ogg_opus(samples), samples.seconds, voice)
