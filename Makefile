# Two commands for a newcomer: `make serve` and `make test`. Everything else is set up on demand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
# Material prints a notice about its successor on every build; it is not for editors.
export NO_MKDOCS_2_WARNING := 1
# pa11y's Puppeteer must never download a browser at `npm ci`: the tests use Debian's Chromium (see .puppeteerrc.cjs).
export PUPPETEER_SKIP_DOWNLOAD := 1

# Debian packages WeasyPrint needs to render PDFs (and the fonts it embeds; fc-list finds them for the PDF cache key).
DEB_RUNTIME := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fc-list=fontconfig
# Node.js and npm for the front-end packages in package.json (only if not already installed).
DEB_NODE := npm=npm
# Debian packages the tests need on top: the browser, Java for the Nu HTML Checker, and poppler and qpdf,
# two of the PDF engines the fillable form is tested in.
DEB_TEST := chromium java=default-jre-headless poppler-utils qpdf

.PHONY: help setup setup-test web-editor serve cms build lint test check-content drill bench mutation clean
.DEFAULT_GOAL := help

help:
	@echo "make serve   set up, build and serve the site at http://$(ADDR) with live reload"
	@echo "make cms     the web editor on this computer: decap-server and the site at http://$(ADDR)/admin/"
	@echo "make build   production build into site/ (kept as it was if the build fails)"
	@echo "make web-editor  fetch the web editor's script (Decap CMS, pinned in package.json); make build does it"
	@echo "make lint    quick checks: Markdown style, spelling, ruff, front matter, figures (seconds)"
	@echo "make test    set up with test tools, lint, and run every test"
	@echo "make check-content  the quick checks for a change to content only: lint, the build with PDFs, content tests"
	@echo "make drill   make an editor's everyday edits on a copy of the project and run every test there"
	@echo "make bench   measure build speed, PDF cost, scale and page weight (benchmarks/RESULTS.md)"
	@echo "make mutation  break the code on purpose, one way at a time, and check a test catches each (weekly in CI)"

# pip --no-compile: Python compiles a module when it is first imported; compiling every file of every package at
# install time cost about ten seconds of each set-up.
$(VENV)/.runtime: requirements.txt scripts/ensure-debian-packages.sh
	scripts/ensure-debian-packages.sh $(DEB_RUNTIME)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	scripts/ensure-debian-packages.sh $(DEB_NODE)
	# --omit=optional: pdf.js's optional canvas (a native build) draws pages, which the tests never ask of it.
	npm ci --no-audit --no-fund --loglevel=error --omit=optional
	touch $@

# The web editor (/admin/): Decap CMS's published bundle only, fetched with `npm pack` and checked against the
# sha512 in package.json (webEditor), not its ~700 build dependencies (scripts/fetch_web_editor.py).
# A web build without it fails, naming `make web-editor` (except `mkdocs serve`, and SCR_CMS=0 for check-content).
WEB_EDITOR := .cache/web-editor/.fetched
$(WEB_EDITOR): package.json scripts/fetch_web_editor.py $(VENV)/.runtime node_modules/.installed
	$(BIN)/python scripts/fetch_web_editor.py
	touch $@
web-editor: $(WEB_EDITOR)

$(VENV)/.test: $(VENV)/.content node_modules/.installed $(WEB_EDITOR)
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || { \
	  echo "The tests need Node.js 20 or later (pa11y 9); this machine has $$(node --version)." >&2; \
	  echo "Debian 12's own nodejs is 18: install Node.js 20, or use the node:20-bookworm image." >&2; exit 1; }
	scripts/ensure-debian-packages.sh $(DEB_TEST)
	touch $@

# The Python test tools (without the browser, Java or Node.js: enough for `make check-content`).
$(VENV)/.content: $(VENV)/.runtime requirements-test.txt
	$(BIN)/python -m pip install --quiet --no-compile --disable-pip-version-check -r requirements-test.txt
	touch $@

