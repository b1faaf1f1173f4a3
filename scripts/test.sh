#!/usr/bin/env bash
# Full check: lint, bandit, migrations, pytest on SQLite, then pytest on a throwaway
# PostgreSQL cluster (incl. browser tests in Chromium).
# Extra arguments are passed to both pytest runs: scripts/test.sh -k foo
set -euo pipefail
cd "$(dirname "$0")/.."

CI=${CI:-false}
PY=.venv/bin/python
IS_ROOT=false
if [ "$(id -u)" -eq 0 ]; then IS_ROOT=true; fi

STEP="startup"
SUMMARY=()
PG_TMP=""
PG_BIN=""
PG_SKIPPED=false
BROWSER_SKIPPED=false

step() {
    STEP="$1"
    echo
    echo "==> $STEP"
}
ok() { SUMMARY+=("  ok    $STEP${1:+ ($1)}"); }
warn() {
    echo
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    echo "!!! WARNING: $*"
    echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    echo
}
die() {
    echo "ERROR: $*" >&2
    exit 1
}

# Run a command as the OS user owning the cluster (initdb refuses to run as root).
as_pg() {
    if $IS_ROOT; then
        (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

on_exit() {
    local rc=$?
    set +e
    if [ -n "$PG_TMP" ] && [ -d "$PG_TMP" ]; then
        if [ -f "$PG_TMP/data/postmaster.pid" ]; then
            as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1
        fi
        rm -rf "$PG_TMP"
    fi
    if [ "$rc" -ne 0 ]; then
        echo
        echo "########################################################################"
        echo "### make test FAILED at step: $STEP (exit code $rc)"
        echo "########################################################################"
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pytest exits 5 when nothing was collected; with a user filter (-k ...) that can
# legitimately happen in one of the two runs.
run_pytest() {
    local rc=0
    "$@" || rc=$?
    if [ "$rc" -eq 5 ] && [ "$NARGS" -gt 0 ]; then
        echo "(no tests selected in this run)"
        return 0
    fi
    return "$rc"
}
NARGS=$#
# Both pytest runs: parallel workers (pytest-xdist, one per core; PYTEST_WORKERS=0 runs in one
# process, e.g. for --pdb), a test file stays on one worker so the permission matrix and the sweeps
# build their module-wide world once, and the 15 slowest tests are printed at the end.
PYTEST_OPTS=(-n "${PYTEST_WORKERS:-auto}" --dist loadfile --durations=15)

# --- a. virtualenv ----------------------------------------------------------
step "virtualenv (scripts/venv.sh)"
scripts/venv.sh
ok

# --- b. lint ----------------------------------------------------------------
step "ruff check"
.venv/bin/ruff check .
ok
step "ruff format --check"
.venv/bin/ruff format --check .
ok
step "bandit (fails on high-severity findings)"
.venv/bin/bandit -q -c pyproject.toml -r trungtam lophoc hocvien giangvien --severity-level high
ok
step "lint-imports (the layers of DESIGN §3, .importlinter)"
.venv/bin/lint-imports
ok

# --- c. migrations are up to date -------------------------------------------
step "makemigrations --check"
env -u DATABASE_URL DJANGO_SETTINGS_MODULE=trungtam.settings.test \
    $PY manage.py makemigrations --check --dry-run
ok

# --- SoftHSM2 (the PKCS#11 signing tests, tests/signing/test_pkcs11.py) ------
step "SoftHSM2"
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
if [ ! -e "$SOFTHSM" ] && $IS_ROOT; then
    APT_LOG="${TMPDIR:-/tmp}/trungtam-apt-softhsm2.log"
    echo "Installing softhsm2 with apt-get (log: $APT_LOG) ..."
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y softhsm2; } \
        >"$APT_LOG" 2>&1; then
        echo "apt-get failed; last lines of $APT_LOG:"
        tail -n 30 "$APT_LOG"
    fi
fi
if [ -e "$SOFTHSM" ]; then
    ok "$SOFTHSM"
elif [ "$CI" = true ]; then
    die "SoftHSM2 not found at $SOFTHSM and could not be installed (CI requires the PKCS#11 signing tests)."
else
    warn "SoftHSM2 not found at $SOFTHSM - the PKCS#11 signing tests will be SKIPPED. Install it with: sudo apt-get install softhsm2"
    SUMMARY+=("  SKIP  PKCS#11 signing tests (no SoftHSM2)")
fi

# --- d. pytest on SQLite ----------------------------------------------------
step "pytest on SQLite (not browser, not postgres_only)"
run_pytest env -u DATABASE_URL .venv/bin/pytest -m "not browser and not postgres_only" \
    "${PYTEST_OPTS[@]}" "$@"
ok

# --- e. Chromium ------------------------------------------------------------
step "Chromium"
CHROMIUM=/usr/bin/chromium
if [ ! -x "$CHROMIUM" ] && $IS_ROOT; then
    APT_LOG="${TMPDIR:-/tmp}/trungtam-apt-chromium.log"
    echo "Installing chromium with apt-get (log: $APT_LOG) ..."
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } \
        >"$APT_LOG" 2>&1; then
        echo "apt-get failed; last lines of $APT_LOG:"
        tail -n 30 "$APT_LOG"
    fi
fi
if [ -x "$CHROMIUM" ]; then
    ok "$CHROMIUM"
elif [ "$CI" = true ]; then
    die "Chromium not found at $CHROMIUM and could not be installed (CI requires browser tests)."
else
    warn "Chromium not found at $CHROMIUM - browser tests will be SKIPPED. Install it with: sudo apt-get install chromium"
    BROWSER_SKIPPED=true
    SUMMARY+=("  SKIP  browser tests (no Chromium)")
fi

# --- f. throwaway PostgreSQL cluster ----------------------------------------
step "PostgreSQL cluster"
if [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    PG_BIN=/usr/lib/postgresql/15/bin
else
    PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        PG_BIN=$(pg_config --bindir 2>/dev/null || true)
    fi
fi
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    PG_BIN=""
    if [ "$CI" = true ]; then
        die "PostgreSQL server binaries (initdb, pg_ctl) not found in /usr/lib/postgresql/*/bin or pg_config --bindir."
    fi
    warn "PostgreSQL binaries not found - the PostgreSQL test run (incl. browser and postgres_only tests) will be SKIPPED. Install it with: sudo apt-get install postgresql"
    PG_SKIPPED=true
    SUMMARY+=("  SKIP  PostgreSQL cluster + pytest on PostgreSQL (no PostgreSQL binaries)")
fi

if ! $PG_SKIPPED; then
    if $IS_ROOT && ! id postgres >/dev/null 2>&1; then
        die "running as root but there is no 'postgres' OS user to run the cluster"
    fi
    echo "Using $PG_BIN"
    # Fixed /tmp rather than $TMPDIR: the unix socket path must stay under ~100 bytes.
    PG_TMP=$(mktemp -d /tmp/trungtam-pg.XXXXXX)
    PG_SOCK="$PG_TMP/sock"
    # No TCP listener and a private socket dir, so a fixed port cannot clash.
    PG_PORT=54329
    mkdir "$PG_SOCK"
    if $IS_ROOT; then chown -R postgres: "$PG_TMP"; fi

    PG_LOCALE=C.UTF-8
    locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || PG_LOCALE=C
    as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -A trust -U postgres --encoding=UTF8 \
        --locale="$PG_LOCALE" >"$PG_TMP/initdb.log" 2>&1 ||
        { cat "$PG_TMP/initdb.log"; die "initdb failed"; }

    if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses='' -c unix_socket_directories=$PG_SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
        tail -n 30 "$PG_TMP/server.log"
        die "could not start PostgreSQL"
    fi
    for _ in $(seq 1 30); do
        "$PG_BIN/pg_isready" -q -h "$PG_SOCK" -p "$PG_PORT" && break
        sleep 1
    done
    "$PG_BIN/pg_isready" -h "$PG_SOCK" -p "$PG_PORT" || die "PostgreSQL is not accepting connections"
    "$PG_BIN/createdb" -h "$PG_SOCK" -p "$PG_PORT" -U postgres trungtam

    export DATABASE_URL="postgres://postgres@/trungtam?host=$PG_SOCK&port=$PG_PORT"
    echo "DATABASE_URL=$DATABASE_URL"
    ok "$("$PG_BIN/postgres" --version)"

    # --- g. pytest on PostgreSQL --------------------------------------------
    if $BROWSER_SKIPPED; then
        step "pytest on PostgreSQL (all tests except browser)"
        MARK=(-m "not browser")
    else
        step "pytest on PostgreSQL (all tests)"
        MARK=()
    fi
    # Playwright's sync API runs an event loop in the test thread.
    export DJANGO_ALLOW_ASYNC_UNSAFE=true
    run_pytest .venv/bin/pytest "${MARK[@]}" "${PYTEST_OPTS[@]}" "$@"
    ok
fi

# --- h. summary -------------------------------------------------------------
STEP="summary"
echo
echo "========================================================================"
echo "Summary:"
printf '%s\n' "${SUMMARY[@]}"
echo "========================================================================"
if $PG_SKIPPED; then
    echo "PASSED, but PostgreSQL was SKIPPED (no PostgreSQL binaries): browser and postgres_only tests did not run."
elif $BROWSER_SKIPPED; then
    echo "PASSED, but browser tests were SKIPPED (no Chromium)."
else
    echo "ALL CHECKS PASSED (SQLite + PostgreSQL + browser)."
fi
