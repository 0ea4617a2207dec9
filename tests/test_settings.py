"""The one settings registry: typed rows with ranges, checked at start-up."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from typing import Any

import pytest

from babelwire.cli import register_parts
from babelwire.compose.settings import COMPOSE, ComposeSettings
from babelwire.errors import ConfigError
from babelwire.publish.settings import PUBLISH, PublishSettings
from babelwire.settings import (
    INGEST,
    Part,
    Setting,
    Settings,
    check_environment,
    parse_duration_s,
    parts,
    register,
)
from babelwire.translate.settings import TRANSLATE, TranslateSettings

RECORDS: list[tuple[Part, Any]] = [
    (COMPOSE, ComposeSettings), (PUBLISH, PublishSettings), (TRANSLATE, TranslateSettings),
]


def test_every_part_is_registered_once() -> None:
    register_parts()
    assert [p.title for p in parts()] == [
        "Ingest, store and runner", "Workers", "Wire items", "Web, API and feeds", "Stories",
        "Subscriptions", "Translation",
    ]
    names = [s.name for p in parts() for s in p.rows]
    assert len(names) == len(set(names))


def test_every_row_is_typed_and_every_number_has_a_range() -> None:
    register_parts()
    for part in parts():
        for row in part.rows:
            assert row.check(row.default) == row.default, row.name
            if row.type in (int, float):
                assert row.min is not None, f"{row.name} has no lower bound"
            assert row.help.strip(), row.name


@pytest.mark.parametrize(("part", "record"), RECORDS, ids=lambda v: getattr(v, "title", ""))
def test_record_defaults_are_the_rows_defaults(part: Part, record: Any) -> None:
    defaults = {f.name: f.default for f in fields(record)}
    for row in part.rows:
        expected = None if row.secret and row.default == "" and row.name == "admin_token" \
            else row.default
        assert defaults[part.field(row)] == expected, row.name
    assert set(defaults) == {part.field(row) for row in part.rows}


def test_the_ingest_record_has_one_field_per_row() -> None:
    assert [f.name for f in fields(Settings)] == [s.name for s in INGEST.rows]


def test_the_registry_imports_no_part() -> None:
    code = ("import sys, babelwire.settings; "
            "print(sorted(m for m in sys.modules if m.startswith('babelwire.')))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    for part in ("compose", "publish", "translate"):
        assert f"babelwire.{part}" not in loaded


BAD_VALUES = [
    ("BABELWIRE_WORKERS", "0", "must be at least 1"),
    ("BABELWIRE_WORKERS", "many", "expected a whole number"),
    ("BABELWIRE_RETRIES", "-1", "must be at least 0"),
    ("BABELWIRE_MAX_BODY_BYTES", "-5", "must be at least 1"),
    ("BABELWIRE_TOTAL_TIMEOUT_S", "nan", "must be a finite number"),
    ("BABELWIRE_CONNECT_TIMEOUT_S", "inf", "must be a finite number"),
    ("BABELWIRE_READ_TIMEOUT_S", "-1", "must be at least 0.01"),
    ("BABELWIRE_LOG_LEVEL", "LOUD", "must be one of DEBUG, INFO, WARNING, ERROR"),
    ("BABELWIRE_LOG_FORMAT", "xml", "must be one of text, json"),
    ("BABELWIRE_ALLOW_PRIVATE", "perhaps", "expected true or false"),
    ("BABELWIRE_TRANSLATE_MAX_SENTENCE_CHARS", "0", "must be at least 40"),
    ("BABELWIRE_TRANSLATE_MAX_SENTENCE_CHARS", "-5", "must be at least 40"),
    ("BABELWIRE_TRANSLATE_CT2_DEVICE", "tpu", "must be one of auto, cpu, cuda"),
    ("BABELWIRE_TRANSLATE_BEAM_SIZE", "0", "must be at least 1"),
    ("BABELWIRE_TRANSLATE_ENGINES", "apertium,apertium", "names an engine twice"),
    ("BABELWIRE_PUBLISH_PAGE_SIZE", "0", "must be at least 1"),
    ("BABELWIRE_PUBLISH_FEED_SIZE", "1000", "must be at most 200"),
    ("BABELWIRE_COMPOSE_DISCLAIMER_VERSION", "9", "must be one of 1"),
    ("BABELWIRE_PUBLISH_BASE_URL", "wire.example", "must be an http(s) URL or empty"),
    ("BABELWIRE_PUBLISH_PUBLISHER", " ", "must not be empty"),
]


@pytest.mark.parametrize(("name", "value", "reason"), BAD_VALUES,
                         ids=[f"{n}={v}" for n, v, _ in BAD_VALUES])
def test_a_bad_value_names_its_variable(name: str, value: str, reason: str) -> None:
    register_parts()
    with pytest.raises(ConfigError) as raised:
        check_environment({name: value})
    message = str(raised.value)
    assert message.startswith(f"settings: {name}={value!r}: ")
    assert message.endswith(reason)


@pytest.mark.parametrize(("record", "changes", "message"), [
    (TranslateSettings, {"max_sentence_chars": 0}, "translate_max_sentence_chars=0"),
    (TranslateSettings, {"ct2_device": "tpu"}, "translate_ct2_device='tpu'"),
    (PublishSettings, {"page_size": 0}, "publish_page_size=0"),
], ids=["max_sentence_chars", "ct2_device", "page_size"])
def test_records_built_in_code_are_checked_too(
    record: Any, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        record(**changes)


def test_overrides_are_checked() -> None:
    with pytest.raises(ConfigError, match="settings: workers=0: must be at least 1"):
        Settings.load({}, workers=0)
    with pytest.raises(ConfigError, match="total_timeout_s=nan"):
        Settings.load({}, total_timeout_s=float("nan"))


def test_choices_are_read_without_regard_to_case() -> None:
    assert Settings.load({"BABELWIRE_LOG_LEVEL": "debug"}).log_level == "DEBUG"
    assert TranslateSettings.load({"BABELWIRE_TRANSLATE_CT2_DEVICE": "CPU"}).ct2_device == "cpu"


def test_a_misspelt_variable_is_an_error_that_proposes_the_name() -> None:
    register_parts()
    with pytest.raises(ConfigError) as raised:
        check_environment({"BABELWIRE_TRANSLATE_MAX_SENTENCE_CHAR": "300"})
    assert str(raised.value) == (
        "settings: unknown variable BABELWIRE_TRANSLATE_MAX_SENTENCE_CHAR "
        "(did you mean BABELWIRE_TRANSLATE_MAX_SENTENCE_CHARS?)"
    )
    with pytest.raises(ConfigError) as unknown:
        check_environment({"BABELWIRE_ZZZ": "1"})
    assert str(unknown.value).endswith("BABELWIRE_ZZZ (see `babelwire settings`)")


def test_every_problem_is_on_the_one_line() -> None:
    register_parts()
    with pytest.raises(ConfigError) as raised:
        check_environment({"BABELWIRE_WORKERS": "0", "BABELWIRE_LOG_LEVEL": "LOUD"})
    assert str(raised.value) == (
        "settings: BABELWIRE_LOG_LEVEL='LOUD': must be one of DEBUG, INFO, WARNING, ERROR; "
        "BABELWIRE_WORKERS='0': must be at least 1"
    )


def test_harness_variables_and_other_names_are_left_alone() -> None:
    register_parts()
    check_environment({
        "BABELWIRE_TEST_DATABASE_URL": "postgresql://x", "BABELWIRE_BENCH_DATABASE_URL": "y",
        "PATH": "/bin", "BABELWIRE_WORKERS": "4",
    })


def test_a_part_cannot_take_another_parts_name() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register("Another part", "another_", (Setting("workers", 1, int, "Twice."),))


@pytest.mark.parametrize("text", ["-5m", "-1", "inf", "nans", "1e400s"])
def test_a_duration_is_finite_and_not_negative(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration_s(text)


def test_durations() -> None:
    assert [parse_duration_s(t) for t in ("90", "90s", "15m", "2h", "1d", "0")] == [
        90, 90, 900, 7200, 86400, 0]
