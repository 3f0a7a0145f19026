# Every target creates the virtual environment it needs (.venv) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install serve schemas schemas-check web-types web-check fmt lint typecheck test check fuzz

# the server alone (what `serve` needs), then the development tools on top (what the rest needs)
$(BIN)/.installed-server: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.installed: pyproject.toml $(BIN)/.installed-server
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

serve: $(BIN)/.installed-server
	$(BIN)/assistants-server serve --host $(HOST) --port $(PORT)

schemas: install
	PATH=$(CURDIR)/$(BIN):$$PATH scripts/generate-schemas

schemas-check: schemas
	git diff --exit-code -- src/assistants_server/schemas/_generated

# the playground's checks (package.json: typescript and openapi-typescript, nothing at run time)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# the page's types, generated from the server's /openapi.json
web-types: install node_modules/.installed
	mkdir -p build
	$(BIN)/python scripts/dump-openapi > build/openapi.json
	npx --no-install openapi-typescript build/openapi.json \
		--default-non-nullable false -o src/assistants_server/playground/js/openapi.d.ts

# the committed types are the server's, and the page's modules type-check against them
web-check: web-types
	git diff --exit-code -- src/assistants_server/playground/js/openapi.d.ts
	npx --no-install tsc -p tsconfig.json

fmt: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/hadolint Dockerfile
	$(BIN)/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

typecheck: install
	$(BIN)/mypy

test: install
	$(BIN)/pytest

check: lint typecheck schemas-check web-check test

# schemathesis over the v2 and v1 documents against a real server: no 5xx, nothing outside them
fuzz: install
	$(BIN)/python scripts/fuzz-spec $(or $(FUZZ_SECONDS),60)
