"""The checks on whole sentences: too long, passive, a second message, a group talked about."""

from __future__ import annotations

import re
from collections.abc import Iterator

from oudersbot.domain.plain_language.findings import Finding, FindingKind
from oudersbot.domain.plain_language.lexicon import Lexicon, Patterns
from oudersbot.domain.plain_language.text import COUNTED, LETTERS, Word, capitalised_like

# --- Long sentences ------------------------------------------------------------------------


def long_sentences(text: str, sentences: list[tuple[int, int]], limit: int) -> list[Finding]:
    """Each sentence of more than ``limit`` words."""
    findings = []
    for start, end in sentences:
        count = sum(1 for _ in COUNTED.finditer(text, start, end))
        if count > limit:
            detail = {"words": count, "limit": limit}
            findings.append(
                Finding(FindingKind.LONG_SENTENCE, start, end, text[start:end], None, detail)
            )
    return findings


# --- Passive -------------------------------------------------------------------------------

_AUXILIARIES = frozenset(("word", "wordt", "worden", "werd", "werden", "geworden"))
_CLAUSE_BREAK = re.compile(
    r"[,;:()\[\]–—]|\b(?:en|maar|want|omdat|terwijl|zodat|nadat|voordat|doordat|dus)\b",
    re.IGNORECASE,
)
# A past participle: ge-...-d/t/en (gevraagd, gegeven, gedaan), or ver-/be-/ont-/her-/er-...-d/t/en
# (verrekend, betaald, ontvangen), after an optional separable particle (opgehaald, meegebracht).
_PARTICLE = (
    "(?:aan|af|bij|binnen|buiten|door|in|mee|na|om|op|over|rond|samen|terug|toe|uit|vast|voor|weg)"
)
_LETTER = r"[^\W\d_]"
_PARTICIPLE = re.compile(
    rf"{_PARTICLE}?(?:ge{_LETTER}{{2,}}(?:d|t|en|aan|ien)"
    rf"|(?:ver|be|ont|her|er){_LETTER}{{2,}}(?:d|t|en))"
)
_INFINITIVE_MARKERS = frozenset(("te", "om"))
_ZIJN = frozenset(("is", "zijn", "was", "waren", "ben", "bent"))
# After *zijn*, a participle is often no passive: a state (*De school is gesloten.*) or the perfect
# of a verb that takes *zijn* (*De bus is vertrokken.*). Those are left alone: precision first.
_NOT_AFTER_ZIJN = frozenset(
    (
        "gesloten", "geopend", "gekend", "gewend", "gewoon", "getrouwd", "gescheiden", "geboren",
        "gelegen", "geschikt", "gezond", "geïnteresseerd", "gekleed", "verkleed", "verplicht",
        "verboden", "toegelaten", "inbegrepen", "verloren", "verkouden", "verlegen", "bezorgd",
        "betrokken", "bekend", "bedoeld", "benieuwd", "verbaasd", "verrast", "geschrokken",
        "gegaan", "gekomen", "geweest", "gebleven", "geworden", "vertrokken", "begonnen",
        "gestart", "gestopt", "gebeurd", "veranderd", "verhuisd", "gevallen", "gestorven",
        "gegroeid", "gelukt", "mislukt", "verdwenen", "verschenen", "ontstaan", "teruggekeerd",
        "aangekomen", "teruggekomen", "binnengekomen", "opgestaan", "gestegen", "gedaald",
        "geslaagd", "gelopen", "gereden", "gevlogen", "gezwommen", "vergeten", "afgelopen",
        "genezen", "hersteld", "verbeterd", "gewonnen", "opgegroeid", "meegegaan",
        "weggegaan", "thuisgebleven", "ingeschreven", "verwacht", "gemotiveerd", "vereist",
        "bezet", "gelegd",
    )
)  # fmt: skip


_ZIJN_PARTICIPLE = re.compile(
    rf"{_PARTICLE}?(?:ge{_LETTER}{{2,}}(?:d|t|en)|(?:ver|be|ont){_LETTER}{{3,}}(?:d|t))"
)
_DETERMINERS = frozenset(("de", "het", "een", "ons", "onze", "uw", "mijn", "hun", "dit", "dat"))


def _after_zijn(word: tuple[int, int, str], words: list[tuple[int, int, str]]) -> bool:
    """A participle after zijn: ge-...-d/t/en or ver-/be-/ont-...-d/t, not after an article.

    Stricter than after worden, where a noun rarely follows: *Het is herfst*, *Ons thema is
    beroepen*, *Is betalen moeilijk?* and *Het is een gedicht* are no passives.
    """
    index = words.index(word)
    before = words[index - 1][2] if index else ""
    return before not in _DETERMINERS and _ZIJN_PARTICIPLE.fullmatch(word[2]) is not None


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        yield start, match.start()
        start = match.end()
    yield start, end


def passives(
    text: str, sentences: list[tuple[int, int]], not_participles: frozenset[str]
) -> list[Finding]:
    """At most one passive per clause: a form of *worden* and the participle nearest to it."""
    findings = []
    for sentence_start, sentence_end in sentences:
        for start, end in _clauses(text, sentence_start, sentence_end):
            found = _passive_in_clause(text, start, end, not_participles)
            if found is not None:
                findings.append(found)
    return findings


