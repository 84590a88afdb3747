# Innovasjonsportalen. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PYTHON ?= $(shell scripts/find-python)
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
WEB_HOST ?= 127.0.0.1
WEB_PORT ?= 8000
export WEB_HOST WEB_PORT

# Local services for `make test`, overridable from the environment.
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
REDIS_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?=

.PHONY: help install run test test-dated test-fast drills drills-postgres lint fmt messages bench clean static

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- installation (stamps make a second run take seconds) -------------------------------------
.tools/bin/uv:
	@test -n "$(PYTHON)" || exit 1
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	@test -n "$(PYTHON)" || exit 1
	$(UV) sync --frozen --python "$(PYTHON)"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

var/static/staticfiles.json: $(VENV)/.installed node_modules/.installed $(shell find static -type f 2>/dev/null)
	$(PY) manage.py collectstatic --noinput --verbosity 0

install: $(VENV)/.installed node_modules/.installed var/static/staticfiles.json ## Install Python and npm packages, collect static files

static: var/static/staticfiles.json ## Collect static files (whitenoise serves them)

# --- running ------------------------------------------------------------------------------------
run: install ## Start web, Celery worker and beat on SQLite + an embedded broker, with demo data
	@mkdir -p "$${VAR_DIR:-var}"
	@$(PY) manage.py prepare_local
	@echo
	@echo "Innovasjonsportalen runs at http://$(WEB_HOST):$(WEB_PORT)/  (admin: /admin/, health: /healthz)"
	@echo "Ctrl-C stops the web server, the worker and beat."
	@echo
	$(VENV)/bin/honcho start -f Procfile

# --- tests ----------------------------------------------------------------------------------------
# `make test` sets itself up (scripts/test-services starts PostgreSQL and Redis, installs Chromium
# and gettext when it may), runs the whole suite on TEST_WORKERS processes (pytest-xdist), then the
# date-sensitive tests (marker `dated`) again at each moment of `python -m tests.clock moments`.
# Of the 20 test databases that makes, one is migrated and the others are cloned from it
# (PORTAL_TEST_DB_TEMPLATE, tests/template_db.py).
TEST_WORKERS ?= 2
DATED_ARGS ?=
TEST_ENV = DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)"
test: install ## The whole suite (PostgreSQL, Redis, a live Celery worker, headless Chromium), then the dated runs
	@DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" scripts/test-services
	@mkdir -p var; rm -f var/test-dated.log; \
	export PORTAL_TEST_DB_TEMPLATE="test-$$(date +%s)-$$$$"; \
	if [ -z "$(PYTEST_ARGS)" ]; then \
		echo "The dated runs go on beside the main run (their own databases); output: var/test-dated.log"; \
		$(MAKE) --no-print-directory test-dated >var/test-dated.log 2>&1 & dated=$$!; \
	fi; \
	$(TEST_ENV) $(PY) -m pytest -n $(TEST_WORKERS) --durations=20 $(PYTEST_ARGS); main=$$?; \
	if [ -n "$${dated:-}" ]; then \
		wait $$dated; dated_rc=$$?; echo; echo "=== the dated runs (var/test-dated.log)"; \
		grep -E '^(--- dated run|[0-9]+ (passed|failed)|FAILED|ERROR)' var/test-dated.log; \
		[ $$dated_rc -eq 0 ] || { echo "the dated runs FAILED: see var/test-dated.log"; exit 1; }; \
	fi; \
	exit $$main

