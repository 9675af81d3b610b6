# Two commands for a newcomer: `make run` (the main job on the bundled ITC data) and `make test`.
# Both set up what they need: a virtual environment with pinned packages in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench setup clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# The seed has one real disagreement (Table 13.3 vs note a of Table 13.4), so validation
# reports an error (exit 1); `run` shows it and goes on, but stops on unreadable input (exit 2).
run: $(STAMP)
	@$(BIN)/fascicle validate; status=$$?; [ $$status -le 1 ] || exit $$status
	@$(BIN)/fascicle show resources
	@$(BIN)/fascicle show posts
	@$(BIN)/fascicle show structure --lang zh
	@$(BIN)/fascicle show changes
	@$(BIN)/fascicle show deliverables
	@$(BIN)/fascicle show measures
	@$(BIN)/fascicle show compliance

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py --scale 100

clean:
	rm -rf $(VENV) build synth .pytest_cache .mypy_cache .ruff_cache .hypothesis
