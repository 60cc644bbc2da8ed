# Two commands do all the set-up on a fresh machine with Python 3.11+ and make:
#   make demo   runs the main job on the embedded default (SQLite, sandbox clearinghouse)
#   make test   runs the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-dates test-postgres test-integration serve stop migration lint typecheck bench bench-postgres bench-triggers bench-stedi fuzz soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	PREFECT_HOME=$(CURDIR)/.groupbill/prefect $(BIN)/groupbill demo

# The unit and flow tests on TEST_WORKERS processes (pytest-xdist; each starts its own Prefect test
# harness, ~10 s, so more workers than cores only costs). TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 2
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# The unit and flow tests again with the system clock moved (libfaketime; .ci/at installs it) to the
# practice's New Year's Eve at 23:30, a leap day and the spring daylight-saving day: the suite's own clock
# is pinned (tests/conftest.py), so whatever still reads the calendar fails here.
test-dates: $(STAMP)
	.ci/at "2026-12-31 23:30" $(BIN)/python -m pytest -n $(TEST_WORKERS) -q -p no:cacheprovider
	.ci/at "2028-02-29 07:00" $(BIN)/python -m pytest -n $(TEST_WORKERS) -q -p no:cacheprovider
	.ci/at "2027-03-14 07:30" $(BIN)/python -m pytest -n $(TEST_WORKERS) -q -p no:cacheprovider

# The unit and flow tests again on PostgreSQL: a database per test on the server named by
# GROUPBILL_TEST_POSTGRES_URL (an admin URL; `.ci/postgres` installs, starts and prints one).
test-postgres: $(STAMP)
	@if [ -z "$$GROUPBILL_TEST_POSTGRES_URL" ]; then echo "set GROUPBILL_TEST_POSTGRES_URL: .ci/postgres prints one"; exit 2; fi
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# A real Prefect server, the sandbox HTTP server and the served deployments (a few minutes).
test-integration: $(STAMP)
	$(BIN)/python -m pytest -m integration

# A local Prefect server on 127.0.0.1 (PREFECT_HOME under .groupbill/) and every deployment; `make stop` ends both.
serve: $(STAMP)
	$(BIN)/python -m deployments.local start

stop:
	$(BIN)/python -m deployments.local stop

# A new migration after changing models/: `make migration MESSAGE="add payer contract dates"` (review it!).
migration: $(STAMP)
	rm -f .groupbill/migration.db
	$(BIN)/python -c "import sys; from models.db import make_engine; from models.migrate import new_revision; new_revision(make_engine('sqlite:///.groupbill/migration.db'), sys.argv[1])" "$(MESSAGE)"
	$(BIN)/ruff format models/migrations/versions

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy models config tasks flows deployments

# The daily pipeline end to end on N claims (BENCH_CLAIMS, default 100,000; ~15 min with set-up),
# then the X12 and scrubber micro-rates. One JSON line each.
BENCH_CLAIMS ?= 100000
bench: $(STAMP)
	$(BIN)/python -m benchmarks.pipeline_bench --claims $(BENCH_CLAIMS) --floor
	$(BIN)/python -m benchmarks.x12_bench
	$(BIN)/python -m benchmarks.scrub_bench

# The same end-to-end run with the billing database on PostgreSQL (installed and started by .ci/postgres).
bench-postgres: $(STAMP)
	$(BIN)/python -m benchmarks.pipeline_bench --claims $(BENCH_CLAIMS) --postgres "$$(.ci/postgres)"

# Event -> triggered eligibility run, against a real Prefect server and served deployments (~2 min).
bench-triggers: $(STAMP)
	$(BIN)/python -m benchmarks.trigger_latency

# Event -> eligibility answer stored through a `stedi` connection to the local Stedi-contract server (~2 min).
bench-stedi: $(STAMP)
	$(BIN)/python -m benchmarks.stedi_eligibility

# The bad-input corpus, long run: 1,000 damaged bundles, payer profiles and X12 files (~6 min; `make test`
# runs 40 of each). FUZZ_EXAMPLES=N for more or fewer.
FUZZ_EXAMPLES ?= 1000
fuzz: $(STAMP)
	GROUPBILL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -s -q -p no:cacheprovider tests/fuzz

# The crash and fault soak, long run: 20 rounds of a synthetic practice killed at every crash point and at
# random moments under sandbox faults (~25 min; `make test` runs one round). SOAK_ROUNDS=N to change.
# SOAK_CLEARINGHOUSE=sftp runs it over an SFTP mailbox behind a real sshd (needs root and openssh-server);
# SOAK_CLEARINGHOUSE=stedi through a `stedi` connection to the sandbox server speaking Stedi's contract.
SOAK_ROUNDS ?= 20
SOAK_CLEARINGHOUSE ?= http
soak: $(STAMP)
	$(BIN)/python -m tests.soak.run --rounds $(SOAK_ROUNDS) --clearinghouse $(SOAK_CLEARINGHOUSE)

clean:
	rm -rf $(VENV) .groupbill build *.egg-info
