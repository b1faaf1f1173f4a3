#!/usr/bin/env bash
# Load test (make load): a throwaway PostgreSQL 15 cluster, the demo data, gunicorn on loopback,
# then scripts/load.py (20 virtual users for 60 s by default), then everything is stopped.
#   scripts/load.sh [--users 20] [--duration 60] [--max-requests 20000]
# Traffic goes to 127.0.0.1 only; the run is bounded in time and requests and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
PG_PORT=54332 # private socket only (no TCP), so it cannot clash with another cluster
WORKERS=${LOAD_WORKERS:-3}
PG_TMP=""
PG_BIN=""
GUNICORN_PID=""

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    local rc=$?
    set +e
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null
    fi
    if [ -n "$PG_TMP" ] && [ -f "$PG_TMP/data/postmaster.pid" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1
    fi
    [ -n "$PG_TMP" ] && rm -rf "$PG_TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/venv.sh >/dev/null

# --- PostgreSQL 15 --------------------------------------------------------------------------
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    PG_BIN=/usr/lib/postgresql/15/bin
else
    PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
[ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL (initdb) không tìm thấy: apt-get install postgresql" >&2; exit 2; }
PG_TMP=$(mktemp -d /tmp/trungtam-load-pg.XXXXXX)
PG_SOCK="$PG_TMP/sock"
mkdir "$PG_SOCK"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$PG_TMP"; fi
PG_LOCALE=C.UTF-8
locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || PG_LOCALE=C
as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -A trust -U postgres --encoding=UTF8 \
    --locale="$PG_LOCALE" >"$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log"; exit 1; }
# Durable settings as in production (fsync on): the figures should not flatter the database.
as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses='' -c unix_socket_directories=$PG_SOCK -c max_connections=100" \
    start >/dev/null || { tail -n 30 "$PG_TMP/server.log"; exit 1; }
"$PG_BIN/createdb" -h "$PG_SOCK" -p "$PG_PORT" -U postgres trungtam

# --- the app, production settings on plain HTTP ---------------------------------------------
export DATABASE_URL="postgres://postgres@/trungtam?host=$PG_SOCK&port=$PG_PORT"
export DEBUG=0 HTTPS=0 ALLOWED_HOSTS=127.0.0.1
# Production refuses to issue certificates whose QR code would point at a loopback address.
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-https://ttct.example.vn}"
export SECRET_KEY="load-test-only-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export DJANGO_SETTINGS_MODULE=trungtam.settings.base
echo "==> migrate, seed_demo, collectstatic"
$PY manage.py migrate --noinput >/dev/null
$PY manage.py seed_demo >/dev/null
$PY manage.py collectstatic --noinput >/dev/null

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "==> gunicorn trungtam.wsgi on 127.0.0.1:$PORT ($WORKERS workers)"
.venv/bin/gunicorn trungtam.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --access-logfile /dev/null --error-logfile "$PG_TMP/gunicorn.log" --timeout 60 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
    $PY -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$PORT/dang-nhap/', timeout=2)" \
        2>/dev/null && break
    sleep 1
done

echo "==> load"
rc=0
$PY scripts/load.py --base "http://127.0.0.1:$PORT" "$@" || rc=$?
if grep -q "Traceback" "$PG_TMP/gunicorn.log"; then
    echo "Lỗi trong nhật ký gunicorn:"
    grep -A 20 "Traceback" "$PG_TMP/gunicorn.log" | head -60
    rc=1
fi
exit "$rc"
