# Two commands do all set-up on a fresh machine: `make html` and `make test`.
# Each creates .venv when missing and installs the pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PELICAN := $(BIN)/pelican
OUTPUT ?= output
# Not ?=: a HOST of the environment (tcsh sets one) must not move the preview or the desk off
# this machine; `make desk HOST=…` on the command line still can (and the desk refuses).
HOST := 127.0.0.1
PORT ?= 8000
ARTICLES ?= 2000
GALLERY_STORIES ?= 500
# The desk's Node packages (Decap CMS), installed from the committed lock; the stamp is newer
# than the lock once `npm ci` has finished.
DESK_STAMP := desk/node_modules/.installed
NPM_CI := npm ci --ignore-scripts --no-audit --no-fund
LIGHTHOUSE_RUNS ?= 3
# Lighthouse (npm, pinned by bench/lighthouse/package-lock.json), installed by `npm ci` when the
# lock changes: for `make bench` only, never for building the site.
LIGHTHOUSE_STAMP := bench/lighthouse/node_modules/.installed

# PyThaiNLP must not write to the home folder (nor download anything).
export PYTHAINLP_READ_ONLY := 1

.PHONY: help html test test-fast lint serve devserver desk publish deploy github clean bench bench-lighthouse venv new import check

help:
	@echo "make html       build the site into $(OUTPUT)/ (sets up .venv first)"
	@echo "make test       run the whole test suite (sets up .venv first)"
	@echo "make test-fast  the quick tests only: no site builds, no browser (under a minute)"
	@echo "make lint       check the Python code with ruff (rules: pyproject.toml)"
	@echo "make devserver  preview on http://$(HOST):$(PORT): a saved story shows at once, lists after a rebuild"
	@echo "make desk       the officers' desk (Decap CMS, in Thai) at http://$(HOST):$(PORT)/admin/, with the preview at /; installs its Node packages first"
	@echo "make serve      serve the last build on http://$(HOST):$(PORT)"
	@echo "make publish    production build: absolute URLs from SITEURL, drafts left out; output/ replaced only when complete; DESK_HOSTED=github|gitlab adds the editor at /admin/"
	@echo "make deploy     upload a complete make publish build in $(OUTPUT)/ with rsync to DEPLOY_TARGET (user@host:/path or a folder)"
	@echo "make github     publish $(OUTPUT)/ to the gh-pages branch (GitHub Pages)"
	@echo "make bench      time the build and the preview against plain Pelican (ARTICLES=$(ARTICLES)), and galleries (GALLERY_STORIES=$(GALLERY_STORIES) × 12 photos: hours at 500); slugs right in RTGS; search quality and size; Lighthouse (below)"
	@echo "make bench-lighthouse  Lighthouse scores of the home, a story, a network, the calendar and search of the test site, published (LIGHTHOUSE_RUNS=$(LIGHTHOUSE_RUNS))"
	@echo "make new TITLE=\"…\"     start an article (content/news/<year>/<slug>.md); PHOTOS=folder/ copies its photos in"
	@echo "make import FILE=x.txt  turn a pasted plain-text report into an article; PHOTOS=folder/ copies its photos in"
	@echo "make check      check all content without building"
	@echo "make clean      remove $(OUTPUT)/ and caches"

venv: $(STAMP)

$(STAMP): requirements.txt requirements-lock.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c requirements-lock.txt
	touch $(STAMP)

# newsroom/build.py runs Pelican: one clear line for a missing content/, a read-only or full
# output/; the preview removes the publish marker, so it can never be deployed.
html: $(STAMP)
	$(BIN)/python -m newsroom.build html content -s pelicanconf.py -o $(OUTPUT) --fatal errors

# Built in a new folder next to $(OUTPUT)/, swapped in only when complete, with the marker
# .publish-complete.json (every file's sha256): a failed or interrupted publish changes nothing.
# With DESK_HOSTED=github|gitlab (the CI's variable) it adds the hosted editor in $(OUTPUT)/admin/,
# so it installs the desk's Node packages first (newsroom/desk_site.py).
publish: $(STAMP) $(if $(DESK_HOSTED),$(DESK_STAMP))
	$(BIN)/python -m newsroom.build publish content -s publishconf.py -o $(OUTPUT) --fatal errors

# Upload what `make publish` built, only if $(OUTPUT)/ still matches its marker (newsroom/deploy.py).
# --checksum: the build is byte-identical for unchanged content, so only changed files travel;
# --delete removes pages that no longer exist.
# Standard library only: no .venv needed on the machine that uploads.
deploy:
	@$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) -m newsroom.deploy "$(OUTPUT)" "$(DEPLOY_TARGET)"

