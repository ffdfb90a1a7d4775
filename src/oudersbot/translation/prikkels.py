"""The prikkel library in messages/prikkels/: nudges for a conversation at home, as data.

Each file holds one theme; each prikkel has an age band, a pictogram, and per language a short
context line, the question to ask the child and an optional tip, with a review status.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from oudersbot.domain.languages import SOURCE_LANGUAGE, UnknownLanguageError, normalize
from oudersbot.domain.pictograms import PictogramSet

AGE_BANDS = ("kleuter", "lager", "secundair")
STATUSES = ("reviewed", "draft")
# Context, question and tip together stay well under Telegram's 1024-character caption, which
# also has to hold the pictogram line and the Dutch original.
MAX_WORDING = 600


class PrikkelError(ValueError):
    """A prikkel file is inconsistent; says which file, which prikkel and what."""


@dataclass(frozen=True)
class PrikkelWording:
    """A prikkel in one language."""

    context: str
    question: str
    tip: str | None
    status: str


@dataclass(frozen=True)
class Prikkel:
    """One nudge: what the class does, what to ask the child, and maybe a tip."""

    id: str
    theme: str
    age: str
    pictogram: str
    wordings: Mapping[str, PrikkelWording]


@dataclass(frozen=True)
class PrikkelLibrary:
    """All prikkels, by id."""

    prikkels: Mapping[str, Prikkel]

    def themes(self) -> list[str]:
        """The themes present, sorted."""
        return sorted({p.theme for p in self.prikkels.values()})

    def choose(self, *, theme: str | None = None, age: str | None = None) -> list[Prikkel]:
        """The prikkels of a theme and age band (either may be left open), by id."""
        return [
            p
            for _, p in sorted(self.prikkels.items())
            if (theme is None or p.theme == theme) and (age is None or p.age == age)
        ]


def load_prikkels(folder: Path, pictograms: PictogramSet) -> PrikkelLibrary:
    """Read and check every messages/prikkels/*.toml; the first problem stops start-up."""
    prikkels: dict[str, Prikkel] = {}
    for path in sorted(folder.glob("*.toml")):
        for prikkel in _load_file(path, pictograms):
            if prikkel.id in prikkels:
                raise PrikkelError(f"{path}: prikkel id {prikkel.id!r} is used twice")
            prikkels[prikkel.id] = prikkel
    return PrikkelLibrary(prikkels)


def _load_file(path: Path, pictograms: PictogramSet) -> list[Prikkel]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PrikkelError(f"{path}: {exc}") from exc
    theme = str(data.get("theme", "")).strip()
    if not theme:
        raise PrikkelError(f"{path}: needs a theme")
    entries = data.get("prikkel")
    if not isinstance(entries, list) or not entries:
        raise PrikkelError(f"{path}: needs [[prikkel]] entries")
    if not all(isinstance(entry, dict) for entry in entries):
        raise PrikkelError(f"{path}: every [[prikkel]] must be a table")
    return [_load_prikkel(path, theme, entry, pictograms) for entry in entries]


def _load_prikkel(
    path: Path, theme: str, entry: dict[str, object], pictograms: PictogramSet
) -> Prikkel:
    prikkel_id = str(entry.get("id", "")).strip()

    def fail(problem: str) -> PrikkelError:
        return PrikkelError(f"{path}: prikkel {prikkel_id or '?'}: {problem}")

    if not prikkel_id:
        raise fail("needs an id")
    age = str(entry.get("age", ""))
    if age not in AGE_BANDS:
        raise fail(f"age must be one of {', '.join(AGE_BANDS)}, not {age!r}")
    pictogram = str(entry.get("pictogram", ""))
    if pictogram not in pictograms.by_key:
        raise fail(f"unknown pictogram {pictogram!r}")
    texts = entry.get("text")
    if not isinstance(texts, dict) or SOURCE_LANGUAGE not in texts:
        raise fail("has no Dutch text ([prikkel.text.nl])")
    wordings: dict[str, PrikkelWording] = {}
    for language, raw in texts.items():
        try:
            tag = normalize(str(language))
        except UnknownLanguageError as exc:
            raise fail(str(exc)) from exc
        if not isinstance(raw, dict):
            raise fail(f"[text.{language}] must be a table")
        wordings[tag] = _wording(raw, str(language), fail)
    has_tip = wordings[SOURCE_LANGUAGE].tip is not None
    for language, wording in wordings.items():
        if (wording.tip is not None) != has_tip:
            raise fail(f"[text.{language}] must have a tip exactly when the Dutch has one")
    return Prikkel(prikkel_id, theme, age, pictogram, wordings)


def _wording(
    raw: dict[str, object], language: str, fail: Callable[[str], PrikkelError]
) -> PrikkelWording:
    status = str(raw.get("status", "draft"))
    if status not in STATUSES:
        raise fail(f"[text.{language}] status must be reviewed or draft, not {status!r}")
    context = str(raw.get("context", "")).strip()
    question = str(raw.get("question", "")).strip()
    tip = str(raw["tip"]).strip() if "tip" in raw else None
    if not context or not question or tip == "":
        raise fail(f"[text.{language}] needs a context, a question and (if any) a tip")
    if len(context) + len(question) + len(tip or "") > MAX_WORDING:
        raise fail(f"[text.{language}] is over {MAX_WORDING} characters")
    return PrikkelWording(context, question, tip, status)
