# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck browser unit bench run catalogs lock clean

# The tested set: every dependency (and the dev tools) pinned in requirements.lock, then
# oudersbot itself on top without resolving anything again. The Dockerfile uses the same lock.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# For maintainers, after changing the dependencies in pyproject.toml: pin them again.
TOOLS := .venv-tools
lock:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet pip-tools
	$(TOOLS)/bin/pip-compile --quiet --extra dev --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

demo: $(STAMP)
	$(BIN)/oudersbot demo

test: $(STAMP) lint typecheck browser unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# The staff desk's browser tests drive the Debian Chromium: installed here when running as root
# and missing; elsewhere those tests skip and say why.
browser:
	@command -v chromium >/dev/null || (test "$$(id -u)" = 0 && apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver) || echo "no chromium: the browser tests will skip"

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
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache var build dist
