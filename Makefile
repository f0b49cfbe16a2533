# The few commands everyone runs. `make run` and `make test` set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# `make` commands run the development settings; production sets its own (see README.md).
export COMPACTCASES_ENV ?= development

.PHONY: run test fuzz setup setup-dev assets chromium lint format bench bench-http clean

run: setup assets
	$(FLASK) db upgrade
	$(FLASK) demo seed
	@echo ""
	@echo "Compact Cases is starting at http://$(HOST):$(PORT)/"
	@echo "Without MAIL_SERVER, each reminder e-mail is printed below (the compactcases.mail log)."
	@$(FLASK) demo accounts
	@echo ""
	HOST=$(HOST) PORT=$(PORT) SCHEDULER_ENABLED=true $(FLASK) run --host $(HOST) --port $(PORT)

test: setup-dev assets chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	bash scripts/test.sh

# The long API fuzz: 200 valid and 200 invalid requests per operation, undocumented methods,
# then chains of calls (the stateful phase). On SQLite, or on the PostgreSQL TEST_DATABASE_URL names.
fuzz: setup-dev
	SCHEMATHESIS_FUZZ=1 SCHEMATHESIS_EXAMPLES=200 $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/app/test_api_schema.py

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

compactcases/static/application.css: node_modules/.stamp assets/build.mjs $(wildcard assets/scss/*.scss) \
		$(wildcard assets/js/*.mjs) $(wildcard assets/images/*)
	node assets/build.mjs

assets: compactcases/static/application.css

# Browser tests drive Debian's Chromium; Playwright's own browser downloads are not used.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's Chromium for the browser tests"; \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
		echo "Could not install chromium: the browser tests will be skipped"; }

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The sweep at 10k deadlines by default; BENCH_SWEEP_SIZES="10000 100000 1000000" for the big
# sizes, BENCH_DATABASE_URL=postgresql://... to run them on PostgreSQL (the database is emptied).
BENCH_SWEEP_SIZES ?= 10000
BENCH_DATABASE_URL ?=

# Every benchmark adds its rows to BENCH_RECORD; the last step prints them as one table.
BENCH_RECORD := $(abspath instance/bench-latest.jsonl)
bench: export BENCH_RECORD := $(BENCH_RECORD)
bench: setup-dev
	@mkdir -p instance && rm -f $(BENCH_RECORD)
	PYTHONPATH=. $(BIN)/python bench/bench_dispute.py
	PYTHONPATH=. $(BIN)/python bench/bench_periods.py
	PYTHONPATH=. $(BIN)/python bench/bench_case_list.py --cases 100000 \
		$(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))
	PYTHONPATH=. $(BIN)/python bench/bench_reports.py --cases 100000
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then \
		PYTHONPATH=. $(BIN)/python bench/bench_reports.py --cases 100000 \
			--database-url "$(BENCH_DATABASE_URL)"; fi
	PYTHONPATH=. $(BIN)/python bench/bench_import.py --rows 10000 \
		$(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))
	for n in $(BENCH_SWEEP_SIZES); do \
		PYTHONPATH=. $(BIN)/python bench/bench_sweep.py --deadlines $$n \
			$(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL)) || exit 1; \
	done
	PYTHONPATH=. $(BIN)/python bench/summary.py $(BENCH_RECORD)

# Serves with gunicorn (4 workers) on a PostgreSQL database it drops and seeds; 8 clients load
# each page for BENCH_SECONDS (at most 60).
BENCH_HTTP_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/bench_http
BENCH_SECONDS ?= 30
bench-http: setup-dev
	PYTHONPATH=. $(BIN)/python bench/bench_http.py --cases 100000 --seconds $(BENCH_SECONDS) \
		--database-url $(BENCH_HTTP_DATABASE_URL)

clean:
	rm -rf $(VENV) node_modules compactcases/static instance
