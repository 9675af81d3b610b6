# Two commands for a newcomer: `make run` (the main job on the bundled ITC data) and `make test`.
# Both set up what they need: Debian packages (fonts; for tests also poppler and LibreOffice)
# and a virtual environment with pinned packages in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_DEBS := fontconfig fonts-noto-cjk fonts-noto-core
TEST_DEBS := $(RUN_DEBS) poppler-utils libreoffice-writer-nogui chromium postgresql
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run serve test lint bench fuzz setup debs-run debs-test clean

# Install the Debian packages that are missing; matplotlib's font cache is cleared after new fonts.
define install_debs
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null && \
	  rm -rf "$$HOME/.cache/matplotlib"; \
	fi
endef

debs-run:
	$(call install_debs,$(RUN_DEBS))

debs-test:
	$(call install_debs,$(TEST_DEBS))

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,web]'
	touch $(STAMP)

setup: debs-test $(STAMP)

# The seed's one real disagreement (Table 13.3 against note a of Table 13.4) is acknowledged in
# acknowledgements.yaml: validate lists it and exits 0, and the build is final, with no draft mark.
run: debs-run $(STAMP)
	@$(BIN)/fascicle validate
	@$(BIN)/fascicle show resources
	@$(BIN)/fascicle show posts
	@$(BIN)/fascicle show changes
	@$(BIN)/fascicle show deliverables
	@$(BIN)/fascicle build --lang zh,en --out build
	@echo "The fascicle in Chinese and English (HTML, PDF, DOCX, XLSX) is in build/zh and build/en."
	@$(BIN)/fascicle show src/fascicle/data/a80-6-2026 summary
	@# The official documents hold real inconsistencies (README): validate lists them and exits 1, by design.
	@$(BIN)/fascicle validate src/fascicle/data || echo "The bundled budget: the findings above are in the official documents (see README)."
	@$(MAKE) --no-print-directory serve

# The web application (src/fascicle/web): migrate, load the bundled sections and demo accounts once (their
# passwords are printed), then serve on http://127.0.0.1:8000/ until Ctrl-C. Its data is in FASCICLE_HOME (./var).
# gunicorn's threaded workers, as benchmarks/bench_web.py measured them (sync workers were no better under load).
WEB_ADDRESS ?= 127.0.0.1:8000
serve: $(STAMP)
	@$(BIN)/fascicle-web fascicle_setup --url http://$(WEB_ADDRESS)/
	@echo "Serving on http://$(WEB_ADDRESS)/ (Ctrl-C stops)."
	@$(BIN)/gunicorn --bind $(WEB_ADDRESS) --worker-class gthread --workers 2 --threads 4 --no-control-socket --access-logfile - fascicle.web.wsgi

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/mypy

test: debs-test lint
	$(BIN)/pytest

# A longer run of the fuzz test than make test's 150: FUZZ_RUNS corrupted datasets, random each time.
FUZZ_RUNS ?= 5000
fuzz: $(STAMP)
	FASCICLE_FUZZ_RUNS=$(FUZZ_RUNS) $(BIN)/pytest -p no:cacheprovider tests/test_fuzz.py

bench: debs-test $(STAMP)
	$(BIN)/python benchmarks/bench_load.py --scale 100
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_web.py

# Mutation testing of checks/, compute/ and source/ against the fast tests (15-30 min; not part of `make test`).
mutation: $(STAMP)
	$(BIN)/python tools/mutate.py

clean:
	rm -rf $(VENV) build synth .pytest_cache .mypy_cache .ruff_cache .hypothesis
