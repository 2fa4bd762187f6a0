# Two commands do all the set-up on a machine with only Python: `make generate` and `make test`.
# Each bootstraps .venv from the pinned requirements/dev.txt when it is missing or outdated.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv generate check lint typecheck unit contract contract-stats test vendor lock clean upstream drift scale

# GitHub's full published description, as Octokit ships it on npm: `make upstream` fetches it
# into .upstream/ (git-ignored) and checks it against the pinned sha256.
UPSTREAM_PACKAGE := @octokit/openapi@23.0.2
UPSTREAM_MEMBER := package/generated/api.github.com.json
UPSTREAM_FILE := .upstream/api.github.com.json
UPSTREAM_SHA256 := 829b4bebb19a53133289f7b0bc819f4f1118115821db2ca9f25e9ee995a7da2a
SHA256SUM := $(shell command -v sha256sum >/dev/null 2>&1 && echo sha256sum || echo shasum -a 256)

help:
	@echo "make generate   regenerate generated/ from spec/"
	@echo "make test       the whole suite: drift check, lint, types, unit and contract tests"
	@echo "make check      fail with a diff when generated/ differs from what spec/ produces"
	@echo "make lint       ruff (lint and format check), lint-imports (the direction of imports)"
	@echo "make typecheck  mypy --strict"
	@echo "make unit       generator and client tests"
	@echo "make contract   the spec-driven contract suite (fails if part of the spec went untested)"
	@echo "make contract-stats   the contract suite with hypothesis statistics"
	@echo "make vendor DEST=dir   copy the generated package into DEST/github_codespaces"
	@echo "make lock       re-pin requirements/dev.txt from pyproject.toml"
	@echo "make bench      benchmarks against the alternatives (in .venv-bench), writes benchmarks/RESULTS.md"
	@echo "make upstream   fetch GitHub's pinned full description into $(UPSTREAM_FILE)"
	@echo "make drift [UPSTREAM=file-or-https-url]   compare spec/ with GitHub's description"
	@echo "make scale      generate GitHub's whole description, type-check it, call every tag (minutes)"

$(STAMP): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

venv: $(STAMP)

generate: $(STAMP)
	$(PY) -m generator generate --spec spec --out generated

check: $(STAMP)
	$(PY) -m generator check --spec spec --out generated

# lint-imports enforces the direction of imports declared in pyproject.toml ([tool.importlinter]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=generated $(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest tests

# The contract suite fails when part of the spec went unexercised (contract_tests/coverage.py).
# Hypothesis runs its derandomized `ci` profile when CI=true, `dev` otherwise.
contract: $(STAMP)
	CONTRACT_COVERAGE=enforce $(BIN)/pytest contract_tests

contract-stats: $(STAMP)
	CONTRACT_COVERAGE=enforce $(BIN)/pytest contract_tests --hypothesis-show-statistics

test: check lint typecheck drift
	CONTRACT_COVERAGE=enforce $(BIN)/pytest

vendor:
	@test -n "$(DEST)" || { echo "usage: make vendor DEST=<directory>"; exit 2; }
	mkdir -p "$(DEST)"
	rm -rf "$(DEST)/github_codespaces"
	cp -R generated/github_codespaces "$(DEST)/github_codespaces"
	find "$(DEST)/github_codespaces" -name __pycache__ -prune -exec rm -rf {} +
	@echo "vendored github_codespaces into $(DEST)/ (needs httpx only)"

upstream:
	@if [ -f $(UPSTREAM_FILE) ] && [ "$$($(SHA256SUM) $(UPSTREAM_FILE) | cut -d' ' -f1)" = "$(UPSTREAM_SHA256)" ]; then \
	  echo "$(UPSTREAM_FILE) is $(UPSTREAM_PACKAGE) (sha256 matches)"; \
	else \
	  set -e; rm -rf .upstream/pack && mkdir -p .upstream/pack; \
	  npm pack --silent --pack-destination .upstream/pack $(UPSTREAM_PACKAGE) >/dev/null; \
	  tar -xzf .upstream/pack/*.tgz -C .upstream/pack $(UPSTREAM_MEMBER); \
	  actual=$$($(SHA256SUM) .upstream/pack/$(UPSTREAM_MEMBER) | cut -d' ' -f1); \
	  if [ "$$actual" != "$(UPSTREAM_SHA256)" ]; then \
	    echo "$(UPSTREAM_PACKAGE) $(UPSTREAM_MEMBER) has sha256 $$actual, not the pinned $(UPSTREAM_SHA256)" >&2; \
	    rm -rf .upstream/pack; exit 1; \
	  fi; \
	  mv .upstream/pack/$(UPSTREAM_MEMBER) $(UPSTREAM_FILE); \
	  rm -rf .upstream/pack; \
	  echo "fetched $(UPSTREAM_PACKAGE) into $(UPSTREAM_FILE)"; \
	fi

# `make drift` compares with the pinned description (fetched when needed);
# `make drift UPSTREAM=<file or https URL>` with any other.
drift: $(STAMP) $(if $(UPSTREAM),,upstream)
	$(PY) -m generator drift --spec spec --upstream $(or $(UPSTREAM),$(UPSTREAM_FILE))

# Not part of `make test`: generates all of GitHub's description into build/scale/ and uses it.
scale: $(STAMP) upstream
	$(PY) -m tests.scale

lock: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	$(PY) -m pip uninstall --quiet --yes github-codespaces-codegen
	{ sed -n '1,3p' requirements/dev.txt; $(PY) -m pip freeze --exclude-editable; } > requirements/dev.txt.new
	mv requirements/dev.txt.new requirements/dev.txt

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis

# Benchmarks run in their own environment: the dev toolchain plus the baselines they compare
# against (benchmarks/requirements.txt), so that neither .venv nor the generated package gains them.
BENCH_VENV ?= .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): benchmarks/requirements.txt requirements/dev.txt
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt
	@touch $@

.PHONY: bench
bench: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m benchmarks
