"""Strookjes (return slips): answer options, compact button data, deadlines, reminder times.

A slip is answered per child, by any of the child's guardians; the latest answer counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oudersbot.domain.answers import ANSWER_OPTIONS, MAX_ANSWER_OPTIONS

ANSWER_PREFIX = "a:"
CALLBACK_LIMIT = 64  # bytes, Telegram's callback_data budget

# Dutch words staff may type for an option (besides the option's own key).
DUTCH_OPTIONS = {
    "ja": "yes",
    "nee": "no",
    "neen": "no",
    "ik heb een vraag": "question",
    "vraag": "question",
    "ja, ik kom": "coming",
    "ik kom": "coming",
    "nee, ik kan niet": "not_coming",
    "ik kan niet": "not_coming",
    "ja, dat mag": "allowed",
    "nee, dat mag niet": "not_allowed",
    "voormiddag": "morning",
    "namiddag": "afternoon",
    "avond": "evening",
    "ik wil hulp": "help",
    "hulp": "help",
}


def _plain(label: str) -> str:
    return " ".join(label.lower().replace(",", " ").split())


_DUTCH = {_plain(label): option for label, option in DUTCH_OPTIONS.items()}


class SlipError(ValueError):
    """A slip cannot be made as asked; `code` and `params` name the staff words."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def parse_answers(raw: str) -> tuple[str, ...]:
    """Answer options from what staff typed: "ja,nee" or "Ja, ik kom / Nee / Ik heb een vraag"
    or option keys ("coming,no,question")."""
    separator = "/" if "/" in raw else ","
    labels = [part.strip() for part in raw.split(separator) if part.strip()]
    if not labels:
        raise SlipError("no_answers", "a slip needs answer options")
    options: list[str] = []
    for label in labels:
        option = label if label in ANSWER_OPTIONS else _DUTCH.get(_plain(label))
        if option is None:
            raise SlipError("unknown_answer", f"unknown answer {label!r}", answer=label)
        if option in options:
            raise SlipError("double_answer", f"answer {label!r} is given twice", answer=label)
        options.append(option)
    if not 2 <= len(options) <= MAX_ANSWER_OPTIONS:
        raise SlipError(
            "answer_count",
            f"a slip has 2 to {MAX_ANSWER_OPTIONS} answers, not {len(options)}",
            count=len(options),
            limit=MAX_ANSWER_OPTIONS,
        )
    return tuple(options)


def parse_moment(raw: str, zone: dt.tzinfo) -> dt.datetime:
    """A date-time as staff type it (2026-12-01T18:00 or 2026-12-01 18:00), in the school's
    zone unless it names its own; a date alone means the end of that day (23:59)."""
    value = raw.strip()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise SlipError("bad_deadline", f"{raw!r} is not a date and time", value=raw) from exc
    if len(value) == 10:
        moment = moment.replace(hour=23, minute=59)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def check_deadline(deadline: dt.datetime, now: dt.datetime) -> None:
    """A deadline must be in the future (and tz-aware)."""
    if deadline.tzinfo is None:
        raise SlipError("naive_deadline", "the deadline needs a time zone")
    if deadline <= now:
        raise SlipError("past_deadline", f"the deadline {deadline} has passed")


@dataclass(frozen=True)
class AnswerTap:
    """What an answer button says: which slip, which child, which option (by position)."""

    message_id: int
    child_id: int
    option: int


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def encode_tap(tap: AnswerTap) -> str:
    """Compact callback data, e.g. 'a:2s:k1:0' (always far under 64 bytes)."""
    data = f"{ANSWER_PREFIX}{_b36(tap.message_id)}:{_b36(tap.child_id)}:{tap.option}"
    if len(data.encode()) > CALLBACK_LIMIT:  # pragma: no cover - ids would need 25+ digits
        raise SlipError("callback_too_long", "callback data over 64 bytes")
    return data


def decode_tap(data: str) -> AnswerTap | None:
    """The tap in callback data, or None when it is not one of ours (forged, garbled)."""
    if not data.startswith(ANSWER_PREFIX) or len(data.encode()) > CALLBACK_LIMIT:
        return None
    parts = data[len(ANSWER_PREFIX) :].split(":")
    if len(parts) != 3:
        return None
    try:
        message_id, child_id = int(parts[0], 36), int(parts[1], 36)
        option = int(parts[2])
    except ValueError:
        return None
    if message_id <= 0 or child_id <= 0 or not 0 <= option < MAX_ANSWER_OPTIONS:
        return None
    return AnswerTap(message_id, child_id, option)


