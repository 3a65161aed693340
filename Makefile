# Two commands for a newcomer: `make serve` and `make test`. Everything else is set up on demand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
# Material prints a notice about its successor on every build; it is not for editors.
export NO_MKDOCS_2_WARNING := 1

# Debian packages WeasyPrint needs to render PDFs (and the fonts it embeds).
DEB_RUNTIME := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
# Debian packages the tests need on top: the browser for the browser tests.
DEB_TEST := chromium

.PHONY: help setup setup-test serve build test clean
.DEFAULT_GOAL := help

help:
	@echo "make serve   set up, build and serve the site at http://$(ADDR) with live reload"
	@echo "make build   production build into site/ (kept as it was if the build fails)"
	@echo "make test    set up with test tools and run every test"

$(VENV)/.runtime: requirements.txt scripts/ensure-debian-packages.sh
	scripts/ensure-debian-packages.sh $(DEB_RUNTIME)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements-test.txt
	scripts/ensure-debian-packages.sh $(DEB_TEST)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

setup: $(VENV)/.runtime
setup-test: $(VENV)/.test

serve: setup
	SITE_URL=http://$(ADDR)/ $(BIN)/mkdocs serve --strict --dev-addr $(ADDR)

# Build into a fresh folder and swap it in only when the whole build succeeded.
build: setup
	rm -rf .site-new
	$(BIN)/mkdocs build --strict --site-dir .site-new
	rm -rf .site-old
	if [ -d site ]; then mv site .site-old; fi
	mv .site-new site
	rm -rf .site-old

test: setup-test
	$(BIN)/python -m pytest

clean:
	rm -rf site .site-new .site-old .cache .pytest_cache
