# The two commands of the README (`make run`, `make test`) and the chores behind them.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/contentapi
# Production settings with throwaway secrets, for the suite and its tooling.
TEST_ENV := SECRET_KEY=test-only DEBUG=false \
	WEBHOOK_ENCRYPTION_KEYS=dGVzdC1vbmx5LW5vdC1hLXNlY3JldC1hdC1hbGwtLS0= \
	AUDIT_SIGNING_KEY=dGVzdC1vbmx5LW5vdC1hLXNlY3JldC1hdWRpdC1rZXk=

.PHONY: run test bench bench-sizes bench-render bench-webhooks bench-publish bench-cds bench-pages bench-handouts schema screenshots postgres format lock clean

# The virtualenv is rebuilt when a lock file changes.
$(VENV)/.base: requirements/base.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/base.lock
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/dev.lock
	touch $@

# The demo runs as production does (DEBUG off), with a throwaway key unless one is given.
run: export SECRET_KEY ?= demo-only-not-secret-$(shell hostname)
# A demo-only key of this machine's own (a Fernet key is 32 bytes, base64).
run: export WEBHOOK_ENCRYPTION_KEYS ?= $(shell printf 'demo-only-not-secret-%s' "$$(hostname)" \
	| sha256sum | head -c 32 | base64 | tr '+/' '-_')
# The same for the key that signs the audit trail (an Ed25519 key is 32 bytes, base64).
run: export AUDIT_SIGNING_KEY ?= $(shell $(PYTHON) -c 'import base64, hashlib, socket; \
	print(base64.b64encode(hashlib.sha256(b"demo-only-audit-" + socket.gethostname().encode()).digest()).decode())')
run: export PORT := $(PORT)
run: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.base
	@bash scripts/ensure-pdf.sh
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py load_demo_content
	@case "$$SECRET_KEY" in demo-only-*) echo "Demo only: SECRET_KEY, \
	WEBHOOK_ENCRYPTION_KEYS and AUDIT_SIGNING_KEY are derived from this host's name; set \
	your own in production (docs/configuration.md).";; esac
	@bash scripts/serve.sh

postgres: ## start PostgreSQL if it is down
	@bash scripts/ensure-postgres.sh

test: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	@bash scripts/ensure-redis.sh
	@bash scripts/ensure-browser.sh
	@bash scripts/ensure-pdf.sh
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=$(TEST_DATABASE_URL) $(TEST_ENV) \
		$(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) $(TEST_ENV) \
		$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(TEST_ENV) bash scripts/test-suites.sh

# The delivery benchmark (bench/README.md): its own database contentapi_bench, gunicorn, wrk.
# BENCH_ARGS="--articles 1000 --duration 5" for a quicker run; --skip-setup reuses the data.
bench: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	$(PY) -m bench.run $(BENCH_ARGS)

# The delivery benchmark at 1,000, 10,000 and 100,000 articles side by side (bench/README.md);
# BENCH_ARGS="--setup" seeds their databases first (~10 min for all three).
bench-sizes: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	$(PY) -m bench.sizes $(BENCH_ARGS)

# The slowest bodies the API accepts, rendered (bench/README.md).
bench-render: $(VENV)/.dev
	$(PY) -m bench.render_worst $(BENCH_ARGS)

# Webhook latency from a publication's commit to its receipt (bench/README.md); its own
# database contentapi_bench_webhooks. BENCH_ARGS="--events 40" for a quicker run.
bench-webhooks: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	$(PY) -m bench.webhook_latency $(BENCH_ARGS)

# Publish latency with 0, 10 and 100 webhook subscriptions (bench/README.md); its own
# database contentapi_bench_publish.
bench-publish: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	$(PY) -m bench.publish_fanout $(BENCH_ARGS)

# The largest CDS Hooks call accepted, timed (bench/README.md); its own database
# contentapi_bench_cds.
bench-cds: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	$(PY) -m bench.cds_largest $(BENCH_ARGS)

# The staff pages' times on the demo library, median of 15 (bench/README.md); its own
# database contentapi_bench_pages.
bench-pages: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	$(PY) -m bench.staff_pages $(BENCH_ARGS)

# The handouts' first (made) and cached times on the demo library (bench/README.md); its own
# database contentapi_bench_handouts.
bench-handouts: $(VENV)/.dev
	@bash scripts/ensure-postgres.sh
	@bash scripts/ensure-pdf.sh
	$(PY) -m bench.handouts $(BENCH_ARGS)

# Screenshots of the review pages on the demo content (docs/review-pages.md).
screenshots: $(VENV)/.dev
	@bash scripts/ensure-browser.sh
	$(PY) scripts/review_screenshots.py

# Re-write the committed OpenAPI document after an API change (a test compares it).
schema: $(VENV)/.dev
	$(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Re-pin every dependency from the ranges in pyproject.toml.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check ".[dev]"
	.lockenv/bin/pip freeze --exclude patient-education-content-api > requirements/dev.lock
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check -c requirements/dev.lock .
	.lockenv/bin/pip freeze --exclude patient-education-content-api > requirements/base.lock
	rm -rf .lockenv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3*
