# Two commands do all the set-up on a fresh Debian machine:
#   make demo   install, build the demo database, run the month, serve http://127.0.0.1:8000
#   make test   install what the tests need (Debian packages included), run the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements/constraints.txt | sha1sum | cut -c1-12)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export DJANGO_SETTINGS_MODULE := servicecenter.web.settings.test

.PHONY: demo test install system-deps messages lint check-messages test-core test-sqlite test-postgres test-browser benchmarks clean

install: $(STAMP) messages

$(STAMP): pyproject.toml requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[test]'
	@rm -f $(VENV)/.installed-*; touch $(STAMP)

# Debian packages: gettext (translations), pango (PDF), postgresql (tests), chromium (browser tests).
system-deps:
	@bash scripts/system-deps.sh

messages: $(STAMP)
	@cd src/servicecenter && ../../$(BIN)/django-admin compilemessages --ignore=.venv -v 0

demo: system-deps install
	DJANGO_SETTINGS_MODULE= $(BIN)/servicecenter demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/lint-imports

test-core: $(STAMP)
	$(BIN)/pytest -q -p no:django -W ignore::pytest.PytestConfigWarning tests/core tests/formats

test-sqlite: install
	$(BIN)/pytest -q tests/apps tests/browser

test-postgres: install
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest -q tests/apps

# The stages one after another, with the time of each printed at the end (scripts/stages.py).
test:
	@$(PYTHON) scripts/stages.py system-deps install lint check-messages test-core test-sqlite test-postgres

check-messages: install
	$(BIN)/python scripts/check_messages.py

benchmarks: install
	$(BIN)/pip install -q -c requirements/constraints.txt -e '.[test,bench]'
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var artifacts .pytest_cache
