"""The machine-translation services, each behind one small client: which languages it knows,
and one text from one language to another.

Official services first: DeepL through its own `deepl` package (a Free key, ending in ":fx",
goes to api-free.deepl.com, a Pro key to api.deepl.com), Microsoft Translator (REST v3) and a
self-hosted LibreTranslate. The public web services (Google's unofficial web endpoint, MyMemory)
send parents' texts to a service without a processing agreement: a school has to ask for them
by name (see `choose_provider`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import httpx

# The services a school may name in OUDERSBOT_TRANSLATOR, and the client each one uses.
OFFICIAL = ("deepl", "microsoft", "libre")
OPT_IN = {"google-web-onofficieel": "google", "mymemory-publiek": "mymemory"}
# Characters one call may carry (the services' documented or usual limits).
PROVIDER_LIMITS = {"google": 4999, "mymemory": 499, "libre": 2000, "microsoft": 10000}
DEFAULT_LIMIT = 4999

MICROSOFT_URL = "https://api.cognitive.microsofttranslator.com"


class ProviderChoiceError(ValueError):
    """OUDERSBOT_TRANSLATOR names no service we may use as it is set."""


def choose_provider(name: str) -> str:
    """The client for a school's choice: an official service by its name, a public web service
    only by its opt-in name (`google-web-onofficieel`), else a one-line error."""
    chosen = name.strip().lower()
    if chosen in OFFICIAL:
        return chosen
    if chosen in OPT_IN:
        return OPT_IN[chosen]
    opt_in = {client: name for name, client in OPT_IN.items()}
    if chosen in opt_in:
        raise ProviderChoiceError(
            f"OUDERSBOT_TRANSLATOR={chosen} sends parents' texts to a public web service without"
            f" a processing agreement; a school that accepts this sets {opt_in[chosen]}"
        )
    allowed = ", ".join((*OFFICIAL, *OPT_IN))
    raise ProviderChoiceError(f"OUDERSBOT_TRANSLATOR={chosen!r} is not one of: {allowed}")


class ProviderClient(Protocol):
    """One translation service."""

    def languages(self, role: str) -> Iterable[str] | None:
        """The codes it translates from ("source") or into ("target"); None: not known."""
        ...

    def translate(self, text: str, *, source: str, target: str) -> str:
        """The text in the target language (codes as `languages` gives them); raises on failure."""
        ...


class DeepLClient:
    """DeepL through the official `deepl` package."""

    def __init__(self, key: str | None, url: str | None, proxy: str | None) -> None:
        import deepl

        if not key:
            raise ValueError("DeepL needs OUDERSBOT_TRANSLATOR_KEY")
        self._client = deepl.Translator(key, server_url=url, proxy=proxy)

    def languages(self, role: str) -> Iterable[str]:
        """DeepL's own lists (targets carry regions: EN-GB, PT-PT)."""
        found = (
            self._client.get_source_languages()
            if role == "source"
            else self._client.get_target_languages()
        )
        return [language.code for language in found]

    def translate(self, text: str, *, source: str, target: str) -> str:
        """One call to /v2/translate."""
        result = self._client.translate_text(text, source_lang=source, target_lang=target)
        return str(result.text if not isinstance(result, list) else result[0].text)


