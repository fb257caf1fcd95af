# The two commands of README.md. Everything they need is installed here, from the lock file.
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
CHROMIUM := /usr/bin/chromium

.PHONY: run test install install-test chromium

run: install
	$(VENV)/bin/newsdesk run

test: install-test chromium
	$(VENV)/bin/pytest

install: $(UV)
	$(UV) sync --frozen --inexact --no-dev

install-test: $(UV)
	$(UV) sync --frozen --inexact

$(UV):
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
