"""eSpeak NG from the wheel makes a valid OGG/Opus voice message in every voiced language."""

from __future__ import annotations

import io

import pytest

from oudersbot.domain.voices import VOICES
from oudersbot.speech import ESpeakSynthesizer

soundfile = pytest.importorskip("soundfile", reason="soundfile (with libsndfile) is not installed")
pytest.importorskip("espeakng_loader", reason="espeakng-loader (eSpeak NG) is not installed")


@pytest.mark.parametrize("language", sorted(VOICES))
def test_each_voice_makes_ogg_opus(language: str) -> None:
    audio = ESpeakSynthesizer().synthesize("Morgen 14 30. Dank u.", VOICES[language])
    assert audio.ogg.startswith(b"OggS") and b"OpusHead" in audio.ogg[:200]
    info = soundfile.info(io.BytesIO(audio.ogg))
    assert (info.format, info.subtype, info.samplerate) == ("OGG", "OPUS", 24_000)
    assert 0.5 < info.duration < 20 and abs(info.duration - audio.seconds) < 0.1


def test_a_voice_that_does_not_exist_is_a_clear_error() -> None:
    from oudersbot.speech import SpeechUnavailableError

    with pytest.raises(SpeechUnavailableError, match="no voice 'so'"):
        ESpeakSynthesizer().synthesize("Haye", "so")
