"""The answers a slip can offer: a fixed vocabulary, so every button reads well in every language.

A template names its answer options by these keys; the words on the buttons are
`answer.<key>` in the gettext catalogs under locales/.
"""

from __future__ import annotations

ANSWER_OPTIONS = (
    "yes",
    "no",
    "question",
    "coming",
    "not_coming",
    "allowed",
    "not_allowed",
    "morning",
    "afternoon",
    "evening",
    "help",
)

# Telegram shows at most a handful of full-width buttons comfortably on a phone.
MAX_ANSWER_OPTIONS = 5


def answer_key(option: str) -> str:
    """The catalog key of an answer option's words."""
    return f"answer.{option}"
