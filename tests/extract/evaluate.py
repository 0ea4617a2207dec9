"""Score an extractor against hand-written expectations for pages.

Support code of the tests and benches; the product never scores itself.
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
extractor drops scores 0 on all of them, and is counted apart as well: losing
a real article is worse than any component can show.

Every page belongs to one of two halves, decided by a hash of its path
(:func:`half`): the extractor may be tuned on the "tuning" half only, so the
"test" half keeps telling how it does on pages nobody tuned it for.
"""

from __future__ import annotations

import difflib
import hashlib
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

#: The two halves of the quality set (see :func:`half`).
HALVES = ("tuning", "test")

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

    @property
    def half(self) -> str:
        return half(self.path)


def half(path: str) -> str:
    """"tuning" or "test": a stable split by the SHA-1 of the page's path.

    A hash, not a list, so a page added later falls into a half by itself and
    nobody chooses which pages the extractor is judged on.
    """
    return HALVES[hashlib.sha1(path.encode("utf-8")).digest()[0] % 2]


@dataclass(frozen=True, slots=True)
class PageScore:
    path: str
    #: Component name -> 0..1; absent when the page has no such expectation.
    components: dict[str, float]
    missing: tuple[str, ...] = ()
    leaked: tuple[str, ...] = ()
    dropped: str | None = None
    error: str | None = None
    #: False for pages that carry ``expect = "drop"``.
    is_article: bool = True

    @property
    def article_lost(self) -> bool:
        """A real article that the extractor dropped or failed on."""
        return self.is_article and (self.dropped is not None or self.error is not None)


@dataclass(frozen=True, slots=True)
class Report:
    pages: tuple[PageScore, ...]
    components: dict[str, float] = field(default_factory=dict)
    overall: float = 0.0

    @property
    def articles_lost(self) -> int:
        return sum(p.article_lost for p in self.pages)

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
    """Read an expectation file; pages are files under ``corpus_dir``.

    URLs and encodings come from the corpus manifest where there is one, else
    from the page's own ``url`` and ``encoding`` keys (pages written for the
    tests have no manifest).
    """
    manifest: dict[str, dict[str, object]] = {}
    manifest_path = corpus_dir / "manifest.jsonl"
    lines = []
    if manifest_path.is_file():
        lines = manifest_path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.strip():
            record = json.loads(line)
            manifest[record["path"]] = record
    pages = tomllib.loads(toml_path.read_text(encoding="utf-8")).get("page", [])
    out = []
    for page in pages:
        info = {**page, **manifest.get(page["path"], {})}
        title = page.get("title", ())
        out.append(Expectation(
            path=page["path"],
            titles=(title,) if isinstance(title, str) else tuple(title),
            date=page.get("date"),
            language=page.get("language"),
            must_contain=tuple(page.get("must_contain", ())),
            must_not_contain=tuple(page.get("must_not_contain", ())),
            expect_drop=page.get("expect") == "drop",
            url=info.get("url") if isinstance(info.get("url"), str) else None,
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
            return PageScore(expectation.path, {"drop": 1.0}, dropped=drop.reason,
                             is_article=False)
        return PageScore(expectation.path, _zeros(expectation), dropped=drop.reason)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        if expectation.expect_drop:
            return PageScore(expectation.path, {"drop": 0.0}, error=error, is_article=False)
        return PageScore(expectation.path, _zeros(expectation), error=error)
    if expectation.expect_drop:
        return PageScore(expectation.path, {"drop": 0.0}, dropped=None, is_article=False)
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
