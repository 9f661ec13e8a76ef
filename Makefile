# Thin wrapper: every target creates the virtual environment from the lock when
# needed, then calls the task of the same name in tasks.py.
PY ?= python3
VENV := .venv
# Writers' targets need only what builds and previews the site
# (requirements-serve.lock); the tests, benchmarks and deploys need the rest
# (requirements.lock, a superset with the same pins).
SERVE_STAMP := $(VENV)/.installed-serve
STAMP := $(VENV)/.installed
INVOKE := $(VENV)/bin/invoke

# The values writers give targets reach the tasks exactly as typed, quotes,
# `$`, backticks and newlines included. Make expands a variable from its
# command line when it hands it to a recipe (a `$(shell …)` in a title would
# run), so each one given there is redefined as its own unexpanded text; an
# environment variable passes through as it is. Recipes read them from the
# environment, always in double quotes ("$$TITLE"), never as $(TITLE): make
# would paste the text into the shell's command line.
ARGUMENTS := TITLE ID ONLY PORT RUNS SIZES SITEURL FILE OUTPUT OFFLINE
$(foreach name,$(ARGUMENTS),$(if $(filter command line,$(origin $(name))),\
  $(eval override $(name) := $$(value $(name)))$(eval export $(name))))

.DEFAULT_GOAL := help
.PHONY: help check check-publish new-article new-testimonial review editorial-report import-wordpress html clean regenerate serve edit devserver publish github test test-fast lighthouse bench-check bench-web bench-build lint format lock venv

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

# Reinstalled whenever a lock changes, so `git pull` followed by any target is enough.
$(SERVE_STAMP): requirements-serve.lock
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-serve.lock
	touch $(SERVE_STAMP)

$(STAMP): requirements.lock $(SERVE_STAMP)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

venv: $(STAMP) ## Create the virtual environment from requirements.lock

# ONLY's file names are split at spaces, and never globbed (set -f).
ONLY_FILES := set -f; for file in $$ONLY; do set -- "$$@" --only "$$file"; done;

check: $(SERVE_STAMP) ## Check all content without building; ONLY="file …" shows those files' findings
	@$(ONLY_FILES) set -x; $(INVOKE) check "$$@"

check-publish: $(SERVE_STAMP) ## Check content with the publish build's rules (consent)
	@$(ONLY_FILES) set -x; $(INVOKE) check --publish "$$@"

new-article: $(SERVE_STAMP) ## Start a draft article: make new-article TITLE="Its title"
	$(INVOKE) new-article "$$TITLE"

new-testimonial: $(SERVE_STAMP) ## Start a testimonial: make new-testimonial ID=jane-pasadena
	$(INVOKE) new-testimonial --id "$$ID"

review: $(SERVE_STAMP) ## Record a medical review of this text: make review FILE=content/articles/x.md REVIEWER=id [DATE=YYYY-MM-DD]
	$(INVOKE) review --file "$$FILE" --reviewer "$$REVIEWER" --date "$$DATE"

# OUTPUT=report.md writes it to a file; OFFLINE=1 leaves the links unchecked.
editorial-report: $(SERVE_STAMP) ## Write the editorial report (reviews due, questions, dead reference links); OUTPUT=file, OFFLINE=1
	$(INVOKE) editorial-report $${OUTPUT:+--output "$$OUTPUT"} $${OFFLINE:+--offline}

# The full environment: pelican-import reads the export with BeautifulSoup and
# lxml, which requirements.lock holds (the writers' lock does not).
import-wordpress: $(STAMP) ## Import a WordPress export as draft articles: make import-wordpress FILE=export.xml
	$(INVOKE) import-wordpress --file "$$FILE"

html: $(SERVE_STAMP) ## Build the local preview into output/
	$(INVOKE) build

clean: $(SERVE_STAMP) ## Remove output/, the preview's .preview/, caches and every build leftover
	$(INVOKE) clean

regenerate: $(SERVE_STAMP) ## Rebuild output/ on every save
	$(INVOKE) regenerate

# PORT=8001 make serve and make serve PORT=8001 both choose another port.
serve: $(SERVE_STAMP) ## Build, serve http://127.0.0.1:8000/ (PORT=… for another) and reload on every save
	@case "$$PORT" in *[!0-9]*) printf 'PORT must be a number, e.g. make serve PORT=8001, not "%s".\n' "$$PORT" >&2; exit 2;; esac
	$(INVOKE) livereload $${PORT:+--port "$$PORT"}

edit: $(SERVE_STAMP) ## Serve the preview with the browser editor at http://127.0.0.1:8000/admin/
	@case "$$PORT" in *[!0-9]*) printf 'PORT must be a number, e.g. make edit PORT=8001, not "%s".\n' "$$PORT" >&2; exit 2;; esac
	$(INVOKE) edit $${PORT:+--port "$$PORT"}

devserver: serve ## Same as serve

publish: $(SERVE_STAMP) ## Build the production site into output/
	$(INVOKE) publish

github: $(STAMP) ## Publish and push output/ to the gh-pages branch
	$(INVOKE) gh-pages

test: $(STAMP) ## Run the whole test suite (installs Chromium and the npm tools if absent)
	$(INVOKE) test

test-fast: $(STAMP) ## Run the tests without browser or Node tools (for writers)
	$(INVOKE) test-fast

lighthouse: $(STAMP) ## Print Lighthouse scores of home, article, testimonials, search, 404
	$(INVOKE) lighthouse

lint: $(STAMP) ## Check Python style
	$(INVOKE) lint

format: $(STAMP) ## Reformat Python code
	$(INVOKE) format

bench-check: $(STAMP) ## Benchmark make check on 100 and 1,000 articles (docs/performance.md)
	$(INVOKE) bench-check

bench-web: $(STAMP) ## Weigh and score pages against stock Pelican; RUNS=1 is quicker (docs/performance.md)
	$(INVOKE) bench-web $${RUNS:+--runs "$$RUNS"}

bench-build: $(STAMP) ## Time builds against stock Pelican at 100, 1,000, 5,000 articles; SIZES=100,1000 is quicker (docs/performance.md)
	$(INVOKE) bench-build $${SIZES:+--sizes "$$SIZES"}

lock: $(STAMP) ## Re-resolve requirements.lock and requirements-serve.lock from pyproject.toml
	$(INVOKE) lock
