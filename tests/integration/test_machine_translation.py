"""Each translation service's real client code against a local stub of that service (never the
internet): DeepL through the `deepl` package, Microsoft Translator v3, a self-hosted
LibreTranslate; and which services a school may choose."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from oudersbot.bootstrap import translator_from
from oudersbot.settings import Settings, SettingsError
from oudersbot.simulator.translation_services import TranslationServiceStub
from oudersbot.translation.machine import (
    MachineTranslator,
    NoTranslator,
    TranslationUnavailableError,
)

OFFICIAL = ["deepl", "microsoft", "libre"]


@pytest.fixture(params=OFFICIAL)
def service(request: pytest.FixtureRequest) -> Iterator[TranslationServiceStub]:
    with TranslationServiceStub(request.param) as stub:
        yield stub


def client_of(stub: TranslationServiceStub, **options: object) -> MachineTranslator:
    return MachineTranslator(stub.kind, url=stub.url, api_key="sleutel", **options)  # type: ignore[arg-type]


def test_dutch_goes_out_through_each_official_service_and_comes_back_translated(
    service: TranslationServiceStub,
) -> None:
    translator = client_of(service)
    translated = translator.translate("Morgen is er turnen.", source="nl", target="uk")
    assert translated.endswith("Morgen is er turnen.")
    assert translated.lower().startswith("<uk>")
    (call,) = service.state.calls
    assert (call.source.lower(), call.target.lower(), call.key) == ("nl", "uk", "sleutel")


def test_the_service_language_list_is_asked_once_and_gives_its_own_codes() -> None:
    with TranslationServiceStub("deepl") as stub:
        translator = client_of(stub)
        assert translator.translate("Hallo", source="nl", target="en").startswith("<EN-GB>")
        assert translator.translate("Hallo", source="nl-BE", target="pt").startswith("<PT-PT>")
        assert stub.state.language_lists == 2  # sources and targets, once each
    with TranslationServiceStub("microsoft") as stub:
        translator = client_of(stub)
        assert translator.translate("Hallo", source="nl", target="prs").startswith("<prs>")
        assert translator.translate("Dag", source="nl", target="so").startswith("<so>")
        assert stub.state.language_lists == 2


def test_a_language_the_service_does_not_know_is_unsupported_without_a_call() -> None:
    with TranslationServiceStub("deepl") as stub:
        with pytest.raises(TranslationUnavailableError, match="does not translate") as caught:
            client_of(stub).translate("Hallo", source="nl", target="ti")
        assert caught.value.reason == "unsupported"
        assert stub.state.calls == []


def test_a_refusing_service_means_unavailable_not_a_crash(service: TranslationServiceStub) -> None:
    service.state.mode = "quota"
    with pytest.raises(TranslationUnavailableError, match=service.kind) as caught:
        client_of(service).translate("Hallo", source="nl", target="fr")
    assert caught.value.reason == "failed"


def test_a_slow_service_times_out() -> None:
    with TranslationServiceStub("libre") as stub:
        stub.state.mode = "slow"
        with pytest.raises(TranslationUnavailableError, match="no answer"):
            client_of(stub, timeout=0.2).translate("Hallo", source="nl", target="fr")


def test_an_unreachable_service_and_no_service_are_unavailable() -> None:
    with pytest.raises(TranslationUnavailableError):
        MachineTranslator("libre", url="http://127.0.0.1:9/", timeout=5).translate(
            "Hallo", source="nl", target="fr"
        )
    with pytest.raises(TranslationUnavailableError) as caught:
        NoTranslator().translate("Hallo", source="nl", target="fr")
    assert caught.value.reason == "no_provider"


def with_settings(settings: Settings, **changes: object) -> Settings:
    return settings.model_copy(update=changes)


def test_the_settings_choose_an_official_service_and_refuse_a_public_one_unless_named(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    assert translator_from(settings).name == "none"
    with TranslationServiceStub("deepl") as stub:
        chosen = with_settings(
            settings, translator="deepl", translator_key="k:fx", translator_url=stub.url
        )
        translator = translator_from(chosen)
        assert translator.translate("Hallo", source="nl", target="fr") == "<FR> Hallo"
    with pytest.raises(SettingsError, match="google-web-onofficieel"):
        translator_from(with_settings(settings, translator="google"))
    with pytest.raises(SettingsError, match="not one of"):
        translator_from(with_settings(settings, translator="babelfish"))
    with pytest.raises(SettingsError, match="needs OUDERSBOT_TRANSLATOR_KEY"):
        translator_from(with_settings(settings, translator="microsoft"))
    with pytest.raises(SettingsError, match="needs OUDERSBOT_TRANSLATOR_URL"):
        translator_from(with_settings(settings, translator="libre"))
    with caplog.at_level(logging.WARNING):
        web = translator_from(with_settings(settings, translator="google-web-onofficieel"))
    assert web.name == "google"
    assert "public web service" in caplog.text
