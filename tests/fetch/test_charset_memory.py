"""Checking that a large body decodes does not hold its text.

``decide_charset`` asks whether a body decodes in a codec several times; a
body at the decompression cap decoded whole only to be thrown away held a
second copy of it (twice its size for Cyrillic UTF-8 in memory).
"""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from babelwire.fetch.charset import _decodes

_CHECK = """
from babelwire.fetch.charset import decide_charset
body = ("\\u0416\\u20ac " * 5_000_000).encode()  # 30 MB of UTF-8, no label
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")
def kib(key):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key))
before = kib("VmRSS")
assert decide_charset(body, "application/xml") == ("utf-8", "detected")
print((kib("VmHWM") - before) * 1024)
"""


def test_deciding_the_charset_of_a_30_mb_body_holds_no_copy_of_it() -> None:
    ran = subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, text=True,
                         timeout=300)
    assert ran.returncode == 0, ran.stderr
    assert int(ran.stdout) <= 10_000_000, f"{int(ran.stdout) / 1e6:.0f} MB"


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "utf-16-le", "utf-32", "gb18030",
                                   "shift_jis", "cp1252", "iso2022_jp", "big5", "koi8-r"])
def test_decoding_in_pieces_accepts_what_decoding_whole_accepts(codec: str) -> None:
    rng = random.Random(codec)
    for _ in range(150):
        unit = bytes(rng.choice([rng.randrange(256), 0x41, 0xE2, 0x82, 0xAC, 0xFF, 0, 0x1B])
                     for _ in range(rng.randrange(0, 40)))
        body = unit * rng.choice([1, 1, 60_000])
        try:
            body.decode(codec)
            whole = True
        except UnicodeDecodeError:
            whole = False
        assert _decodes(body, codec) is whole, (codec, body[:40])