github: publish
	$(BIN)/ghp-import -n -m "Publish site" -b gh-pages $(OUTPUT)
	@echo "ส่งขึ้น GitHub ด้วย / then push: git push origin gh-pages"

# Serves $(OUTPUT)/ and keeps up with saves (newsroom/devserver.py): a saved story or page is
# shown at its URL at once (a one-file build), lists follow with the next whole-site build
# (`make html`'s, in a child process); a save made during a build is never lost. A preview: no
# publish marker.
devserver: $(STAMP)
	rm -f $(OUTPUT)/.publish-complete.json
	$(BIN)/python -m newsroom.devserver content -s pelicanconf.py -o $(OUTPUT) -b $(HOST) -p $(PORT)

# The officers' desk (newsroom/desk.py): `make devserver` plus the editor at /admin/ and its API
# at /api/v1, on the same port; writes stories, activities, pages and their pictures into content/.
desk: $(STAMP) $(DESK_STAMP)
	rm -f $(OUTPUT)/.publish-complete.json
	$(BIN)/python -m newsroom.desk content -s pelicanconf.py -o $(OUTPUT) -b $(HOST) -p $(PORT)

# Decap CMS from the registry, as pinned in desk/package-lock.json (no scripts run: its dist/ is prebuilt).
$(DESK_STAMP): desk/package.json desk/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "ต้องติดตั้ง Node.js 20 และ npm ก่อน (เช่น apt-get install nodejs npm) / Node.js 20 and npm are needed (e.g. apt-get install nodejs npm)"; exit 2; }
	cd desk && $(NPM_CI)
	touch $(DESK_STAMP)

serve: $(STAMP)
	$(PELICAN) -l -s pelicanconf.py -o $(OUTPUT) -b $(HOST) -p $(PORT)

# The desk's packages are installed when npm is there (its end-to-end test needs them); without
# Node the desk's tests are skipped and say why.
test: $(STAMP)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(DESK_STAMP); else echo "ไม่มี npm: ข้ามการทดสอบโต๊ะข่าว / no npm: the desk's tests are skipped"; fi
	$(BIN)/python -m pytest

# Fast feedback while developing: leaves out the tests marked slow (more than ~2 s: site builds,
# Hypothesis) or browser (Chromium); markers in pyproject.toml. CI runs `make test`.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

# Rules and the reasons for them: pyproject.toml, [tool.ruff]. Not `ruff format --check`: the
# code is not formatted with ruff's formatter.
lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/build_bench.py --articles $(ARTICLES)
	$(BIN)/python bench/devserver_bench.py --articles $(ARTICLES)
	$(BIN)/python bench/gallery_bench.py --stories $(GALLERY_STORIES)
	$(BIN)/python bench/slug_bench.py --articles $(ARTICLES)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements-bench.txt
	$(BIN)/python bench/search_quality.py
	$(BIN)/python bench/search_size.py --articles $(ARTICLES)
	$(MAKE) bench-lighthouse

$(LIGHTHOUSE_STAMP): bench/lighthouse/package.json bench/lighthouse/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for Lighthouse: apt-get install npm (Node.js 18.16 or newer)"; exit 2; }
	cd bench/lighthouse && npm ci --no-audit --no-fund
	touch $(LIGHTHOUSE_STAMP)

# The test site built like `make publish`, served on 127.0.0.1, measured with Debian's Chromium.
bench-lighthouse: $(STAMP) $(LIGHTHOUSE_STAMP)
	$(BIN)/python bench/lighthouse_bench.py --runs $(LIGHTHOUSE_RUNS)

new: $(STAMP)
	@test -n "$(TITLE)" || { echo 'ใส่หัวข้อข่าว / give a title: make new TITLE="หัวข้อข่าว"'; exit 2; }
	$(BIN)/python -m newsroom.new "$(TITLE)" $(if $(SLUG),--slug "$(SLUG)") $(if $(PHOTOS),--photos "$(PHOTOS)")

import: $(STAMP)
	@test -n "$(FILE)" || { echo 'ใส่ชื่อไฟล์ / give a file: make import FILE=report.txt'; exit 2; }
	$(BIN)/python -m newsroom.importer "$(FILE)" $(if $(SLUG),--slug "$(SLUG)") $(if $(PHOTOS),--photos "$(PHOTOS)")

check: $(STAMP)
	$(BIN)/python -m newsroom.check

clean:
	rm -rf $(OUTPUT) $(OUTPUT).publishing-* $(OUTPUT).replaced-* cache .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +
