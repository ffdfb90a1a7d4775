"""eSpeak NG through its C API (ctypes), from the library and voices the `espeakng-loader`
wheel ships: no system package. Text in, 16-bit mono samples out."""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass
from functools import cache

# speak_lib.h: espeak_AUDIO_OUTPUT, espeak_POSITION_TYPE, synth flags, espeak_PARAMETER.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_RATE = 1
_EE_OK = 0
# eSpeak NG keeps its data path in a buffer of 160 bytes and exits the process when it does
# not fit: refuse such a path with an error instead.
_MAX_DATA_PATH = 150
# Words per minute: a little slower than eSpeak's 175, for parents who listen rather than read.
WORDS_PER_MINUTE = 150

_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class SpeechUnavailableError(RuntimeError):
    """eSpeak NG cannot speak here (its library or a voice is missing)."""


@dataclass(frozen=True)
class Samples:
    """Synthesised speech: 16-bit little-endian mono PCM at `rate` Hz."""

    pcm: bytes
    rate: int

    @property
    def seconds(self) -> float:
        """How long it lasts."""
        return len(self.pcm) / 2 / self.rate


class ESpeak:
    """One eSpeak NG engine for the process (the C library keeps global state, so one call
    at a time)."""

    def __init__(self) -> None:
        try:
            import espeakng_loader  # noqa: PLC0415 - only where speech is made

            library_path = espeakng_loader.get_library_path()
            data_path = espeakng_loader.get_data_path()
        except (ImportError, RuntimeError) as exc:
            raise SpeechUnavailableError(f"espeakng-loader is not installed: {exc}") from exc
        if len(data_path.encode()) > _MAX_DATA_PATH:
            raise SpeechUnavailableError(f"eSpeak NG's data path is too long: {data_path}")
        try:
            lib = ctypes.CDLL(library_path)
        except OSError as exc:
            raise SpeechUnavailableError(f"cannot load {library_path}: {exc}") from exc
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.restype = ctypes.c_int
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path.encode(), 0)
        if rate <= 0:
            raise SpeechUnavailableError(f"eSpeak NG did not start (data in {data_path})")
        self._lib = lib
        self.rate = rate
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        # Kept on the instance: ctypes must not free the callback while the library holds it.
        self._callback = _CALLBACK(self._collect)
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # go on

    def speak(self, text: str, voice: str) -> Samples:
        """The text read by the named voice ('ar', 'fr-BE', ...)."""
        data = text.encode("utf-8")
        with self._lock:
            if self._lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
                raise SpeechUnavailableError(f"eSpeak NG has no voice {voice!r}")
            self._lib.espeak_SetParameter(_RATE, WORDS_PER_MINUTE, 0)
            self._chunks = []
            buffer = ctypes.create_string_buffer(data)
            result = self._lib.espeak_Synth(
                buffer, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _ENDPAUSE, None, None
            )
            self._lib.espeak_Synchronize()
            chunks, self._chunks = self._chunks, []
        if result != _EE_OK:
            raise SpeechUnavailableError(f"eSpeak NG could not read the text (error {result})")
        return Samples(b"".join(chunks), self.rate)


@cache
def engine() -> ESpeak:
    """The process's one engine, started at its first use."""
    return ESpeak()
