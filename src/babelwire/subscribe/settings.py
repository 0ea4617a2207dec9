"""What delivery needs to know, read once at start-up.

The rows of :data:`SUBSCRIBE_SETTINGS` join the settings registry as the
"Subscriptions" part; a field of :class:`SubscribeSettings` is a row's name
without ``subscribe_``. Links in webhooks and e-mails start with the wire's
public address, the publish part's ``publish_base_url``, read here from the
same variable because delivery runs without the web app.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from babelwire.settings import Setting, check_record, read_part, register

#: Where links point when BABELWIRE_PUBLISH_BASE_URL is empty: the address
#: ``serve`` listens on by default (as ``publish.settings`` says too).
FALLBACK_BASE_URL = "http://127.0.0.1:8000"
BASE_URL_ENV = "BABELWIRE_PUBLISH_BASE_URL"

SUBSCRIBE_SETTINGS: tuple[Setting, ...] = (
    Setting("subscribe_smtp_host", "", str,
            "SMTP server that sends e-mail digests. Empty: e-mail subscriptions wait, "
            "with the reason on the subscription."),
    Setting("subscribe_smtp_port", 587, int, "Port of the SMTP server.", min=1, max=65_535),
    Setting("subscribe_smtp_from", "babelwire@localhost", str,
            "From address of e-mail digests."),
    Setting("subscribe_smtp_starttls", True, bool,
            "Upgrade the SMTP connection with STARTTLS before logging in or sending."),
    Setting("subscribe_smtp_user", "", str, "SMTP login; empty: no login."),
    Setting("subscribe_smtp_password", "", str, "SMTP password.", secret=True),
    Setting("subscribe_timeout_s", 20.0, float,
            "Seconds one webhook request or one SMTP exchange may wait.",
            unit="s", min=0.1, max=600),
    Setting("subscribe_attempts", 4, int,
            "Tries per delivery (webhook POST or e-mail) before the batch waits for "
            "the next pass.", min=1, max=20),
    Setting("subscribe_backoff_s", 2.0, float,
            "Pause before the second try; doubled before each further one.",
            unit="s", min=0, max=3600),
    Setting("subscribe_allow_private", False, bool,
            "Allow webhooks to private and loopback addresses (a receiver on the same "
            "network; never for URLs from untrusted users)."),
    Setting("subscribe_batch_items", 50, int,
            "Most items in one webhook POST or one e-mail digest.",
            unit="items", min=1, max=500),
    Setting("subscribe_settle_s", 600, int,
            "How far before its cursor a subscription looks again for items that a "
            "slow worker stored late (items already sent are skipped).",
            unit="s", min=0, max=7 * 86_400),
    Setting("subscribe_lease_s", 900, int,
            "How long one delivery pass holds a subscription; another pass waits.",
            unit="s", min=10, max=86_400),
)

SUBSCRIBE = register("Subscriptions", "subscribe_", SUBSCRIBE_SETTINGS)


@dataclass(frozen=True, slots=True)
class SubscribeSettings:
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_from: str = "babelwire@localhost"
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: str = ""
    timeout_s: float = 20.0
    attempts: int = 4
    backoff_s: float = 2.0
    allow_private: bool = False
    batch_items: int = 50
    settle_s: int = 600
    lease_s: int = 900
    #: Where links in deliveries start (not a row: ``publish_base_url``).
    base_url: str = FALLBACK_BASE_URL

    def __post_init__(self) -> None:
        check_record(SUBSCRIBE, self)

    @property
    def settle(self) -> timedelta:
        return timedelta(seconds=self.settle_s)

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> SubscribeSettings:
        """Read ``BABELWIRE_SUBSCRIBE_*`` and the wire's base URL, then apply overrides."""
        env = os.environ if environ is None else environ
        base_url = overrides.pop("base_url", None) or env.get(BASE_URL_ENV, "").strip()
        values = read_part(SUBSCRIBE, env, overrides)
        return cls(**values, base_url=(base_url or FALLBACK_BASE_URL).rstrip("/"))
