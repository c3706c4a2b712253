# Two commands on a fresh machine:
#   make book   set up .venv, install the kit and JupyterLab, build the book into _build/html
#   make test   set up .venv and the system packages (Chromium, Node.js), run every test:
#               pytest, nbval, the strict book build, then browser tests of the book and the served apps
# In a workshop: make serve (every activity on the room's Wi-Fi, with a QR code; Ctrl-C stops).
# Or open an activity alone: .venv/bin/jupyter lab activities/03_petal_analysis.ipynb
# Other targets: make bench (population, then every dashboard: bench-out/dashboards.json;
#   then 40 writers on the practice platform, SQLite and PostgreSQL: bench-out/platform.json),
#   make bench-serve (40 phones), make data (a sample dataset), make clean.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.termtem-installed
AXE := tests/browser/node_modules/axe-core/axe.min.js
JB := $(VENV)/bin/jupyter-book
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup system-packages book book-strict test pytest nbval browser serve bench bench-serve data clean

setup: $(STAMP)

system-packages:
	bash tools/system_packages.sh

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $(AXE)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[book,test,serve]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Termtem)" >/dev/null
	touch $(STAMP)

# The book shows the same pages on every machine: its notebooks open a fresh practice workshop,
# never the room's workshop-data/.
FRESH_WORKSHOP = TERMTEM_WORKSHOP_DIR=$$(mktemp -d /tmp/termtem-workshop-XXXXXX)

book: setup
	$(FRESH_WORKSHOP) $(JB) build . --builder html
	@echo "The book is in _build/html/index.html"

# Warnings (including a missing Thai glyph or any stderr from a notebook) fail the build; then
# tools/check_built_book.py fails on English interface labels, English admonition titles and figures without Thai alt text.
book-strict: setup
	rm -rf _build
	$(FRESH_WORKSHOP) $(JB) build . --builder html -W -n --keep-going
	$(PY) tools/check_built_book.py

pytest: setup
	$(PY) -m pytest tests --ignore=tests/browser

nbval: setup
	$(FRESH_WORKSHOP) $(PY) -m pytest --nbval-lax --nbval-current-env -p no:randomly activities book/district

# The built book and every served activity in Debian's Chromium at phone width; needs book-strict first.
browser: setup system-packages $(AXE)
	$(PY) -m pytest tests/browser -p no:randomly

test: system-packages pytest nbval book-strict browser

serve: setup
	$(PY) -m simulator serve

bench: setup system-packages
	$(PY) benchmarks/bench_population.py
	$(PY) benchmarks/bench_dashboards.py
	$(PY) benchmarks/bench_platform.py

bench-serve: setup system-packages
	$(PY) benchmarks/bench_serve.py

data: setup
	$(PY) -m simulator generate --families 200 --seed 2569 --out data-sample --format csv

clean:
	rm -rf _build .pytest_cache bench-out data-sample
