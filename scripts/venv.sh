#!/usr/bin/env bash
# Create .venv if needed and (re)install requirements-dev.lock only when it changed.
# requirements-dev.lock = the runtime pins of requirements.lock + the test and lint tools; a
# production install takes requirements.lock alone (README, Production).
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK=requirements-dev.lock
STAMP=.venv/.requirements-dev.lock.sha256

if [ ! -x .venv/bin/python ]; then
    echo "==> Creating .venv"
    python3 -m venv .venv
fi

want=$(sha256sum "$LOCK" | cut -d' ' -f1)
have=$(cat "$STAMP" 2>/dev/null || true)
if [ "$want" != "$have" ]; then
    echo "==> Installing $LOCK into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        --require-hashes -r "$LOCK"
    echo "$want" > "$STAMP"
fi
