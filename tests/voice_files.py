"""A small OGG/Opus file made by hand (the simulator's check reads only the headers)."""

from __future__ import annotations

import struct

PRE_SKIP = 312


def _page(header_type: int, granule: int, sequence: int, packet: bytes) -> bytes:
    return (
        b"OggS"
        + bytes([0, header_type])
        + struct.pack("<qII", granule, 7, sequence)
        + b"\0\0\0\0"  # the CRC: not checked by the simulator
        + bytes([1, len(packet)])
        + packet
    )


def ogg_opus(seconds: float) -> bytes:
    """An OGG stream with an OpusHead and a last page that says how long it is."""
    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, PRE_SKIP, 48_000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 4) + b"test" + struct.pack("<I", 0)
    end = PRE_SKIP + round(seconds * 48_000)
    return _page(2, 0, 0, head) + _page(0, 0, 1, tags) + _page(4, end, 2, b"\0")
