"""The plain-language word lists from messages/plain-language.toml, with wordfreq's Dutch."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path

import wordfreq

from oudersbot.domain.plain_language import FACTS, Lexicon

_KIND = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEYWORD = re.compile(r"^[^\W\d_]+$")
_FailFn = Callable[[str], "LexiconError"]


class LexiconError(ValueError):
    """The word-list file is broken; says which file and what."""


def dutch_zipf(word: str) -> float:
    """The Zipf frequency of a lowercase Dutch word (0 when wordfreq does not know it)."""
    return wordfreq.zipf_frequency(word, "nl")


def load_lexicon(path: Path) -> Lexicon:
    """Read and check the word lists; word frequencies come from wordfreq (Dutch)."""

    def fail(problem: str) -> LexiconError:
        return LexiconError(f"{path}: {problem}")

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise fail(str(exc)) from exc

    settings = _table(data, "settings", fail)
    rare_below = settings.get("rare_below", 3.0)
    if not isinstance(rare_below, int | float) or isinstance(rare_below, bool):
        raise fail("settings.rare_below must be a number (a Zipf frequency, such as 3.0)")
    if not 0 < rare_below < 8:
        raise fail(f"settings.rare_below {rare_below} is not a Zipf frequency (0 to 8)")
    max_words = settings.get("max_sentence_words", 15)
    if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 1:
        raise fail("settings.max_sentence_words must be a whole number above 0")

    jargon = _phrases(data, "jargon", fail)
    simpler = _phrases(data, "simpler", fail)
    common = frozenset(_words(_table(data, "common", fail), "words", "common.words", fail))
    for name, listed in (("jargon", jargon), ("simpler", simpler)):
        clash = sorted(common & set(listed))
        if clash:
            raise fail(f"{', '.join(clash)} cannot be both in [common] and in [{name}]")

    essentials: dict[str, tuple[str, ...]] = {}
    for kind, facts in _table(data, "essentials", fail).items():
        if not _KIND.match(kind):
            raise fail(f"essentials: {kind!r} is not a pictogram key")
        checked = _strings(facts, f"essentials.{kind}", fail)
        unknown = sorted(set(checked) - set(FACTS))
        if unknown:
            raise fail(f"essentials.{kind}: unknown fact {', '.join(unknown)} (use {FACTS})")
        essentials[kind] = tuple(checked)

    topics: dict[str, frozenset[str]] = {}
    for topic, keywords in _table(data, "topics", fail).items():
        checked = _strings(keywords, f"topics.{topic}", fail)
        odd = [k for k in checked if not _KEYWORD.match(k) or k != k.lower()]
        if odd:
            raise fail(f"topics.{topic}: {odd!r} must be single lowercase words")
        topics[topic] = frozenset(checked)

    markers = _words(_table(data, "several_messages", fail), "markers", "several_messages", fail)
    indirect = _phrases(data, "indirect", fail)
    vague = _phrases(data, "vague", fail)
    twice = sorted(set(vague) & (set(simpler) | common))
    if twice:
        raise fail(f"{', '.join(twice)} cannot be both in [vague] and in [simpler] or [common]")
    not_participles = _words(_table(data, "passive", fail), "not_participles", "passive", fail)

    return Lexicon(
        jargon=jargon,
        simpler=simpler,
        common=common,
        essentials=essentials,
        frequency=dutch_zipf,
        rare_below=float(rare_below),
        max_sentence_words=max_words,
        topics=topics,
        markers=tuple(markers),
        indirect=indirect,
        not_participles=frozenset(not_participles),
        vague=vague,
    )


def _table(data: Mapping[str, object], name: str, fail: _FailFn) -> dict[str, object]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise fail(f"[{name}] must be a table")
    return table


def _strings(value: object, where: str, fail: _FailFn) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"{where} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _words(table: Mapping[str, object], key: str, where: str, fail: _FailFn) -> list[str]:
    words = _strings(table.get(key, []), where, fail)
    upper = [w for w in words if w != w.lower()]
    if upper:
        raise fail(f"{where}: write {upper!r} in lowercase")
    return words


def _phrases(data: Mapping[str, object], name: str, fail: _FailFn) -> dict[str, str]:
    phrases = {}
    for term, plain in _table(data, name, fail).items():
        if term != term.lower() or term != term.strip() or not term:
            raise fail(f"[{name}] key {term!r} must be lowercase, without blanks around it")
        if not isinstance(plain, str) or not plain.strip():
            raise fail(f"[{name}] {term!r} needs a plain alternative (a non-empty string)")
        phrases[term] = plain.strip()
    return phrases
