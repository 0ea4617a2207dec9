"""The OpenAI-compatible engine against a local server speaking the protocol."""

from __future__ import annotations

import json
import socket
from typing import Any

import httpx
import pytest

from babelwire.errors import EngineUnavailable, TranslateError
from babelwire.translate.engine import Engine
from babelwire.translate.engines.http_api import JsonApi, RateLimiter
from babelwire.translate.engines.openai import OpenAIEngine, from_settings, parse_translations
from babelwire.translate.settings import TranslateSettings

PATH = "/v1/chat/completions"


def completion(content: str, finish: str = "stop") -> dict[str, Any]:
    return {
        "choices": [{"message": {"role": "assistant", "content": content}, "finish_reason": finish}]
    }


def echo_upper(request: dict[str, Any]) -> dict[str, Any]:
    """A well-behaved model: one answer per input, in order."""
    texts = json.loads(request["messages"][1]["content"])["texts"]
    return completion(json.dumps({"translations": [t.upper() for t in texts]}))


def engine(server: Any, sleeps: list[float] | None = None, **options: Any) -> OpenAIEngine:
    timeout_s = options.pop("timeout_s", 5.0)
    client = httpx.Client(timeout=timeout_s)
    record = sleeps.append if sleeps is not None else (lambda s: None)
    api = JsonApi(
        "openai", client, retries=options.pop("retries", 2), backoff_base_s=0.5, sleep=record
    )
    return OpenAIEngine(api, server.url + "/v1", "test-model", "sk-test", **options)


def test_good_answers_keep_order_and_skip_empty_segments(server: Any) -> None:
    server.add(PATH, server.Reply(body=echo_upper))
    glossary = [("Duma", "State Duma"), ("Banco de España", "Bank of Spain")]
    out = engine(server, glossary=glossary).translate_batch(["la Duma [0]", "", "dos"], "es", "en")
    assert out == ["LA DUMA [0]", "", "DOS"]
    (request,) = server.seen(PATH)
    assert request.headers["authorization"] == "Bearer sk-test"
    body = request.json()
    assert body["model"] == "test-model" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    system = body["messages"][0]["content"]
    assert "from Spanish into English" in system and "exactly 2 strings" in system
    assert "[0], [1], [2]" in system
    assert "Duma = State Duma" in system and "Bank of Spain" not in system  # only terms present
    assert json.loads(body["messages"][1]["content"]) == {"texts": ["la Duma [0]", "dos"]}


def test_long_batches_go_in_several_requests(server: Any) -> None:
    server.add(PATH, server.Reply(body=echo_upper))
    texts = [f"frase número {n}" for n in range(30)]
    out = engine(server, max_chars_per_request=100).translate_batch(texts, "es", "en")
    assert out == [t.upper() for t in texts]
    assert len(server.seen(PATH)) > 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Here you go: uno, dos", "not JSON"),
        ('{"translations": ["UNO"]}', "1 translations for 2 inputs"),
        ('{"translations": ["UNO", "DOS", "TRES"]}', "3 translations for 2 inputs"),
        ('{"result": ["UNO", "DOS"]}', "no list of strings"),
        ('{"translations": ["UNO", 2]}', "no list of strings"),
        ('["UNO", "DOS"]', "no list of strings"),
    ],
)
def test_malformed_answers_are_errors(server: Any, content: str, message: str) -> None:
    server.add(PATH, server.Reply(body=completion(content)))
    with pytest.raises(TranslateError, match=message):
        engine(server).translate_batch(["uno", "dos"], "es", "en")


def test_a_fenced_answer_and_a_cut_answer() -> None:
    assert parse_translations('```json\n{"translations": ["A"]}\n```', 1) == ["A"]
    with pytest.raises(TranslateError, match="not JSON"):
        parse_translations('{"translations": ["A"]} and more', 1)


def test_cut_short_and_shapeless_answers(server: Any) -> None:
    server.add(PATH, server.Reply(body=completion('{"translations": ["A"', finish="length")))
    with pytest.raises(TranslateError, match="cut short"):
        engine(server).translate_batch(["a"], "es", "en")
    server.add(PATH, server.Reply(body={"id": "x"}))
    with pytest.raises(TranslateError, match="without choices"):
        engine(server).translate_batch(["a"], "es", "en")


def test_429_then_200_retries_after_the_servers_delay(server: Any) -> None:
    server.add(
        PATH,
        server.Reply(429, {"error": "slow down"}, {"Retry-After": "3"}),
        server.Reply(body=echo_upper),
    )
    sleeps: list[float] = []
    assert engine(server, sleeps).translate_batch(["uno"], "es", "en") == ["UNO"]
    assert len(server.seen(PATH)) == 2
    assert sleeps == [3.0]


def test_server_errors_back_off_then_give_up(server: Any) -> None:
    server.add(PATH, server.Reply(503, "busy"))
    sleeps: list[float] = []
    with pytest.raises(TranslateError, match="HTTP 503"):
        engine(server, sleeps).translate_batch(["uno"], "es", "en")
    assert len(server.seen(PATH)) == 3
    assert sleeps == [0.5, 1.0]


def test_timeout(server: Any) -> None:
    server.add(PATH, server.Reply(body=echo_upper, delay_s=0.5))
    with pytest.raises(TranslateError, match="timed out"):
        engine(server, [], timeout_s=0.1, retries=1).translate_batch(["uno"], "es", "en")
    assert len(server.seen(PATH)) == 2


def test_bad_key_and_no_server_make_the_engine_unavailable(server: Any) -> None:
    server.add(PATH, server.Reply(401, {"error": "bad key"}))
    with pytest.raises(EngineUnavailable, match="refused the credentials"):
        engine(server).translate_batch(["uno"], "es", "en")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = JsonApi("openai", httpx.Client(timeout=1), retries=0)
    closed = OpenAIEngine(api, f"http://127.0.0.1:{port}", "m")
    assert closed.url == f"http://127.0.0.1:{port}/v1/chat/completions"
    with pytest.raises(EngineUnavailable, match="cannot reach"):
        closed.translate_batch(["uno"], "es", "en")


def test_pairs_and_model(server: Any) -> None:
    e = engine(server)
    assert isinstance(e, Engine)
    assert {("ru", "en"), ("zh", "en"), ("en", "fr")} <= e.pairs()
    assert ("xx", "en") not in e.pairs()
    assert e.model_for("ru", "en") == ("test-model", "")
    with pytest.raises(TranslateError, match="no language name"):
        e.translate_batch(["x"], "xx", "en")


def test_rate_limiter_spaces_requests() -> None:
    sleeps: list[float] = []
    limiter = RateLimiter(60, clock=lambda: 100.0, sleep=sleeps.append)
    for _ in range(3):
        limiter.wait()
    assert sleeps == [1.0, 2.0]


def test_factory(server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EngineUnavailable, match="no endpoint configured"):
        from_settings(TranslateSettings())
    monkeypatch.setenv("BW_TEST_KEY", "sk-from-env")
    server.add(PATH, server.Reply(body=echo_upper))
    settings = TranslateSettings(
        openai_base_url=server.url, openai_model="m", openai_api_key_env="BW_TEST_KEY"
    )
    assert from_settings(settings).translate_batch(["uno"], "es", "en") == ["UNO"]
    assert server.seen(PATH)[0].headers["authorization"] == "Bearer sk-from-env"