# The dated runs skip the browser (the whole suite ran it on the real date). Each starts from fresh
# test databases: a reused one has lost the migrations' reference data to the last run's
# transactional tests (pytest-django runs those last, so within one run the order is safe). They
# are cloned from one freshly migrated copy (tests/template_db.py): `make test`'s, or their own.
test-dated: install ## The date-sensitive tests at New Year, 29 February, both DST nights and 12:59:59/13:00:00
	@DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" scripts/test-services
	@template="$${PORTAL_TEST_DB_TEMPLATE:-dated-$$(date +%s)-$$$$}"; paths="$$($(PY) -m tests.clock paths)"; \
	$(PY) -m tests.clock moments | while IFS= read -r moment; do \
		echo "--- dated run: PORTAL_TEST_NOW='$$moment'"; \
		$(TEST_ENV) PORTAL_TEST_DB_TEMPLATE="$$template" PORTAL_TEST_NOW="$$moment" $(PY) -m pytest -n $(TEST_WORKERS) -q -p no:cacheprovider \
			-m "dated and not browser and not drill" $(DATED_ARGS) $$paths || exit 1; \
	done

DRILLS ?= 10
# The drills restart Redis, so they run on a Redis of their own (no persistence), never on REDIS_URL's.
DRILL_REDIS_PORT ?= 6390
drills: install ## Repeat the scheduler's fault drills DRILLS times (worker SIGKILLed, Redis restarted, publish lost, two workers)
	@mkdir -p var
	@redis-server --port $(DRILL_REDIS_PORT) --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
		--pidfile "$(CURDIR)/var/drill-redis-$(DRILL_REDIS_PORT).pid" --logfile "$(CURDIR)/var/drill-redis-$(DRILL_REDIS_PORT).log"
	@trap 'redis-cli -p $(DRILL_REDIS_PORT) shutdown nosave >/dev/null 2>&1' EXIT; \
	for i in $$(seq $(DRILLS)); do \
		echo "--- drill round $$i of $(DRILLS)"; \
		DRILL_OWN_REDIS=1 DATABASE_URL="$(DATABASE_URL)" REDIS_URL="redis://127.0.0.1:$(DRILL_REDIS_PORT)/0" \
			$(PY) -m pytest tests/scheduling -m drill -q -s -p no:cacheprovider $(PYTEST_ARGS) || exit 1; \
	done; \
	echo "--- the PostgreSQL restart drill, on a PostgreSQL of its own (scripts/drill-postgres)"; \
	DRILL_POSTGRES_PORT=$(DRILL_POSTGRES_PORT) scripts/drill-postgres $(PY) "redis://127.0.0.1:$(DRILL_REDIS_PORT)/0" $(PYTEST_ARGS)

# The PostgreSQL drill restarts its database, so it never runs on DATABASE_URL's: scripts/drill-postgres
# creates one with initdb on this port (skipped, with a message, where initdb is missing).
DRILL_POSTGRES_PORT ?= 5440
drills-postgres: install ## Only the PostgreSQL restart drill, on a PostgreSQL it creates and removes (initdb)
	DRILL_POSTGRES_PORT=$(DRILL_POSTGRES_PORT) scripts/drill-postgres $(PY) "$(REDIS_URL)" $(PYTEST_ARGS)

test-fast: install ## Quick local run: skips the browser and live-worker tests (still PostgreSQL)
	PORTAL_TEST_FAST=1 DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" $(PY) -m pytest --reuse-db -m "not browser and not worker" $(PYTEST_ARGS)

BENCH ?= tests/bench
bench: install ## Benchmarks named in the issues, printing their figures (BENCH=tests/bench/test_x.py for one)
	@if ls tests/bench/*.py >/dev/null 2>&1; then DATABASE_URL="$(DATABASE_URL)" REDIS_URL="$(REDIS_URL)" $(PY) -m pytest $(BENCH) -p no:cacheprovider -o addopts="" -s $(PYTEST_ARGS); else echo "No benchmarks yet."; fi

# --- quality ----------------------------------------------------------------------------------
lint: install ## ruff, djLint, makemigrations --check, manage.py check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

fmt: install ## Format Python code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: install ## Extract strings to locale/*/django.po and compile them
	$(PY) manage.py makemessages -l nb -l nn -l en --ignore=.venv --ignore=node_modules --ignore=var --ignore=.tools
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=.tools

clean: ## Remove installed packages, collected static files and the local database
	rm -rf $(VENV) .tools node_modules var
