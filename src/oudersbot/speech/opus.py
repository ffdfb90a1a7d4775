"""Speech samples as an OGG/Opus file, the format of a Telegram voice message, through
libsndfile (soundfile's wheels include it, with Opus)."""

from __future__ import annotations

import io

from oudersbot.speech.espeak import Samples, SpeechUnavailableError

# Opus takes 8, 12, 16, 24 or 48 kHz; eSpeak NG speaks at 22.05 kHz.
OPUS_RATE = 24_000
# libsndfile's compression level for Opus (0: largest, 1: smallest). Measured on 22 s of
# eSpeak speech: the default costs 1.1 CPU s; 0.8 takes 0.4 CPU s at about 57 kbit/s.
COMPRESSION = 0.8


def ogg_opus(samples: Samples) -> bytes:
    """The samples resampled to 24 kHz and encoded as OGG/Opus."""
    try:
        import numpy as np  # noqa: PLC0415 - only where speech is made
        import soundfile  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - both are dependencies
        raise SpeechUnavailableError(f"soundfile is not installed: {exc}") from exc
    pcm = np.frombuffer(samples.pcm, dtype="<i2").astype(np.float32) / 32768.0
    if pcm.size == 0:
        pcm = np.zeros(samples.rate // 10, dtype=np.float32)
    count = max(1, round(pcm.size * OPUS_RATE / samples.rate))
    positions = np.linspace(0, pcm.size - 1, count)
    resampled = np.interp(positions, np.arange(pcm.size), pcm).astype(np.float32)
    out = io.BytesIO()
    soundfile.write(
        out, resampled, OPUS_RATE, format="OGG", subtype="OPUS", compression_level=COMPRESSION
    )
    return out.getvalue()
