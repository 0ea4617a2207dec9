"""Hosts are read as a resolver reads them: every spelling of a private address is refused.

The catalog, ``sources add`` and the admin API all validate a source with
:func:`babelwire.catalog.validate.check_table`, which reads hosts with the
fetch guard's parser (:func:`babelwire.fetch.guard.host_address`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from babelwire.catalog.validate import check_table
from babelwire.cli.sources import app
from babelwire.settings import Settings

TABLE = {"id": "mofa-test", "name": "Ministry of Tests", "region": "Testland",
         "languages": ["en"]}

# (host as written, the address it leads to)
SPELLINGS = [
    ("2130706433", "loopback address 127.0.0.1"),  # decimal
    ("0177.0.0.1", "loopback address 127.0.0.1"),  # octal
    ("0x7f.0.0.1", "loopback address 127.0.0.1"),  # hex
    ("0x7f000001", "loopback address 127.0.0.1"),
    ("127.1", "loopback address 127.0.0.1"),  # short dotted form
    ("10.1", "private address 10.0.0.1"),
    ("0251.0376.0251.0376", "link-local address 169.254.169.254"),
    ("[::ffff:127.0.0.1]", "loopback address ::ffff:127.0.0.1"),  # IPv4-mapped IPv6
    ("[::ffff:a9fe:a9fe]", "link-local address ::ffff:169.254.169.254"),
    ("127.0.0.1.", "loopback address 127.0.0.1"),
    ("localhost.", "loopback host localhost"),
    ("0", "unspecified address 0.0.0.0"),
]


@pytest.mark.parametrize(("host", "leads_to"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
def test_numeric_spellings_of_private_addresses_are_refused(host: str, leads_to: str) -> None:
    url = f"http://{host}/rss.xml"
    checked = check_table({**TABLE, "feeds": [url]}, [])
    assert checked.spec is None
    [problem] = checked.problems
    assert problem.field == "feeds[0]"
    assert problem.problem == f"{url!r} leads to the {leads_to} (needs allow_private = true)"


@pytest.mark.parametrize("host", ["8.8.8.8", "134744072", "010.010.010.010", "example.org",
                                  "127.example.org", "[2606:4700::1111]"])
def test_public_hosts_and_names_pass(host: str) -> None:
    checked = check_table({**TABLE, "feeds": [f"http://{host}/rss.xml"]}, [])
    assert checked.problems == ()


def test_allow_private_lets_a_numeric_spelling_through() -> None:
    checked = check_table({**TABLE, "feeds": ["http://2130706433/"], "allow_private": True}, [])
    assert checked.spec is not None


def test_sources_add_refuses_a_decimal_loopback_host(tmp_path: Path) -> None:
    settings = Settings.load(environ={}, database_url=f"sqlite:///{tmp_path / 'bw.db'}")
    args = ["add", "--id", "mofa-test", "--name", "M", "--region", "R", "--language", "en",
            "--feed", "http://2130706433/rss", "--dir", str(tmp_path / "mine")]
    result = CliRunner().invoke(app, args, obj=settings)
    assert result.exit_code == 1
    target = tmp_path / "mine" / "local.toml"
    assert result.stderr == (
        f"catalog: {target}: feeds[0]: 'http://2130706433/rss' leads to the loopback address "
        "127.0.0.1 (needs allow_private = true)\n"
    )
    assert not (tmp_path / "mine").exists()
