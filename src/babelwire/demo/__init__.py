"""The demo world: official-style web sites served offline on 127.0.0.1.

``world/`` holds one folder per virtual host (``news-ru.un.demo.test`` ...)
with the pages, feeds, sitemaps and robots.txt files a crawler meets on real
official sites, traps included. ``world/behaviours.toml`` says where the
replay server departs from plain file serving (429, slow answers, redirects,
gzip), and ``world/manifest.toml`` is the answer key: what babelwire should
store, skip or mark as duplicate. ``catalog/`` describes the demo sources in
the ordinary catalog format.

    ReplayServer (server.py)   serves world/ by Host header on 127.0.0.1
    DemoResolver (resolver.py) sends every demo host to that server
    load_manifest (manifest.py) the answer key as typed records
"""

from __future__ import annotations

from pathlib import Path

#: The bundled world, one folder per virtual host.
WORLD_DIR = Path(__file__).parent / "world"
#: The catalog files that describe the demo sources.
CATALOG_DIR = Path(__file__).parent / "catalog"
