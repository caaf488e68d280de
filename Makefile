# Every target sets up .venv first, so each works on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make test` never reaches the package index: tests that do (pip installs) are marked `deploy`.
OFFLINE := -m "not deploy"

.PHONY: run test test-deploy cov lint bench sandbox clean

# flock: two targets started at once on a fresh clone (make test & make test) install once, not twice at once.
$(STAMP): pyproject.toml
	flock $(VENV).lock bash -c 'set -o pipefail; \
	  if [ -f $(STAMP) ] && [ $(STAMP) -nt pyproject.toml ]; then exit 0; fi; \
	  echo "Setting up $(VENV) (first run, or pyproject.toml changed; about two minutes):" && \
	  echo "  1/3 creating the virtual environment" && $(PYTHON) -m venv $(VENV) && \
	  echo "  2/3 upgrading pip" && $(BIN)/pip install --quiet --upgrade pip && \
	  echo "  3/3 installing Switchboard and its dependencies" && \
	  $(BIN)/pip install --progress-bar off -e ".[dev]" | grep --line-buffered -E "^(Collecting|Successfully)" && \
	  touch $(STAMP) && echo "Set up."'

run: $(STAMP)  ## the console against the embedded sandbox, whatever AWS settings the environment holds
	$(BIN)/switchboard console --sandbox

test: $(STAMP)  ## the whole suite, offline (everything but the `deploy` tests)
	$(BIN)/pytest -q $(OFFLINE)

test-deploy: $(STAMP)  ## the `deploy` tests: the image's install steps (reaches the package index)
	$(BIN)/pytest -q -m deploy

# Subprocesses (`switchboard serve`, `console`, `sandbox`) are measured too: [tool.coverage.run] patch.
cov: $(STAMP)  ## the offline suite under coverage; prints line coverage of bot/, commands/ and voice_domain/
	rm -f .coverage .coverage.*
	COVERAGE_FILE=$(CURDIR)/.coverage $(BIN)/coverage run -m pytest -q $(OFFLINE)
	COVERAGE_FILE=$(CURDIR)/.coverage $(BIN)/coverage combine --quiet
	COVERAGE_FILE=$(CURDIR)/.coverage $(BIN)/coverage report

lint: $(STAMP)  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)  ## benchmarks: figures and ratios printed
	$(BIN)/python -m tests.benchmarks

sandbox: $(STAMP)  ## the Chime SDK Voice emulator on :8099
	$(BIN)/switchboard sandbox --port 8099

clean:
	rm -rf $(VENV) $(VENV).lock .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.* htmlcov
