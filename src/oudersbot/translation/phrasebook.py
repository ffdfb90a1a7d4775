"""Message templates and pictograms from messages/, validated once at start-up."""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from oudersbot.domain.answers import ANSWER_OPTIONS, MAX_ANSWER_OPTIONS
from oudersbot.domain.languages import SOURCE_LANGUAGE, UnknownLanguageError, normalize
from oudersbot.domain.pictograms import Category, Pictogram, PictogramSet
from oudersbot.domain.slots import SlotError, SlotType, SlotValue, format_slot, parse_slot
from oudersbot.translation.prikkels import PrikkelLibrary, load_prikkels

STATUSES = ("reviewed", "draft")
# Emoji from Unicode's Emoji 12 (2019) or older show on practically every phone in use.
MAX_EMOJI_VERSION = 12.0
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class PhrasebookError(ValueError):
    """A template or pictogram file is inconsistent; says which file and what."""


@dataclass(frozen=True)
class Wording:
    """A template's text in one language, with its review status."""

    text: str
    status: str


@dataclass(frozen=True)
class Template:
    """A standard school message with typed slots and reviewed translations."""

    id: str
    title: str
    pictogram: str
    category: Category
    slots: Mapping[str, SlotType]
    wordings: Mapping[str, Wording]
    answers: tuple[str, ...] = ()

    @property
    def expects_answer(self) -> bool:
        """True for a slip: the parent answers with one of the options."""
        return bool(self.answers)

    @property
    def text_nl(self) -> str:
        """The Dutch original, with slot placeholders."""
        return self.wordings[SOURCE_LANGUAGE].text

    def wording_for(self, language: str) -> tuple[str, Wording] | None:
        """The wording for a tag (exact, then base language), or None."""
        if language in self.wordings:
            return language, self.wordings[language]
        base = language.split("-")[0]
        return (base, self.wordings[base]) if base in self.wordings else None

    def parse_slots(self, raw: Mapping[str, str]) -> dict[str, SlotValue]:
        """Check and type the values staff gave: every slot known, none missing."""
        unknown = sorted(set(raw) - set(self.slots))
        missing = sorted(set(self.slots) - set(raw))
        if unknown:
            names = ", ".join(unknown)
            raise SlotError(
                "unknown",
                f"template {self.id!r} has no slot {names}",
                slots=names,
                template=self.id,
            )
        if missing:
            names = ", ".join(missing)
            raise SlotError(
                "missing", f"template {self.id!r} needs {names}", slots=names, template=self.id
            )
        values = {}
        for name, kind in self.slots.items():
            try:
                values[name] = parse_slot(kind, raw[name])
            except SlotError as exc:
                raise SlotError(exc.code, f"slot {name}: {exc}", slot=name, **exc.params) from exc
        return values

    def fill(self, text: str, values: Mapping[str, SlotValue], language: str) -> str:
        """A wording with its slots formatted for the language."""
        formatted = {n: format_slot(self.slots[n], v, language) for n, v in values.items()}
        return text.format(**formatted)


@dataclass(frozen=True)
class Phrasebook:
    """All templates and pictograms."""

    templates: Mapping[str, Template]
    pictograms: PictogramSet
    prikkels: PrikkelLibrary = field(default_factory=lambda: PrikkelLibrary({}))

    @classmethod
    def load(cls, messages_dir: Path) -> Phrasebook:
        """Read and validate messages/pictograms.toml and messages/templates/*.toml."""
        pictograms = _load_pictograms(messages_dir / "pictograms.toml")
        templates = {}
        for path in sorted((messages_dir / "templates").glob("*.toml")):
            template = _load_template(path, pictograms)
            if template.id in templates:
                raise PhrasebookError(f"{path}: template id {template.id!r} is used twice")
            templates[template.id] = template
        prikkels = load_prikkels(messages_dir / "prikkels", pictograms)
        return cls(templates, pictograms, prikkels)


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PhrasebookError(f"{path}: {exc}") from exc


