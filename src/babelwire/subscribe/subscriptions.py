"""A new subscription, checked before it is stored.

The admin API and ``babelwire subscriptions add`` both build subscriptions
here, so a name, a query or a delivery is judged the same way on each: a
wrong one is one :class:`~babelwire.errors.SubscriptionError` line naming
the field.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from babelwire.catalog.schema import host_refusal
from babelwire.errors import SubscriptionError
from babelwire.store.query import QueryError, parse
from babelwire.store.subscriptions import DELIVERIES, Subscription

#: A name is part of the subscription's URLs, so it is kept to URL-safe text.
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
#: A signing key shorter than this is guessable.
MIN_SECRET_CHARS = 16
MAX_TARGET_CHARS = 2000
MAX_ADDRESS_CHARS = 254  # RFC 5321's path limit less the angle brackets
_ADDRESS = re.compile(r"[^@\s<>\"(),;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def _problem(field: str, text: str) -> SubscriptionError:
    return SubscriptionError(f"subscribe: {field}: {text}")


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise _problem("name", f"{name[:80]!r} is not a name: use 1 to 63 lower-case letters, "
                               "digits and dashes, starting with a letter or digit")
    return name


def check_query(query: str) -> str:
    """The query, if the wire's search syntax reads it."""
    try:
        parse(query)
    except QueryError as exc:
        raise _problem("query", exc.reason) from None
    return query


def check_webhook(url: str, *, allow_private: bool) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - read for its check: a port over 65535 raises
    except ValueError:
        host = ""
    if (len(url) > MAX_TARGET_CHARS or parts.scheme not in ("http", "https") or not host
            or any(c.isspace() for c in url)):
        raise _problem("webhook", f"not an absolute http(s) URL: {url[:120]!r}")
    refusal = host_refusal(host)
    if refusal and not allow_private:
        # Names are checked again after DNS on every delivery (fetch guard).
        raise _problem("webhook", f"refusing {refusal} in {url[:120]!r} "
                                  "(BABELWIRE_SUBSCRIBE_ALLOW_PRIVATE allows it)")
    return url


def check_address(address: str) -> str:
    _, parsed = parseaddr(address)
    if (len(address) > MAX_ADDRESS_CHARS or parsed != address
            or not _ADDRESS.fullmatch(address)):
        raise _problem("email", f"not an e-mail address: {address[:120]!r}")
    return address


def new_subscription(
    name: str, query: str, *, now: datetime, webhook: str | None = None,
    secret: str | None = None, email: str | None = None, allow_private: bool = False,
) -> Subscription:
    """A subscription that starts with the items wired after ``now``.

    With neither ``webhook`` nor ``email`` it is read as an Atom feed only; a
    webhook without a ``secret`` gets a random one (shown once, on creation).
    """
    check_name(name)
    check_query(query)
    if webhook and email:
        raise _problem("delivery", "give a webhook or an e-mail address, not both")
    if secret is not None and not webhook:
        raise _problem("secret", "only a webhook is signed")
    delivery, target = "atom", None
    if webhook:
        delivery, target = "webhook", check_webhook(webhook, allow_private=allow_private)
        if secret is None:
            secret = secrets.token_urlsafe(32)
        elif len(secret) < MIN_SECRET_CHARS or any(c.isspace() for c in secret):
            raise _problem("secret", f"use at least {MIN_SECRET_CHARS} characters, no spaces")
    elif email:
        delivery, target = "email", check_address(email)
    assert delivery in DELIVERIES
    return Subscription(name=name, query=query, delivery=delivery, target=target,
                        secret=secret, created_at=now, cursor_at=now)
