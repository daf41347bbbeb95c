# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make reports   build the environment, the processed data and every report
#   make test      build the environment and run the test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: env data reports test lab bench clean lock sync hooks docs

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name yrd --display-name "Python 3 (yrd)"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

data: env
	$(BIN)/yrd data build

# bytecode written ahead: a container with PYTHONDONTWRITEBYTECODE=1 would otherwise compile
# yrdlib from source in every kernel (0.1 s each; compileall skips what is up to date)
reports: data
	$(BIN)/python -m compileall -q yrdlib
	$(BIN)/yrd run

test: env
	$(BIN)/ruff check yrdlib tests tools benchmarks notebooks/text
	$(BIN)/lint-imports --no-cache  # the one-way layers of pyproject.toml (README, Architecture)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# after editing a notebook (in JupyterLab or as text): pair, strip outputs, regenerate docs
sync: env
	$(BIN)/jupytext --sync notebooks/*.ipynb
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb
	$(BIN)/python tools/make_claims_doc.py

hooks: env
	$(BIN)/pre-commit install

docs: env
	$(BIN)/python tools/make_claims_doc.py

lab: env
	$(BIN)/jupyter lab notebooks/

bench: data
	$(BIN)/python benchmarks/bench_data.py
	$(BIN)/python benchmarks/bench_methods.py
	$(BIN)/python benchmarks/bench_runner.py

lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf data/processed data/processed.old reports/.cache
