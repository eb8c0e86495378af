# clashmap: `make run` to use it, `make test` to check it. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
GAZ    := data/gazetteer.sqlite
READINGS := data/.stamp-readings
# what decides how an article is read: when it changes, stored readings are refreshed
READER := $(wildcard articles/*.py geo/*.py events/*.py) data/places.csv data/aliases.csv data/actors.csv \
          data/actor_forms.csv data/demonyms.csv data/admin_generic_words.csv data/area_points.csv \
          data/resolver_weights.json data/region_cues.csv data/not_places.csv data/toponym_words.csv \
          data/toponym_cues.csv data/rule_lists.csv data/rule_words.csv
PORT   ?= 8501

.PHONY: setup run test bench system-deps samples assets clean

## setup: venv + dependencies (only when pyproject.toml changed), gazetteer index (once), sample articles (idempotent)
setup: $(STAMP) $(GAZ) samples assets $(READINGS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(GAZ): $(STAMP) data/places.csv data/aliases.csv data/demonyms.csv data/admin_generic_words.csv data/area_points.csv \
        geo/gazetteer_build.py
	$(PY) -m clashmap gazetteer build

## assets: Leaflet files under static/vendor/ for CLASHMAP_OFFLINE_ASSETS=1 (browser tests, offline machines)
assets: $(STAMP)
	$(PY) static/fetch_assets.py

samples: $(STAMP) $(GAZ)
	$(PY) -m clashmap ingest data/articles --quiet

# stored sample readings follow the code: `clashmap reprocess` after any change to how articles are read
$(READINGS): $(READER) $(GAZ) | samples
	$(PY) -m clashmap reprocess --quiet
	touch $@

## run: set up, then start the dashboard on http://localhost:$(PORT); single-user (CLASHMAP_AUTH=open,
## everyone edits) unless CLASHMAP_AUTH is set or .streamlit/secrets.toml exists
run: setup
	@if [ -z "$${CLASHMAP_AUTH+set}" ] && [ ! -f .streamlit/secrets.toml ]; then \
		echo "make run: single-user mode (CLASHMAP_AUTH=open): no logins, you can ingest and correct"; \
		export CLASHMAP_AUTH=open; \
	fi; \
	exec $(PY) -m clashmap serve --port $(PORT)

## test: set up, install Chromium and PostgreSQL from Debian if missing, run the whole suite in three phases:
## the tests not marked `serial` in $(TEST_WORKERS) pytest-xdist workers (a test file stays in one worker), then
## the `serial` ones (browser, streamlit server, AppTest; see tests/conftest.py) not marked `alone` in as many
## workers, then the `alone` ones (they compare wall-clock times) in one process. Every phase runs; the target
## fails if any did. `.venv/bin/pytest` alone still runs everything in one process.
TEST_WORKERS ?= 2
test: setup system-deps
	@status=0; \
	echo "== make test, phase 1 of 3: tests not marked serial, $(TEST_WORKERS) workers"; \
	CLASHMAP_REQUIRE_POSTGRES=1 $(PY) -m pytest -m "not serial" -n $(TEST_WORKERS) --dist loadfile \
		--durations=15 || status=1; \
	echo "== make test, phase 2 of 3: browser, server and AppTest tests, $(TEST_WORKERS) workers"; \
	CLASHMAP_REQUIRE_POSTGRES=1 $(PY) -m pytest -m "serial and not alone" -n $(TEST_WORKERS) --dist loadfile \
		--durations=15 || status=1; \
	echo "== make test, phase 3 of 3: tests that time themselves, one process"; \
	CLASHMAP_REQUIRE_POSTGRES=1 $(PY) -m pytest -m alone --durations=5 || status=1; \
	exit $$status

system-deps:
	@scripts/install-system-deps.sh

## bench: geoparsing, event extraction, ingest and dashboard figures (prints a table each)
bench: setup
	$(PY) -m bench

clean:
	rm -rf $(VENV) data/*.sqlite data/*.sqlite-* tests/artifacts
