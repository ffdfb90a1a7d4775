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
            amount = Decimal(value.replace("€", "").replace(",", ".").strip())
    except (ValueError, InvalidOperation) as exc:
        raise SlotError(
            f"not_{kind.value}", f"{raw!r} is not a valid {kind.value}", value=raw
        ) from exc
    if kind is SlotType.AMOUNT:
        if not amount.is_finite() or amount < 0:
            raise SlotError("not_payable", f"{raw!r} is not an amount a parent can pay", value=raw)
        return amount
    if len(value) > MAX_TEXT_SLOT:
        raise SlotError(
            "too_long",
            f"{len(value)} characters; a slot holds at most {MAX_TEXT_SLOT}",
            count=len(value),
            limit=MAX_TEXT_SLOT,
        )
    return value


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
