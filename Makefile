# `make test` is the README's test command and what CI runs (.ci/run): it installs what the tests need into
# a project virtualenv (Python deps + the Rust extension, built by maturin) and runs every suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: test install lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

lint: install
	$(BIN)/ruff check .
	cargo clippy --manifest-path rust/Cargo.toml --all-targets -- -D warnings

test: install
	cargo test --manifest-path rust/Cargo.toml
	$(BIN)/pytest
