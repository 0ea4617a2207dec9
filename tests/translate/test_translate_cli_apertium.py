"""`babelwire translate --from es` through the real Apertium engine.

The promise analysts rely on: every identifier comes out exactly as it went
in, and every figure with its value, in English notation.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

PARAGRAPH = (
    "El Banco Central adjudicó 22025415 pesos en la licitación del 02.02.2026, 10-21, "
    "y colocó el bono AR0000000123 con una tasa del 3,75%. El Gobierno aprobó el "
    "presupuesto de 1.250.000 millones el 15 de diciembre."
)
PROTECTED = ("22025415", "February 2, 2026", "10-21", "AR0000000123", "3.75%", "1,250,000 million",
             "December 15")


def test_spanish_paragraph_keeps_every_number_and_identifier(apertium_spa_eng: None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BABELWIRE_")}
    env["BABELWIRE_TRANSLATE_ENGINES"] = "apertium"
    done = subprocess.run(
        [sys.executable, "-m", "babelwire", "translate", "--from", "es"],
        input=PARAGRAPH, capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    english = done.stdout
    for token in PROTECTED:
        assert token in english, (token, english)
    assert re.search(r"\bCentral Bank\b", english), english
    assert "engine: apertium" in done.stderr
    # No Spanish function words left behind: it really is English.
    assert not re.search(r"\b(del|con|una|el)\b", english), english
