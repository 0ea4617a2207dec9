"""Webhooks against a loopback HTTP server that checks every signature.

The receiver listens on 127.0.0.1; the subscription names a host the test
resolver maps there, so the fetch guard's rules are what is tested: refused
without ``subscribe_allow_private``, allowed with it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from babelwire.enrich.records import Enrichment, Topic
from babelwire.fetch import StaticResolver
from babelwire.model import Item
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe import deliver_subscriptions
from babelwire.subscribe.subscriptions import new_subscription
from babelwire.subscribe.webhook import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    verify,
)

SECRET = "test-secret-0123456789abcdef"


class Receiver:
    """Answers each POST with the next status in ``statuses`` (then 200) and
    keeps what arrived, with whether its signature held."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.received: list[dict[str, Any]] = []
        self.now_s = 0.0


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k.lower(): v for k, v in self.headers.items()}
            receiver.received.append({
                "path": self.path, "headers": headers, "body": json.loads(body),
                "valid": verify(SECRET, headers, body, receiver.now_s)})
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, int]]:
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _run(store: Store, port: int, now: datetime, make_subscribe: Callable[..., Any],
         sleeps: list[float], **changes: Any) -> Any:
    resolver = StaticResolver({"hooks.test": [("127.0.0.1", port)]})
    return deliver_subscriptions(
        store, Settings.load({}), subscribe=make_subscribe(**changes), resolver=resolver,
        clock=lambda: now, sleep=sleeps.append)


def _subscription(now: datetime, url: str = "http://hooks.test/in") -> Subscription:
    return new_subscription("hook", "summit", now=now, webhook=url, secret=SECRET)


def test_a_signed_batch_of_ninjs_arrives(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], receiver: tuple[Receiver, int],
) -> None:
    state, port = receiver
    state.now_s = at(10).timestamp()
    wired.add_subscription(_subscription(at(0)))
    first = publish("a", "summit opens", at=at(1))
    publish("b", "summit closes", at=at(2))
    report = _run(wired, port, at(10), make_subscribe, [], allow_private=True)
    assert report.delivered == {"hook": 2} and report.failed == {}
    [request] = state.received
    assert request["valid"] and request["path"] == "/in"
    assert request["headers"][TIMESTAMP_HEADER.lower()] == str(int(at(10).timestamp()))
    body = request["body"]
    assert body["subscription"] == "hook" and body["query"] == "summit"
    assert body["delivery"] == request["headers"][DELIVERY_HEADER.lower()]
    assert [i["headlines"][0]["value"] for i in body["items"]] == ["summit opens",
                                                                   "summit closes"]
    assert body["items"][0]["uri"] == f"https://wire.example/items/{first.id}/{first.slug}"


def test_items_carry_what_the_enrich_stage_found(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], receiver: tuple[Receiver, int],
) -> None:
    state, port = receiver
    state.now_s = at(10).timestamp()
    wired.add_subscription(_subscription(at(0)))
    item = publish("a", "summit opens", at=at(1))
    topic = Topic(code="medtop:11000000", name="politics", score=0.9)
    wired.save_enrichment(Enrichment(document_id=item.document_id, places=(), entities=(),
                                     topics=(topic,), quotes=()), input_key="k")
    _run(wired, port, at(10), make_subscribe, [], allow_private=True)
    [request] = state.received
    [ninjs] = request["body"]["items"]
    assert {"name": "politics", "uri": "http://cv.iptc.org/newscodes/mediatopic/11000000",
            "literal": "medtop:11000000"}.items() <= ninjs["subjects"][0].items()


def test_the_signature_covers_timestamp_and_body() -> None:
    body = b'{"items":[]}'
    signature = sign(SECRET, 1_000, body)
    headers = {TIMESTAMP_HEADER.lower(): "1000", SIGNATURE_HEADER.lower(): signature}
    assert verify(SECRET, headers, body, now_s=1_010)
    assert not verify(SECRET, headers, body + b" ", now_s=1_010)
    assert not verify("another-secret-0123456789", headers, body, now_s=1_010)
    assert not verify(SECRET, headers, body, now_s=1_000 + 301)  # replayed later
    assert not verify(SECRET, {**headers, TIMESTAMP_HEADER.lower(): "1001"}, body, 1_010)
    assert not verify(SECRET, {**headers, TIMESTAMP_HEADER.lower(): "x"}, body, 1_010)


def test_a_loopback_receiver_is_refused_without_the_setting(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], receiver: tuple[Receiver, int],
) -> None:
    state, port = receiver
    wired.add_subscription(_subscription(at(0)))
    publish("a", "summit opens", at=at(1))
    sleeps: list[float] = []
    report = _run(wired, port, at(10), make_subscribe, sleeps)
    assert report.failed["hook"].startswith(
        "subscribe: webhook of 'hook' (http://hooks.test/in): fetch: refusing loopback "
        "address 127.0.0.1 for host hooks.test")
    assert state.received == [] and sleeps == []  # refused for good: no retries
    stored = wired.subscription("hook")
    assert stored is not None and stored.cursor_at == at(0) and stored.last_error


def test_server_errors_are_retried_with_back_off(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], receiver: tuple[Receiver, int],
) -> None:
    state, port = receiver
    state.statuses = [503, 429]
    wired.add_subscription(_subscription(at(0)))
    publish("a", "summit opens", at=at(1))
    sleeps: list[float] = []
    report = _run(wired, port, at(10), make_subscribe, sleeps, allow_private=True)
    assert report.delivered == {"hook": 1}
    assert sleeps == [1.0, 2.0]
    ids = {r["headers"][DELIVERY_HEADER.lower()] for r in state.received}
    assert len(state.received) == 3 and len(ids) == 1


def test_a_client_error_is_final_for_the_pass_and_the_batch_comes_again(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], receiver: tuple[Receiver, int],
) -> None:
    state, port = receiver
    state.statuses = [400]
    wired.add_subscription(_subscription(at(0)))
    publish("a", "summit opens", at=at(1))
    sleeps: list[float] = []
    report = _run(wired, port, at(10), make_subscribe, sleeps, allow_private=True)
    assert report.failed == {
        "hook": "subscribe: webhook of 'hook' (http://hooks.test/in): answered HTTP 400"}
    assert sleeps == []
    _run(wired, port, at(11), make_subscribe, sleeps, allow_private=True)
    assert [r["body"]["delivery"] for r in state.received] == [
        state.received[0]["body"]["delivery"]] * 2


def test_every_try_failing_leaves_the_cursor(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], receiver: tuple[Receiver, int],
) -> None:
    state, port = receiver
    state.statuses = [500, 500, 500]
    wired.add_subscription(_subscription(at(0)))
    publish("a", "summit opens", at=at(1))
    sleeps: list[float] = []
    report = _run(wired, port, at(10), make_subscribe, sleeps, allow_private=True)
    assert report.failed["hook"].endswith("answered HTTP 500")
    assert len(state.received) == 3 and sleeps == [1.0, 2.0]
    stored = wired.subscription("hook")
    assert stored is not None and stored.delivered_count == 0 and stored.cursor_at == at(0)


def test_a_name_that_resolves_nowhere_is_a_retried_failure(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], receiver: tuple[Receiver, int],
) -> None:
    _, port = receiver
    wired.add_subscription(_subscription(at(0), "http://nowhere.test/in"))
    publish("a", "summit opens", at=at(1))
    sleeps: list[float] = []
    report = _run(wired, port, at(10), make_subscribe, sleeps, allow_private=True)
    assert "cannot resolve nowhere.test" in report.failed["hook"]
    assert sleeps == [1.0, 2.0]
