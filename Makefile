# Infusion Planner — set-up and everyday commands.
#   make run    create .venv, install the app, open it on the embedded SQLite database
#   make test   create .venv with the test extras, run the whole suite headless
#   make dist   the app for clinics: a self-contained bundle (+ Linux .tar.gz with an installer)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
# Qt's core needs, then what its X11 (xcb) platform plugin loads (`ldd` on PySide6's
# Qt/plugins/platforms/libqxcb.so and Qt/lib/libQt6XcbQpa.so.6): without them no window opens.
QT_SYSTEM_PACKAGES := libglib2.0-0 libegl1 libgl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libx11-6 fonts-dejavu-core \
  libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 \
  libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0

.PHONY: run test lint typecheck check bench system-libs clean

run: system-libs $(VENV)/.run-installed
	$(PY) main.py

test: system-libs $(VENV)/.test-installed
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(PY) -m ruff check planner tests bench main.py
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.test-installed
	$(PY) -m mypy

check: lint typecheck test

bench: $(VENV)/.test-installed
	$(PY) -m pip install -q -e ".[bench]"
	for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script --quick || exit 1; done

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e ".[test,postgres,encryption]"
	touch $@ $(VENV)/.run-installed

# Qt needs a few system libraries. On Debian/Ubuntu we install what is missing when we can
# (root with apt-get, as in CI and containers); otherwise we stop with the one line to run.
system-libs:
	@if command -v dpkg-query >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(QT_SYSTEM_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "Installing system libraries Qt needs:$$missing"; \
	      DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	    else \
	      echo "Qt needs system libraries that are missing. Run:"; \
	      echo "  sudo apt-get install -y --no-install-recommends$$missing"; \
	      exit 1; \
	    fi; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info

# The app for clinics, built by PyInstaller from a clean copy of the source in its own
# environment (build/dist-src, build/dist-venv); the result is in dist/. See packaging/.
.PHONY: dist dist-check bench-bundle
dist: system-libs
	$(PYTHON) packaging/build_dist.py

# The installed bundle against the same tests as the source (tests/bundle).
dist-check: system-libs $(VENV)/.test-installed
	@bundle=$$(ls dist/infusion-planner-*-linux-*.tar.gz 2>/dev/null | head -n 1); \
	if [ -z "$$bundle" ]; then echo "No bundle in dist/: run make dist first."; exit 1; fi; \
	PLANNER_BUNDLE=$$bundle QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/bundle -p no:cacheprovider $(PYTEST_ARGS)

bench-bundle: $(VENV)/.test-installed
	$(PY) bench/bench_bundle_start.py
