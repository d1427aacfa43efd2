# The two commands: `make run` (the product, on its own PostgreSQL cluster in var/postgres, a
# file broker and e-mail to var/mail) and `make test`.
# Debian's interpreter where there is one (3.11+): built with profile-guided and link-time optimisation
# and with libpython linked in, it runs the import about a tenth faster than a default pyenv
# build, which has neither (docs/benchmarks.md). Another one: `make PYTHON=python3 ...`.
DEBIAN_PYTHON := $(shell command -v dpkg-query >/dev/null && /usr/bin/python3 -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null)
PYTHON ?= $(if $(filter True,$(DEBIAN_PYTHON)),/usr/bin/python3,python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test lint format messages services-start services-stop clean var

$(BIN)/python:
	scripts/ensure_system_packages.sh venv $(PYTHON)
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@ $(VENV)/.installed-run

var:
	mkdir -p var/mail var/cache var/celery/queue var/celery/processed var/celery/control

## run: install, start PostgreSQL (data kept in var/postgres, port $DEV_POSTGRES_PORT or 54329),
## migrate, load demo data once, start web + worker + beat on http://127.0.0.1:8000; Ctrl-C
## stops them all, PostgreSQL last
run: $(VENV)/.installed-run var
	scripts/ensure_system_packages.sh run
	$(BIN)/python scripts/services.py dev var/postgres -- sh -c '\
	  $(BIN)/python manage.py migrate --noinput && \
	  $(BIN)/python manage.py seed_demo && \
	  exec $(BIN)/honcho start -f Procfile'

## test: install, start throwaway PostgreSQL and Redis, run the whole suite, stop them
test: $(VENV)/.installed-dev
	scripts/ensure_system_packages.sh
	$(BIN)/python scripts/services.py run -- $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: extract translatable strings into every locale/ and compile them
messages: $(VENV)/.installed-dev
	$(BIN)/python scripts/messages.py

## services-start / services-stop: long-lived test services for repeated pytest runs
services-start: $(VENV)/.installed-dev
	$(BIN)/python scripts/services.py start var/services
services-stop:
	$(BIN)/python scripts/services.py stop var/services

clean:
	rm -rf $(VENV) var staticfiles
