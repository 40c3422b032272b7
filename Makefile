# `make demo` builds the bundled sample end to end and serves it; `make test` runs the tests.
# Both create the virtual environment first when it is missing or older than pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test build serve clean bench bench-build bench-crawl bench-datasette bench-search-index bench-ocr bench-attachments bench-libraries chaos fuzz

install: $(STAMP)

$(STAMP): pyproject.toml
	@echo "make: creating $(VENV) and installing regkb with its dependencies (a few minutes the first time)" >&2
	$(PYTHON) -m venv $(VENV)
	{ $(BIN)/python -m pip install --progress-bar off -e '.[dev,ocr]' 2>&1; echo $$? > $(VENV)/pip.status; } \
	    | grep --line-buffered -E '^(Collecting|Installing|Successfully|ERROR)' >&2; exit $$(cat $(VENV)/pip.status)
	@echo "make: installing followthemoney (for regkb export ftm; builds PyICU)" >&2
	$(BIN)/python -m pip install --quiet -e '.[ftm]' || echo "make install: followthemoney left out (its PyICU" \
	    "needs Debian's libicu-dev, pkg-config and g++); \`regkb export ftm\` and its tests wait for it" >&2
	touch $(STAMP)

# PORT=8080 to serve elsewhere than 8001
demo: $(STAMP)
	$(BIN)/regkb demo $(if $(PORT),--port $(PORT))

test: $(STAMP)
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/regkb build

serve: $(STAMP)
	$(BIN)/regkb serve $(if $(PORT),--port $(PORT))

clean:
	rm -rf $(VENV) data .pytest_cache tests/artifacts

# Extraction throughput beside jieba alone, and peak memory (prints a table; not part of `make test`).
bench: $(STAMP)
	$(BIN)/python bench/extraction.py

# The build at 1×, 10× and 100× the demo archive, one worker and one per core: decisions/s, the same rows either
# way, the growth exponent (prints a table; about 15 minutes on 2 cores, ~2 GB in /tmp). FACTORS="1 10" for less.
FACTORS ?= 1 10 100
bench-build: $(STAMP)
	$(BIN)/python bench/build_scale.py --factors $(FACTORS)

# regkb crawl of the mirror (the NFRA demo ×30) beside a plain Scrapy spider on the same URLs, and the requests of an
# incremental re-crawl (prints a table; about two minutes).
bench-crawl: $(STAMP)
	$(BIN)/python bench/crawl_speed.py

# Datasette on a synthetic million decisions: build time and page latencies over loopback (not part of `make test`;
# needs ~5 GB in /tmp and about half an hour on 2 cores).
bench-datasette: $(STAMP)
	$(BIN)/python bench/datasette_scale.py

# The search index chosen by measurement: one token per character (regkb's) beside bigrams, on the synthetic
# decisions bench-datasette built: build time, size, query p50/p95, and whether both find the same decisions.
bench-search-index: $(STAMP)
	$(BIN)/python bench/search_index.py

# Offline OCR of scanned 公示表: regkb's reader (RapidOCR, the whole page) beside tesseract (each cell cut out by its
# true box) on the demo scan and four made from the same table: exact cells and seconds per page (tesseract's
# columns need Debian's tesseract-ocr-chi-sim).
bench-ocr: $(STAMP)
	$(BIN)/python bench/ocr_scan.py

# Reading attachments: each format's time per file beside the same table read from its .xlsx (prints a table).
bench-attachments: $(STAMP)
	$(BIN)/python bench/attachments.py

# regkb's amount, date and region readers beside cn2an, jionlp and cpca on hand-worked forms and the gold set (prints
# a table, and what each gets wrong; installs the extra `compare` first).
bench-libraries: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[compare]'
	$(BIN)/python bench/libraries.py

# The attack kept: a fault-injecting server at the real paths and SIGKILLs of a crawl and a build (prints faults
# injected, survived, documents lost: goal 0). QUICK=1 runs five scenarios.
chaos: $(STAMP)
	$(BIN)/python bench/chaos.py $(if $(QUICK),--quick)

# Seeded mutations of real documents and crafted files through the readers under the build's limits, then a build
# of them (prints tracebacks, hangs, over-memory: goal 0 each). N mutants, SEED to vary them.
N ?= 1000
SEED ?= 1
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py -n $(N) --seed $(SEED)
