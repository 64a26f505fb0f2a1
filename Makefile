# Commons: `make run` serves the site with demo data, `make test` runs the suite on SQLite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test test-pg e2e lint setup static migrate seed translations clean bench bench-l bench-tools
.PHONY: upgrade-deps
.PHONY: static-build worker serve cluster cluster-stop cluster-status cluster-fault cluster-photos

# Exactly the versions the suite passed with: requirements.lock (every file's hash checked), then
# the app itself, its dependencies already there. `make upgrade-deps` refreshes the lock.
$(BIN)/activate: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(BIN)/activate

# The newest releases pyproject.toml allows, written to requirements.lock with their hashes and
# installed; run the suite (`make test test-pg e2e`) before committing the new lock.
upgrade-deps: $(BIN)/activate
	$(BIN)/pip-compile --quiet --upgrade --allow-unsafe --extra dev --generate-hashes \
		--no-emit-find-links --no-emit-index-url --strip-extras -o requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(BIN)/activate

# --ignore-scripts: vnu-jar's install script would download a Java runtime; ours is Debian's.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent --ignore-scripts

static: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

setup: $(BIN)/activate static
	mkdir -p instance
	$(BIN)/pybabel -q compile -d app/translations

# After adding or changing interface strings: collect them, merge them into the Chinese catalogue,
# then translate the new or fuzzy entries in app/translations/zh_Hans/LC_MESSAGES/messages.po.
translations: $(BIN)/activate
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.* ._ node_modules' \
		--no-location --sort-output -o messages.pot .
	$(BIN)/pybabel -q update -i messages.pot -d app/translations --ignore-obsolete
	rm messages.pot
	$(BIN)/pybabel -q compile -d app/translations

migrate: setup
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo --if-empty

run: seed
	$(FLASK) run --host 127.0.0.1 --port 5000

# Production on this host: gunicorn with deploy/gunicorn.conf.py against DATABASE_URL, after
# migrating it. Needs SECRET_KEY (and RATELIMIT_STORAGE_URI=redis://… with several workers).
serve: setup static-build
	COMMONS_ENV=$${COMMONS_ENV:-production} $(FLASK) db upgrade
	COMMONS_ENV=$${COMMONS_ENV:-production} $(BIN)/gunicorn -c deploy/gunicorn.conf.py \
		--bind $${BIND:-127.0.0.1:8000} wsgi:app

# ruff (pyflakes, pycodestyle, isort, bugbear, security rules), the import contracts
# (pyproject.toml: features do not import each other's routes, the domain does not import its
# followers, no cycles between packages) and bandit: no finding of medium or high severity in
# app/, unless the line says `# nosec BXXX` and why. (Its "nosec encountered … but no failed test"
# warnings are other checks on the same lines, passing.)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/bandit --quiet --recursive app --severity-level medium

test: setup lint
	$(BIN)/pytest -q

test-pg: setup
	TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

e2e: setup
	$(BIN)/pytest -q -p no:cacheprovider tests/e2e --override-ini addopts=

# Load benchmarks (not part of CI): bench/README in README.md, figures in bench/RESULTS.md.
# `make bench` runs sizes S and M on SQLite then PostgreSQL (about 10 minutes on 2 cores);
# `make bench-l` runs S and L (5 million supports: generating L alone takes several minutes).
bench-tools:
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 \
		|| { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; } \
		|| { echo "make bench needs wrk (Debian: apt-get install -y wrk)"; exit 1; }
	@pg_isready -h 127.0.0.1 -p 5432 -q || { echo "make bench needs PostgreSQL on \
		127.0.0.1:5432 (or run: $(BIN)/python -m bench.run --dbs sqlite)"; exit 1; }

bench: setup bench-tools
	$(BIN)/python -m bench.run --sizes S,M --dbs sqlite,postgres --record

bench-l: setup bench-tools
	$(BIN)/python -m bench.run --sizes S,L --dbs sqlite,postgres --record

clean:
	rm -rf $(VENV) node_modules static/vendor

# Fingerprinted copies of static/ in static/build/ and their manifest (app/assets.py).
static-build: static
	$(BIN)/python -m app.assets

# The job worker (app/jobs.py): the outbox every minute, the weekly digests daily.
worker: migrate
	$(BIN)/huey_consumer worker.huey --workers 2 --worker-type thread --flush-locks

# Several hosts on this machine: PostgreSQL, Redis, 3 gunicorn hosts, a worker, nginx on :8080.
cluster: setup
	$(BIN)/python deploy/cluster.py start

cluster-stop:
	$(BIN)/python deploy/cluster.py stop

cluster-status:
	$(BIN)/python deploy/cluster.py status

# With the cluster up: a photo proposed through one host is served by the other two (S3).
cluster-photos:
	$(BIN)/python deploy/photo_check.py

# With the cluster up: 200 signed-in patrons read and support through nginx while a host is
# killed, another stopped, Redis stopped, PostgreSQL restarted and the worker stopped, in turn.
cluster-fault:
	$(BIN)/python deploy/fault_test.py
