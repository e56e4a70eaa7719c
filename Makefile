# kurultai: `make demo` to see it work, `make test` to check it.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin

.PHONY: help venv test demo bench bench-large tagger clean

help:
	@echo "make demo   set up, ingest the sample corpus (and the seed when ../shared is there), serve the UI and print their summaries"
	@echo "make test   set up and run the test suite"
	@echo "make bench  extraction vs natasha alone, store ingest/search at 10k documents, resolution, Dask,"
	@echo "            the web server under 50 concurrent clients (2,000 requests), and a watch run over a 1,000-item feed"
	@echo "            (PostgreSQL too when KURULTAI_BENCH_PG names a server)"
	@echo "make tagger rebuild the organisation/person CRF from NEREL's train split (weights are committed)"
	@echo "make bench-large  search latency at KURULTAI_BENCH_DOCS documents (default 100000; long: opt-in),"
	@echo "            stores bulk-copied from a normally written base; PostgreSQL when KURULTAI_BENCH_PG names"
	@echo "            a database of its own (it is filled and kept); KURULTAI_BENCH_SQLITE keeps the SQLite file"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed

test: venv
	$(BIN)/lint-imports
	$(PY) scripts/private_imports.py
	$(PY) -m pytest -q

DEMO_DB ?= demo.db
SAMPLES := samples/reports $(wildcard ../shared/corpus/seed/*.txt)

DEMO_PORT ?= 8000
DEMO_FEED_PORT ?= 8765

demo: venv
	$(BIN)/kurultai ingest $(SAMPLES) --db $(DEMO_DB)
	@sh samples/demo-session.sh $(BIN)/kurultai $(DEMO_DB)
	@sh samples/demo-watch.sh $(BIN)/kurultai $(DEMO_DB) $(PY) $(DEMO_FEED_PORT)
	@echo
	@echo "Reading is open; to upload or plan sessions, first: $(BIN)/kurultai user add NAME --role admin --db $(DEMO_DB)"
	@echo "Also from the command line: $(BIN)/kurultai search IWEP --db $(DEMO_DB)"
	@echo "Open http://127.0.0.1:$(DEMO_PORT)/ in a browser (Ctrl-C to stop); the followed source: http://127.0.0.1:$(DEMO_PORT)/sources"
	$(BIN)/kurultai serve --db $(DEMO_DB) --port $(DEMO_PORT)

bench: venv
	$(PY) -m bench.extract
	$(PY) -m bench.store
	$(PY) -m bench.resolution
	$(PY) -m bench.people
	$(PY) -m bench.archive
	$(PY) -m bench.scale --docs 600 --repeat 3
	$(PY) -m bench.load --requests 2000 --clients 50
	$(PY) -m bench.watch --items 1000

# the organisation/person CRF's weights (kurultai/nlp/data/tagger-*.crfsuite, committed) from NEREL's
# train split; a few minutes. NEREL_TRAIN names another copy of the split.
NEREL_TRAIN ?= ../shared/eval/nerel/train
tagger: venv
	$(PY) scripts/train_tagger.py $(NEREL_TRAIN)

KURULTAI_BENCH_DOCS ?= 100000
bench-large: venv
	$(PY) -m bench.bulk --docs $(KURULTAI_BENCH_DOCS) $(if $(KURULTAI_BENCH_SQLITE),--sqlite $(KURULTAI_BENCH_SQLITE))

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache bench/out $(DEMO_DB)*
