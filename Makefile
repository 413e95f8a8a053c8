# Lantern. Every target does its own set-up: `make demo` and `make test` work on a fresh clone.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test test-sqlite test-postgres browser-deps bench lint layers clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(BIN)/python || $$(scripts/find-python.sh) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install -q "uv==$$(sed -n 's/^uv==//p' requirements.lock)"
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@touch $@

demo: install
	$(BIN)/lantern demo run --port $(PORT)

test: install browser-deps
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	LANTERN_VAR=$$(mktemp -d) $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	LANTERN_VAR=$$(mktemp -d) scripts/with-postgres.sh $(BIN)/pytest -m "not pure" -p no:cacheprovider $(PYTEST_ARGS)

browser-deps:
	@scripts/ensure-system-deps.sh

bench: install
	$(BIN)/python benchmarks/run_all.py $(BENCH_ARGS)

lint: install layers
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

# The import contracts in pyproject.toml: pure cores, layers, no package cycles (about a second).
layers: install
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
