# `make demo` builds the bundled sample end to end and serves it; `make test` runs the tests.
# Both create the virtual environment first when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test build serve clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/regkb demo

test: $(STAMP)
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/regkb build

serve: $(STAMP)
	$(BIN)/regkb serve

clean:
	rm -rf $(VENV) data .pytest_cache tests/artifacts
