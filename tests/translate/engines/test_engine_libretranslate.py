"""The LibreTranslate engine against a local server speaking its API."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engine import Engine
from babelwire.translate.engines.http_api import JsonApi
from babelwire.translate.engines.libretranslate import LibreTranslateEngine, from_settings
from babelwire.translate.settings import TranslateSettings

LANGUAGES = [
    {"code": "en", "name": "English", "targets": ["es", "ru"]},
    {"code": "es", "name": "Spanish", "targets": ["en", "es"]},
    {"code": "ru", "name": "Russian", "targets": ["en"]},
    {"name": "broken row"},
]


def upper(request: dict[str, Any]) -> dict[str, Any]:
    return {"translatedText": [q.upper() for q in request["q"]]}


def engine(server: Any, sleeps: list[float] | None = None, **options: Any) -> LibreTranslateEngine:
    server.replies.setdefault("/languages", [server.Reply(body=LANGUAGES)])
    record = sleeps.append if sleeps is not None else (lambda s: None)
    api = JsonApi("libretranslate", httpx.Client(timeout=5), retries=2, sleep=record)
    return LibreTranslateEngine(api, server.url + "/", "key-1", **options)


def test_pairs_from_languages(server: Any) -> None:
    assert isinstance(engine(server), Engine)
    assert engine(server).pairs() == frozenset(
        {("en", "es"), ("en", "ru"), ("es", "en"), ("ru", "en")}
    )


def test_translates_a_list_in_order(server: Any) -> None:
    server.add("/translate", server.Reply(body=upper))
    out = engine(server).translate_batch(["uno [0]", " ", "dos"], "es", "en")
    assert out == ["UNO [0]", "", "DOS"]
    (request,) = server.seen("/translate")
    assert request.json() == {
        "q": ["uno [0]", "dos"],
        "source": "es",
        "target": "en",
        "format": "text",
        "api_key": "key-1",
    }


def test_requests_are_bounded(server: Any) -> None:
    server.add("/translate", server.Reply(body=upper))
    texts = [f"frase {n}" for n in range(20)]
    assert engine(server, max_chars_per_request=50).translate_batch(texts, "es", "en") == [
        t.upper() for t in texts
    ]
    assert len(server.seen("/translate")) > 2


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"translatedText": ["UNO"]}, "1 translations for 2 inputs"),
        ({"translatedText": "UNO DOS"}, "no list 'translatedText'"),
        ({"error": "oops"}, "no list 'translatedText'"),
        ("<html>", "not JSON"),
    ],
)
def test_bad_answers(server: Any, answer: Any, message: str) -> None:
    server.add("/translate", server.Reply(body=answer))
    with pytest.raises(TranslateError, match=message):
        engine(server).translate_batch(["uno", "dos"], "es", "en")


def test_429_then_200(server: Any) -> None:
    server.add(
        "/translate", server.Reply(429, {"error": "Too many requests"}), server.Reply(body=upper)
    )
    sleeps: list[float] = []
    assert engine(server, sleeps).translate_batch(["uno"], "es", "en") == ["UNO"]
    assert len(server.seen("/translate")) == 2 and sleeps == [1.0]


def test_errors(server: Any) -> None:
    with pytest.raises(TranslateError, match="does not serve fr→en"):
        engine(server).translate_batch(["un"], "fr", "en")
    server.add("/translate", server.Reply(403, {"error": "Invalid API key"}))
    with pytest.raises(EngineUnavailable, match="HTTP 403"):
        engine(server).translate_batch(["uno"], "es", "en")
    server.add("/translate", server.Reply(400, {"error": "es is not supported"}))
    with pytest.raises(TranslateError, match="HTTP 400"):
        engine(server).translate_batch(["uno"], "es", "en")


def test_factory(server: Any) -> None:
    with pytest.raises(EngineUnavailable, match="no server configured"):
        from_settings(TranslateSettings())
    server.add("/languages", server.Reply(403, "no key"))
    with pytest.raises(EngineUnavailable, match="HTTP 403"):
        from_settings(TranslateSettings(libretranslate_url=server.url))
    server.add("/languages", server.Reply(body=LANGUAGES))
    built = from_settings(TranslateSettings(libretranslate_url=server.url))
    assert ("ru", "en") in built.pairs()
