# The two commands a newcomer needs (see README):
#   make build   install the toolkit and build the bundled edition into output/
#   make test    install the toolkit, its test tools and system packages, run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: build test lint install install-test system-deps clean vendor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# An editable install leaves the toolkit's modules uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set Python never caches them: every `edition` run would compile ~50 ms of source again.
# The page-image viewer the sites ship (OpenSeadragon, pinned in vendor/package-lock.json): into
# vendor/node_modules, never committed; without npm the pages link their images instead.
install: $(BIN)/python vendor
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q toolkit > /dev/null

# ... and the map's outline data (npm world-atlas: Natural Earth, pinned in xslt/html/map/), so
# `make build` draws the same map as the tests do.
vendor:
	@if command -v npm > /dev/null; then npm ci --prefix vendor --no-audit --no-fund --silent; \
	  npm ci --prefix xslt/html/map --no-audit --no-fund --silent; \
	else echo "npm not found: the facsimile viewer and the map's outline are left out (docs/facsimiles.md, docs/html.md)"; fi

install-test: $(BIN)/python vendor
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q toolkit > /dev/null

system-deps:
	bash scripts/install-system-deps.sh

build: install
	$(BIN)/edition validate
	$(BIN)/edition build

lint: install-test
	$(BIN)/ruff check toolkit tests bench

test: system-deps install-test lint
	$(BIN)/python -m pytest

clean:
	rm -rf output/html output/pdf output/json $(VENV)
