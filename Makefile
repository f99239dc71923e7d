# Caseflow: the commands a newcomer runs. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= large
SEED ?= 1
ARGS ?=
TEST_WORKERS ?= 2
FILE ?=
SERVICES := $(PY) scripts/services.py --install --

.PHONY: install demo test _test lint bench _bench serve backup restore clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(VENV)/bin/pip install -q -r requirements-bench.txt
	touch $@

## make demo: SQLite, in-process tasks, the demo authority, served on 127.0.0.1:8000
demo: install
	@mkdir -p var/static
	env -u DATABASE_URL -u CELERY_BROKER_URL $(PY) manage.py migrate --noinput -v 0
	env -u DATABASE_URL -u CELERY_BROKER_URL PORT=$(PORT) $(PY) manage.py load_demo
	env -u DATABASE_URL -u CELERY_BROKER_URL $(PY) manage.py runserver $(HOST):$(PORT)

## make test: lint, then the whole suite against throwaway PostgreSQL (and a streaming
## replica of it), Redis, Celery, Chromium
test: install node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/services.py --install --replica -- $(MAKE) --no-print-directory _test

# Two phases: everything but the `services` and `alone` tests on TEST_WORKERS processes
# (pytest-xdist, each with its own test database and Redis database), then those one at a
# time: `services` tests stop and restart the one PostgreSQL server, `alone` tests time
# a job against the clock. Each process's test database is a copy of one template migrated
# first (scripts/test_db_template.py). Exit code 5 (nothing selected in
# a phase, e.g. ARGS names one file) is not a failure unless both phases selected nothing.
_test:
	@export CASEFLOW_DB_STATEMENT_TIMEOUT_MS=$${CASEFLOW_DB_STATEMENT_TIMEOUT_MS:-180000}; \
	export CASEFLOW_TEST_DB_TEMPLATE=$${CASEFLOW_TEST_DB_TEMPLATE:-caseflow_test_template}; \
	$(PY) scripts/test_db_template.py $$CASEFLOW_TEST_DB_TEMPLATE || exit $$?; \
	CASEFLOW_TEST_PHASE=parallel $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(ARGS); a=$$?; \
	if [ $$a -ne 0 ] && [ $$a -ne 5 ]; then exit $$a; fi; \
	CASEFLOW_TEST_PHASE=serial $(PY) -m pytest $(ARGS); b=$$?; \
	if [ $$b -ne 0 ] && [ $$b -ne 5 ]; then exit $$b; fi; \
	if [ $$a -eq 5 ] && [ $$b -eq 5 ]; then echo "no tests selected" >&2; exit 5; fi

## make bench [SCALE=medium]: build an authority, measure it end to end, print JSON
## (also written to bench/results/latest.json)
bench: $(VENV)/.bench-installed
	$(SERVICES) $(PY) bench/run.py --scale $(SCALE) --seed $(SEED)

## make serve: gunicorn + Celery worker + beat against a local PostgreSQL and Redis
## (kept in var/serve between runs), in production settings, on 127.0.0.1:8000
serve: install
	$(PY) scripts/services.py --install --data-dir var/serve -- bash scripts/serve.sh

## make backup / make restore FILE=...: pg_dump custom format (see README, "Backups")
backup: install
	@if [ -n "$$DATABASE_URL" ]; then bash scripts/backup.sh backup $(FILE); \
	else $(PY) scripts/services.py --data-dir var/serve -- bash scripts/backup.sh backup $(FILE); fi

restore: install
	@if [ -n "$$DATABASE_URL" ]; then bash scripts/backup.sh restore $(FILE); \
	else $(PY) scripts/services.py --data-dir var/serve -- bash scripts/backup.sh restore $(FILE); fi

lint: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
