"""E-mail digests against a local SMTP sink (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from babelwire.model import Item
from babelwire.settings import Settings
from babelwire.store import Store
from babelwire.subscribe import deliver_subscriptions
from babelwire.subscribe.subscriptions import new_subscription

HOSTILE = '<script>alert(1)</script> & "quotes"'


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []
        self.refuse: str | None = None

    async def handle_DATA(self, server: Any, session: Session,
                          envelope: Envelope) -> str:
        if self.refuse:
            return self.refuse
        parsed = email.message_from_bytes(envelope.original_content or b"",
                                          policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((envelope, parsed))
        return "250 OK"


def _authenticate(server: Any, session: Session, envelope: Envelope, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"wire"
          and auth_data.password == b"pass-word")
    return AuthResult(success=ok)


def _free_port() -> int:
    # The controller checks its server by connecting to the port it was
    # given, so it needs a real one rather than 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def sink() -> Iterator[tuple[Sink, int]]:
    handler = Sink()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            authenticator=_authenticate, auth_require_tls=False)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def _run(store: Store, now: datetime, make_subscribe: Callable[..., Any], port: int,
         **changes: Any) -> Any:
    values = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False,
              "smtp_from": "wire@wire.example", "timeout_s": 5.0} | changes
    return deliver_subscriptions(store, Settings.load({}), subscribe=make_subscribe(**values),
                                 clock=lambda: now, sleep=lambda _: None)


def test_a_digest_has_plain_text_and_html(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], sink: tuple[Sink, int],
) -> None:
    handler, port = sink
    wired.add_subscription(new_subscription("desk", "summit", now=at(0),
                                            email="editor@news.example"))
    item = publish("a", f"summit {HOSTILE}", at=at(1), body=("Leaders met today.",))
    publish("b", "summit closes", at=at(2))
    report = _run(wired, at(10), make_subscribe, port, smtp_user="wire",
                  smtp_password="pass-word")
    assert report.delivered == {"desk": 2}
    [(envelope, message)] = handler.messages
    assert envelope.rcpt_tos == ["editor@news.example"]
    assert envelope.mail_from == "wire@wire.example"
    assert message["Subject"] == "2 new items for desk"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    assert f"summit {HOSTILE}" in text
    assert f"https://wire.example/items/{item.id}/{item.slug}" in text
    assert "Leaders met today." in text and "summit closes" in text
    assert "<script>" not in markup and "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "https://wire.example/feeds/subscriptions/desk.atom" in markup


def test_starttls_asked_of_a_server_without_it_is_refused(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], sink: tuple[Sink, int],
) -> None:
    handler, port = sink
    wired.add_subscription(new_subscription("desk", "summit", now=at(0),
                                            email="editor@news.example"))
    publish("a", "summit opens", at=at(1))
    report = _run(wired, at(10), make_subscribe, port, smtp_starttls=True)
    assert "STARTTLS extension not supported" in report.failed["desk"]
    assert handler.messages == []


def test_a_refused_message_waits_and_is_sent_later(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any], sink: tuple[Sink, int],
) -> None:
    handler, port = sink
    handler.refuse = "554 no thanks"
    wired.add_subscription(new_subscription("desk", "summit", now=at(0),
                                            email="editor@news.example"))
    publish("a", "summit opens", at=at(1))
    report = _run(wired, at(10), make_subscribe, port)
    assert report.failed["desk"].endswith("SMTP 554 no thanks")
    handler.refuse = None
    assert _run(wired, at(11), make_subscribe, port).delivered == {"desk": 1}
    assert len(handler.messages) == 1


def test_no_smtp_host_says_which_setting(
    wired: Store, publish: Callable[..., Item], at: Callable[[float], datetime],
    make_subscribe: Callable[..., Any],
) -> None:
    wired.add_subscription(new_subscription("desk", "summit", now=at(0),
                                            email="editor@news.example"))
    publish("a", "summit opens", at=at(1))
    report = deliver_subscriptions(wired, Settings.load({}), subscribe=make_subscribe(),
                                   clock=lambda: at(10))
    assert report.failed["desk"] == ("subscribe: e-mail of 'desk': no SMTP server: set "
                                     "BABELWIRE_SUBSCRIBE_SMTP_HOST")
