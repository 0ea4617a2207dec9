"""The admin API refuses a source whose host is a numeric spelling of a private address."""

from __future__ import annotations

from typing import Any

import pytest

from babelwire.store import Store

TABLE = {"id": "mofa-test", "name": "Ministry of Tests", "region": "Testland",
         "languages": ["en"]}


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.1", "127.1",
                                  "[::ffff:127.0.0.1]"])
def test_add_source_refuses_numeric_loopback_hosts(
    wire: tuple[Any, Any], store: Store, admin_token: str, host: str
) -> None:
    client, _ = wire  # on each backend
    url = f"http://{host}/rss.xml"
    answer = client.post("/api/v1/sources", json={**TABLE, "feeds": [url]},
                         headers={"Authorization": f"Bearer {admin_token}"})
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["problems"]
    assert problem.startswith(f"feeds[0]: {url!r} leads to the loopback address ")
    assert "mofa-test" not in store.source_ids()
