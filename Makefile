# pcsauvegarde — the two entry points are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA ?= snapshots
# Debian packages the tests use as real peers (sshd, CUPS, age, minisign, chromium) and to
# check install/ (nft, shellcheck, ip netns; systemd-analyze comes with systemd).
SYS_PKGS := python3-venv chromium openssh-server cups cups-client printer-driver-cups-pdf \
            age minisign fonts-dejavu-core poppler-utils nftables shellcheck iproute2

.PHONY: demo test venv sysdeps lint lock bench clean

demo: venv
	$(VENV)/bin/pcsauvegarde demo --data $(DATA)

# Lint first: a style, type or layering finding fails the run before the 2-minute suite.
test: sysdeps venv lint
	$(PY) -m pytest -q

venv: $(VENV)/.installed

# Installs the exact versions of requirements-test.lock (`make lock` regenerates both locks
# from pyproject.toml), then the package itself without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements-test.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ required"' \
	  || (echo "pcsauvegarde needs Python 3.11 or newer" >&2; exit 1)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
	  else echo "python3-venv missing: sudo apt-get install python3-venv" >&2; exit 1; fi; }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-test.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $@

# Pins every dependency (runtime: requirements.lock; with the test extra: requirements-test.lock).
LOCK := $(VENV)/bin/pip-compile -q --strip-extras --no-emit-index-url --no-emit-find-links
lock: venv
	$(LOCK) -o requirements.lock pyproject.toml
	$(LOCK) --extra test -o requirements-test.lock pyproject.toml

# Installs the Debian packages the test peers need, only when root and only those missing.
sysdeps:
	@missing=$$(for p in $(SYS_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages (tests needing them are skipped):" $$missing >&2; fi; \
	fi

# Ruff, then mypy (rule sets, checked packages and justified exceptions in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check pcsauvegarde tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: venv
	$(PY) -m pip install -q 'msgspec>=0.18'  # compared with json and orjson (bench/parse.py)
	$(PY) -m bench
	$(PY) -m bench.freshness
	$(PY) -m bench.pharmacy

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
