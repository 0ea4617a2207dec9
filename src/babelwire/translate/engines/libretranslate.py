"""Translation by a LibreTranslate server (self-hosted or a public instance).

LibreTranslate runs Argos models behind an HTTP API: ``GET /languages`` lists
each source language with its targets, and ``POST /translate`` with ``q`` as a
list translates many segments in one request and answers
``{"translatedText": [...]}`` in the same order. The count is checked: a
server that answers a list of another length (or a string) is an error, not
something to align by guesswork.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engines.http_api import JsonApi
from babelwire.translate.registry import register
from babelwire.translate.settings import TranslateSettings


def parse_languages(answer: Any) -> frozenset[tuple[str, str]]:
    """Pairs from a ``/languages`` answer: ``[{"code": "es", "targets": ["en", ...]}, ...]``."""
    if not isinstance(answer, list):
        raise TranslateError("libretranslate: /languages did not answer a list")
    pairs = set()
    for language in answer:
        if not isinstance(language, dict) or not isinstance(language.get("code"), str):
            continue
        for target in language.get("targets") or ():
            if isinstance(target, str) and target != language["code"]:
                pairs.add((language["code"], target))
    return frozenset(pairs)


class LibreTranslateEngine:
    """Sends segments in requests of bounded size to one server."""

    name = "libretranslate"

    def __init__(
        self, api: JsonApi, base_url: str, api_key: str = "", *, max_chars_per_request: int = 5000
    ) -> None:
        self.api = api
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        # Public instances reject big requests (their char_limit is often 5000).
        self.max_chars_per_request = max_chars_per_request
        self._pairs = parse_languages(self.api.get(f"{self.base_url}/languages"))

    def pairs(self) -> frozenset[tuple[str, str]]:
        return self._pairs

    def model_for(self, source: str, target: str) -> tuple[str, str]:
        # The API does not say which Argos package version serves a pair.
        return (f"libretranslate:{source}_{target}", "")

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        if (source, target) not in self._pairs:
            raise TranslateError(
                f"libretranslate: {self.base_url} does not serve {source}→{target}"
            )
        results = [""] * len(texts)
        chunk: list[int] = []
        size = 0
        for index in [i for i, text in enumerate(texts) if text.strip()]:
            if chunk and size + len(texts[index]) > self.max_chars_per_request:
                self._fill(results, chunk, texts, source, target)
                chunk, size = [], 0
            chunk.append(index)
            size += len(texts[index])
        if chunk:
            self._fill(results, chunk, texts, source, target)
        return results

    def _fill(
        self, results: list[str], chunk: list[int], texts: Sequence[str], source: str, target: str
    ) -> None:
        payload = {
            "q": [texts[i] for i in chunk],
            "source": source,
            "target": target,
            "format": "text",
            "api_key": self.api_key,
        }
        answer = self.api.post(f"{self.base_url}/translate", payload)
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, list) or not all(isinstance(t, str) for t in translated):
            raise TranslateError("libretranslate: the answer has no list 'translatedText'")
        if len(translated) != len(chunk):
            raise TranslateError(
                f"libretranslate: {len(translated)} translations for {len(chunk)} inputs"
            )
        for index, text in zip(chunk, translated, strict=True):
            results[index] = text.strip()


@register("libretranslate")
def from_settings(settings: TranslateSettings) -> LibreTranslateEngine:
    if not settings.libretranslate_url:
        raise EngineUnavailable(
            "libretranslate: no server configured (translate_libretranslate_url)"
        )
    import httpx  # only once the engine is configured: start-up stays light

    client = httpx.Client(timeout=settings.libretranslate_timeout_s)
    api = JsonApi("libretranslate", client)
    try:
        return LibreTranslateEngine(
            api, settings.libretranslate_url, settings.libretranslate_api_key
        )
    except TranslateError as exc:
        client.close()
        raise EngineUnavailable(str(exc)) from None
