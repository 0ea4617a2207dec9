"""PublishSettings and the filter parameters shared by every surface."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from babelwire.errors import ConfigError
from babelwire.publish.filters import FilterError, Filters, read_filters
from babelwire.publish.settings import PublishSettings


def test_settings_read_environment_once_with_admin_token() -> None:
    env = {"BABELWIRE_ADMIN_TOKEN": "s3cret", "BABELWIRE_PUBLISH_PAGE_SIZE": "20",
           "BABELWIRE_PUBLISH_BASE_URL": "https://wire.example/"}
    settings = PublishSettings.load(env)
    assert settings.admin_token == "s3cret" and settings.writing_enabled
    assert settings.page_size == 20 and settings.root_url == "https://wire.example"
    assert PublishSettings.load({"BABELWIRE_ADMIN_TOKEN": ""}).admin_token is None
    assert not PublishSettings.load({}).writing_enabled


@pytest.mark.parametrize("env", [{"BABELWIRE_PUBLISH_PAGE_SIZE": "lots"},
                                 {"BABELWIRE_PUBLISH_PAGE_SIZE": "0"},
                                 {"BABELWIRE_PUBLISH_BASE_URL": "ftp://x"}])
def test_bad_settings_are_config_errors(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match="settings: "):
        PublishSettings.load(env)


def test_filters_from_parameters_to_query() -> None:
    filters = read_filters({"q": " mission ", "region": "France", "source": "", "from":
                            "2025-12-01", "to": "2025-12-12"})
    assert filters == Filters(text="mission", region=("France",), since=date(2025, 12, 1),
                              until=date(2025, 12, 12))
    query = filters.query(limit=10, cursor="c", with_facets=True)
    assert query.since == datetime(2025, 12, 1, tzinfo=UTC)
    # "to" is inclusive: the bound is the start of the next day.
    assert query.until == datetime(2025, 12, 13, tzinfo=UTC)
    assert (query.limit, query.cursor, query.with_facets) == (10, "c", True)
    assert filters.params() == {"q": "mission", "region": "France", "from": "2025-12-01",
                                "to": "2025-12-12"}
    assert read_filters(filters.params()) == filters


@pytest.mark.parametrize(("params", "message"), [
    ({"from": "12/01/2025"}, "as a date"),
    ({"from": "2025-12-05", "to": "2025-12-01"}, "is after"),
    ({"q": "x" * 1001}, "longer than"),
    ({"region": "a\x00b"}, "NUL"),
])
def test_unreadable_filters(params: dict[str, str], message: str) -> None:
    with pytest.raises(FilterError, match=message):
        read_filters(params)
