# The two commands of README.md. Everything they need is installed here, from the lock file.
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
CHROMIUM := /usr/bin/chromium
# The production run of the tests: its own database (pytest makes test_newsdesk_gw0
# and _gw1 beside it, one per process) and its own Redis database numbers, which
# each test empties: this one for the first process, the next for the second.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsdesk
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

.PHONY: run test lint test-embedded test-production install install-test chromium nginx screenshots

run: install
	$(VENV)/bin/newsdesk run

# The whole suite twice: on the embedded profile, then on PostgreSQL and Redis.
test: install-test chromium nginx
	$(MAKE) lint
	$(MAKE) test-embedded
	$(MAKE) test-production

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Two processes (pytest-xdist), one per core: each has its own in-memory database,
# cache folder and live server.
test-embedded:
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest -n 2

# Outside CI, without PostgreSQL and Redis on loopback the production run is skipped
# with the reason; in CI (CI set) it fails.
test-production:
	@if $(VENV)/bin/python .ci/services.py "$(TEST_DATABASE_URL)" "$(TEST_REDIS_URL)"; then \
	  echo "The test suite on the production profile: $(TEST_DATABASE_URL), $(TEST_REDIS_URL)"; \
	  DATABASE_URL="$(TEST_DATABASE_URL)" REDIS_URL="$(TEST_REDIS_URL)" \
	  SECRET_KEY="$$($(VENV)/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=localhost,127.0.0.1,testserver $(VENV)/bin/pytest -n 2; \
	elif [ -n "$$CI" ]; then \
	  echo "CI needs PostgreSQL and Redis for the production run (see above)."; exit 1; \
	else \
	  echo "SKIPPED the production run: PostgreSQL or Redis is not reachable (see above)."; \
	fi

# The README's pictures (docs/images/), taken from the demo by the browser test that the
# normal run takes into a temporary folder.
screenshots: install-test chromium
	env -u DATABASE_URL -u REDIS_URL $(VENV)/bin/pytest -q \
	  newsdesk/demo/tests/test_screenshots.py --screenshots=docs/images

# The narration extra (piper-tts, GPL-3.0-or-later) is installed by both: see LICENSE.
install: $(UV)
	$(UV) sync --frozen --inexact --no-dev --extra narration

install-test: $(UV)
	$(UV) sync --frozen --inexact --extra narration

# What `make run` needs first, each missing one said in a sentence (tested in core/tests/test_run.py).
$(UV):
	@command -v $(PYTHON) >/dev/null || { echo "newsdesk needs Python 3.11 or newer, and there is no $(PYTHON): install it (Debian: sudo apt-get install python3 python3-venv) or name one, e.g. make run PYTHON=python3.12"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "newsdesk needs Python 3.11 or newer, and $(PYTHON) is $$($(PYTHON) -V 2>&1): install a newer one and name it, e.g. make run PYTHON=python3.12"; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { echo "$(PYTHON) cannot make a virtual environment: install its venv module (Debian: sudo apt-get install python3-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The browser tests drive Debian's Chromium. As root on Debian it is installed here;
# elsewhere install the chromium package yourself (without it CI fails, a local run skips them).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is not installed: run 'sudo apt-get install chromium' for the browser tests."; \
	  fi; \
	fi

# The shipped nginx configuration (deploy/) is tested with Debian's nginx; wrk is for bench/pages.
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ] || ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk >/dev/null; \
	  else \
	    echo "nginx or wrk is not installed: run 'sudo apt-get install nginx wrk' for the nginx tests."; \
	  fi; \
	fi
