# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := app

.PHONY: run test setup translations bench clean

$(BIN)/activate:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 ou plus est nécessaire." if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
	touch $@

setup: $(VENV)/.installed

## Set up, migrate, load the demo data, print the admin login and serve the console.
run: setup
	$(BIN)/flask occe upgrade
	$(BIN)/flask occe demo
	$(BIN)/flask occe init --demo-admin
	@echo "Console : http://$(HOST):$(PORT)/"
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## Set up and run the whole test suite (PostgreSQL too when OCCE_TEST_DATABASE_URL is set).
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Measure the budgets (start-up, national scale, documents, mail, anthology, teachers' page, report) and write benchmarks/RESULTS.md.
bench: setup
	{ echo "# Benchmark results"; echo; echo "Measured $$(date -u +%F) on $$(nproc) cores with \`make bench\`."; echo; \
	  echo "## Start-up (budget: under 1 s)"; echo; $(BIN)/python benchmarks/startup.py 2>/dev/null; echo; \
	  echo "## Directory at national scale (budgets: no slower than plain FAB, at most 8 statements, export under 1 s)"; echo; \
	  $(BIN)/python benchmarks/directory.py --runs 3 2>/dev/null; echo; \
	  echo "## Documents (budget: a diploma batch for 300 classes under 10 s)"; echo; \
	  $(BIN)/python benchmarks/documents.py --runs 3 2>/dev/null; echo; \
	  echo "## Mail (budgets: queueing 500 personalised mails under 2 s, sending at 50 mails/s or more to a loopback SMTP server)"; echo; \
	  $(BIN)/python benchmarks/mail.py --runs 3 2>/dev/null; echo; \
	  echo "## Actions and interventions at national scale (budgets: no slower than plain FAB, at most 8 statements, export of 50,000 rows under 1 s, ranking of 5,000 requests under 200 ms)"; echo; \
	  $(BIN)/python benchmarks/actions.py --runs 3 2>/dev/null; echo; \
	  echo "## La Picardie en Poésie (budget: the anthology of 60 productions under 10 s)"; echo; \
	  $(BIN)/python benchmarks/poesie_anthology.py --runs 3 2>/dev/null; echo; \
	  echo "## Teachers' page (budget: under 100 ms at the department's scale)"; echo; \
	  $(BIN)/python benchmarks/teachers_page.py --runs 20 2>/dev/null; echo; \
	  echo "## Activity report at national scale (budget: under 10 s)"; echo; \
	  $(BIN)/python benchmarks/report.py --runs 3 2>/dev/null; } > benchmarks/RESULTS.md
	cat benchmarks/RESULTS.md

## Extract the console's French messages, add the new ones to the English catalogue, compile both.
## (app/translations/fr only corrects FAB's own French strings; it is edited by hand.)
translations: setup
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -o app/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations -l en
	$(BIN)/pybabel compile -d app/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
