"""Writing the full-text index: FTS5 on SQLite, a tsvector table on PostgreSQL.

An item is indexed under ``items.seq`` with its English headline, section and
body, its original headline, its document's original text and its source's
name. The index is kept in step by ``items.save_items`` in the same
transaction (delete the old entry, insert the new one).

Han and kana characters are written with :data:`CJK_SEPARATOR` around each
one (see ``query.CJK_RANGES``). It is a control character, so every
tokenizer splits on it, and stored text never holds one (``rows.clean``
removes them), so snippets delete it to give back the text as published.

On PostgreSQL the ``tsvector`` is built from :func:`query.tokens`,
computed here rather than by the server's parser: that parser's idea of a
letter depends on the database's locale (under ``C`` every non-ASCII
character is a letter and Cyrillic is not lower-cased), and searching must
not. The text kept beside it is only for ``ts_headline``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store.query import CJK_RANGES, tokens

#: Written around every Han or kana character in indexed text.
CJK_SEPARATOR = "\x1f"
_CJK_CHAR = re.compile(f"([{CJK_RANGES}])")


def mark_cjk(text: str) -> str:
    return _CJK_CHAR.sub(f"{CJK_SEPARATOR}\\1{CJK_SEPARATOR}", text)


#: PostgreSQL's parser reads ``<...>`` as tags and ``&...;`` as entities, and
#: ts_headline leaves tags out of its output; the text kept for headlines
#: carries these stand-ins instead (controls, so never in stored text), and
#: ``fulltext.snippet_html`` puts the characters back before escaping.
MARKUP_STAND_INS = {"<": "\x0e", ">": "\x0f", "&": "\x10"}
_TO_STAND_INS = str.maketrans(MARKUP_STAND_INS)


@dataclass(frozen=True, slots=True)
class IndexedText:
    seq: int
    headline: str
    section: str
    body: str
    original_headline: str
    original_text: str
    source_name: str
    #: The ``items`` row: PostgreSQL keeps its filter columns beside the text.
    row: dict[str, Any]


def indexed_text(row: dict[str, Any], original_text: str | None) -> IndexedText:
    """What is indexed of an item, from its ``items`` row (cleaned JSON in ``data``)."""
    data = row["data"]
    return IndexedText(
        seq=row["seq"],
        headline=data["headline"],
        section=data["section"] or "",
        body="\n".join(data["body"]),
        original_headline=data["original_headline"] or "",
        original_text=original_text or "",
        source_name=data["source_name"],
        row=row,
    )


_FTS_INSERT = sa.text(
    "INSERT INTO items_fts"
    "(rowid, headline, body, original_headline, original_text, section, source_name) "
    "VALUES (:seq, :headline, :body, :original_headline, :original_text, :section, :source_name)"
)
_FTS_DELETE = sa.text("DELETE FROM items_fts WHERE rowid = :seq")


def fts_rows(entries: Sequence[IndexedText]) -> list[dict[str, Any]]:
    """The ``items_fts`` rows of ``entries`` (a bulk load writes these too)."""
    return [
        {
            "seq": entry.seq,
            "headline": mark_cjk(entry.headline),
            "body": mark_cjk(entry.body),
            "original_headline": mark_cjk(entry.original_headline),
            "original_text": mark_cjk(entry.original_text),
            "section": mark_cjk(entry.section),
            "source_name": mark_cjk(entry.source_name),
        }
        for entry in entries
    ]


def _fts_add(connection: Connection, entries: Sequence[IndexedText]) -> None:
    connection.execute(_FTS_INSERT, fts_rows(entries))


#: items columns copied into items_search on PostgreSQL.
SEARCH_FILTER_COLUMNS = ("region", "source_id", "original_language", "section", "dated_at")

#: A tsvector holds at most 1 MB; text past this many characters of tokens
#: (far beyond any article) is left out of the PostgreSQL index.
PG_MAX_TOKEN_CHARS = 200_000

#: The ``tsv`` of a row from its two token texts (``pg_rows``); the
#: configurations are constants of ours, only the token strings are bound.
PG_TSV = ("to_tsvector('english'::regconfig, {english_tokens}) "
          "|| to_tsvector('simple'::regconfig, {original_tokens})")
_PG_INSERT = sa.text(
    "INSERT INTO items_search "
    "(seq, region, source_id, original_language, section, dated_at, english, original, tsv) "
    "VALUES (:seq, :region, :source_id, :original_language, :section, :dated_at, "
    ":english, :original, "
    + PG_TSV.format(english_tokens=":english_tokens", original_tokens=":original_tokens") + ")"
)
_PG_DELETE = sa.text("DELETE FROM items_search WHERE seq = :seq")


def pg_rows(entries: Sequence[IndexedText]) -> list[dict[str, Any]]:
    """What ``items_search`` is written from: its columns but ``tsv``, and
    the token texts ``tsv`` is made of (:data:`PG_TSV`)."""
    rows = []
    for entry in entries:
        english = "\n".join(filter(None, (entry.headline, entry.section, entry.body)))
        original = "\n".join(filter(None, (entry.original_headline, entry.original_text)))
        rows.append(
            {
                **{name: entry.row[name] for name in SEARCH_FILTER_COLUMNS},
                "seq": entry.seq,
                "english": mark_cjk(english).translate(_TO_STAND_INS),
                "original": mark_cjk(original).translate(_TO_STAND_INS),
                "english_tokens": _token_text(english),
                "original_tokens": _token_text(f"{entry.source_name}\n{original}"),
            }
        )
    return rows


def _pg_add(connection: Connection, entries: Sequence[IndexedText]) -> None:
    connection.execute(_PG_INSERT, pg_rows(entries))


def _token_text(text: str) -> str:
    joined = " ".join(tokens(text))
    if len(joined) <= PG_MAX_TOKEN_CHARS:
        return joined
    return joined[:PG_MAX_TOKEN_CHARS].rsplit(" ", 1)[0]


_ADD: dict[str, Callable[[Connection, Sequence[IndexedText]], None]] = {
    "sqlite": _fts_add,
    "postgresql": _pg_add,
}
_DELETE = {"sqlite": _FTS_DELETE, "postgresql": _PG_DELETE}


def add(connection: Connection, entries: Sequence[IndexedText]) -> None:
    if entries:
        _ADD[connection.dialect.name](connection, entries)


def remove(connection: Connection, seqs: Sequence[int]) -> None:
    if seqs:
        connection.execute(_DELETE[connection.dialect.name], [{"seq": seq} for seq in seqs])


_OPTIMIZE = {
    # Merge the FTS5 index segments into one; refresh the planner statistics.
    "sqlite": ("INSERT INTO items_fts(items_fts) VALUES ('optimize')", "PRAGMA optimize"),
    "postgresql": ("ANALYZE items", "ANALYZE items_search"),
}


def optimize(connection: Connection) -> None:
    for statement in _OPTIMIZE[connection.dialect.name]:
        connection.exec_driver_sql(statement)
