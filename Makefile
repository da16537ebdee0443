# ACSG platform. `make run` starts everything; `make test` runs every test. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
FRONTEND := frontend
SPA_SOURCES := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) \
	$(FRONTEND)/index.html $(FRONTEND)/vite.config.ts $(FRONTEND)/tsconfig.json $(FRONTEND)/package-lock.json

.PHONY: help run worker test test-backend test-frontend test-e2e lint format openapi migration spa deps chromium bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --python $(PYTHON)
	@touch $@

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	@touch $@

$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.installed $(SPA_SOURCES)
	cd $(FRONTEND) && npx vite build --logLevel warn

deps: $(VENV)/.installed $(FRONTEND)/node_modules/.installed ## install Python (from uv.lock) and npm (from package-lock.json) dependencies

spa: $(FRONTEND)/dist/index.html ## build the web interface

chromium: ## install Debian's Chromium for the browser tests when it is missing
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing chromium (Debian package) for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

run: deps spa ## start the platform with demo data on http://127.0.0.1:8000 (embedded PostgreSQL unless DATABASE_URL is set)
	$(VENV)/bin/acsg serve

worker: deps ## run the outbox worker on its own (production runs it beside the API)
	$(VENV)/bin/acsg worker

test: deps spa chromium test-backend test-frontend test-e2e ## every test: backend, SPA units, browser tests

test-backend: deps
	$(VENV)/bin/pytest -n 2 --dist loadfile

test-frontend: deps
	cd $(FRONTEND) && npx vitest run --config vitest.config.ts

test-e2e: deps spa chromium
	cd $(FRONTEND) && npx vitest run --config vitest.e2e.config.ts

lint: deps ## ruff, mypy strict, tsc, and a check that the OpenAPI document and client are current
	$(VENV)/bin/ruff check api tests scripts migrations bench
	$(VENV)/bin/ruff format --check api tests scripts migrations bench
	$(VENV)/bin/mypy
	cd $(FRONTEND) && npx tsc --noEmit
	@$(PY) -m api.openapi > .openapi.check.json && \
		if ! cmp -s .openapi.check.json $(FRONTEND)/openapi.json; then rm -f .openapi.check.json; \
		echo "frontend/openapi.json is stale: run 'make openapi'"; exit 1; fi; rm -f .openapi.check.json
	@cd $(FRONTEND) && npx openapi-typescript openapi.json --default-non-nullable false --output .schema.check.d.ts >/dev/null 2>&1 && \
		if ! cmp -s .schema.check.d.ts src/client/schema.d.ts; then rm -f .schema.check.d.ts; \
		echo "the generated client is stale: run 'make openapi'"; exit 1; fi; rm -f .schema.check.d.ts

format: deps ## apply ruff's formatting and fixes
	$(VENV)/bin/ruff check --fix api tests scripts migrations bench
	$(VENV)/bin/ruff format api tests scripts migrations bench

openapi: deps ## regenerate frontend/openapi.json and the TypeScript client
	$(PY) -m api.openapi > $(FRONTEND)/openapi.json
	cd $(FRONTEND) && npm run -s generate-client

migration: deps ## create a migration from the models: make migration m="what changed"
	@test -n "$(m)" || { echo 'usage: make migration m="what changed"'; exit 2; }
	$(VENV)/bin/alembic revision --autogenerate -m "$(m)"

bench: deps ## run the benchmarks (see bench/RESULTS.md)
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script; done

clean: ## remove installed dependencies, builds and the embedded database
	rm -rf $(VENV) $(TOOLS) $(FRONTEND)/node_modules $(FRONTEND)/dist .data
