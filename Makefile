# SIMPATIK. `make serve` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
SIMPATIK := $(VENV)/bin/simpatik
PORT ?= 8000
# Clone URLs and the QR codes on letters name this address; set it to the public one in production.
export SIMPATIK_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
PG_TEST_URL ?= postgres://simpatik:simpatik@127.0.0.1:5432/simpatik
PYTEST_ARGS ?=
# The suite runs in parallel (pytest-xdist), one worker per core up to 4: much of a test's time is
# spent waiting (Chromium, worker subprocesses, fsync), and each worker migrates its own test
# database and starts its own Chromium. PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))
# worksteal: an idle worker takes tests queued on a busy one, so one long browser walk does not
# leave a worker waiting at the end.
XDIST := -n $(PYTEST_WORKERS) --dist worksteal

.PHONY: install serve demo test test-env test-sqlite test-postgres lint bench load messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# Local runs are development runs: DEBUG=true keeps a generated key in var/secret_key and serves
# plain HTTP. Production sets DEBUG=false and SECRET_KEY(_FILE): see docs/keamanan-server.md.
# The tests bring their own key (simpatik/testing/pytest_env.py) and run with DEBUG=false.
demo serve lint bench messages: export DEBUG ?= true

# Idempotent: migrating, loading the SOP and the demo data twice keeps what the first run made.
demo: install
	$(SIMPATIK) migrate --noinput
	$(SIMPATIK) sop load sop/pengembangan-aplikasi-diskominfo.yaml
	$(SIMPATIK) sop load sop/pengembangan-aplikasi-oleh-opd.yaml
	$(SIMPATIK) sop load sop/inventarisasi-aplikasi.yaml
	$(SIMPATIK) spbe load-mapping sop/pemetaan-spbe.yaml
	$(SIMPATIK) spbe load-mapping sop/pemetaan-spbe-opd.yaml
	$(SIMPATIK) spbe load-mapping sop/pemetaan-spbe-inventarisasi.yaml
	$(SIMPATIK) demo load
	$(SIMPATIK) pki init

# The background worker (jobs and periodic work) runs beside the web server and stops with it.
serve: demo
	$(SIMPATIK) cleanup --temp --older-than 0
	$(SIMPATIK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(SIMPATIK) runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(SIMPATIK) check --fail-level WARNING
	$(SIMPATIK) makemigrations --check --dry-run

# The whole suite: SQLite (with the browser tests), then PostgreSQL (with the concurrency tests;
# only the tests that use the database: the others behave the same on both and ran on SQLite).
# test-env installs what the suite needs on a fresh Debian/Ubuntu machine (root or sudo) and starts
# PostgreSQL; a test skipped for lack of Chromium, PostgreSQL or PowerDNS fails the run.
export SIMPATIK_FAIL_ON_SKIP ?= 1
test: test-env lint test-sqlite test-postgres

test-env:
	tools/prepare-test-env

test-sqlite: install
	env -u DATABASE_URL $(VENV)/bin/pytest -m "not postgres" $(XDIST) $(PYTEST_ARGS)

test-postgres: install
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "PostgreSQL tidak berjalan di 127.0.0.1:5432: tes PostgreSQL tidak dapat dijalankan."; \
	  exit 1; fi
	DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -m "not browser" --database-tests-only \
	  $(XDIST) $(PYTEST_ARGS)

messages: install
	cd simpatik && ../$(SIMPATIK) makemessages -l en --no-obsolete
	$(PY) tools/translations_en.py
	cd simpatik && ../$(SIMPATIK) compilemessages -l en

# Every benchmark (bench/run.py), on SQLite and PostgreSQL, then one table of ratios and targets.
bench: install
	$(PY) bench/run.py --postgres $(PG_TEST_URL)

# 50 simulated users for 5 minutes against gunicorn + PostgreSQL (see tools/load/README.md).
load: install
	tools/load/run

clean:
	rm -rf $(VENV) var
