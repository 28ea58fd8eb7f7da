# Two commands do all the set-up on a fresh machine with only Python >= 3.11 and make:
#   make run    installs into .venv and serves the app on http://127.0.0.1:8000
#   make test   installs the test extras (and Chromium when it can) and runs ruff, tsc, mypy and the whole
#               pytest suite
# The page's type check (tsc --checkJs over static/js, no build step) and its accessibility check (axe-core, injected
# by the browser tests) need node and npm; TypeScript and axe-core are pinned
# in package.json / package-lock.json and installed into ./node_modules.
PYTHON ?= python3
NPM    ?= npm
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint typecheck pytest bench browser services clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/nnlive serve --host $(HOST) --port $(PORT)

browser:
	@bash scripts/ensure-chromium

services:
	@bash scripts/ensure-services

lint: $(VENV)/.installed-test node_modules/.installed
	$(BIN)/ruff check nncore app tests bench
	$(BIN)/ruff format --check nncore app tests bench
	node_modules/.bin/tsc -p tsconfig.json

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test node_modules/.installed browser services
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(VENV)/.installed-test browser
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/fairness.py
	$(BIN)/python bench/cost.py
	$(BIN)/python bench/browser.py $(BROWSER_BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache node_modules
