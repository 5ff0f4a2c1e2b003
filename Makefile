# OpenCTPAT developer commands. The two a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# uv is installed from PyPI when absent; `python3 -m uv` then works whatever PATH says.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
CTPAT := $(UV) run ctpat
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON ?= 3.11
# Commands that load the settings but serve nothing (compile translations, checks) need
# some SECRET_KEY; the real one comes from .env or the environment.
TOOL_ENV := SECRET_KEY=$${SECRET_KEY:-tooling-only}

help:
	@echo "make run    set up everything, load demo data, start the portal on http://$(HOST):$(PORT)"
	@echo "make test   run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint | typecheck | migrations-check | messages | screenshots | ci"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
	  python3 -m pip install --quiet uv || python3 -m pip install --quiet --break-system-packages uv

.env:
	cp .env.example .env

install: uv
	$(UV) sync --frozen --compile-bytecode
	@# The project's own modules too: without .pyc files every start compiles ~900 modules
	@# (seconds) when PYTHONDONTWRITEBYTECODE is set, as in many containers and CI.
	$(UV) run python -m compileall -q -x '/(\.venv|node_modules)/' . >/dev/null
	@if ! ls */locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then true; \
	  elif command -v msgfmt >/dev/null 2>&1; then $(TOOL_ENV) $(UV) run ctpat compilemessages --ignore=.venv -v0; \
	  else echo "msgfmt not found: using the committed .mo translation files"; fi

# Each target below reads .env (created from .env.example on first use).
ENV := set -a && . ./.env && set +a &&
# Links the demo prints and the e-mails carry lead to the port the portal runs on, unless
# SITE_URL is set (in .env or the environment).
SITE := SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"

setup: install .env
	$(ENV) $(CTPAT) migrate --no-input -v0
	$(ENV) $(CTPAT) createcachetable
	$(ENV) $(CTPAT) collectstatic --no-input -v0
	$(ENV) $(CTPAT) load_catalogue
	$(ENV) $(SITE) $(CTPAT) load_demo

# The background-task worker runs beside the web server and stops with it.
run: setup
	$(ENV) $(SITE) $(CTPAT) db_worker -v0 & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(ENV) $(SITE) $(CTPAT) runserver $(HOST):$(PORT)

test: install
	$(UV) run pytest -n 2 -q

# Refresh the pictures in docs/screenshots/ from the end-to-end tests (a normal test run
# writes them under test-artifacts/ so that it leaves the work tree clean).
screenshots: install
	CTPAT_DOCS_SCREENSHOTS=1 $(UV) run pytest -q -p no:xdist e2e/test_partner_questionnaire.py e2e/test_program_office.py e2e/test_risk_assessment.py

lint: uv
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck: uv
	$(TOOL_ENV) $(UV) run mypy .

migrations-check: uv
	$(TOOL_ENV) $(UV) run ctpat makemigrations --check --dry-run

messages: uv
	for app in $$(ls -d */locale | cut -d/ -f1); do (cd $$app && $(TOOL_ENV) $(UV) run ctpat makemessages -l es -v0); done
	$(TOOL_ENV) $(UV) run ctpat compilemessages --ignore=.venv -v0

ci:
	bash .ci/run

.PHONY: help uv install setup run test screenshots lint typecheck migrations-check messages ci