class MicrosoftClient:
    """Microsoft Translator, REST API v3 (api-version=3.0)."""

    def __init__(
        self, key: str | None, url: str | None, region: str | None, proxy: str | None
    ) -> None:
        if not key:
            raise ValueError("Microsoft Translator needs OUDERSBOT_TRANSLATOR_KEY")
        headers = {"Ocp-Apim-Subscription-Key": key}
        if region:
            headers["Ocp-Apim-Subscription-Region"] = region
        self._url, self._headers, self._proxy = (url or MICROSOFT_URL).rstrip("/"), headers, proxy

    def _http(self) -> httpx.Client:
        # One connection per call: a call is rare (once per text and language), and nothing
        # stays open between broadcasts.
        return httpx.Client(base_url=self._url, headers=self._headers, proxy=self._proxy)

    def languages(self, role: str) -> Iterable[str]:
        """GET /languages, the translation scope."""
        with self._http() as http:
            answer = http.get("/languages", params={"api-version": "3.0", "scope": "translation"})
        answer.raise_for_status()
        return list(answer.json()["translation"])

    def translate(self, text: str, *, source: str, target: str) -> str:
        """POST /translate with one text."""
        with self._http() as http:
            answer = http.post(
                "/translate",
                params={"api-version": "3.0", "from": source, "to": target},
                json=[{"Text": text}],
            )
        if answer.status_code >= 400:
            raise RuntimeError(f"HTTP {answer.status_code}: {_error_of(answer)}")
        return str(answer.json()[0]["translations"][0]["text"])


class LibreClient:
    """A self-hosted LibreTranslate (its URL is required: the public one is not ours to use)."""

    def __init__(self, key: str | None, url: str | None, proxy: str | None) -> None:
        if not url:
            raise ValueError("LibreTranslate needs OUDERSBOT_TRANSLATOR_URL (the school's server)")
        self._key, self._url, self._proxy = key, url.rstrip("/"), proxy

    def _http(self) -> httpx.Client:
        return httpx.Client(base_url=self._url, proxy=self._proxy)

    def languages(self, role: str) -> Iterable[str]:
        """GET /languages."""
        with self._http() as http:
            answer = http.get("/languages")
        answer.raise_for_status()
        return [str(language["code"]) for language in answer.json()]

    def translate(self, text: str, *, source: str, target: str) -> str:
        """POST /translate."""
        body: dict[str, str] = {"q": text, "source": source, "target": target, "format": "text"}
        if self._key:
            body["api_key"] = self._key
        with self._http() as http:
            answer = http.post("/translate", json=body)
        if answer.status_code >= 400:
            raise RuntimeError(f"HTTP {answer.status_code}: {_error_of(answer)}")
        return str(answer.json()["translatedText"])


class WebClient:
    """A public web service through deep-translator (only when a school opted in by name)."""

    def __init__(self, name: str, proxy: str | None) -> None:
        self._name = name
        self._proxies = {"http": proxy, "https": proxy} if proxy else None

    def languages(self, role: str) -> Iterable[str]:
        """deep-translator's table for the service."""
        from deep_translator import constants

        tables = {
            "google": constants.GOOGLE_LANGUAGES_TO_CODES,
            "mymemory": constants.MY_MEMORY_LANGUAGES_TO_CODES,
        }
        return [str(code) for code in tables[self._name].values()]

    def translate(self, text: str, *, source: str, target: str) -> str:
        """One call through deep-translator."""
        from deep_translator import GoogleTranslator, MyMemoryTranslator

        kind: Any = GoogleTranslator if self._name == "google" else MyMemoryTranslator
        return str(kind(source=source, target=target, proxies=self._proxies).translate(text))


def make_client(
    name: str,
    *,
    key: str | None = None,
    url: str | None = None,
    region: str | None = None,
    proxy: str | None = None,
) -> ProviderClient:
    """The client of one service by its internal name (deepl, microsoft, libre, google,
    mymemory)."""
    if name == "deepl":
        return DeepLClient(key, url, proxy)
    if name == "microsoft":
        return MicrosoftClient(key, url, region, proxy)
    if name == "libre":
        return LibreClient(key, url, proxy)
    if name in ("google", "mymemory"):
        return WebClient(name, proxy)
    raise ProviderChoiceError(f"unknown translation provider {name!r}")


def _error_of(answer: httpx.Response) -> str:
    try:
        payload = answer.json()
    except ValueError:
        return answer.reason_phrase
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        return str(error.get("message", error))
    return str(error or answer.reason_phrase)
