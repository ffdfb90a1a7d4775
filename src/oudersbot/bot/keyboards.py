"""Inline keyboards: big buttons, every language in its own script."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from oudersbot.domain.languages import native_name

LANGUAGE_PREFIX = "lang:"


def language_picker(languages: list[str], current: str | None) -> InlineKeyboardMarkup:
    """One button per language, two per row, the current one ticked."""
    buttons = [
        InlineKeyboardButton(
            f"✓ {native_name(tag)}" if tag == current else native_name(tag),
            callback_data=f"{LANGUAGE_PREFIX}{tag}",
        )
        for tag in languages
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def answer_keyboard(buttons: list[list[list[str]]], chosen: str | None) -> InlineKeyboardMarkup:
    """A slip's answer buttons (rows of [label, data]); the chosen one ticked."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(f"✓ {label}" if data == chosen else label, callback_data=data)
                for label, data in row
            ]
            for row in buttons
        ]
    )


def rows_of(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One big button per row: (label, callback data)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in buttons])
