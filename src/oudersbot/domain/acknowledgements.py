"""A parent's short "thanks" or "ok": recorded as an acknowledgement, not as a question.

The phrases per language are data (`messages/acknowledgements.toml`); this is the pure
matcher. A text is an acknowledgement when, after folding case, accents of Latin letters,
punctuation and emoji skin tones, it is one of the phrases (optionally with an emoji or "!"
after it), or when it is made only of acknowledging emoji (thumbs up, hearts, ok hand,
folded hands, smiles).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Emoji that say "seen, thanks": thumbs up, ok hand, folded hands, clapping, hearts, smiles,
# check marks, flowers, a rose; with their variation selectors, skin tones and joiners.
ACK_EMOJI = frozenset("👍👌🙏👏🤝✅✔☑🙂😊😀😃😄😁☺🥰😍🤗🌹🌸💐⭐🌟❤🧡💛💚💙💜🖤🤍🤎💖💗💓💕💞💝♥😘")
_IGNORED = frozenset("\ufe0f\ufe0e\u200d\u200c") | {chr(c) for c in range(0x1F3FB, 0x1F400)}
_PUNCTUATION = re.compile(r"[\s!.,;:?¡¿،؛؟。'\"()\-_~*]+")
_LONGEST = 40  # a longer text is never only a thanks


def _fold(text: str) -> str:
    """Lower case, Latin accents off, punctuation and spaces squeezed to one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        c
        for c in decomposed
        if not (unicodedata.combining(c) and unicodedata.name(c, "").startswith("COMBINING"))
    )
    return _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", kept)).strip()


@dataclass(frozen=True)
class Acknowledgements:
    """The phrases of every language, folded once."""

    phrases: frozenset[str]

    @classmethod
    def of(cls, phrases: Iterable[str]) -> Acknowledgements:
        """Fold the phrases as a text is folded."""
        return cls(frozenset(_fold(p) for p in phrases if _fold(p)))

    def matches(self, text: str) -> bool:
        """True when `text` is only a short thanks, an ok or acknowledging emoji."""
        if not text or len(text) > _LONGEST:
            return False
        without = "".join(c for c in text if c not in _IGNORED)
        emoji = [c for c in without if c in ACK_EMOJI]
        rest = "".join(c for c in without if c not in ACK_EMOJI)
        folded = _fold(rest)
        if not folded:
            return bool(emoji)
        return folded in self.phrases
