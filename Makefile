# Lantern — one command to run, one to test. Everything installs itself.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.stamp-installed
# Portable llama.cpp build is made by `make package`; development uses the default.

.PHONY: run test lint unit bench package clean venv system-deps screenshots translations

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip wheel

$(STAMP): pyproject.toml $(VENV)/bin/python
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

system-deps:
	bash scripts/system-deps.sh test

run: system-deps venv
	@[ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || echo 'make run: no DISPLAY set; start it from a desktop session (or under xvfb-run)'
	$(VENV)/bin/lantern-gui

lint: venv
	$(VENV)/bin/ruff check desktop tests
	$(VENV)/bin/lint-imports

unit: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not model"

test: system-deps venv lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: system-deps venv
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.run_all

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
