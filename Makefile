# Lantern — one command to run, one to test. Everything installs itself.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.stamp-installed
# Tests run inside a new network namespace where the kernel allows it: proof that
# nothing in Lantern needs (or silently tries) the network. Its one interface is
# loopback, brought up so the sync tests' own CouchDB-protocol server can listen on
# 127.0.0.1 (scripts/offline.sh); nothing outside the machine is reachable.
OFFLINE := $(shell bash scripts/offline.sh --check >/dev/null 2>&1 && echo "bash scripts/offline.sh")
# Portable llama.cpp build is made by `make package`; development uses the default.

.PHONY: run test couch-deps test-threads test-frozen lint unit bench package clean venv system-deps screenshots translations

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip wheel

$(STAMP): pyproject.toml $(VENV)/bin/python
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# pouchdb-server for the sync tests (tools/couch/), installed only when missing
couch-deps:
	bash scripts/couch-deps.sh

system-deps:
	bash scripts/system-deps.sh test

run: system-deps venv
	@[ -n "$$DISPLAY$$WAYLAND_DISPLAY" ] || echo 'make run: no DISPLAY set; start it from a desktop session (or under xvfb-run)'
	$(VENV)/bin/lantern-gui

lint: venv
	$(VENV)/bin/ruff check desktop tests
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

unit: venv couch-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not model"

test: system-deps venv couch-deps lint
	@[ -n "$(OFFLINE)" ] && echo "tests run offline: $(OFFLINE)" || echo "warning: cannot create a network namespace; tests run with the network"
	QT_QPA_PLATFORM=offscreen $(OFFLINE) $(PY) -m pytest -q

# The whole suite twice, offline like `make test`, with the model host pinned to
# 1 and then 2 threads (LANTERN_LLM_THREADS): no test may depend on how fast the
# model runs. THREADS="1 4" chooses other counts.
THREADS ?= 1 2
test-threads: system-deps venv couch-deps lint
	@for n in $(THREADS); do \
	    echo "== make test with LANTERN_LLM_THREADS=$$n"; \
	    LANTERN_LLM_THREADS=$$n QT_QPA_PLATFORM=offscreen $(OFFLINE) $(PY) -m pytest -q || exit 1; \
	done

bench: system-deps venv couch-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.benchmarks.run_all

# Linux package (tar.gz + .deb in dist/) with portable llama.cpp builds; see docs/INSTALL.md.
package: venv
	bash scripts/system-deps.sh package
	bash packaging/build_linux.sh

# The packaged app, tested as a clinic gets it (CI runs this after `make test`):
# PyInstaller folder with the baseline (no-AVX2) llama.cpp only, no archives, then
# the frozen `lantern --self-test` inside a network namespace with no interfaces.
# llama.cpp builds are cached in ~/.cache/lantern-build (about 8 min the first time).
test-frozen: venv
	bash scripts/system-deps.sh package
	ARCHIVES=0 LLAMA_VARIANTS=baseline bash packaging/build_linux.sh

screenshots: system-deps venv
	$(PY) scripts/screenshots.py

# Re-extract UI strings into the .ts files, then compile the .qm files the app loads
# (see resources/translations/README.md; unfinished strings fail the tests).
TS_FILES := $(wildcard resources/translations/lantern_*.ts)
translations: venv
	$(VENV)/bin/pyside6-lupdate -extensions py -locations none -no-obsolete \
	    desktop/lantern/gui desktop/lantern/app.py -ts $(TS_FILES)
	for ts in $(TS_FILES); do $(VENV)/bin/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache
