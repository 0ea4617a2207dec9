"""E-mail digests: the new items of a subscription, as plain text and HTML.

One message per batch, ``multipart/alternative`` with the plain text first
(RFC 2046: the last part is the preferred one, so readers that show HTML
show it). Every item gives its headline, source and region, how its English
came to be, the permalink and the original, and its first paragraph; text
from sources is escaped in the HTML part. SMTP runs with the settings of
``subscribe_smtp_*``: STARTTLS before login when asked, a login when a user
is set. A refusal of the message itself (5xx) is final for this pass; a
dropped connection or a 4xx is tried again like a webhook.
"""

from __future__ import annotations

import html
import smtplib
import ssl
from collections.abc import Callable, Sequence
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from babelwire.compose.labels import text_label
from babelwire.compose.ninjs import item_uri
from babelwire.errors import DeliveryError
from babelwire.model import Item
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe.matching import Batch
from babelwire.subscribe.settings import SubscribeSettings


def subject(subscription: Subscription, items: Sequence[Item]) -> str:
    count = len(items)
    return f"{count} new item{'s' if count != 1 else ''} for {subscription.name}"


def _lead(item: Item) -> str:
    return next((line for line in item.body if line.strip()), "")


def plain_text(subscription: Subscription, items: Sequence[Item], base_url: str) -> str:
    lines = [f"Subscription {subscription.name}: {subscription.query}", ""]
    for item in items:
        lines += [
            item.headline,
            f"{item.source_name} · {item.region} · {text_label(item)}",
            item_uri(item, base_url),
            f"Original: {item.original_url}",
            _lead(item),
            "",
        ]
    lines.append(f"Feed of this subscription: {feed_url(subscription, base_url)}")
    return "\n".join(lines) + "\n"


def html_text(subscription: Subscription, items: Sequence[Item], base_url: str) -> str:
    e = html.escape
    parts = [f"<p>Subscription <strong>{e(subscription.name)}</strong>: "
             f"{e(subscription.query)}</p>"]
    for item in items:
        permalink = e(item_uri(item, base_url))
        parts.append(
            f'<h2><a href="{permalink}">{e(item.headline)}</a></h2>'
            f"<p><em>{e(item.source_name)} · {e(item.region)} · {e(text_label(item))}</em> "
            f'(<a href="{e(item.original_url)}">original</a>)</p>'
            f"<p>{e(_lead(item))}</p>")
    feed = e(feed_url(subscription, base_url))
    parts.append(f'<p><a href="{feed}">Feed of this subscription</a></p>')
    return "<!DOCTYPE html><html><body>" + "".join(parts) + "</body></html>"


def feed_url(subscription: Subscription, base_url: str) -> str:
    """The subscription's Atom feed (served by ``publish/subscriptions.py``)."""
    return f"{base_url}/feeds/subscriptions/{subscription.name}.atom"


def digest(subscription: Subscription, items: Sequence[Item], settings: SubscribeSettings,
           now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(subscription, items)
    message["From"] = settings.smtp_from
    message["To"] = subscription.target or ""
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    message.set_content(plain_text(subscription, items, settings.base_url))
    message.add_alternative(html_text(subscription, items, settings.base_url), subtype="html")
    return message


class EmailSender:
    def __init__(self, settings: SubscribeSettings, *, clock: Callable[[], datetime],
                 sleep: Callable[[float], None]) -> None:
        self._settings = settings
        self._clock = clock
        self._sleep = sleep

    def close(self) -> None:
        """Nothing held: one SMTP connection per digest."""

    def send(self, subscription: Subscription, batch: Batch) -> None:
        items = batch.items
        if not self._settings.smtp_host:
            raise DeliveryError(f"e-mail of {subscription.name!r}: no SMTP server: set "
                                "BABELWIRE_SUBSCRIBE_SMTP_HOST", retryable=False)
        message = digest(subscription, items, self._settings, self._clock())
        attempts = self._settings.attempts
        for attempt in range(attempts):
            try:
                self._exchange(subscription, message)
                return
            except DeliveryError as exc:
                if not exc.retryable or attempt + 1 == attempts:
                    raise
            self._sleep(self._settings.backoff_s * 2**attempt)

    def _exchange(self, subscription: Subscription, message: EmailMessage) -> None:
        s = self._settings
        where = f"e-mail of {subscription.name!r} via {s.smtp_host}:{s.smtp_port}"
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout_s) as smtp:
                if s.smtp_starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password)
                smtp.send_message(message)
        except smtplib.SMTPResponseException as exc:
            reason = exc.smtp_error.decode("utf-8", "replace") if isinstance(
                exc.smtp_error, bytes) else str(exc.smtp_error)
            raise DeliveryError(f"{where}: SMTP {exc.smtp_code} {' '.join(reason.split())}",
                                retryable=exc.smtp_code < 500) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"{where}: {exc}", retryable=False) from None
        except smtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(f"{where}: recipient refused: {list(exc.recipients)}",
                                retryable=False) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}") from None
