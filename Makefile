# The whole dev loop. Every target bootstraps what it needs by itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench bench-scale system-deps docs clean fuzz

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres,translate,celery]'
	@touch $(STAMP)

# Debian packages the tests use (PostgreSQL, Apertium, Chromium); installed
# only when missing and only when running as root.
system-deps:
	@scripts/system-deps

# The demo translates its Spanish sources with Apertium: installed the same
# way (as root), or one line naming the missing packages.
demo: $(STAMP)
	@scripts/system-deps demo
	$(BIN)/babelwire demo

test: $(STAMP) system-deps
	scripts/run-tests

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(STAMP) system-deps
	scripts/run-bench

# Search at a million items on SQLite and PostgreSQL: p50/p95 per query class.
# Not part of bench: the first run builds about 10 GB (kept in build/bench-scale/
# and on the PostgreSQL server) and takes hours on two cores; reruns only query.
bench-scale: $(STAMP) system-deps
	$(BIN)/python bench/search_scale.py

# 100,000 generated cases over the parsers; a case that raises or runs over
# 2 s fails the run, and its input is kept in tests/fuzz/data.
fuzz: $(STAMP)
	nice $(BIN)/python scripts/fuzz --cases 100000

docs: $(STAMP)
	$(BIN)/python -m babelwire.cli.reference docs

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
