"""Language tags, names in their own script, and writing direction."""

from __future__ import annotations

import pytest

from oudersbot.domain.languages import (
    UnknownLanguageError,
    dutch_name,
    is_rtl,
    native_name,
    normalize,
)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("AR", "ar"), ("nl_be", "nl-BE"), ("uk", "uk"), ("pt-BR", "pt-BR"), ("prs", "prs")],
)
def test_tags_are_normalized(tag: str, expected: str) -> None:
    assert normalize(tag) == expected


@pytest.mark.parametrize("tag", ["", "xx", "klingon", "12"])
def test_unknown_tags_are_refused(tag: str) -> None:
    with pytest.raises(UnknownLanguageError):
        normalize(tag)


def test_each_language_is_named_in_its_own_script() -> None:
    assert native_name("ar") == "العربية"
    assert native_name("uk") == "Українська"
    assert native_name("tr") == "Türkçe"
    assert native_name("pl") == "Polski"
    assert dutch_name("ar") == "Arabisch"


def test_direction() -> None:
    assert is_rtl("ar") and is_rtl("ps") and is_rtl("prs")
    assert not is_rtl("nl") and not is_rtl("uk") and not is_rtl("tr")
