"""The plain-language check follows key 5 of the checklist, with the real word lists."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

import pytest

from oudersbot.domain.plain_language import Finding, FindingKind, Lexicon, check
from oudersbot.translation.plain_lexicon import LexiconError, load_lexicon

MESSAGES = Path(__file__).resolve().parents[2] / "src" / "oudersbot" / "messages"
LEXICON_PATH = MESSAGES / "plain-language.toml"
TEMPLATES = sorted((MESSAGES / "templates").glob("*.toml"))
SAMPLE_SLOTS = {
    "date": "woensdag 3 december 2026",
    "time": "08:30",
    "amount": "€ 12,50",
    "place": "Brugge",
    "item": "de uitstap",
    "text": "een boek",
}


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(LEXICON_PATH)


def kinds(findings: list[Finding]) -> list[FindingKind]:
    return [f.kind for f in findings]


def of_kind(findings: list[Finding], kind: FindingKind) -> list[Finding]:
    return [f for f in findings if f.kind is kind]


def assert_positions(text: str, findings: list[Finding]) -> None:
    for finding in findings:
        assert text[finding.start : finding.end] == finding.excerpt


def fake_lexicon(frequencies: Mapping[str, float], **changes: object) -> Lexicon:
    """A small lexicon with made-up frequencies, to test the rules without wordfreq."""
    values: dict[str, object] = {
        "jargon": {"clb": "het centrum voor leerlingenbegeleiding"},
        "simpler": {"kostprijs": "prijs"},
        "common": frozenset({"juf"}),
        "essentials": {"uitstap": ("date", "place")},
        "frequency": lambda word: frequencies.get(word, 0.0),
    }
    values.update(changes)
    return Lexicon(**values)  # type: ignore[arg-type]


# --- The checklist's own examples ----------------------------------------------------------


def test_the_seed_passive_example_is_flagged_passive_and_rare(lexicon: Lexicon) -> None:
    text = "De kostprijs zal op de maandelijkse factuur verrekend worden."
    findings = check(text, lexicon)
    assert_positions(text, findings)
    passive = of_kind(findings, FindingKind.PASSIVE)
    assert [f.excerpt for f in passive] == ["verrekend worden"]
    assert passive[0].detail == {"auxiliary": "worden", "participle": "verrekend"}
    rare = {f.excerpt: f.suggestion for f in of_kind(findings, FindingKind.RARE_WORD)}
    assert rare["kostprijs"] == "prijs"
    assert rare["verrekend"] is not None and "rekening" in rare["verrekend"]
    assert rare["maandelijkse"] == "elke maand"
    assert rare["factuur"] == "rekening"


def test_the_seed_active_rewrite_has_no_findings(lexicon: Lexicon) -> None:
    assert check("We zetten het op de rekening.", lexicon) == []


def test_the_seed_indirect_example_is_flagged(lexicon: Lexicon) -> None:
    text = "De kleuters mogen fruit meebrengen."
    findings = check(text, lexicon)
    assert kinds(findings) == [FindingKind.INDIRECT]
    (finding,) = findings
    assert (finding.start, finding.end, finding.excerpt) == (0, 11, "De kleuters")
    assert finding.suggestion == "Uw kind"
    assert finding.detail == {"group": "kleuters"}


def test_the_seed_direct_rewrite_has_no_findings(lexicon: Lexicon) -> None:
    assert check("Uw kind brengt een stuk fruit mee.", lexicon) == []


def test_an_uitstap_without_a_date_misses_the_date(lexicon: Lexicon) -> None:
    findings = check("We gaan met de klas naar het museum.", lexicon, kind="uitstap")
    assert findings == [
        Finding(FindingKind.MISSING_ESSENTIAL, 0, 0, "", None, {"fact": "date", "kind": "uitstap"})
    ]


# --- Long sentences ------------------------------------------------------------------------


def test_a_sentence_over_the_limit_is_flagged_with_its_span(lexicon: Lexicon) -> None:
    long = (
        "Gelieve het ingevulde strookje terug te bezorgen aan de leerkracht van uw kind"
        " zodat wij alles op tijd kunnen regelen."
    )
    text = "Uw kind gaat mee. " + long + " Dank u."
    (finding,) = of_kind(check(text, lexicon), FindingKind.LONG_SENTENCE)
    assert finding.excerpt == long
    assert text[finding.start : finding.end] == long
    assert finding.detail == {"words": 20, "limit": 15}


def test_a_sentence_at_the_limit_is_not_long(lexicon: Lexicon) -> None:
    text = "Uw kind brengt op woensdag 3 december een lunchpakket en een drinkbus mee naar school."
    assert len(text.split()) == 15
    assert of_kind(check(text, lexicon), FindingKind.LONG_SENTENCE) == []


def test_an_abbreviation_dot_does_not_end_the_sentence(lexicon: Lexicon) -> None:
    # 16 words when "bv." does not split the sentence; two short ones when it would.
    text = (
        "Uw kind brengt iets gezonds mee, bv. een appel of een peer, voor de speeltijd om tien uur."
    )
    long = of_kind(check(text, lexicon), FindingKind.LONG_SENTENCE)
    assert [(f.start, f.end) for f in long] == [(0, len(text))]


def test_newlines_end_sentences(lexicon: Lexicon) -> None:
    line = "Uw kind brengt een lunchpakket en een drinkbus mee naar school"
    text = "\n".join([line] * 3)
    assert of_kind(check(text, lexicon), FindingKind.LONG_SENTENCE) == []


# --- Passive -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "excerpt"),
    [
        ("Het geld wordt door de juf opgehaald.", "wordt door de juf opgehaald"),
        ("De ouders werden gevraagd om te helpen.", "werden gevraagd"),
        ("Uw kind wordt om 8 uur verwacht.", "wordt om 8 uur verwacht"),
        ("Het zwembad is gesloten geworden.", "gesloten geworden"),
        ("Alles zal betaald worden.", "betaald worden"),
    ],
)
def test_a_form_of_worden_with_a_participle_is_passive(
    lexicon: Lexicon, text: str, excerpt: str
) -> None:
    passive = of_kind(check(text, lexicon), FindingKind.PASSIVE)
    assert [f.excerpt for f in passive] == [excerpt]
    assert_positions(text, passive)


@pytest.mark.parametrize(
    "text",
    [
        "Het wordt koud.",
        "Het wordt gewoon koud.",
        "Het wordt vervelend.",
        "Uw kind wordt 6 jaar.",
        "Het wordt moeilijk om alles te betalen.",
        "Wat wil uw kind later worden?",
        "We hebben het geld gevraagd.",
    ],
)
def test_worden_without_a_participle_in_its_clause_is_not_passive(
    lexicon: Lexicon, text: str
) -> None:
    assert of_kind(check(text, lexicon), FindingKind.PASSIVE) == []


def test_a_participle_in_another_clause_is_not_passive(lexicon: Lexicon) -> None:
    text = "Het wordt koud, dus we hebben de verwarming aangezet."
    assert of_kind(check(text, lexicon), FindingKind.PASSIVE) == []


# --- Jargon --------------------------------------------------------------------------------


def test_listed_jargon_is_flagged_whole_word_with_its_alternative(lexicon: Lexicon) -> None:
    text = "Het CLB komt bv. langs in de refter. Kom z.s.m. naar het MDO."
    jargon = of_kind(check(text, lexicon), FindingKind.JARGON)
    assert_positions(text, jargon)
    assert [f.excerpt for f in jargon] == ["CLB", "bv.", "refter", "z.s.m.", "MDO"]
    by_term = {f.excerpt: f.suggestion for f in jargon}
    assert by_term["refter"] == "eetzaal"
    assert by_term["MDO"] == "overleg over uw kind"
    assert by_term["bv."] == "bijvoorbeeld"
    assert jargon[0].detail == {"term": "clb", "source": "lexicon"}


def test_a_jargon_term_inside_a_longer_word_is_not_flagged(lexicon: Lexicon) -> None:
    assert of_kind(check("Uw kind eet in de refterzaal.", lexicon), FindingKind.JARGON) == []
    assert check("Mail naar info@clb.be of kijk op www.school.nl.", lexicon) == []
    assert check("Uw kind brengt een agenda mee.", lexicon) == []


def test_a_jargon_term_before_a_hyphen_is_flagged(lexicon: Lexicon) -> None:
    text = "De CLB-medewerker komt langs."
    (finding,) = of_kind(check(text, lexicon), FindingKind.JARGON)
    assert (finding.start, finding.end, finding.excerpt) == (3, 6, "CLB")


def test_a_multi_word_term_is_one_finding(lexicon: Lexicon) -> None:
    text = "Op vrijdag is er een pedagogische studiedag."
    (finding,) = of_kind(check(text, lexicon), FindingKind.JARGON)
    assert finding.excerpt == "pedagogische studiedag"
    assert finding.suggestion == "vrije dag voor de kinderen: de leerkrachten leren"


def test_an_unlisted_capital_abbreviation_is_flagged_without_suggestion(lexicon: Lexicon) -> None:
    text = "Uw kind maakt een GIP."
    (finding,) = of_kind(check(text, lexicon), FindingKind.JARGON)
    assert (finding.excerpt, finding.suggestion) == ("GIP", None)
    assert finding.detail == {"term": "GIP", "source": "abbreviation"}
    assert of_kind(check("LET OP: uw kind brengt een jas mee.", lexicon), FindingKind.JARGON) == []


def test_the_jargon_list_is_maintained_with_an_alternative_for_every_entry(
    lexicon: Lexicon,
) -> None:
    assert len(lexicon.jargon) >= 40
    for term, plain in lexicon.jargon.items():
        assert term == term.lower()
        assert plain.strip() and plain.lower() != term
    for abbreviation in ("clb", "gwp", "aso", "mdo", "lvs", "okan", "bv.", "i.v.m.", "a.u.b."):
        assert abbreviation in lexicon.jargon


# --- Numbers in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "digits"),
    [
        ("drie", "3"),
        ("twaalf", "12"),
        ("twintig", "20"),
        ("vijfentwintig", "25"),
        ("tweeëntwintig", "22"),
        ("honderd", "100"),
        ("tweehonderdvijftig", "250"),
        ("duizend", "1000"),
    ],
)
def test_a_number_in_words_suggests_the_digits(lexicon: Lexicon, word: str, digits: str) -> None:
    text = f"Er gaan {word} kinderen mee."
    (finding,) = of_kind(check(text, lexicon), FindingKind.NUMBER_IN_WORDS)
    assert (finding.start, finding.excerpt, finding.suggestion) == (8, word, digits)
    assert finding.detail == {"value": int(digits)}


def test_the_article_een_and_number_like_words_are_not_flagged(lexicon: Lexicon) -> None:
    text = (
        "Een kind brengt een koek mee. Neem dit in acht. "
        "Er zijn honderden boeken in de tweede klas."
    )
    assert of_kind(check(text, lexicon), FindingKind.NUMBER_IN_WORDS) == []


# --- Several messages ----------------------------------------------------------------------


def test_a_marker_opening_a_later_sentence_starts_a_second_message(lexicon: Lexicon) -> None:
    text = "Uw kind gaat op woensdag zwemmen. Daarnaast is er op vrijdag het schoolfeest."
    (finding,) = of_kind(check(text, lexicon), FindingKind.SEVERAL_MESSAGES)
    assert finding.excerpt == "Daarnaast"
    assert text[finding.start : finding.end] == "Daarnaast"
    assert finding.detail == {"reason": "marker", "marker": "daarnaast"}


def test_a_ps_is_a_second_message(lexicon: Lexicon) -> None:
    text = "Uw kind gaat op woensdag zwemmen.\nP.S. Vergeet de turnzak niet."
    (finding,) = of_kind(check(text, lexicon), FindingKind.SEVERAL_MESSAGES)
    assert finding.excerpt == "P.S."


def test_a_new_topic_in_a_later_sentence_is_a_second_message(lexicon: Lexicon) -> None:
    text = (
        "Op woensdag gaan we op uitstap naar Brugge. Uw kind brengt een lunchpakket mee. "
        "Op vrijdag is er het schoolfeest."
    )
    (finding,) = of_kind(check(text, lexicon), FindingKind.SEVERAL_MESSAGES)
    assert finding.excerpt == "schoolfeest"
    assert finding.detail == {"reason": "topic", "topic": "feest", "previous": "uitstap"}
    assert_positions(text, [finding])


def test_one_topic_with_its_cost_is_one_message(lexicon: Lexicon) -> None:
    text = (
        "Op woensdag gaan we op uitstap naar Brugge. De uitstap kost € 8. "
        "We zetten het op de schoolrekening. Op het feest in het museum zingen we samen."
    )
    assert of_kind(check(text, lexicon), FindingKind.SEVERAL_MESSAGES) == []


def test_a_topic_word_must_be_a_whole_compound_part(lexicon: Lexicon) -> None:
    # "muziek" ends in "ziek" and "planeten" in "neten" (nits), but neither is about illness.
    text = "Op woensdag gaan we op uitstap. We luisteren naar muziek en kijken naar planeten."
    assert of_kind(check(text, lexicon), FindingKind.SEVERAL_MESSAGES) == []


def test_only_one_several_messages_finding_per_text(lexicon: Lexicon) -> None:
    text = "Uw kind gaat zwemmen. Verder is er turnen. Daarnaast is het rapport klaar."
    assert len(of_kind(check(text, lexicon), FindingKind.SEVERAL_MESSAGES)) == 1


# --- Rare words ----------------------------------------------------------------------------


def test_a_rare_word_is_flagged_and_a_frequent_one_is_not(lexicon: Lexicon) -> None:
    text = "Wij streven naar de ontplooiing van elk kind en naar een tombola."
    rare = of_kind(check(text, lexicon), FindingKind.RARE_WORD)
    assert [f.excerpt for f in rare] == ["ontplooiing", "tombola"]
    assert rare[1].suggestion is None
    assert rare[1].detail["source"] == "frequency"
    assert_positions(text, rare)


def test_rare_below_decides_with_the_frequency_given() -> None:
    frequencies = {"kind": 6.0, "mandarijn": 2.5}
    text = "Uw kind eet een mandarijn."
    (finding,) = check(text, fake_lexicon(frequencies))
    assert finding == Finding(
        FindingKind.RARE_WORD, 16, 25, "mandarijn", None, {"source": "frequency", "zipf": "2.50"}
    )
    assert check(text, fake_lexicon(frequencies, rare_below=2.0)) == []


def test_names_common_words_and_compounds_of_known_words_are_not_rare(lexicon: Lexicon) -> None:
    text = (
        "Juf Hilde en Karim gaan naar Oostduinkerke. Uw kind brengt zijn boekentas mee. "
        "Er is een schoolontbijt en een wafelverkoop."
    )
    assert of_kind(check(text, lexicon), FindingKind.RARE_WORD) == []


def test_a_capital_at_the_start_of_a_sentence_is_no_name(lexicon: Lexicon) -> None:
    text = "Gelieve het strookje mee te geven. Tombola op vrijdag."
    rare = of_kind(check(text, lexicon), FindingKind.RARE_WORD)
    assert [(f.excerpt, f.suggestion) for f in rare] == [("Gelieve", "Wilt u"), ("Tombola", None)]


def test_a_flagged_jargon_term_is_not_also_a_rare_word(lexicon: Lexicon) -> None:
    text = "Lees het schoolreglement."
    assert kinds(check(text, lexicon)) == [FindingKind.JARGON]


# --- Indirect ------------------------------------------------------------------------------


def test_a_group_with_a_modal_is_indirect_even_in_a_letter_that_says_u(lexicon: Lexicon) -> None:
    text = "Uw kind gaat mee op uitstap. De leerlingen moeten om 8 uur op school zijn."
    (finding,) = of_kind(check(text, lexicon), FindingKind.INDIRECT)
    assert (finding.excerpt, finding.suggestion) == ("De leerlingen", "Uw kind")
    assert_positions(text, [finding])


def test_a_group_in_a_letter_that_addresses_the_parent_is_fine(lexicon: Lexicon) -> None:
    text = "Uw kind gaat mee. De kinderen slapen daar ook."
    assert of_kind(check(text, lexicon), FindingKind.INDIRECT) == []


def test_ouders_is_told_to_say_u(lexicon: Lexicon) -> None:
    (finding,) = of_kind(check("Ouders mogen meehelpen.", lexicon), FindingKind.INDIRECT)
    assert (finding.excerpt, finding.suggestion) == ("Ouders", "U")


# --- Missing essentials --------------------------------------------------------------------


@pytest.mark.parametrize(
    "when",
    ["op 3/12", "op 03-12-2026", "op 2026-12-03", "op woensdag", "morgen", "op 3 december"],
)
def test_any_way_of_writing_a_date_counts(lexicon: Lexicon, when: str) -> None:
    text = f"We gaan {when} naar het museum."
    assert of_kind(check(text, lexicon, kind="uitstap"), FindingKind.MISSING_ESSENTIAL) == []


def test_an_oudercontact_needs_a_date_and_a_time(lexicon: Lexicon) -> None:
    missing = check("De leerkracht praat graag met u.", lexicon, kind="oudercontact")
    assert [f.detail["fact"] for f in missing] == ["date", "time"]
    for when in ("om 08:30", "om 9u", "om 8 uur"):
        text = f"Het gesprek is op dinsdag {when}."
        assert check(text, lexicon, kind="oudercontact") == []


def test_a_money_message_needs_an_amount(lexicon: Lexicon) -> None:
    missing = check("Uw kind brengt geld mee op vrijdag.", lexicon, kind="geld")
    assert [f.detail["fact"] for f in missing] == ["amount"]
    assert check("Uw kind brengt € 5 mee op vrijdag.", lexicon, kind="geld") == []
    assert check("Uw kind brengt 5 euro mee op vrijdag.", lexicon, kind="geld") == []


def test_a_kind_without_essentials_and_no_kind_need_nothing(lexicon: Lexicon) -> None:
    assert check("We lezen samen.", lexicon, kind="lezen") == []
    assert check("We lezen samen.", lexicon) == []


def test_a_place_is_a_capitalised_name_after_naar_or_in() -> None:
    lexicon = fake_lexicon({})
    missing = check("We gaan op maandag naar de zee.", lexicon, kind="uitstap")
    assert [f.detail["fact"] for f in of_kind(missing, FindingKind.MISSING_ESSENTIAL)] == ["place"]
    found = check("We gaan op maandag naar Oostende.", lexicon, kind="uitstap")
    assert of_kind(found, FindingKind.MISSING_ESSENTIAL) == []


def test_the_shipped_lexicon_covers_the_main_pictograms(lexicon: Lexicon) -> None:
    for kind in ("uitstap", "zwemmen", "oudercontact", "geld", "feest", "vrije-dag", "rapport"):
        assert "date" in lexicon.essentials[kind] or "amount" in lexicon.essentials[kind]
    assert lexicon.essentials["oudercontact"] == ("date", "time")


# --- The whole text ------------------------------------------------------------------------


def test_findings_are_sorted_and_point_into_the_text(lexicon: Lexicon) -> None:
    text = (
        "Beste ouders,\nDe kostprijs zal op de maandelijkse factuur verrekend worden. "
        "Er gaan drie bussen naar het CLB. Daarnaast is er turnen."
    )
    findings = check(text, lexicon, kind="uitstap")
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert_positions(text, findings)
    assert {
        FindingKind.PASSIVE,
        FindingKind.RARE_WORD,
        FindingKind.NUMBER_IN_WORDS,
        FindingKind.JARGON,
        FindingKind.SEVERAL_MESSAGES,
        FindingKind.MISSING_ESSENTIAL,
    } <= set(kinds(findings))


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_every_dutch_template_is_plain(lexicon: Lexicon, path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    slots = {name: SAMPLE_SLOTS.get(kind, "iets") for name, kind in data.get("slots", {}).items()}
    text = data["text"]["nl"]["text"].format(**slots)
    findings = check(text, lexicon, kind=data.get("pictogram"))
    unplain = {
        FindingKind.JARGON,
        FindingKind.PASSIVE,
        FindingKind.LONG_SENTENCE,
        FindingKind.NUMBER_IN_WORDS,
    }
    assert [f for f in findings if f.kind in unplain] == []


# --- The word-list file --------------------------------------------------------------------


def test_the_shipped_settings_are_read(lexicon: Lexicon) -> None:
    assert lexicon.rare_below == 3.0
    assert lexicon.max_sentence_words == 15
    assert lexicon.frequency("rekening") > lexicon.rare_below > lexicon.frequency("verrekend")
    assert lexicon.frequency("qzxqzx") == 0


def test_a_broken_toml_file_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "plain-language.toml"
    broken.write_text('[jargon]\n"clb" = \n', encoding="utf-8")
    with pytest.raises(LexiconError, match="plain-language.toml"):
        load_lexicon(broken)


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="nowhere.toml"):
        load_lexicon(tmp_path / "nowhere.toml")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[essentials]\nuitstap = ["weather"]\n', "unknown fact weather"),
        ('[jargon]\nCLB = "centrum"\n', "lowercase"),
        ('[simpler]\nkostprijs = ""\n', "plain alternative"),
        ('[jargon]\nrefter = "eetzaal"\n[common]\nwords = ["refter"]\n', "both in"),
        ('[settings]\nrare_below = "low"\n', "rare_below"),
        ('[topics]\nfeest = ["school feest"]\n', "single lowercase words"),
    ],
)
def test_an_inconsistent_file_says_what_is_wrong(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "lists.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=problem) as caught:
        load_lexicon(path)
    assert str(path) in str(caught.value)
