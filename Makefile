.PHONY: run test venv audit load

ARGS ?=

run:
	scripts/run.sh

test:
	scripts/test.sh $(ARGS)

venv:
	scripts/venv.sh

# Known vulnerabilities in requirements.lock: a report, never a failure (README).
audit:
	scripts/audit.sh

load:
	scripts/load.sh $(ARGS)
