# Two commands on a fresh machine:
#   make book   set up .venv, install the kit and JupyterLab, build the book into _build/html
#   make test   set up .venv, install the kit and JupyterLab, run every test (pytest, nbval, strict book build)
# Then open an activity: .venv/bin/jupyter lab activities/03_petal_analysis.ipynb
# Other targets: make bench (speed benchmark), make data (a sample dataset), make clean.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.termtem-installed
JB := $(VENV)/bin/jupyter-book
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: setup book book-strict test pytest nbval bench data clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[book,test,serve]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Termtem)" >/dev/null
	touch $(STAMP)

book: setup
	$(JB) build . --builder html
	@echo "The book is in _build/html/index.html"

# Warnings (including a missing Thai glyph or any stderr from a notebook) fail the build; then
# tools/check_built_book.py fails on English interface labels, English admonition titles and figures without Thai alt text.
book-strict: setup
	rm -rf _build
	$(JB) build . --builder html -W -n --keep-going
	$(PY) tools/check_built_book.py

pytest: setup
	$(PY) -m pytest tests

nbval: setup
	$(PY) -m pytest --nbval-lax --nbval-current-env -p no:randomly activities

test: pytest nbval book-strict

bench: setup
	$(PY) benchmarks/bench_population.py

data: setup
	$(PY) -m simulator generate --families 200 --seed 2569 --out data-sample --format csv

clean:
	rm -rf _build .pytest_cache bench-out data-sample
