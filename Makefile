# Every target sets up .venv first, so each works on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench sandbox clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## the console against the embedded sandbox
	$(BIN)/switchboard console

test: $(STAMP)  ## the whole suite
	$(BIN)/pytest -q

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)  ## benchmarks: figures and ratios printed
	$(BIN)/python -m tests.benchmarks

sandbox: $(STAMP)  ## the Chime SDK Voice emulator on :8099
	$(BIN)/switchboard sandbox --port 8099

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
