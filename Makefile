# pcsauvegarde — the two entry points are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA ?= snapshots
# Debian packages the tests use as real peers (sshd, CUPS, age, minisign, chromium).
SYS_PKGS := python3-venv chromium openssh-server cups cups-client printer-driver-cups-pdf \
            libcups2-dev age minisign fonts-dejavu-core poppler-utils

.PHONY: demo test venv sysdeps lint bench clean

demo: venv
	$(VENV)/bin/pcsauvegarde demo --data $(DATA)

test: sysdeps venv
	$(PY) -m pytest -q

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ required"' \
	  || (echo "pcsauvegarde needs Python 3.11 or newer" >&2; exit 1)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "python3-venv missing: sudo apt-get install python3-venv" >&2; exit 1; fi; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

# Installs the Debian packages the test peers need, only when root and only those missing.
sysdeps:
	@missing=$$(for p in $(SYS_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages (tests needing them are skipped):" $$missing >&2; fi; \
	fi

lint: venv
	$(VENV)/bin/ruff check pcsauvegarde tests bench

bench: venv
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m bench
	$(PY) -m bench.freshness

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
