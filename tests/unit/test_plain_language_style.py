"""The plain-language check's findings from issue 18: nominal style, the zijn-passive, vague words,
a second message in brackets, dotted abbreviations, ordinary school words, a group told what to
do. With the real word lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from oudersbot.domain.plain_language import Finding, FindingKind, Lexicon, check
from oudersbot.translation.plain_lexicon import LexiconError, load_lexicon

LEXICON_PATH = Path(__file__).resolve().parents[2] / "src" / "oudersbot" / "messages"
LEXICON_PATH = LEXICON_PATH / "plain-language.toml"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(LEXICON_PATH)


def found(text: str, lexicon: Lexicon, kind: FindingKind) -> list[str]:
    findings: list[Finding] = check(text, lexicon)
    for finding in findings:
        assert text[finding.start : finding.end] == finding.excerpt
    return [f.excerpt for f in findings if f.kind is kind]


# --- Nominal style -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("De betaling van de factuur gebeurt via de bank.", "De betaling van de factuur gebeurt"),
        ("De uitreiking vindt plaats op 3 mei.", "De uitreiking vindt plaats"),
        ("De opening zal plaatsvinden in juni.", "De opening zal plaatsvinden"),
        ("De betaling moet gebeuren voor 1 december.", "De betaling moet gebeuren"),
    ],
)
def test_a_verbal_noun_with_a_light_verb_is_nominal_style(
    lexicon: Lexicon, text: str, excerpt: str
) -> None:
    assert found(text, lexicon, FindingKind.NOMINALISATION) == [excerpt]


@pytest.mark.parametrize(
    "text",
    [
        "Betaal de rekening met een overschrijving.",
        "De inschrijvingen starten op 1 maart.",
        "De wandeling gaat door in het bos.",
        "Wat er ook gebeurt, bel de school.",
    ],
)
def test_no_verbal_noun_or_no_light_verb_is_no_nominal_style(lexicon: Lexicon, text: str) -> None:
    assert found(text, lexicon, FindingKind.NOMINALISATION) == []


# --- The passive with zijn -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("De brief is verstuurd.", "is verstuurd"),
        ("De foto's zijn genomen door de schoolfotograaf.", "zijn genomen"),
        ("Het geld is betaald.", "is betaald"),
    ],
)
def test_zijn_with_a_participle_is_passive(lexicon: Lexicon, text: str, excerpt: str) -> None:
    assert found(text, lexicon, FindingKind.PASSIVE) == [excerpt]


@pytest.mark.parametrize(
    "text",
    [
        "De school is gesloten op 1 mei.",
        "De datum is nog niet gekend.",
        "De bus is vertrokken om 8 uur.",
        "Uw kind is gisteren gevallen.",
        "Het is gezellig in de klas.",
        "Het eten is inbegrepen.",
        "Is betalen moeilijk? Praat dan met ons.",
        "Het is herfst. Ons klasthema is beroepen.",
        "Het is een gedicht.",
    ],
)
def test_zijn_with_a_state_or_a_perfect_is_not_passive(lexicon: Lexicon, text: str) -> None:
    assert found(text, lexicon, FindingKind.PASSIVE) == []


def test_worden_and_zijn_in_one_clause_are_one_passive(lexicon: Lexicon) -> None:
    assert found("Het is door de juf verstuurd geworden.", lexicon, FindingKind.PASSIVE) == [
        "verstuurd geworden"
    ]


# --- Vague words ---------------------------------------------------------------------------


def test_vague_words_are_flagged_with_a_way_to_be_exact(lexicon: Lexicon) -> None:
    text = "Eventueel komen enkele ouders zo snel mogelijk helpen."
    findings = [f for f in check(text, lexicon) if f.kind is FindingKind.VAGUE_WORD]
    assert [f.excerpt for f in findings] == ["Eventueel", "enkele", "zo snel mogelijk"]
    assert all(f.suggestion for f in findings)


def test_a_word_about_time_with_a_date_in_the_sentence_is_not_vague(lexicon: Lexicon) -> None:
    assert (
        found("Binnenkort, op maandag 3 maart, start de zwemles.", lexicon, FindingKind.VAGUE_WORD)
        == []
    )
    assert found("We laten binnenkort iets weten.", lexicon, FindingKind.VAGUE_WORD) == [
        "binnenkort"
    ]
    assert found("Meer info volgt later.", lexicon, FindingKind.VAGUE_WORD) == ["later"]
    assert found(
        "We komen later terug. Op 3 mei is er feest.", lexicon, FindingKind.VAGUE_WORD
    ) == ["later"]


# fmt: skip


def test_eventueel_is_vague_not_also_rare(lexicon: Lexicon) -> None:
    assert found("U kan eventueel bellen.", lexicon, FindingKind.RARE_WORD) == []


def test_a_vague_word_listed_as_simpler_too_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lex.toml"
    path.write_text('[simpler]\nlater = "nadien"\n[vague]\nlater = "op 3 mei"\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="both in \\[vague\\]"):
        load_lexicon(path)


# --- A second message in brackets ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Het zwemmen kost 2 euro (betaal via de rekening).", "(betaal via de rekening)"),
        ("De turnles is op donderdag (de turnzaal is dan vrij).", "(de turnzaal is dan vrij)"),
        ("We gaan naar het bos (trek laarzen aan).", "(trek laarzen aan)"),
    ],
)
def test_a_sentence_in_brackets_is_a_second_message(
    lexicon: Lexicon, text: str, excerpt: str
) -> None:
    assert found(text, lexicon, FindingKind.BRACKETED_MESSAGE) == [excerpt]


@pytest.mark.parametrize(
    "text",
    [
        "De uitstap kost 8 euro (met de bus).",
        "Het oudercontact is op 12 maart (in de klas van uw kind).",
        "De turnles is op dinsdag (2de graad).",
    ],
)
def test_a_short_addition_in_brackets_is_fine(lexicon: Lexicon, text: str) -> None:
    assert found(text, lexicon, FindingKind.BRACKETED_MESSAGE) == []


# --- Abbreviations and ordinary school words -----------------------------------------------


def test_common_dotted_and_capital_abbreviations_are_jargon(lexicon: Lexicon) -> None:
    text = "Kom m.b.t. het MDO a.u.b. langs i.p.v. te bellen, o.a. over LO en bv. zwemmen."
    assert found(text, lexicon, FindingKind.JARGON) == [
        "m.b.t.", "MDO", "a.u.b.", "i.p.v.", "o.a.", "LO", "bv.",
    ]  # fmt: skip


def test_an_unlisted_dotted_abbreviation_is_jargon_but_a_ps_is_a_second_message(
    lexicon: Lexicon,
) -> None:
    assert found("Stuur het t.a.v. de directie.", lexicon, FindingKind.JARGON) == ["t.a.v."]
    text = "Uw kind zwemt op woensdag.\nP.S. Vergeet de turnzak niet."
    assert found(text, lexicon, FindingKind.JARGON) == []


def test_ordinary_flemish_school_words_raise_nothing(lexicon: Lexicon) -> None:
    text = "Vergeet de turnzak niet. Uw kind neemt de boekentas, brooddoos en drinkbus mee."
    assert check(text, lexicon) == []


def test_refter_stays_jargon_with_eetzaal(lexicon: Lexicon) -> None:
    (finding,) = [f for f in check("Uw kind eet in de refter.", lexicon)]
    assert (finding.kind, finding.suggestion) == (FindingKind.JARGON, "eetzaal")


# --- A group as subject --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "De leerlingen van het zesde leerjaar gaan op zeeklas.",
        "De kinderen zongen een lied voor de grootouders.",
        "De kleuters van de eerste kleuterklas slapen na de middag.",
        "De kinderen gaan met meester Tom naar het bos.",
    ],
)
def test_news_about_a_group_is_no_finding(lexicon: Lexicon, text: str) -> None:
    assert found(text, lexicon, FindingKind.INDIRECT) == []


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("De kleuters mogen fruit meebrengen.", "De kleuters"),
        ("De kinderen brengen een oude pot mee.", "De kinderen"),
        ("De leerlingen moeten een fluohesje dragen.", "De leerlingen"),
        ("De ouders zijn welkom op het schoolfeest.", "De ouders"),
    ],
)
def test_a_group_told_what_to_do_is_indirect(lexicon: Lexicon, text: str, excerpt: str) -> None:
    assert found(text, lexicon, FindingKind.INDIRECT) == [excerpt]
