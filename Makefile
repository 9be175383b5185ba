# Two entry points for a fresh machine (see README): `make run` and `make test` (lint, docs build, tests).
# Both create .venv/ first. torch is installed from its CPU wheel before anything
# that depends on it (camel-tools, stanza), so pip never pulls a multi-GB CUDA build.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PIP    := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: setup browser run lint docs test bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) torch==2.13.0
	$(PIP) -e '.[dev,docs]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/extract run data/raw --out data/out

# Headless Chromium (Debian package) and DejaVu fonts for the browser tests of the HTML report and
# entity view; where it cannot be installed those tests are skipped, saying why.
browser:
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; } \
	  || echo "could not install chromium: the browser tests will be skipped" >&2

# ruff and mypy as configured in pyproject.toml ([tool.ruff], [tool.mypy]).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The docs site (mkdocs.yml, docs/), built strictly into a temporary folder: a broken link or anchor fails.
docs: setup
	@site=$$(mktemp -d) && $(VENV)/bin/mkdocs build --strict --site-dir "$$site"; status=$$?; rm -rf "$$site"; exit $$status

test: setup browser lint docs
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(VENV) data/out/*.jsonl data/out/.parts
