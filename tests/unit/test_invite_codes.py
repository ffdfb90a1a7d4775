"""Invite codes: long, random, hashed, judged by state and time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from oudersbot.domain.invites import (
    HolderState,
    InviteProblem,
    InviteState,
    ThrottlePolicy,
    deep_link,
    hash_code,
    judge_holder,
    judge_invite,
    looks_like_code,
    new_code,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_codes_carry_at_least_128_bits_and_fit_a_deep_link() -> None:
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    for code in list(codes)[:50]:
        assert len(code) * 6 >= 128  # base64url: 6 bits a character
        assert looks_like_code(code)
        assert len(code) <= 64


def test_only_a_hash_is_kept_and_it_is_stable() -> None:
    code = new_code()
    assert hash_code(code) == hash_code(code)
    assert code not in hash_code(code)
    assert len(hash_code(code)) == 64


def test_deep_link() -> None:
    assert deep_link("school_bot", "abc") == "https://t.me/school_bot?start=abc"


def test_judging_an_invite() -> None:
    fresh = InviteState(NOW + timedelta(days=30), None, None)
    assert judge_invite(fresh, NOW) is None
    assert judge_invite(None, NOW) is InviteProblem.UNKNOWN
    assert judge_invite(InviteState(NOW, None, None), NOW) is InviteProblem.EXPIRED
    assert judge_invite(InviteState(NOW + timedelta(1), NOW, None), NOW) is InviteProblem.USED
    assert judge_invite(InviteState(NOW + timedelta(1), None, NOW), NOW) is InviteProblem.REVOKED


def test_judging_the_guardian_a_code_was_made_for() -> None:
    before, after = NOW - timedelta(days=1), NOW + timedelta(days=1)
    assert judge_holder(HolderState(left_at=None, stopped_at=None), NOW) is None
    assert judge_holder(HolderState(left_at=before, stopped_at=None), after) is InviteProblem.VOID
    stopped = HolderState(left_at=None, stopped_at=NOW)
    assert judge_holder(stopped, before) is InviteProblem.VOID
    assert judge_holder(stopped, NOW) is InviteProblem.VOID
    assert judge_holder(stopped, after) is None


def test_wrong_codes_are_free_a_few_times_then_wait_longer_and_longer() -> None:
    policy = ThrottlePolicy()
    waits = [policy.wait_after(n) for n in range(1, 12)]
    assert waits[:2] == [timedelta(0), timedelta(0)]
    assert waits[2] == timedelta(minutes=1)
    assert waits[3] == timedelta(minutes=2)
    assert waits[-1] == timedelta(hours=1)
    assert waits == sorted(waits)


def test_shape_check_rejects_junk() -> None:
    assert not looks_like_code("short")
    assert not looks_like_code("a" * 65)
    assert not looks_like_code("ééééééééééééééééééé")
    assert not looks_like_code("'; DROP TABLE invite; --xxxxxxxx")


def test_every_reason_a_code_links_nothing_is_explained_in_every_language() -> None:
    from oudersbot.settings import PACKAGE_DIR
    from oudersbot.translation.catalog import Words

    words = Words.load(PACKAGE_DIR / "locales")
    keys = [f"join.problem.{p.value}" for p in InviteProblem] + ["join.already_connected"]
    missing = [(tag, k) for tag in words.languages for k in keys if not words.has(tag, k)]
    assert len(words.languages) == 16 and missing == []
