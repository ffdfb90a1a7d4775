"""The callback data of 'Begrepen' / 'Uitleg graag', and the counts."""

from __future__ import annotations

import pytest

from oudersbot.domain.understanding import (
    Counts,
    Reaction,
    UnderstandingTap,
    counts_of,
    decode_understanding,
    encode_understanding,
)


@pytest.mark.parametrize("message_id", [1, 35, 36, 1296, 10**9, 36**12 - 1])
@pytest.mark.parametrize("reaction", list(Reaction))
def test_the_data_goes_there_and_back_within_telegrams_budget(
    message_id: int, reaction: Reaction
) -> None:
    tap = UnderstandingTap(message_id, reaction)
    data = encode_understanding(tap)
    assert len(data.encode()) <= 64
    assert decode_understanding(data) == tap


@pytest.mark.parametrize(
    "data",
    ["", "und:", "und:1", "und:1:x", "und::b", "und:-1:b", "und:0:b", "und:1:b:2", "a:1:1:0",
     "und:ÿ:b", "und:1111111111111:b", "und:" + "1" * 70 + ":b", "UND:1:b"],
)  # fmt: skip
def test_anything_else_is_not_a_tap(data: str) -> None:
    assert decode_understanding(data) is None


def test_the_counts_never_go_below_zero() -> None:
    assert counts_of(5, 2, 1) == Counts(2, 1, 2)
    assert counts_of(1, 1, 1) == Counts(1, 1, 0)
