"""Full-text conditions and snippets for each engine, from the parsed query.

The tree from ``store.query.parse`` holds tokens only (letters,
digits and marks), so nothing the reader typed is ever engine syntax:

- **SQLite (FTS5)**: every term becomes a double-quoted string of its tokens
  (a phrase when there are several), combined with ``OR``, ``AND`` and
  ``NOT`` that we write; the whole expression is one bound parameter.
- **PostgreSQL**: every term becomes ``phraseto_tsquery`` under ``english``
  OR'ed with the same under ``simple`` (English stems for the English text,
  exact words for the original), each with its token string bound;
  ``tsquery_and``/``tsquery_or``/``tsquery_not`` (the functions behind
  ``&&``, ``||``, ``!!``) combine them on the server.

Snippets come back from the engine with :data:`MARK_START`/:data:`MARK_END`
around the matches. Those are control characters that stored text never
holds (``rows.clean`` removes them), so :func:`snippet_html` can escape the
whole snippet first and only then turn the sentinels into ``<mark>`` tags:
no text can ever become markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import reduce
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from babelwire.store.query import Query, Term
from babelwire.store.searchindex import CJK_SEPARATOR, MARKUP_STAND_INS

MARK_START = "\x02"
MARK_END = "\x03"
#: Words around the matches in a snippet.
SNIPPET_WORDS = 24

_MARKUP_BACK = str.maketrans({stand_in: char for char, stand_in in MARKUP_STAND_INS.items()})

fts = sa.table("items_fts", sa.column("rowid", sa.BigInteger))
search = sa.table(
    "items_search",
    sa.column("seq", sa.BigInteger),
    sa.column("region", sa.Text),
    sa.column("source_id", sa.Text),
    sa.column("original_language", sa.Text),
    sa.column("section", sa.Text),
    sa.column("dated_at", sa.DateTime(timezone=True)),
    sa.column("tsv"),
    sa.column("english", sa.Text),
    sa.column("original", sa.Text),
)


# -- SQLite FTS5 ------------------------------------------------------------


def _fts5_term(term: Term) -> str:
    # Tokens are runs of letters, digits and marks: never a double quote.
    return '"' + " ".join(term.tokens) + '"'


def fts5_required(query: Query) -> str | None:
    """The MATCH expression of the required terms, less the excluded ones;
    None when nothing is required (FTS5 cannot match a bare NOT)."""
    if not query.required:
        return None
    groups = [" OR ".join(_fts5_term(term) for term in group.terms) for group in query.required]
    expression = " AND ".join(f"({group})" for group in groups)
    excluded = fts5_excluded(query)
    return f"({expression}) NOT ({excluded})" if excluded else expression


def fts5_excluded(query: Query) -> str | None:
    """Any of the excluded terms, for ``seq NOT IN (matches)``."""
    if not query.excluded:
        return None
    return " OR ".join(_fts5_term(term) for term in query.excluded)


def fts5_match(expression: str, table: str = "items_fts") -> sa.ColumnElement[bool]:
    return sa.literal_column(table).op("MATCH")(sa.bindparam(None, expression, sa.Text))


# -- PostgreSQL tsquery ------------------------------------------------------

_ENGLISH: sa.ColumnElement[Any] = sa.literal_column("'english'::regconfig")
_SIMPLE: sa.ColumnElement[Any] = sa.literal_column("'simple'::regconfig")


def _pg_term(term: Term, english_too: bool = True) -> sa.ColumnElement[Any]:
    text = sa.bindparam(None, " ".join(term.tokens), sa.Text)
    if not english_too:
        return sa.func.phraseto_tsquery(_SIMPLE, text)
    english = sa.func.phraseto_tsquery(_ENGLISH, text)
    either = sa.func.tsquery_or(english, sa.func.phraseto_tsquery(_SIMPLE, text))
    # A term of English stop words only ("the") is empty under ``english``:
    # it then stays empty, which AND ignores, instead of requiring the word
    # itself, which the English vector never holds (it drops stop words).
    return sa.case((sa.func.numnode(english) == 0, english), else_=either)


def _pg_any(terms: Sequence[Term], english: bool) -> sa.ColumnElement[Any]:
    return reduce(sa.func.tsquery_or, (_pg_term(term, english) for term in terms))


def pg_tsquery(query: Query, *, english: bool = True) -> sa.ColumnElement[Any] | None:
    """The query's tsquery expression; None when it has no text terms.
    ``english=False`` for an index of original text only (``simple`` words)."""
    parts = [_pg_any(group.terms, english) for group in query.required]
    if query.excluded:
        parts.append(sa.func.tsquery_not(_pg_any(query.excluded, english)))
    return reduce(sa.func.tsquery_and, parts) if parts else None


# -- snippets ------------------------------------------------------------------


def snippet_html(raw: str) -> str:
    """An engine's snippet as safe HTML: text escaped, matches in <mark>."""
    text = raw.replace(CJK_SEPARATOR, "").translate(_MARKUP_BACK)
    # Adjacent CJK characters are matched one by one: one mark, not several.
    text = text.replace(MARK_END + MARK_START, "")
    if text.count(MARK_START) != text.count(MARK_END):
        text = text.replace(MARK_START, "").replace(MARK_END, "")
    escaped = html.escape(" ".join(text.split()), quote=True)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def snippets(connection: Connection, query: Query, seqs: Sequence[int]) -> dict[int, str]:
    """seq -> snippet HTML for the given matches (only with required terms)."""
    if not seqs or not query.required:
        return {}
    if connection.dialect.name == "sqlite":
        expression = fts5_required(query)
        assert expression is not None
        snippet = sa.func.snippet(
            sa.literal_column("items_fts"), -1, MARK_START, MARK_END, "…", SNIPPET_WORDS
        )
        statement = sa.select(fts.c.rowid, snippet).where(
            fts5_match(expression), fts.c.rowid.in_(list(seqs))
        )
    else:
        tsquery = pg_tsquery(query)
        options = (
            f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, "
            f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, FragmentDelimiter=" … "'
        )
        document = search.c.english + "\n" + search.c.original
        headline = sa.func.ts_headline(_ENGLISH, document, tsquery, sa.bindparam(None, options))
        statement = sa.select(search.c.seq, headline).where(search.c.seq.in_(list(seqs)))
    return {int(seq): snippet_html(raw or "") for seq, raw in connection.execute(statement)}
