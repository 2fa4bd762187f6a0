# Two commands do all the set-up on a machine with only Python: `make generate` and `make test`.
# Each bootstraps .venv from the pinned requirements/dev.txt when it is missing or outdated.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help venv node-tools generate check lint typecheck pyright unit contract contract-stats conformance prism test vendor lock clean upstream drift drift-latest upstream-bump scale drawn-specs

# GitHub's full published description, as Octokit ships it on npm (@octokit/openapi). The pin
# (package, version and the sha256 of each file read from it) is the `source:` block of
# spec/provenance.yaml, and nowhere else: the generator reads it, `make upstream-bump` moves it.
# UPSTREAM_DESCRIPTION picks the package's file: api.github.com, or ghec (Enterprise Cloud).
UPSTREAM_DIR := .upstream
UPSTREAM_DESCRIPTION ?= api.github.com

help:
	@echo "make generate   regenerate generated/ from spec/"
	@echo "make test       the whole suite: drift check, lint, types (mypy, pyright), unit and contract tests"
	@echo "make check      fail with a diff when generated/ differs from what spec/ produces"
	@echo "make lint       ruff (lint and format check), lint-imports (the direction of imports)"
	@echo "make typecheck  mypy --strict"
	@echo "make pyright    pyright --strict over the generated package and the runtime"
	@echo "make unit       generator and client tests"
	@echo "make contract   the spec-driven contract suite (fails if part of the spec went untested)"
	@echo "make contract-stats   the contract suite with hypothesis statistics"
	@echo "make conformance   the client against Prism serving GitHub's own description"
	@echo "make prism      install the pinned Prism (npm) into $(PRISM_DIR)"
	@echo "make vendor DEST=dir   copy the generated package into DEST/github_codespaces"
	@echo "make lock       re-pin requirements/dev.txt from pyproject.toml"
	@echo "make bench      benchmarks against the alternatives (in .venv-bench), writes benchmarks/RESULTS.md"
	@echo "make upstream   fetch GitHub's pinned full description into $(UPSTREAM_DIR)/"
	@echo "make drift [UPSTREAM=file-or-https-url | UPSTREAM_DESCRIPTION=ghec]   compare spec/ with GitHub's description"
	@echo "make drift-latest   the same against the newest release on npm (what GitHub changed since the pin)"
	@echo "make upstream-bump [VERSION=x.y.z]   move the pin (default: to the newest), after its drift report"
	@echo "make drawn-specs   the any-spec property test over 500 drawn documents"
	@echo "make scale      generate GitHub's whole description, type-check it, call every tag (minutes)"

$(STAMP): requirements/dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.txt
	@touch $@

venv: $(STAMP)

# pyright comes from npm, pinned with its integrity hash in package-lock.json; `npm ci` installs
# exactly that into node_modules/ (git-ignored), with no download when pyright runs.
NODE_STAMP := node_modules/.installed
PYRIGHT := node_modules/.bin/pyright

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node-tools: $(NODE_STAMP)

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

# Configured in pyproject.toml ([tool.pyright]); it resolves imports in .venv.
pyright: $(STAMP) $(NODE_STAMP)
	$(PYRIGHT)

unit: $(STAMP)
	$(BIN)/pytest tests

# The contract suite fails when part of the spec went unexercised (contract_tests/coverage.py).
# Hypothesis runs its derandomized `ci` profile when CI=true, `dev` otherwise.
contract: $(STAMP)
	CONTRACT_COVERAGE=enforce $(BIN)/pytest contract_tests

contract-stats: $(STAMP)
	CONTRACT_COVERAGE=enforce $(BIN)/pytest contract_tests --hypothesis-show-statistics

# Prism, an independent OpenAPI mock server (npm @stoplight/prism-cli 5.14.2, the last release
# that runs on Node.js 18-22), pinned with its whole tree by conformance_tests/prism/package-lock.json
# and installed into the git-ignored $(PRISM_DIR)/. Install scripts are not needed and not run.
PRISM_DIR := .prism
PRISM_MANIFEST := conformance_tests/prism/package.json conformance_tests/prism/package-lock.json
PRISM_STAMP := $(PRISM_DIR)/.installed

