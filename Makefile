# Netralitas: the two commands a newcomer needs are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
WEB_PORT ?= 8000

.PHONY: run serve test bench install lint format migrate demo clean help

help:
	@echo "make run   - install, migrate, load demo data, start web + Celery worker + beat"
	@echo "make test  - install dev tools, ruff check, the whole pytest suite on PostgreSQL and Redis"
	@echo "make bench - measure pages, exports and sweeps on the national-size data set (PostgreSQL)"
	@echo "make lint  - ruff check only;  make format - ruff format;  make clean - remove .venv and var/ (the"
	@echo "             embedded PostgreSQL's data too)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml changes (pins moved), otherwise reuse the virtualenv.
$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

install: $(RUNTIME_STAMP)

migrate: $(RUNTIME_STAMP)
	$(BIN)/python manage.py with_database -- $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py with_database -- $(BIN)/python manage.py load_demo

# The whole system on this machine: an embedded PostgreSQL whose data stays in var/postgres (started before and
# stopped after the rest) unless DATABASE_URL names a server, and a broker on the file system unless
# CELERY_BROKER_URL names one. One Ctrl-C stops the web server, the worker, beat and the embedded PostgreSQL.
run: export DEBUG ?= true
run: export LOG_FORMAT ?= text
run: export HOST := $(HOST)
run: export WEB_PORT := $(WEB_PORT)
run: $(RUNTIME_STAMP)
	@mkdir -p var
	PATH="$(CURDIR)/$(BIN):$$PATH" exec $(BIN)/python manage.py with_database -- $(MAKE) --no-print-directory serve

# What `make run` does once the database is there (DATABASE_URL set by manage.py with_database).
serve:
	python manage.py migrate --noinput
	python manage.py load_demo
	python manage.py run_reminders
	@echo
	@echo "  Netralitas berjalan di  http://$(HOST):$(WEB_PORT)/   (cek kesehatan: http://$(HOST):$(WEB_PORT)/healthz)"
	@echo "  Tekan Ctrl-C untuk menghentikan web, worker, beat dan PostgreSQL tertanam."
	@echo
	exec honcho start

# The whole suite on PostgreSQL and Redis (the production parts), browser tests in Debian's chromium.
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/netralitas
test: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/15
test: $(DEV_STAMP)
	@$(BIN)/python scripts/preflight.py
	@$(MAKE) --no-print-directory system-packages
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

# Debian packages the suite needs: chromium for the browser tests; Pango and the DejaVu fonts for the PDF
# letters (WeasyPrint); the PostgreSQL client (pg_dump, pg_restore, psql) for the backup test and make bench;
# docker-compose to validate docker-compose.yml (without its recommended Docker engine, which the check does not
# need). Installed only when missing.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client
SYSTEM_PACKAGES_NO_RECOMMENDS := docker-compose
.PHONY: system-packages
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	bare=$$(for p in $(SYSTEM_PACKAGES_NO_RECOMMENDS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing$$bare" ]; then \
	  echo "Installing Debian packages: $$missing $$bare"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq; \
	  if [ -n "$$missing" ]; then DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi; \
	  if [ -n "$$bare" ]; then DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$bare >/dev/null; fi; \
	fi

# Pages, the API, the CSV export and the reminder sweeps measured on the scale data set (loaded once into
# BENCH_DATABASE_URL, then reused) with gunicorn on loopback; prints a table, writes var/bench/latest.json.
bench: $(DEV_STAMP)
	@$(BIN)/python scripts/preflight.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/bench.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: $(DEV_STAMP)
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var
