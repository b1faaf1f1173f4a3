#!/usr/bin/env bash
# Create .venv if needed and (re)install requirements.lock only when it changed.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK=requirements.lock
STAMP=.venv/.requirements.lock.sha256

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
