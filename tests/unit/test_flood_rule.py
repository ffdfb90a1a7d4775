"""The rule that quiets a chat sending many messages: on a moved clock, no sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from oudersbot.domain.flood import FloodRule, FloodWatch, Verdict

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_a_few_lines_in_a_row_are_each_answered() -> None:
    watch = FloodWatch(FloodRule(replies=5))
    verdicts = [watch.note(1, START + n * SECOND) for n in range(5)]
    assert verdicts == [Verdict.REPLY] * 5


def test_many_messages_are_announced_once_then_quiet() -> None:
    watch = FloodWatch(FloodRule(replies=5))
    verdicts = [watch.note(1, START + n * 0.1 * SECOND) for n in range(500)]
    assert verdicts[:5] == [Verdict.REPLY] * 5
    assert verdicts[5] is Verdict.ANNOUNCE
    assert set(verdicts[6:]) == {Verdict.QUIET}
    assert watch.quiet(1, START + 50 * SECOND)


def test_other_chats_are_not_quieted_by_one_that_floods() -> None:
    watch = FloodWatch(FloodRule(replies=5))
    for n in range(100):
        watch.note(1, START + n * 0.1 * SECOND)
    assert watch.note(2, START + 10 * SECOND) is Verdict.REPLY
    assert not watch.quiet(2, START + 10 * SECOND)


def test_messages_spread_wider_than_the_window_are_each_answered() -> None:
    watch = FloodWatch(FloodRule(replies=5, window=timedelta(minutes=1)))
    verdicts = [watch.note(1, START + n * 13 * SECOND) for n in range(50)]
    assert set(verdicts) == {Verdict.REPLY}


def test_the_quiet_lasts_while_the_chat_keeps_sending_and_ends_after_the_calm() -> None:
    rule = FloodRule(replies=2, window=timedelta(minutes=1), calm=timedelta(minutes=2))
    watch = FloodWatch(rule)
    at = START
    for _ in range(3):
        watch.note(1, at)
    assert watch.quiet(1, at)
    for _ in range(10):  # one a minute: never calm for two minutes
        at += timedelta(minutes=1)
        assert watch.note(1, at) is Verdict.QUIET
    at += timedelta(minutes=2)
    assert not watch.quiet(1, at)
    assert watch.note(1, at) is Verdict.REPLY


def test_a_released_chat_starts_over() -> None:
    watch = FloodWatch(FloodRule(replies=2))
    for n in range(3):
        watch.note(7, START + n * SECOND)
    watch.release(7)
    assert watch.note(7, START + 4 * SECOND) is Verdict.REPLY


def test_calm_chats_are_forgotten() -> None:
    watch = FloodWatch(FloodRule(replies=5))
    for chat in range(1000):
        watch.note(chat, START)
    later = START + timedelta(hours=1)
    for n in range(30):
        watch.note(5000, later + n * 10 * SECOND)
    assert len(watch) == 1


def test_nonsense_rules_are_refused() -> None:
    with pytest.raises(ValueError):
        FloodRule(replies=0)
    with pytest.raises(ValueError):
        FloodRule(window=timedelta(0))
