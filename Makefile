# The few commands everyone runs. `make run` and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# `make` commands run the development settings; production sets its own (see README.md).
export COMPACTCASES_ENV ?= development

.PHONY: run test test-sqlite test-postgres setup setup-dev assets lint format bench clean

run: setup assets
	$(FLASK) db upgrade
	$(FLASK) demo seed
	@echo ""
	@echo "Compact Cases is starting at http://$(HOST):$(PORT)/"
	@$(FLASK) demo accounts
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup-dev assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	bash scripts/test.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.stamp-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.stamp-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.stamp-runtime $@

setup: $(VENV)/.stamp-runtime
setup-dev: $(VENV)/.stamp-dev

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

compactcases/static/application.css: node_modules/.stamp assets/build.mjs $(wildcard assets/scss/*.scss)
	node assets/build.mjs

assets: compactcases/static/application.css

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup-dev
	PYTHONPATH=. $(BIN)/python bench/bench_dispute.py
	PYTHONPATH=. $(BIN)/python bench/bench_periods.py

clean:
	rm -rf $(VENV) node_modules compactcases/static instance