$(PRISM_STAMP): $(PRISM_MANIFEST)
	@command -v npm >/dev/null 2>&1 || { echo "Prism needs Node.js (18 or later) and npm" >&2; exit 1; }
	rm -rf $(PRISM_DIR) && mkdir -p $(PRISM_DIR)
	cp $(PRISM_MANIFEST) $(PRISM_DIR)/
	cd $(PRISM_DIR) && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

prism: $(PRISM_STAMP)

# The generated client against Prism serving the pinned upstream description (not spec/):
# conformance_tests/ starts and stops Prism itself, on a free loopback port.
conformance: $(STAMP) $(PRISM_STAMP) upstream
	$(BIN)/pytest conformance_tests

# One pytest run for every suite, conformance_tests/ included (pyproject's testpaths), on every
# core (pytest-xdist; a file's tests stay on one worker, the contract coverage is counted
# across them). PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= auto
test: check lint typecheck pyright drift $(PRISM_STAMP)
	CONTRACT_COVERAGE=enforce $(BIN)/pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

vendor:
	@test -n "$(DEST)" || { echo "usage: make vendor DEST=<directory>"; exit 2; }
	mkdir -p "$(DEST)"
	rm -rf "$(DEST)/github_codespaces"
	cp -R generated/github_codespaces "$(DEST)/github_codespaces"
	find "$(DEST)/github_codespaces" -name __pycache__ -prune -exec rm -rf {} +
	@echo "vendored github_codespaces into $(DEST)/ (needs httpx only)"

upstream: $(STAMP)
	@$(PY) -m generator upstream fetch --spec spec --into $(UPSTREAM_DIR) --description $(UPSTREAM_DESCRIPTION)

# `make drift` compares with the pinned description (fetched when needed);
# `make drift UPSTREAM=<file or https URL>` with any other.
drift: $(STAMP) $(if $(UPSTREAM),,upstream)
	$(PY) -m generator drift --spec spec --upstream $(or $(UPSTREAM),$(UPSTREAM_DIR)/$(UPSTREAM_DESCRIPTION).json)

# What GitHub changed since the pin: the same report against the newest release on npm (which
# the registry's integrity hash checks); the pin stays. Needs the registry, so not in `make test`.
drift-latest: $(STAMP)
	@$(PY) -m generator upstream latest --spec spec --into $(UPSTREAM_DIR)/latest --description $(UPSTREAM_DESCRIPTION)

# Moves the pin to VERSION (default: the newest), after printing the drift report against it;
# then regenerates (a no-op unless spec/ changed). Review the report and `git diff spec/`.
upstream-bump: $(STAMP)
	@$(PY) -m generator upstream bump --spec spec --into $(UPSTREAM_DIR) $(if $(VERSION),--version $(VERSION))
	@$(MAKE) --no-print-directory generate

# The property test of tests/test_any_spec.py with ten times the documents `make test` draws.
drawn-specs: $(STAMP)
	DRAWN_SPECS=500 $(BIN)/pytest -p no:cacheprovider tests/test_any_spec.py -k imports_or_is_refused

# Not part of `make test`: generates all of GitHub's description into build/scale/ and uses it.
scale: $(STAMP) upstream
	$(PY) -m tests.scale

lock: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check ".[dev]"
	$(PY) -m pip uninstall --quiet --yes github-codespaces-codegen
	{ sed -n '1,3p' requirements/dev.txt; $(PY) -m pip freeze --exclude-editable; } > requirements/dev.txt.new
	mv requirements/dev.txt.new requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules $(PRISM_DIR) .mypy_cache .pytest_cache .ruff_cache .hypothesis

# Benchmarks run in their own environment: the dev toolchain plus the baselines they compare
# against (benchmarks/requirements.txt), so that neither .venv nor the generated package gains them.
BENCH_VENV ?= .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): benchmarks/requirements.txt requirements/dev.txt
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements.txt
	@touch $@

.PHONY: bench
bench: $(BENCH_STAMP) upstream
	$(BENCH_VENV)/bin/python -m benchmarks
