"""What the simulator checks of an uploaded voice message, as Telegram's sendVoice takes it:
an OGG file encoded with Opus (or MP3, or M4A, as the spec allows); the duration read from
the OGG itself when the sender gives none."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

_OGG = b"OggS"
_OPUS_HEAD = b"OpusHead"
_OPUS_RATE = 48_000  # Opus granule positions count 48 kHz samples, whatever the input rate


class NotAVoiceError(ValueError):
    """The upload is no OGG/Opus, MP3 or M4A file."""


@dataclass(frozen=True)
class VoiceFile:
    """A voice upload's MIME type and its length in whole seconds (None: not known)."""

    mime_type: str
    duration: int | None


def inspect_voice(data: bytes) -> VoiceFile:
    """Check the upload's format; NotAVoiceError for anything Telegram would not play as a
    voice message."""
    if data.startswith(_OGG):
        return VoiceFile("audio/ogg", _ogg_opus_seconds(data))
    if data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return VoiceFile("audio/mpeg", None)
    if data[4:8] == b"ftyp":
        return VoiceFile("audio/mp4", None)
    raise NotAVoiceError("not an OGG/Opus, MP3 or M4A file")


def _ogg_opus_seconds(data: bytes) -> int:
    """The length of an OGG/Opus stream: the last page's granule position less the pre-skip
    of the OpusHead packet, in 48 kHz samples, rounded up to whole seconds."""
    if len(data) < 27:
        raise NotAVoiceError("the OGG file is cut short")
    segments = data[26]
    start = 27 + segments
    head = data[start : start + 19]
    if not head.startswith(_OPUS_HEAD) or len(head) < 12:
        raise NotAVoiceError("the OGG file holds no Opus stream (no OpusHead)")
    pre_skip = struct.unpack_from("<H", head, 10)[0]
    last = data.rfind(_OGG)
    if last < 0 or len(data) < last + 14:
        raise NotAVoiceError("the OGG file is cut short")
    granule = struct.unpack_from("<q", data, last + 6)[0]
    samples = max(0, granule - pre_skip)
    return max(1, math.ceil(samples / _OPUS_RATE)) if samples else 0