def _load_pictograms(path: Path) -> PictogramSet:
    data = _read(path)
    entries = data.get("pictogram")
    if not isinstance(entries, list) or not entries:
        raise PhrasebookError(f"{path}: needs [[pictogram]] entries")
    by_key: dict[str, Pictogram] = {}
    for entry in entries:
        try:
            picto = Pictogram(str(entry["key"]), str(entry["symbol"]), Category(entry["category"]))
        except (KeyError, ValueError, TypeError) as exc:
            raise PhrasebookError(f"{path}: bad pictogram {entry!r}: {exc}") from exc
        problem = _emoji_problem(picto.symbol)
        if problem:
            raise PhrasebookError(f"{path}: pictogram {picto.key!r}: {problem}")
        if picto.key in by_key:
            raise PhrasebookError(f"{path}: pictogram {picto.key!r} is listed twice")
        same = [p.key for p in by_key.values() if p.symbol == picto.symbol]
        if same:
            raise PhrasebookError(
                f"{path}: pictograms {same[0]!r} and {picto.key!r} share {picto.symbol}; "
                "each kind of message needs its own"
            )
        by_key[picto.key] = picto
    for category in Category:
        if category.value not in by_key:
            raise PhrasebookError(f"{path}: the category {category.value!r} needs its pictogram")
    return PictogramSet(by_key)


def _emoji_problem(symbol: str) -> str | None:
    """Why a symbol would not show as one emoji on most phones, or None."""
    import emoji

    data = emoji.EMOJI_DATA.get(symbol)
    if data is None or not emoji.purely_emoji(symbol):
        return f"{symbol!r} is not one standard emoji"
    if float(data["E"]) > MAX_EMOJI_VERSION:
        return f"{symbol} is from Emoji {data['E']}; older phones show an empty box"
    return None


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _load_template(path: Path, pictograms: PictogramSet) -> Template:
    data = _read(path)

    def fail(problem: str) -> PhrasebookError:
        return PhrasebookError(f"{path}: {problem}")

    template_id = str(data.get("id", ""))
    if not _ID.match(template_id):
        raise fail(f"id {template_id!r} must be lowercase letters, digits and dashes")
    picto_key = str(data.get("pictogram", ""))
    if picto_key not in pictograms.by_key:
        raise fail(f"unknown pictogram {picto_key!r}")
    title = str(data.get("title", "")).strip()
    if not title:
        raise fail("needs a title (the Dutch name staff see in the list)")
    raw_answers = data.get("answers", [])
    if not isinstance(raw_answers, list) or not all(isinstance(a, str) for a in raw_answers):
        raise fail("answers must be a list of answer options")
    unknown = [a for a in raw_answers if a not in ANSWER_OPTIONS]
    if unknown:
        raise fail(f"unknown answer option {unknown[0]!r}; known: {', '.join(ANSWER_OPTIONS)}")
    if raw_answers and not 2 <= len(set(raw_answers)) == len(raw_answers) <= MAX_ANSWER_OPTIONS:
        raise fail(f"answers must be 2 to {MAX_ANSWER_OPTIONS} different options")
    try:
        category = Category(str(data.get("category", pictograms.by_key[picto_key].category)))
        slots = {str(k): SlotType(v) for k, v in dict(data.get("slots", {})).items()}  # type: ignore[call-overload]
    except ValueError as exc:
        raise fail(str(exc)) from exc
    wordings: dict[str, Wording] = {}
    for language, entry in dict(data.get("text", {})).items():  # type: ignore[call-overload]
        try:
            tag = normalize(str(language))
        except UnknownLanguageError as exc:
            raise fail(str(exc)) from exc
        if isinstance(entry, str):
            entry = {"text": entry, "status": "reviewed" if tag == SOURCE_LANGUAGE else "draft"}
        status = str(entry.get("status", "draft"))
        if status not in STATUSES:
            raise fail(f"[text.{language}] status must be one of {STATUSES}, not {status!r}")
        text = str(entry.get("text", "")).strip()
        if not text:
            raise fail(f"[text.{language}] is empty")
        try:
            found = _placeholders(text)
        except ValueError as exc:
            raise fail(f"[text.{language}] has a broken placeholder: {exc}") from exc
        if found != set(slots):
            raise fail(
                f"[text.{language}] uses slots {sorted(found)} but the template declares "
                f"{sorted(slots)}"
            )
        wordings[tag] = Wording(text, status)
    if SOURCE_LANGUAGE not in wordings:
        raise fail("has no Dutch text ([text.nl])")
    if raw_answers and category is not Category.SLIP:
        raise fail("a template with answers is a slip: its category must be 'slip'")
    return Template(
        template_id, title, picto_key, category, slots, wordings, tuple(str(a) for a in raw_answers)
    )
