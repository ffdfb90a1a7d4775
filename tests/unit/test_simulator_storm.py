"""A storm's draws: reproducible from the seed, per chat, in the proportions asked for."""

from __future__ import annotations

from typing import Any

import pytest

from oudersbot.simulator import Storm, StormOutcome


def fates(storm: Storm, chat_id: int, count: int) -> list[StormOutcome | None]:
    return [storm.draw(chat_id) for _ in range(count)]


def test_the_same_seed_deals_the_same_fates_to_each_chat() -> None:
    first = Storm(seed=7, p_429=0.2, p_403=0.1, p_drop_after=0.2)
    second = Storm(seed=7, p_429=0.2, p_403=0.1, p_drop_after=0.2)
    # The order in which chats are served does not matter: each chat has its own stream.
    first_a, first_b = fates(first, 1, 50), fates(first, 2, 50)
    second_b, second_a = fates(second, 2, 50), fates(second, 1, 50)
    assert (first_a, first_b) == (second_a, second_b)
    assert first_a != first_b
    assert fates(Storm(seed=8, p_429=0.2, p_403=0.1, p_drop_after=0.2), 1, 50) != first_a
    assert first.counts == second.counts and sum(first.counts.values()) == 100


def test_the_fates_come_in_the_proportions_asked_for() -> None:
    storm = Storm(
        seed=1,
        p_429=0.1,
        p_403=0.05,
        p_chat_not_found=0.05,
        p_drop_before=0.1,
        p_drop_after=0.2,
    )
    for chat_id in range(2_000):
        fates(storm, chat_id, 5)
    share = {key: count / 10_000 for key, count in storm.counts.items()}
    assert share["429"] == pytest.approx(0.1, abs=0.02)
    assert share["403"] == pytest.approx(0.05, abs=0.015)
    assert share["chat_not_found"] == pytest.approx(0.05, abs=0.015)
    assert share["drop_before"] == pytest.approx(0.1, abs=0.02)
    assert share["drop_after"] == pytest.approx(0.2, abs=0.02)
    assert share["none"] == pytest.approx(0.5, abs=0.02)
    assert fates(Storm(seed=3), 1, 20) == [None] * 20
    assert fates(Storm(seed=3, p_403=1.0), 1, 3) == [StormOutcome.BLOCKED] * 3


@pytest.mark.parametrize(
    "fields",
    [
        {"p_429": 1.5},
        {"p_403": -0.1},
        {"p_429": 0.6, "p_drop_after": 0.5},
        {"retry_after": 0},
        {"retry_after": 1.5},
        {"seed": "abc"},
        {"method": ""},
    ],
)
def test_a_storm_that_cannot_be_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Storm(**fields)


def test_a_storm_as_data() -> None:
    storm = Storm("sendMessage", seed=2, p_429=0.5, retry_after=3)
    storm.draw(5)
    data = storm.to_dict()
    assert data["method"] == "sendMessage" and data["retry_after"] == 3
    assert sum(data["counts"].values()) == 1
    assert set(data) == {
        "method",
        "seed",
        "p_429",
        "retry_after",
        "p_403",
        "p_chat_not_found",
        "p_drop_before",
        "p_drop_after",
        "counts",
    }
