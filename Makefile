# Two commands on a fresh machine: `make run` (serve with demo data) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
export ELEARN_ENV ?= development

.PHONY: run test lint lock test-sqlite test-postgresql translations system-deps clean

# Installs exactly the versions in requirements-dev.txt (hashes checked), then the app itself.
$(STAMP): requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# After changing dependencies in pyproject.toml: re-resolve both lock files, then commit them.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
		-o requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --extra dev \
		-o requirements-dev.txt pyproject.toml

run: $(STAMP)
	$(BIN)/elearn db upgrade
	@if $(BIN)/elearn courses --help >/dev/null 2>&1; then $(BIN)/elearn courses sync; fi
	$(BIN)/elearn demo seed
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(BIN)/elearn run --host 127.0.0.1 --port 5000

test: $(STAMP) system-deps lint test-sqlite test-postgresql

# Debian packages the browser, certificate, HTML-checker, spreadsheet, proxy and unit-file tests use;
# installed only where missing.
SYSTEM_DEPS := chromium:/usr/bin/chromium poppler-utils:/usr/bin/pdftotext default-jre-headless:/usr/bin/java \
	libreoffice-calc-nogui:/usr/bin/soffice nginx:/usr/sbin/nginx openssl:/usr/bin/openssl \
	systemd:/usr/bin/systemd-analyze
system-deps:
	@missing=""; for dep in $(SYSTEM_DEPS); do \
		[ -e "$${dep#*:}" ] || missing="$$missing $${dep%%:*}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing$$missing"; apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else echo "Missing Debian packages:$$missing (sudo apt-get install$$missing)"; fi; fi

lint: $(STAMP)
	$(BIN)/ruff check elearn tests migrations/env.py wsgi.py benchmarks deploy
	$(BIN)/ruff format --check elearn tests wsgi.py benchmarks deploy
	$(BIN)/lint-imports

test-sqlite: $(STAMP)
	ELEARN_TEST_DATABASE=sqlite $(BIN)/pytest -q

# PostgreSQL runs on every development and CI machine; start it if it is stopped.
test-postgresql: $(STAMP)
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && [ -d /etc/postgresql ]; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true; \
		sleep 2; fi
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
		ELEARN_TEST_DATABASE=postgresql ELEARN_TEST_POSTGRES_URL=$(PG_URL) $(BIN)/pytest -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not running at 127.0.0.1:5432; CI needs it." >&2; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL is not running at 127.0.0.1:5432 (start it with:" \
		     "pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start)"; \
	fi

# Re-extract texts after changing templates or messages, then translate en/messages.po.
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o elearn/translations/messages.pot .
	$(BIN)/pybabel update -i elearn/translations/messages.pot -d elearn/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d elearn/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
