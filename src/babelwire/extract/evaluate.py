"""Score an extractor against hand-written expectations for corpus pages.

An expectation file (TOML, one ``[[page]]`` table per page) says what a good
extractor must get from a page: its title, date, language, fragments of the
main text that must be there and boilerplate that must not. Pages that are
not articles carry ``expect = "drop"``. :func:`score` runs any extractor (a
function from page HTML and URL to :class:`~babelwire.model.Extracted`, that
raises :class:`~babelwire.errors.Drop` for non-articles) over the pages and
reports per page and overall:

- ``recall``: share of ``must_contain`` fragments found in the body;
- ``precision``: share of ``must_not_contain`` strings absent from the body;
- ``title``, ``date``, ``language``: 1 when right, 0 when wrong;
- ``drop``: share of non-article pages dropped (reported apart).

``overall`` is the mean of the five article components. An article that the
extractor drops scores 0 on all of them.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean

from babelwire.errors import Drop
from babelwire.model import Extracted

#: Article components, in report order; ``overall`` is their mean.
COMPONENTS = ("recall", "precision", "title", "date", "language")

#: Two titles match when their normalised forms are this similar: quote
#: styles and a stray separator should not fail a title that is right.
TITLE_SIMILARITY = 0.9

Extractor = Callable[[str, "str | None"], Extracted]

_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»「」『』″〝〞"} | {c: "'" for c in "‘’‚‛′`´"})
_DASHES = re.compile(r"[‐‑‒–—―−]")
_SPACES = re.compile(r"\s+")
_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")


@dataclass(frozen=True, slots=True)
class Expectation:
    path: str
    #: Acceptable titles (a page may show a kicker or a shorter og:title).
    titles: tuple[str, ...] = ()
    date: str | None = None
    language: str | None = None
    must_contain: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    expect_drop: bool = False
    #: From the corpus manifest: the page's URL and the codec of its bytes.
    url: str | None = None
    encoding: str = "utf-8"
    #: Where the page's bytes are (``path`` under the corpus directory).
    file: Path | None = None


@dataclass(frozen=True, slots=True)
class PageScore:
    path: str
    #: Component name -> 0..1; absent when the page has no such expectation.
    components: dict[str, float]
    missing: tuple[str, ...] = ()
    leaked: tuple[str, ...] = ()
    dropped: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    pages: tuple[PageScore, ...]
    components: dict[str, float] = field(default_factory=dict)
    overall: float = 0.0

    def format(self, *, verbose: bool = False) -> str:
        lines = [f"{name:>10}: {value:.3f}" for name, value in self.components.items()]
        lines.append(f"{'overall':>10}: {self.overall:.3f}  ({len(self.pages)} pages)")
        if verbose:
            for page in self.pages:
                bad = {k: v for k, v in page.components.items() if v < 1}
                if bad or page.error:
                    lines.append(f"  {page.path}: {bad} {page.error or page.dropped or ''}")
                    lines.extend(f"      missing: {m}" for m in page.missing)
                    lines.extend(f"      leaked:  {m}" for m in page.leaked)
        return "\n".join(lines)


def normalize(text: str) -> str:
    """Fold case, width, quotes, dashes and whitespace for matching."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()
    text = _DASHES.sub("-", text.translate(_QUOTES)).replace("…", "...")
    text = _SPACES.sub(" ", text).strip()
    return _SPACE_IN_CJK.sub("", text)


def load_expectations(toml_path: Path, corpus_dir: Path) -> list[Expectation]:
    """Read an expectation file; URLs and encodings come from the corpus manifest."""
    manifest: dict[str, dict[str, object]] = {}
    for line in (corpus_dir / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            manifest[record["path"]] = record
    pages = tomllib.loads(toml_path.read_text(encoding="utf-8")).get("page", [])
    out = []
    for page in pages:
        info = manifest.get(page["path"], {})
        title = page.get("title", ())
        out.append(Expectation(
            path=page["path"],
            titles=(title,) if isinstance(title, str) else tuple(title),
            date=page.get("date"),
            language=page.get("language"),
            must_contain=tuple(page.get("must_contain", ())),
            must_not_contain=tuple(page.get("must_not_contain", ())),
            expect_drop=page.get("expect") == "drop",
            url=info.get("url") if isinstance(info.get("url"), str) else None,  # type: ignore[arg-type]
            encoding=str(info.get("encoding") or "utf-8"),
            file=corpus_dir / page["path"],
        ))
    return out


def read_page(expectation: Expectation) -> str:
    """The page decoded with the codec the manifest names (bad bytes replaced)."""
    if expectation.file is None:
        raise ValueError(f"evaluate: no file for {expectation.path}")
    return expectation.file.read_bytes().decode(expectation.encoding, errors="replace")


def score(expectations: Iterable[Expectation], extractor: Extractor) -> Report:
    """Run ``extractor`` on every page and score it against its expectation."""
    pages = tuple(score_page(e, extractor) for e in expectations)
    names = (*COMPONENTS, "drop")
    components = {}
    for name in names:
        values = [p.components[name] for p in pages if name in p.components]
        if values:
            components[name] = mean(values)
    article = [components[n] for n in COMPONENTS if n in components]
    return Report(pages=pages, components=components, overall=mean(article) if article else 0.0)


def score_page(expectation: Expectation, extractor: Extractor) -> PageScore:
    html = read_page(expectation)
    try:
        extracted = extractor(html, expectation.url)
    except Drop as drop:
        if expectation.expect_drop:
            return PageScore(expectation.path, {"drop": 1.0}, dropped=drop.reason)
        return PageScore(expectation.path, _zeros(expectation), dropped=drop.reason)
    except Exception as exc:
        zeros = {"drop": 0.0} if expectation.expect_drop else _zeros(expectation)
        return PageScore(expectation.path, zeros, error=f"{type(exc).__name__}: {exc}")
    if expectation.expect_drop:
        return PageScore(expectation.path, {"drop": 0.0}, dropped=None)
    return _score_extracted(expectation, extracted)


def _score_extracted(expectation: Expectation, extracted: Extracted) -> PageScore:
    body = normalize(extracted.text)
    components: dict[str, float] = {}
    missing = tuple(f for f in expectation.must_contain if normalize(f) not in body)
    leaked = tuple(f for f in expectation.must_not_contain if normalize(f) in body)
    if expectation.must_contain:
        components["recall"] = 1 - len(missing) / len(expectation.must_contain)
    if expectation.must_not_contain:
        components["precision"] = 1 - len(leaked) / len(expectation.must_not_contain)
    if expectation.titles:
        components["title"] = float(title_matches(extracted.title, expectation.titles))
    if expectation.date:
        found = extracted.published.date().isoformat() if extracted.published else None
        components["date"] = float(found == expectation.date)
    if expectation.language:
        components["language"] = float(extracted.language == expectation.language)
    return PageScore(expectation.path, components, missing=missing, leaked=leaked)


def title_matches(found: str | None, expected: Iterable[str]) -> bool:
    if not found:
        return False
    got = _title_key(found)
    return any(
        difflib.SequenceMatcher(None, got, _title_key(t)).ratio() >= TITLE_SIMILARITY
        for t in expected
    )


def _title_key(title: str) -> str:
    return normalize(title).replace('"', "").replace("'", "")


def _zeros(expectation: Expectation) -> dict[str, float]:
    present = {
        "recall": bool(expectation.must_contain),
        "precision": bool(expectation.must_not_contain),
        "title": bool(expectation.titles),
        "date": bool(expectation.date),
        "language": bool(expectation.language),
    }
    return {name: 0.0 for name, wanted in present.items() if wanted}
