"""The search syntax: what each construct parses to, the messages for
malformed queries, and a property test that nothing but ParseError escapes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire.store.fulltext import fts5_excluded, fts5_required
from babelwire.store.query import (
    MAX_QUERY_CHARS,
    AnyOf,
    ParseError,
    Query,
    Term,
    parse,
    tokens,
)


def words(*texts: str) -> tuple[AnyOf, ...]:
    return tuple(AnyOf((Term(text, tokens(text)),)) for text in texts)


def test_words_are_all_required() -> None:
    assert parse("UN mission") == Query(required=words("UN", "mission"))
    assert parse("UN AND mission") == parse("UN mission")


def test_phrases_exclusions_and_or() -> None:
    query = parse('"peace mission" -draft -"press release" Iraq OR Syria')
    assert query.required == (
        AnyOf((Term("peace mission", ("peace", "mission"), quoted=True),)),
        AnyOf((Term("Iraq", ("iraq",)), Term("Syria", ("syria",)))),
    )
    assert query.excluded == (
        Term("draft", ("draft",)),
        Term("press release", ("press", "release"), quoted=True),
    )
    assert parse("a OR b OR c").required == (
        AnyOf((Term("a", ("a",)), Term("b", ("b",)), Term("c", ("c",)))),
    )
    assert parse("“curly quotes”").required[0].terms[0].quoted
    assert parse("or").required == words("or")  # only upper-case OR is an operator


def test_fields_become_filters() -> None:
    query = parse('region:"Russian Federation" source:un-news-ru language:ru section:Climate x')
    assert query.fields == (
        ("region", "Russian Federation"),
        ("source_id", "un-news-ru"),
        ("language", "ru"),
        ("section", "Climate"),
    )
    assert query.required == words("x")
    assert query.field("region") == "Russian Federation"
    assert parse("REGION:France region:france").fields == (("region", "france"),)
    assert not parse("region:France").has_text


def test_tokens_split_words_and_cjk_characters() -> None:
    assert tokens("COVID-19疫情 Council's «Мир» सुरक्षा Café") == (
        "covid", "19", "疫", "情", "council", "s", "мир", "सुरक्षा", "café",
    )
    assert parse("co-operation").required[0].terms[0].tokens == ("co", "operation")
    assert parse("* ( ) ^ mission").required == words("mission")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"UN mission', 'search: unclosed quote after "UN mission'),
        ('x "', 'search: unclosed quote (") at the end of the query'),
        ("foo:bar", "search: unknown field 'foo:' (use region:, source:, language:, section:, "
                    "country:, entity:, topic:)"),
        ("region:", 'search: region: needs a value, e.g. region:France or region:"a b"'),
        ("-region:France", "search: a field cannot be excluded (-region:); filter on a value"),
        ("region:France region:Chad", "search: region: given twice ('France' and 'Chad')"),
        ("OR x", "search: OR needs a word or phrase on each side"),
        ("x OR", "search: OR needs a word or phrase on each side"),
        ("x OR OR y", "search: OR needs a word or phrase on each side"),
        ("x OR -y", "search: OR needs a word or phrase on each side"),
        ("-y OR x", "search: OR needs a word or phrase on each side"),
        ("x OR region:France", "search: OR needs a word or phrase on each side"),
        ("* ^", "search: nothing to search for in '* ^' (use words, \"phrases\", -word, OR, "
                "region:, source:, language:, section:, country:, entity:, topic:)"),
        ("w " * 33, "search: too many terms (at most 32)"),
        ("x" * (MAX_QUERY_CHARS + 1), "search: the query is longer than 2000 characters"),
    ],
)
def test_malformed_queries_have_one_line_messages(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


def test_fts5_expressions_quote_every_term() -> None:
    query = parse('NEAR(a b) "x* y" -c')
    assert fts5_required(query) == '(("near a") AND ("b") AND ("x y")) NOT ("c")'
    assert fts5_excluded(parse("-a -b")) == '"a" OR "b"'
    assert fts5_required(parse("-a")) is None


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200) | st.text(alphabet='"-: ORNEA*()^\\\x00ab', max_size=60))
def test_nothing_but_parse_error_escapes(text: str) -> None:
    try:
        query = parse(text)
    except ParseError as error:
        assert str(error).startswith("search: ") and "\n" not in str(error)
        return
    expression = fts5_required(query) or fts5_excluded(query) or ""
    # Every double quote in the FTS5 expression is one we wrote around a term.
    for part in expression.split('"')[1::2]:
        assert tokens(part) == tuple(part.split()), part
    for group in query.required:
        assert group.terms and all(term.tokens for term in group.terms)
