"""``GET /metrics`` on serve: the Prometheus text of the stored wire."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_metrics_are_prometheus_text_with_stages_reasons_and_item_age(
    client: TestClient,
) -> None:
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = answer.text.splitlines()
    assert "# TYPE babelwire_documents gauge" in lines
    assert any(line.startswith('babelwire_documents{stage="published"} ') for line in lines)
    count = next(line for line in lines
                 if line.startswith("babelwire_item_age_at_publication_seconds_count "))
    assert int(count.split()[1]) > 0
    # Every sample line is "name{labels} number".
    for line in lines:
        if line and not line.startswith("#"):
            float(line.rsplit(" ", 1)[1])
