.PHONY: run test venv audit load

ARGS ?=

run:
	scripts/run.sh

test:
	scripts/test.sh $(ARGS)

venv:
	scripts/venv.sh

# Known vulnerabilities in requirements-dev.lock (runtime and development pins): a report, never a failure (README).
audit:
	scripts/audit.sh

load:
	scripts/load.sh $(ARGS)
