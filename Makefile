# kurultai: `make demo` to see it work, `make test` to check it.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin

.PHONY: help venv test demo bench clean

help:
	@echo "make demo   set up, extract the sample reports (and the seed when ../shared is there) and print their summaries"
	@echo "make test   set up and run the test suite"
	@echo "make bench  extraction throughput and memory, next to natasha alone"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed

test: venv
	$(PY) -m pytest -q

SAMPLES := tests/fixtures/extract/docs $(wildcard ../shared/corpus/seed/*.txt)

demo: venv
	$(BIN)/kurultai extract $(SAMPLES) --format text

bench: venv
	$(PY) -m bench.extract

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache bench/out