setup: $(VENV)/.runtime
setup-test: $(VENV)/.test

serve: setup
	$(BIN)/python scripts/check_config.py
	SITE_URL=http://$(ADDR)/ $(BIN)/mkdocs serve --strict --dev-addr $(ADDR)

# The web editor (/admin/, Decap CMS) on this computer: decap-server, Decap's local backend, saves into this folder,
# and `mkdocs serve` shows the result. CMS_MODE=fs (the default) writes each saved file straight into docs/;
# CMS_MODE=git saves as on GitHub: a branch per change, Draft / In review / Ready, "Publish" merges into the branch
# that is checked out (commit or stash your own changes first). decap-server stops with `mkdocs serve` (Ctrl+C).
CMS_MODE ?= fs
CMS_PORT ?= 8081
cms: setup node_modules/.installed $(WEB_EDITOR)
	$(BIN)/python scripts/check_config.py
	MODE=$(CMS_MODE) PORT=$(CMS_PORT) BIND_HOST=127.0.0.1 node node_modules/decap-server/dist/index.js & server=$$!; \
	trap 'kill $$server' EXIT; \
	SITE_URL=http://$(ADDR)/ SCR_CMS_LOCAL_BACKEND=http://127.0.0.1:$(CMS_PORT)/api/v1 \
	  $(BIN)/mkdocs serve --strict --dev-addr $(ADDR)

# Build into a fresh folder and swap it in only when the whole build succeeded.
# The offline copy is a second build (page addresses that work from disk), zipped into downloads/.
build: setup node_modules/.installed $(WEB_EDITOR)
	rm -rf .site-new .site-offline
	$(BIN)/python scripts/check_config.py
	SCR_OFFLINE_ZIP=1 $(BIN)/mkdocs build --strict --site-dir .site-new
	SCR_OFFLINE_COPY=1 $(BIN)/mkdocs build --strict --config-file mkdocs-offline.yml --site-dir .site-offline
	$(BIN)/python scripts/make_offline_zip.py .site-offline .site-new/downloads/scr-guidance-offline.zip
	rm -rf .site-offline
	rm -rf .site-old
	if [ -d site ]; then mv site .site-old; fi
	mv .site-new site
	rm -rf .site-old

lint: setup-test
	bash scripts/lint.sh

# Three processes (pytest-xdist) on the 2-core CI machine: much of the suite waits on Chromium, Node.js and
# subprocesses, so a third process uses the time the other two spend waiting. Each test file runs whole in one
# process (the longest start first), and the site is built once, before they start (tests/conftest.py).
# TEST_WORKERS=0 runs everything in this one process.
TEST_WORKERS ?= 3
test: setup-test lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

# A pull request that changes only content (docs/, or `extra:` in mkdocs.yml; scripts/change_scope.py decides)
# gets these instead of every test: lint, then the content tests, whose session builds the site strictly with
# every PDF. On GitHub each problem is shown on the line that caused it (scripts/annotate.py).
# Both run even when lint fails, so that one round of fixes clears everything.
check-content: $(VENV)/.content
	status=0; \
	$(BIN)/python scripts/annotate.py bash scripts/lint.sh || status=1; \
	SCR_CMS=0 $(BIN)/python scripts/annotate.py $(BIN)/python -m pytest -m content -p no:cacheprovider || status=1; \
	exit $$status

# The editor drill: a copy of the project with an editor's everyday edits must pass every test (scripts/editor_drill.py).
drill: setup-test
	$(BIN)/python scripts/editor_drill.py

bench: setup-test
	$(BIN)/python benchmarks/bench.py

# A small mutation run: each deliberate break in scripts/mutation_run.py must fail a test (about a quarter of an hour).
mutation: setup-test
	$(BIN)/python scripts/mutation_run.py --report mutation-report.md

clean:
	rm -rf site .site-new .site-old .site-offline .cache .pytest_cache
