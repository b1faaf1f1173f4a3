.PHONY: run test venv

ARGS ?=

run:
	scripts/run.sh

test:
	scripts/test.sh $(ARGS)

venv:
	scripts/venv.sh
