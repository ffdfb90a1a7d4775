"""Typed slots of a template (date, time, amount, place, ...) and how each reads in a locale."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from babel.dates import format_date, format_time
from babel.numbers import format_currency

from oudersbot.domain.languages import babel_locale_name

SlotValue = dt.date | dt.time | Decimal | str

# A place or an item is a few words; a longer value belongs in the message itself.
MAX_TEXT_SLOT = 200
# What a school asks parents to pay: 0 to 10,000 euro, in cents at most. Every amount is held to
# this when it is read (a calendar file, `send --slot`, a template preview) and again when a
# reminder is rendered, so a value that passes once never fails later.
MAX_AMOUNT = Decimal(10_000)
_CENT = Decimal("0.01")
# Longer than any amount within the limits; a longer text is refused before Decimal reads it.
_MAX_AMOUNT_TEXT = 40


class SlotType(StrEnum):
    """What kind of value a slot holds."""

    DATE = "date"
    TIME = "time"
    AMOUNT = "amount"
    PLACE = "place"
    ITEM = "item"
    TEXT = "text"


class SlotError(ValueError):
    """A slot value that does not parse, or a slot that is unknown or missing.

    `code` and `params` name the staff words for it (`slot.<code>` in the catalog)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def parse_slot(kind: SlotType, raw: str) -> SlotValue:
    """Read a value as staff type it: 2026-12-03, 08:30, 12.50 or 12,50, or plain text."""
    value = raw.strip()
    if not value:
        raise SlotError("empty", "empty value")
    try:
        if kind is SlotType.DATE:
            return dt.date.fromisoformat(value)
        if kind is SlotType.TIME:
            return dt.time.fromisoformat(value)
        if kind is SlotType.AMOUNT:
            if len(value) > _MAX_AMOUNT_TEXT:
                raise InvalidOperation(value)
            amount = Decimal(value.replace("€", "").replace(",", ".").strip())
    except (ValueError, InvalidOperation) as exc:
        raise SlotError(
            f"not_{kind.value}", f"{raw!r} is not a valid {kind.value}", value=raw
        ) from exc
    if kind is SlotType.AMOUNT:
        return _payable(amount, raw)
    if len(value) > MAX_TEXT_SLOT:
        raise SlotError(
            "too_long",
            f"{len(value)} characters; a slot holds at most {MAX_TEXT_SLOT}",
            count=len(value),
            limit=MAX_TEXT_SLOT,
        )
    return value


def _payable(amount: Decimal, raw: str) -> Decimal:
    """The amount, when a parent can pay it: 0 to MAX_AMOUNT euro, in cents at most."""
    if not amount.is_finite() or amount < 0:
        raise SlotError("not_payable", f"{raw!r} is not an amount a parent can pay", value=raw)
    if amount > MAX_AMOUNT or amount != amount.quantize(_CENT):
        raise SlotError(
            "amount_limits",
            f"{raw!r} is not 0 to {MAX_AMOUNT} euro with at most 2 decimals",
            value=raw,
        )
    return amount


def format_slot(kind: SlotType, value: SlotValue, language: str) -> str:
    """The value as a parent in that language reads it (weekday and month in words)."""
    locale = babel_locale_name(language)
    if kind is SlotType.DATE and isinstance(value, dt.date):
        return format_date(value, format="full", locale=locale)
    if kind is SlotType.TIME and isinstance(value, dt.time):
        return format_time(value, format="short", locale=locale)
    if kind is SlotType.AMOUNT and isinstance(value, Decimal):
        return format_currency(value, "EUR", locale=locale)
    return str(value)


def to_json(value: SlotValue) -> str:
    """A slot value as stored with the message."""
    return value.isoformat() if isinstance(value, dt.date | dt.time) else str(value)
