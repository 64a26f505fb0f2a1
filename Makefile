# Commons: `make run` serves the site with demo data, `make test` runs the suite on SQLite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-pg e2e setup static migrate seed clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

static: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

setup: $(BIN)/activate static
	mkdir -p instance

migrate: setup
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

run: seed
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/pytest -q

test-pg: setup
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

e2e: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/e2e --override-ini addopts=

clean:
	rm -rf $(VENV) node_modules static/vendor
