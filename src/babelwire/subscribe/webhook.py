"""Webhook delivery: a signed JSON POST of ninjs items.

The request::

    POST <the subscription's URL>
    Content-Type: application/json
    X-Babelwire-Delivery: 3f0c…    same value when a batch is sent again
    X-Babelwire-Timestamp: 1764850000    Unix seconds when this try was signed
    X-Babelwire-Signature: sha256=<hex HMAC-SHA256>

    {"subscription": "…", "query": "…", "delivery": "3f0c…", "items": [ninjs, …]}

The signature is HMAC-SHA256 under the subscription's secret over the
timestamp, a dot and the raw body (``b"1764850000." + body``). A receiver
recomputes it over the bytes it received, compares in constant time and
refuses a timestamp far from its own clock (:func:`verify` does all three),
so a captured request cannot be replayed later.

Any 2xx answer is delivery. A timeout, a broken connection, 408, 425, 429
or a 5xx is tried again after ``backoff_s``, doubled each time, up to
``attempts`` tries; any other answer (a redirect included: they are not
followed) ends the pass for this subscription. Connections go through the
fetch guard: a URL whose name resolves to a private or loopback address is
refused unless ``subscribe_allow_private`` is on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from babelwire.compose.ninjs import to_ninjs
from babelwire.enrich.ninjs import ninjs_extras
from babelwire.errors import BlockedAddress, DeliveryError
from babelwire.fetch import AddressPolicy, Resolver, SystemResolver
from babelwire.fetch.transfer import build_client
from babelwire.model import Item
from babelwire.settings import Settings
from babelwire.store.subscriptions import Subscription
from babelwire.subscribe.matching import Batch
from babelwire.subscribe.settings import SubscribeSettings

DELIVERY_HEADER = "X-Babelwire-Delivery"
TIMESTAMP_HEADER = "X-Babelwire-Timestamp"
SIGNATURE_HEADER = "X-Babelwire-Signature"
#: A receiver should refuse a timestamp further than this from its clock.
TOLERANCE_S = 300
#: Answers worth another try (RFC 9110 and 6585: the server may recover).
RETRY_STATUSES = frozenset({408, 425, 429})


def delivery_id(subscription: Subscription, items: Sequence[Item]) -> str:
    """The same for the same batch, so a receiver can drop a batch sent twice."""
    digest = hashlib.sha256(subscription.name.encode())
    for item in items:
        digest.update(b"\n" + item.id.encode())
    return digest.hexdigest()[:32]


def sign(secret: str, timestamp_s: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, headers: dict[str, str], body: bytes, now_s: float,
           tolerance_s: float = TOLERANCE_S) -> bool:
    """What a receiver checks: the signature over the body as received, and
    a timestamp near ``now_s``. ``headers`` keys in lower case."""
    try:
        timestamp_s = int(headers.get(TIMESTAMP_HEADER.lower(), ""))
    except ValueError:
        return False
    if abs(now_s - timestamp_s) > tolerance_s:
        return False
    given = headers.get(SIGNATURE_HEADER.lower(), "")
    return hmac.compare_digest(given.encode(), sign(secret, timestamp_s, body).encode())


def payload(subscription: Subscription, batch: Batch, base_url: str, delivery: str) -> bytes:
    """The JSON body: each item as ninjs, as the API gives it (with the
    enrich stage's subjects, places, people and organisations)."""

    def ninjs(item: Item) -> dict[str, Any]:
        found = batch.enrichments.get(item.document_id)
        return to_ninjs(item, base_url=base_url,
                        extras=ninjs_extras(found) if found is not None else None)

    body: dict[str, Any] = {
        "subscription": subscription.name,
        "query": subscription.query,
        "delivery": delivery,
        "items": [ninjs(item) for item in batch.items],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookSender:
    """Posts batches through one guarded client; ``close`` when done."""

    def __init__(
        self, settings: Settings, subscribe: SubscribeSettings, *,
        resolver: Resolver | None = None,
        now_s: Callable[[], float], sleep: Callable[[float], None],
    ) -> None:
        policy = AddressPolicy(allow_all_private=subscribe.allow_private)
        self._client = build_client(settings, resolver or SystemResolver(), policy)
        self._subscribe = subscribe
        self._now_s = now_s
        self._sleep = sleep

    def close(self) -> None:
        self._client.close()

    def send(self, subscription: Subscription, batch: Batch) -> None:
        """Deliver one batch or raise DeliveryError (after the retries)."""
        assert subscription.target is not None and subscription.secret is not None
        delivery = delivery_id(subscription, batch.items)
        body = payload(subscription, batch, self._subscribe.base_url, delivery)
        attempts = self._subscribe.attempts
        for attempt in range(attempts):
            try:
                self._post(subscription, body, delivery)
                return
            except DeliveryError as exc:
                if not exc.retryable or attempt + 1 == attempts:
                    raise
            self._sleep(self._subscribe.backoff_s * 2**attempt)

    def _post(self, subscription: Subscription, body: bytes, delivery: str) -> None:
        url = subscription.target or ""
        timestamp_s = int(self._now_s())
        headers = {
            "Content-Type": "application/json",
            DELIVERY_HEADER: delivery,
            TIMESTAMP_HEADER: str(timestamp_s),
            SIGNATURE_HEADER: sign(subscription.secret or "", timestamp_s, body),
        }
        where = f"webhook of {subscription.name!r} ({url})"
        try:
            # Streamed and never read: a receiver's answer body is not ours to hold.
            with self._client.stream("POST", url, content=body, headers=headers,
                                     timeout=self._subscribe.timeout_s) as response:
                status = response.status_code
        except BlockedAddress as exc:
            raise DeliveryError(f"{where}: {exc}", retryable=False) from None
        except httpx.InvalidURL as exc:
            raise DeliveryError(f"{where}: invalid URL: {exc}", retryable=False) from None
        except (httpx.HTTPError, OSError) as exc:
            raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}") from None
        if 200 <= status < 300:
            return
        retryable = status in RETRY_STATUSES or status >= 500
        raise DeliveryError(f"{where}: answered HTTP {status}", retryable=retryable)
