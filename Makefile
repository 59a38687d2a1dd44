# Ohjausneuvottelut – development tasks (GNU make).
#
#   make run            set up, migrate, seed demo data, serve on http://127.0.0.1:8000
#   make test           lint + format check + tests on SQLite and on PostgreSQL
#   make test-sqlite    tests on SQLite only     (make test-sqlite PYTEST_ARGS='-k healthz')
#   make test-postgres  tests on a throw-away PostgreSQL server (or $DATABASE_URL)
#   make lint / fmt     ruff check + format check / fix both
#   make bench          page timings, query counts and a load run on throw-away databases
#   make messages       update the sv and en .po files
#   make python-info    show the interpreter used to create .venv
#   make clean          remove .venv, var and caches
#
# The interpreter is found automatically; override with make PYTHON=/path/to/python3.

SHELL := /bin/bash

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=

# --- Python >= 3.12 ----------------------------------------------------------
# Candidates: PATH first, then pyenv installs (newest first). Each one is run to
# check its version. Evaluated only when needed, and then only once.
PY_CHECK := import sys; sys.exit(sys.version_info < (3, 12))
PY_NAMES := python3.13 python3.12 python3 python
PY_PYENV := $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3
NO_PYTHON := Python 3.12 or newer is needed, but none was found. Looked on PATH for \
  $(PY_NAMES) and in $(PY_PYENV). Install one or run make PYTHON=/path/to/python3.

find_python = $(shell \
  for p in $(PY_NAMES) $$(ls -d $(PY_PYENV) 2>/dev/null | sort -rV); do \
    p=$$(command -v "$$p") || continue; \
    if "$$p" -c '$(PY_CHECK)' >/dev/null 2>&1; then echo "$$p"; break; fi; \
  done)
PYTHON = $(eval PYTHON := $(find_python))$(PYTHON)

# Shell snippet: fail clearly unless $(PYTHON) is usable.
CHECK_PYTHON = [ -n "$(PYTHON)" ] || { echo "$(NO_PYTHON)" >&2; exit 1; }; \
  "$(PYTHON)" -c '$(PY_CHECK)' || { echo "PYTHON=$(PYTHON) is not Python 3.12 or newer." >&2; exit 1; }

.PHONY: help run test test-sqlite test-postgres lint fmt messages compilemessages \
  venv chromium gettext node-modules python-info bench clean

help:
	@sed -n '3,13s/^# \{0,1\}//p' Makefile

# Print the chosen interpreter and its version.
python-info:
	@$(CHECK_PYTHON)
	@echo "$(PYTHON): $$("$(PYTHON)" --version 2>&1)"

# --- virtualenv ----------------------------------------------------------------
venv: $(STAMP)

# (Re)install when pyproject.toml changes. The project itself is not a package:
# only its dependencies and test extras are installed, read from pyproject.toml.
$(STAMP): pyproject.toml
	@if ! $(BIN)/python -c '$(PY_CHECK)' 2>/dev/null; then \
	  $(CHECK_PYTHON); \
	  echo "Creating $(VENV) with $(PYTHON)"; \
	  rm -rf $(VENV) && "$(PYTHON)" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p.get("optional-dependencies", {}).get("test", [])))' \
	  > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	@touch $@

# --- system packages (Debian) ----------------------------------------------------
# Installed automatically when running as root, otherwise a clear message.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing the Debian package chromium"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "$(CHROMIUM) is missing: the browser tests need it. Install the Debian package chromium (sudo apt-get install chromium)." >&2; \
	    exit 1; \
	  fi; \
	fi