@dataclass(frozen=True)
class QuietHours:
    """No messages between start and end (local time), e.g. 20:00–07:30."""

    start: dt.time = dt.time(20, 0)
    end: dt.time = dt.time(7, 30)

    def contains(self, moment: dt.datetime) -> bool:
        """True when a local moment falls in quiet hours."""
        clock = moment.timetz().replace(tzinfo=None)
        if self.start > self.end:
            return clock >= self.start or clock < self.end
        return self.start <= clock < self.end

    def next_allowed(self, moment: dt.datetime) -> dt.datetime:
        """The moment itself, or the end of the quiet hours it falls in."""
        if not self.contains(moment):
            return moment
        day = moment.date()
        if self.start > self.end and moment.timetz().replace(tzinfo=None) >= self.start:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, self.end, tzinfo=moment.tzinfo)


@dataclass(frozen=True)
class ReminderRule:
    """A reminder `days_before` the deadline's day, at a local time."""

    name: str
    days_before: int
    at: dt.time


DEFAULT_RULES = (
    ReminderRule("two_days", 2, dt.time(17, 0)),
    ReminderRule("morning", 0, dt.time(8, 0)),
)


def reminder_times(
    deadline: dt.datetime,
    now: dt.datetime,
    *,
    rules: tuple[ReminderRule, ...] = DEFAULT_RULES,
    quiet: QuietHours | None = None,
) -> dict[str, dt.datetime]:
    """When each rule's reminder goes out: out of quiet hours, after now, before the deadline.
    A rule whose moment cannot fit is left out."""
    quiet = quiet or QuietHours()
    zone = deadline.tzinfo
    local_deadline = deadline.astimezone(zone)
    times: dict[str, dt.datetime] = {}
    for rule in rules:
        day = local_deadline.date() - dt.timedelta(days=rule.days_before)
        moment = quiet.next_allowed(dt.datetime.combine(day, rule.at, tzinfo=zone))
        if now < moment < deadline:
            times[rule.name] = moment
    return times


FOLLOW_UP_PREFIX = "f:"


@dataclass(frozen=True)
class FollowUpTap:
    """A step in recording follow-up from a button: slip, guardian and child, then the action,
    the outcome and (for 'reached and answered') the answer, each by position."""

    message_id: int
    guardian_id: int
    child_id: int
    action: int | None = None
    outcome: int | None = None
    answer: int | None = None


def encode_followup(tap: FollowUpTap) -> str:
    """Compact callback data, e.g. 'f:2s:k1:m4:0:3:1'."""
    steps = [s for s in (tap.action, tap.outcome, tap.answer) if s is not None]
    ids = (tap.message_id, tap.guardian_id, tap.child_id)
    return FOLLOW_UP_PREFIX + ":".join([*map(_b36, ids), *map(str, steps)])


def decode_followup(data: str) -> FollowUpTap | None:
    """The step in callback data, or None when it is not one of ours."""
    if not data.startswith(FOLLOW_UP_PREFIX) or len(data.encode()) > CALLBACK_LIMIT:
        return None
    parts = data[len(FOLLOW_UP_PREFIX) :].split(":")
    if not 3 <= len(parts) <= 6:
        return None
    try:
        message_id, guardian_id, child_id = (int(p, 36) for p in parts[:3])
        steps = [int(p) for p in parts[3:]]
    except ValueError:
        return None
    if min(message_id, guardian_id, child_id) <= 0 or any(not 0 <= s < 10 for s in steps):
        return None
    padded = [*steps, None, None, None][:3]
    return FollowUpTap(message_id, guardian_id, child_id, padded[0], padded[1], padded[2])


RESEND_PREFIX = "rs:"


def encode_resend(delivery_id: int) -> str:
    """Callback data of the brugfiguur's "send again" button, e.g. 'rs:2s'."""
    return RESEND_PREFIX + _b36(delivery_id)


def decode_resend(data: str) -> int | None:
    """The delivery a "send again" button names, or None when it is not one of ours."""
    if not data.startswith(RESEND_PREFIX) or len(data.encode()) > CALLBACK_LIMIT:
        return None
    digits = data[len(RESEND_PREFIX) :]
    if not digits.isascii() or not digits.isalnum():
        return None
    number = int(digits, 36)
    return number if number > 0 else None
