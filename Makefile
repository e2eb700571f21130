# Two commands set up everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test serve bench soak lint typecheck messages check-messages clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

var:
	mkdir -p var

## run: virtualenv, install, migrate SQLite under var/, demo data (staff and a synthetic year of visits), server on http://127.0.0.1:8000
run: export DEBUG := true
run: $(VENV)/.runtime | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --password-file var/demo-password --history 3000
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## test: the whole suite (DATABASE_URL picks PostgreSQL; SQLite otherwise)
# One test process per core (pytest-xdist; an idle worker takes tests queued for a busy one, so the long
# crawls do not leave a core waiting at the end); PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
test: $(VENV)/.dev | var
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

## serve: production server, gunicorn + whitenoise; needs SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS
serve: $(VENV)/.runtime | var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn bergen_injection.wsgi --bind $${BIND:-0.0.0.0:$(PORT)} --workers $${WEB_CONCURRENCY:-3} --access-logfile -

## bench: synthetic history at BENCH_SIZES visits (default 10000,2000000) on fresh PostgreSQL databases,
## every key page timed and loaded under gunicorn; writes bench/results.json (see bench/run.py)
bench: $(VENV)/.runtime | var
	$(PY) -m bench.run $(BENCH_ARGS)

## soak: load (SOAK_SECONDS, default 60; SOAK_STAFF, default 20) against gunicorn on a throwaway PostgreSQL
## cluster restarted halfway; reports errors, recovery and lost writes, writes soak-results.json (needs root)
soak: $(VENV)/.dev | var
	$(PY) -m tests.soak

## lint: ruff, and the import layers (.importlinter: no package imports one above it)
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## typecheck: mypy with django-stubs over the project's packages, at the strictness stated in pyproject.toml
typecheck: $(VENV)/.dev
	DEBUG=true $(VENV)/bin/mypy

## messages: refresh the translation catalogues after changing strings (needs gettext)
messages: $(VENV)/.runtime
	DEBUG=true $(PY) manage.py makemessages --locale nb --locale en --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	DEBUG=true $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var