# The HTML validity test runs the Nu HTML Checker: vnu.jar from npm's vnu-jar, with Java.
# The registry is reached here, at install time only. --ignore-scripts: vnu-jar's postinstall
# would download a Java runtime of its own; the machine's Java is used instead.
NODE_STAMP := node_modules/.installed
node-modules: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@for tool in npm:npm java:default-jre-headless; do \
	  command -v $${tool%%:*} >/dev/null && continue; \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing the Debian package $${tool#*:}"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $${tool#*:} || exit 1; \
	  else \
	    echo "$${tool%%:*} is missing: the HTML validity test needs it. Install the Debian package $${tool#*:}." >&2; \
	    exit 1; \
	  fi; \
	done
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

# compilemessages needs msgfmt from GNU gettext.
gettext:
	@if ! command -v msgfmt >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing the Debian package gettext"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else \
	    echo "msgfmt is missing: install the Debian package gettext (sudo apt-get install gettext)." >&2; \
	    exit 1; \
	  fi; \
	fi

# --- development server ------------------------------------------------------------
run: venv compilemessages
	mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:8000 (demo logins: admin / ministry / pirkanmaa / lappi, password demo)"
	$(MANAGE) runserver 127.0.0.1:8000

compilemessages: venv gettext
	$(MANAGE) compilemessages --ignore=$(VENV)

messages: venv gettext
	$(MANAGE) makemessages -l sv -l en --ignore=$(VENV) --ignore=var --ignore=templates/admin --no-obsolete

# --- quality -------------------------------------------------------------------------
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# --- tests ---------------------------------------------------------------------------
# Cheap checks first; then the SQLite and the PostgreSQL runs side by side (each pytest uses
# one core), every line marked with its run. Fails when either run fails.
test: venv chromium node-modules lint compilemessages
	@set -o pipefail; \
	( $(MAKE) --no-print-directory test-sqlite 2>&1 | sed -u 's/^/[sqlite] /' ) & sqlite=$$!; \
	( $(MAKE) --no-print-directory test-postgres 2>&1 | sed -u 's/^/[postgres] /' ) & postgres=$$!; \
	wait $$sqlite; sqlite=$$?; wait $$postgres; postgres=$$?; \
	verdict() { [ "$$1" = 0 ] && echo passed || echo "FAILED (exit $$1)"; }; \
	echo "make test: SQLite run $$(verdict $$sqlite), PostgreSQL run $$(verdict $$postgres)"; \
	[ $$sqlite = 0 ] && [ $$postgres = 0 ]

test-sqlite: venv node-modules
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# Uses $DATABASE_URL if it points at PostgreSQL, else starts a temporary server. Leaves out
# the tests marked any_database (the browser journeys, the HTML validity check): they prove
# what the database does not change, and the SQLite run has them. All of them here too:
# make test-postgres POSTGRES_PYTEST_ARGS=
POSTGRES_PYTEST_ARGS ?= -m 'not any_database'
test-postgres: venv node-modules
	$(BIN)/python tests/pgserver.py -- $(BIN)/pytest $(POSTGRES_PYTEST_ARGS) $(PYTEST_ARGS)

# --- benchmark -----------------------------------------------------------------------
# tests/bench (python -m tests.bench): page timings against a bare view in process and served by
# gunicorn, query counts, PDFs and a load run with gunicorn (people with a think time, then the
# closed-loop capacity), on SQLite and then on a throw-away PostgreSQL (tests/pgserver.py);
# every data set in a database of its own, never var/db.sqlite3. Not part of test. One of them:
# make bench BENCH_DATABASES=sqlite. Shorter: BENCH_LOAD_SECONDS, BENCH_CLIENTS, BENCH_REQUESTS,
# BENCH_SERVED_SECONDS, BENCH_SERVED_ROUNDS, BENCH_CAPACITY_SECONDS, BENCH_PDFS=0; the think
# time: BENCH_THINK_SECONDS (0.5-1.5; 0 for none).
BENCH_DATABASES ?= sqlite postgres
bench: venv compilemessages
	@set -e; for db in $(BENCH_DATABASES); do \
	  case $$db in \
	    sqlite) env -u DATABASE_URL $(BIN)/python -m tests.bench ;; \
	    postgres) $(BIN)/python tests/pgserver.py -- $(BIN)/python -m tests.bench ;; \
	    *) echo "BENCH_DATABASES: sqlite or postgres, not $$db" >&2; exit 2 ;; \
	  esac; \
	done

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
