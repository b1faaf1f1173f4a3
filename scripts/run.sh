#!/usr/bin/env bash
# Local development server on SQLite with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/venv.sh
PY=.venv/bin/python
# Development mode on this machine: debug pages, a development secret key, static files from the source tree.
export DEBUG="${DEBUG:-1}"

$PY manage.py migrate --noinput
$PY manage.py seed_demo --if-empty   # no-op when centres already exist

echo
echo "================================================================"
echo "  trungtam is starting at  http://127.0.0.1:8000/"
echo "  Demo accounts:"
$PY manage.py demo_accounts | sed 's/^/    /'
echo "================================================================"
echo

exec $PY manage.py runserver 127.0.0.1:8000
