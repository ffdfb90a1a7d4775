# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench run catalogs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/oudersbot demo

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

run: $(STAMP)
	$(BIN)/oudersbot run

# For maintainers: refresh the message ids of the bot's own words from the code.
# Keys come from the code (Babel's extractor) and from messages/ (pictograms, answers); new keys
# arrive empty in every language, and compiling shows how complete each language is.
catalogs: $(STAMP)
	$(BIN)/python -m oudersbot.translation.keys src/oudersbot/locales/oudersbot.pot
	$(BIN)/pybabel update -i src/oudersbot/locales/oudersbot.pot -d src/oudersbot/locales -D oudersbot --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d src/oudersbot/locales -D oudersbot --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var
