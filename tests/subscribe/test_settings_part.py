"""The "Subscriptions" rows of the settings registry and their record."""

from __future__ import annotations

from dataclasses import fields

import pytest

from babelwire.errors import ConfigError
from babelwire.subscribe.settings import FALLBACK_BASE_URL, SUBSCRIBE, SubscribeSettings


def test_the_record_defaults_are_the_rows_defaults() -> None:
    defaults = {f.name: f.default for f in fields(SubscribeSettings)}
    assert defaults.pop("base_url") == FALLBACK_BASE_URL  # publish_base_url, not a row
    assert defaults == {SUBSCRIBE.field(row): row.default for row in SUBSCRIBE.rows}


def test_links_start_with_the_publish_base_url() -> None:
    environ = {"BABELWIRE_PUBLISH_BASE_URL": "https://wire.example/"}
    assert SubscribeSettings.load(environ).base_url == "https://wire.example"
    assert SubscribeSettings.load({}).base_url == FALLBACK_BASE_URL


@pytest.mark.parametrize(("variable", "value", "fault"), [
    ("BABELWIRE_SUBSCRIBE_SMTP_PORT", "0", "must be at least 1"),
    ("BABELWIRE_SUBSCRIBE_ATTEMPTS", "99", "must be at most 20"),
    ("BABELWIRE_SUBSCRIBE_SMTP_STARTTLS", "maybe", "expected true or false"),
    ("BABELWIRE_SUBSCRIBE_BATCH_ITEMS", "1000", "must be at most 500"),
])
def test_a_value_out_of_range_names_its_variable(variable: str, value: str, fault: str) -> None:
    with pytest.raises(ConfigError, match=f"{variable}={value!r}: {fault}"):
        SubscribeSettings.load({variable: value})


def test_the_password_is_secret() -> None:
    secret = [row.name for row in SUBSCRIBE.rows if row.secret]
    assert secret == ["subscribe_smtp_password"]