def _passive_in_clause(
    text: str, start: int, end: int, not_participles: frozenset[str]
) -> Finding | None:
    words = [(m.start(), m.end(), m.group().lower()) for m in LETTERS.finditer(text, start, end)]
    auxiliaries = [w for w in words if w[2] in _AUXILIARIES]
    skip = not_participles
    if not auxiliaries:
        # The passive with zijn: "De brief is verstuurd."
        auxiliaries = [w for w in words if w[2] in _ZIJN]
        skip = not_participles | _NOT_AFTER_ZIJN
        if not auxiliaries:
            return None
    participles = [
        w
        for i, w in enumerate(words)
        if w[2] not in _AUXILIARIES
        and w[2] not in skip
        and (i == 0 or words[i - 1][2] not in _INFINITIVE_MARKERS)
        and _PARTICIPLE.fullmatch(w[2])
    ]
    if skip is not not_participles:
        participles = [w for w in participles if _after_zijn(w, words)]
    if not participles:
        return None
    aux = auxiliaries[0]
    part = min(participles, key=lambda w: abs(w[0] - aux[0]))
    first, last = min(aux[0], part[0]), max(aux[1], part[1])
    detail = {"auxiliary": aux[2], "participle": part[2]}
    return Finding(FindingKind.PASSIVE, first, last, text[first:last], None, detail)


# --- Several messages ----------------------------------------------------------------------


def several_messages(
    text: str,
    sentences: list[tuple[int, int]],
    words: list[Word],
    firsts: frozenset[int],
    patterns: Patterns,
) -> list[Finding]:
    """At most one finding: the first marker after the first sentence, or the first new topic."""
    candidates = []
    if patterns.marker is not None:
        for start, end in sentences[1:]:
            match = patterns.marker.match(text, start, end)
            if match is not None:
                first, last = match.span("marker")
                detail = {"reason": "marker", "marker": text[first:last].lower()}
                candidates.append(
                    Finding(
                        FindingKind.SEVERAL_MESSAGES, first, last, text[first:last], None, detail
                    )
                )
                break
    seen: list[str] = []
    index = 0
    for span in sentences:
        here: dict[str, Word] = {}
        while index < len(words) and words[index].start < span[0]:
            index += 1
        while index < len(words) and words[index].end <= span[1]:
            word = words[index]
            index += 1
            if word.text[0].isupper() and word.start not in firsts:
                continue  # a name: Turnhout is no gym class
            topic = patterns.topic_of(word.text.lower())
            if topic is not None and topic not in here:
                here[topic] = word
        if seen and here and not set(here) & set(seen):
            topic, first_word = next(iter(here.items()))
            detail = {"reason": "topic", "topic": topic, "previous": seen[0]}
            candidates.append(
                Finding(
                    FindingKind.SEVERAL_MESSAGES,
                    first_word.start,
                    first_word.end,
                    first_word.text,
                    None,
                    detail,
                )
            )
            break
        seen += [t for t in here if t not in seen]
    return sorted(candidates, key=lambda f: f.start)[:1]


# --- Indirect ------------------------------------------------------------------------------

_DIRECT = frozenset(("u", "uw", "je", "jij", "jouw", "jullie"))
_MODALS = frozenset(("mogen", "moeten", "dienen"))
# An instruction to the parent through the group: "De kinderen brengen een pot mee."
_INSTRUCTION = re.compile(
    r"\b(?:mee(?:brengen|nemen|geven)|nodig|(?:brengen|nemen|dragen|trekken|zorgen|geven)\b)",
    re.IGNORECASE,
)


def indirect(
    text: str,
    sentences: list[tuple[int, int]],
    words: list[Word],
    lexicon: Lexicon,
    patterns: Patterns,
) -> list[Finding]:
    """A sentence that starts with a group as subject and tells it what to do: a modal follows
    (*De kleuters mogen ...* instead of *Uw kind brengt ...*) or it brings, takes or wears
    something. News about a group (*De leerlingen gaan op zeeklas.*) is fine. *Ouders* is
    indirect too in a text that never says *u*."""
    if patterns.group is None:
        return []
    addressed = any(w.text.lower() in _DIRECT and not _after_number(text, w) for w in words)
    findings = []
    for start, end in sentences:
        match = patterns.group.match(text, start, end)
        if match is None:
            continue
        following = LETTERS.search(text, match.end(), end)
        modal = following is not None and following.group().lower() in _MODALS
        group = match.group("group").lower()
        told = modal or _INSTRUCTION.search(text, match.end(), end) is not None
        if not told and (addressed or lexicon.indirect[group] not in _DIRECT):
            continue
        first, last = match.span("phrase")
        suggestion = capitalised_like(text[first:last], lexicon.indirect[group])
        detail = {"group": group}
        findings.append(
            Finding(FindingKind.INDIRECT, first, last, text[first:last], suggestion, detail)
        )
    return findings


def _after_number(text: str, word: Word) -> bool:
    """True for the u of "9 u" or "9u" (o'clock)."""
    return text[max(0, word.start - 2) : word.start].rstrip()[-1:].isdigit()
