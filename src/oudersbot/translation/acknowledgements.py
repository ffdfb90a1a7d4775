"""The acknowledgement phrases of every language, read once from messages/acknowledgements.toml."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from oudersbot.domain.acknowledgements import Acknowledgements

FILE_NAME = "acknowledgements.toml"


@functools.cache
def load_acknowledgements(messages_dir: Path) -> Acknowledgements:
    """Every language's phrases as one matcher; a missing list means emoji-only matching."""
    path = messages_dir / FILE_NAME
    if not path.exists():
        return Acknowledgements.of(())
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    phrases = data.get("phrases", {})
    return Acknowledgements.of(p for language in phrases.values() for p in language)
