# The two commands a newcomer needs (see README):
#   make build   install the toolkit and build the bundled edition into output/
#   make test    install the toolkit, its test tools and system packages, run the tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: build test lint install install-test system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# An editable install leaves the toolkit's modules uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set Python never caches them: every `edition` run would compile ~50 ms of source again.
install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q toolkit > /dev/null

install-test: $(BIN)/python
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
