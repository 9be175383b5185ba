# Two entry points for a fresh machine (see README): `make run` and `make test`.
# Both create .venv/ first. torch is installed from its CPU wheel before anything
# that depends on it (camel-tools, stanza), so pip never pulls a multi-GB CUDA build.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: setup run test bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) torch==2.13.0
	$(PIP) -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/extract run data/raw --out data/out

test: setup
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(VENV) data/out/*.jsonl data/out/.parts
