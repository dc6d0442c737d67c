# `make test` is the README's test command and what CI runs (.ci/run): it installs what the tests need into
# a project virtualenv (Python deps + the Rust extension, built by maturin), checks lint, and runs every suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: test install lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

# Formatting is checked on our code trees only: examples/ holds the guide's snippets verbatim.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check mockd tests bench
	$(BIN)/mypy mockd bench/mockbench
	cargo clippy --manifest-path rust/Cargo.toml --all-targets -q -- -D warnings

test: lint
	cargo test --manifest-path rust/Cargo.toml -q
	$(BIN)/pytest
