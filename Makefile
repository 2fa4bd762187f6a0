# Two commands do all the set-up on a machine with only Python: `make generate` and `make test`.
# Each bootstraps .venv from the pinned requirements/dev.txt when it is missing or outdated.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv generate check lint typecheck unit contract test vendor lock clean

help:
	@echo "make generate   regenerate generated/ from spec/"
	@echo "make test       the whole suite: drift check, lint, types, unit and contract tests"
	@echo "make check      fail with a diff when generated/ differs from what spec/ produces"
	@echo "make lint       ruff (lint and format check)"
	@echo "make typecheck  mypy --strict"
	@echo "make unit       generator and client tests"
	@echo "make contract   the spec-driven contract suite"
	@echo "make vendor DEST=dir   copy the generated package into DEST/github_codespaces"
	@echo "make lock       re-pin requirements/dev.txt from pyproject.toml"

$(STAMP): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

venv: $(STAMP)

generate: $(STAMP)
	$(PY) -m generator generate --spec spec --out generated

check: $(STAMP)
	$(PY) -m generator check --spec spec --out generated

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests

contract: $(STAMP)
	$(BIN)/pytest contract_tests

test: check lint typecheck
	$(BIN)/pytest

vendor:
	@test -n "$(DEST)" || { echo "usage: make vendor DEST=<directory>"; exit 2; }
	mkdir -p "$(DEST)"
	rm -rf "$(DEST)/github_codespaces"
	cp -R generated/github_codespaces "$(DEST)/github_codespaces"
	find "$(DEST)/github_codespaces" -name __pycache__ -prune -exec rm -rf {} +
	@echo "vendored github_codespaces into $(DEST)/ (needs httpx only)"

lock: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	$(PY) -m pip uninstall --quiet --yes github-codespaces-codegen
	{ sed -n '1,3p' requirements/dev.txt; $(PY) -m pip freeze --exclude-editable; } > requirements/dev.txt.new
	mv requirements/dev.txt.new requirements/dev.txt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
