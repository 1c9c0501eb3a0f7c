# The two commands of the README: `make demo` and `make test`. `make test-all` is CI's.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
EXTRAS := postgres,celery,elasticsearch,opensearch,dev,bench
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000

.PHONY: venv demo demo-data test test-all lint format checks docs messages services services-stop clean \
	bench bench-full bench-deps dist

$(VENV)/.installed: setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "opengov_cms needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -e ".[$(EXTRAS)]"
	@touch $@

venv: $(VENV)/.installed

demo-data: venv
	cd sandbox && ../$(PY) manage.py migrate --noinput
	cd sandbox && ../$(PY) manage.py load_demo_data
	cd sandbox && ../$(PY) manage.py load_demo_forms
	cd sandbox && WAGTAILADMIN_BASE_URL=http://$(DEMO_HOST):$(DEMO_PORT) ../$(PY) manage.py ensure_admin

demo: demo-data
	DEMO_HOST=$(DEMO_HOST) DEMO_PORT=$(DEMO_PORT) sandbox/run-demo

test: venv
	$(PY) -m pytest

test-all: venv
	ci/test-all

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# The sdist and the wheel in dist/, checked as a package index would check them. Until the
# package is on an index, a site installs the wheel (docs/install.md, step 1).
dist: venv
	rm -rf dist build
	$(PY) -m build --outdir dist .
	$(PY) -m twine check --strict dist/*

docs: venv
	$(PY) -m mkdocs build --strict --site-dir site

# Chinese is the source language (the msgids); the en catalogues carry the English. The
# zh_Hans ones give every msgid back as it is: a string found in a catalogue takes one
# lookup, where one found in none goes through every catalogue of the language and its
# fallbacks first, for each string of each page. msgen fills their new entries (a guess
# msgmerge marked fuzzy is emptied first) and Chinese has one plural form. Each app keeps
# its own locale/ (so only its strings are collected); an app with no strings gets none.
# -P: the app directory must not go on sys.path (core/calendar.py would shadow the stdlib).
MESSAGE_APPS := core catalogue policies disclosure_requests reports supervision interaction search
MESSAGE_LOCALES := en zh_Hans
# The sandbox's own pages (its front page) ship their catalogues too.
MESSAGE_DIRS = $(addprefix opengov_cms/,$(MESSAGE_APPS)) sandbox/home
SOURCE_PO := locale/zh_Hans/LC_MESSAGES/django.po

messages: venv
	set -e; for dir in $(MESSAGE_DIRS); do \
		( cd $$dir && mkdir -p locale && \
		  ../../$(PY) -P -m django makemessages --settings=tests.settings --pythonpath ../.. \
		    $(addprefix -l ,$(MESSAGE_LOCALES)) -e html,txt,py && \
		  { [ ! -f $(SOURCE_PO) ] || { \
		    sed -i '0,/^msgid ""$$/{/^#, fuzzy$$/d}' $(SOURCE_PO) && \
		    msgattrib --clear-fuzzy --empty --clear-previous -o $(SOURCE_PO) $(SOURCE_PO) && \
		    msgen -o $(SOURCE_PO) $(SOURCE_PO) && \
		    sed -i '/^msgstr\[1\] /,/^$$/{/^$$/!d}' $(SOURCE_PO); }; } && \
		  { rmdir locale 2>/dev/null || \
		    ../../$(PY) -P -m django compilemessages --settings=tests.settings --pythonpath ../..; } \
		) || exit 1; \
	done

# Benchmarks (docs/benchmarks.md): each run makes its own database (a new PostgreSQL database
# on the ci/postgres server, a temporary SQLite file), measures every scenario beside its
# baseline and writes bench/results/<database>-<size>.json; bench.report rebuilds the page.
BENCH := $(PY) -m bench.run

bench-deps: venv
	$(PY) -m pip install --quiet -e ".[bench]"

bench: bench-deps
	ci/postgres/start >/dev/null
	$(BENCH) --database sqlite --size 10000 --requests 100 --load-seconds 30 --no-engine
	$(BENCH) --database postgres --size 10000 --requests 100 --load-seconds 30
	$(PY) -m bench.report

bench-full: bench-deps
	ci/postgres/start >/dev/null
	$(BENCH) --database postgres --size 100000 --requests 200
	$(BENCH) --database postgres --size 1000000 --requests 200 --sample 200
	$(BENCH) --database sqlite --size 100000 --requests 200 --no-engine
	$(PY) -m bench.report

services:
	ci/postgres/start
	ci/redis/start
	ci/opensearch/start

services-stop:
	-ci/opensearch/stop
	-ci/redis/stop
	-ci/postgres/stop

clean:
	rm -rf $(VENV) .venv-oldest build dist site *.egg-info .pytest_cache .ruff_cache sandbox/var
