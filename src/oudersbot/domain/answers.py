"""The answers a slip can offer: a fixed vocabulary, so every button reads well in every language.

A template names its answer options by these keys; the words on the buttons are
`answer.<key>` in the gettext catalogs under locales/.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

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


# Words staff may type for an answer they record on a parent's behalf, besides the words the
# slip's buttons show in Dutch and the option's own key. "ja" and "nee" fit several options;
# on a slip they name the one option of that kind it offers.
STAFF_WORDS: dict[str, tuple[str, ...]] = {
    "yes": ("ja",),
    "no": ("nee", "neen"),
    "question": ("vraag", "heeft een vraag"),
    "coming": ("ja", "komt", "ik kom", "komt mee", "gaat mee"),
    "not_coming": ("nee", "komt niet", "kan niet", "gaat niet mee"),
    "allowed": ("ja", "mag", "dat mag"),
    "not_allowed": ("nee", "mag niet", "dat mag niet"),
    "morning": ("voormiddag",),
    "afternoon": ("namiddag",),
    "evening": ("avond",),
    "help": ("hulp", "wil hulp"),
}


def plain_words(text: str) -> str:
    """Lower case, punctuation gone, one space between words: "Ja, ik kom!" -> "ja ik kom"."""
    kept = "".join(c if c.isalnum() or c.isspace() else " " for c in text.casefold())
    return " ".join(kept.split())


def options_named(raw: str, options: Sequence[str], labels: Mapping[str, str]) -> tuple[str, ...]:
    """The slip's options that staff's words name: the option's key, the Dutch words on its
    button (`labels`: option -> words), or a word of STAFF_WORDS. One option when the words are
    clear; none, or several, when they are not."""
    wanted = plain_words(raw)
    if not wanted:
        return ()
    exact = tuple(o for o in options if wanted in (o, plain_words(labels.get(o, o))))
    if exact:
        return exact
    return tuple(o for o in options if wanted in STAFF_WORDS.get(o, ()))


# A parent may type the number of a button instead of tapping it. At most two digits: a slip has
# a handful of buttons, and a longer number is something else (a phone number, a year, an
# amount).
MAX_TYPED_DIGITS = 2


def typed_number(text: str) -> int | None:
    """The number a parent typed as their whole message, in any script: "1", " 1 ", "01",
    Arabic-Indic "١", Persian "۱", full-width "１" or "①" (NFKC makes each a plain digit, and
    unicodedata reads digits of every script); None for anything else. A sign ("+1", "-1"), a
    fraction or words around it ("1.", "nr 1") make it words, not a button: "+1" reads as
    "agreed" or a phone number, and a wrong answer is worse than a question for the school."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded or len(folded) > MAX_TYPED_DIGITS:
        return None
    if not all(unicodedata.decimal(c, None) is not None for c in folded):
        return None
    return int("".join(str(unicodedata.decimal(c)) for c in folded))
