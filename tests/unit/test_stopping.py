"""The /stop buttons' data: what a real button says, and what a forged one cannot."""

from __future__ import annotations

import pytest

from oudersbot.domain.stopping import StopTap, decode_stop, encode_stop


@pytest.mark.parametrize("tap", [StopTap(1, True), StopTap(123456789, False)])
def test_a_button_says_whom_and_which_answer(tap: StopTap) -> None:
    data = encode_stop(tap)
    assert len(data.encode()) <= 64
    assert decode_stop(data) == tap


@pytest.mark.parametrize(
    "data",
    [
        "stop:",
        "stop:y",
        "stop:y:",
        "stop:x:12",
        "stop:y:-1",
        "stop:y:1.5",
        "a:1:2:yes",
        "stop:y:" + "9" * 60,
        "stop:y:12:extra",
    ],
)
def test_anything_else_is_nothing(data: str) -> None:
    assert decode_stop(data) is None
