# Two commands on a fresh Debian/Ubuntu machine with Python 3.11+:
#   make build   set up .venv and run the main job on the bundled knowledge base
#   make test    set up .venv, install the site's test tools (.ci/install-tools) and run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test tools bench docs setup clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

build: $(STAMP)
	$(BIN)/kb build

# chromium, java, poppler-utils (apt) and the pinned vnu-jar and axe-core (npm, into .tools/)
tools:
	.ci/install-tools

test: $(STAMP) tools
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m kb_bench

clean:
	rm -rf build $(VENV) .tools

docs: $(STAMP)
	$(BIN)/python -m experience_kb.docgen
