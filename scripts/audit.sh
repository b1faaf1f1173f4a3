#!/usr/bin/env bash
# Known vulnerabilities (advisories) in the pinned dependencies of requirements-dev.lock (the
# runtime pins of requirements.lock and the development tools).
# Reports only and always exits 0: a new advisory must not block unrelated work.
# README "Security advisories (pip-audit)" says how to act on one.
# PIP_AUDIT=/path/to/pip-audit overrides the tool (the tests use a stand-in).
set -uo pipefail
cd "$(dirname "$0")/.."

LOCK=requirements-dev.lock
PIP_AUDIT=${PIP_AUDIT:-.venv/bin/pip-audit}
PY=.venv/bin/python

echo
echo "==> pip-audit: known vulnerabilities in $LOCK (report only, never fails the build)"

if [ "${PIP_AUDIT_SKIP_VENV:-0}" != 1 ] && ! scripts/venv.sh; then
    echo "pip-audit NOT RUN: could not set up .venv (scripts/venv.sh failed)."
    exit 0
fi
if [ ! -x "$PIP_AUDIT" ]; then
    echo "pip-audit NOT RUN: $PIP_AUDIT not found (it is a dev dependency in requirements-dev.lock)."
    exit 0
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# --disable-pip: audit the pins as written (the lock is complete and hashed) without resolving.
rc=0
timeout 600 "$PIP_AUDIT" -r "$LOCK" --require-hashes --disable-pip --progress-spinner off \
    --timeout 30 --format json --output "$TMP/report.json" >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?

"$PY" - "$TMP/report.json" "$TMP/stderr" "$rc" <<'EOF' || echo "pip-audit: could not read its report (exit code $rc)."
import json
import sys
from pathlib import Path

report_path, stderr_path, rc = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
stderr = stderr_path.read_text(errors="replace").strip()
try:
    report = json.loads(report_path.read_text())
except (OSError, ValueError):
    report = None

if report is None:
    print("pip-audit NOT AUDITED: the vulnerability service could not be reached or pip-audit")
    print(f"failed (exit code {rc}). Nothing is known either way; run `make audit` again later.")
    lines = [line for line in stderr.splitlines() if line.strip()]
    if lines:
        print("Last lines from pip-audit:")
        for line in lines[-5:]:
            print("  " + line)
    sys.exit(0)

deps = report.get("dependencies", [])
skipped = [d for d in deps if d.get("skip_reason")]
audited = [d for d in deps if not d.get("skip_reason")]
found = [(d, v) for d in audited for v in d.get("vulns", [])]

if deps and not audited:
    print(f"pip-audit NOT AUDITED: the vulnerability service answered for none of the {len(deps)}")
    print("pinned packages (unreachable, or an index without vulnerability data). Nothing is known")
    print("either way; run `make audit` again where PyPI's JSON API is reachable.")
    print(f"First reason: {skipped[0]['skip_reason']}")
    sys.exit(0)

if found:
    print(f"ADVISORIES: {len(found)} known vulnerabilities in "
          f"{len({d['name'] for d, _ in found})} pinned packages:")
    print()
    for dep, vuln in found:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        aliases = ", ".join(a for a in vuln.get("aliases") or [] if a != vuln["id"])
        print(f"  {dep['name']} {dep['version']}: {vuln['id']}"
              f"{' (' + aliases + ')' if aliases else ''}; fixed in: {fixes}")
        description = " ".join((vuln.get("description") or "").split())
        if description:
            print(f"      {description[:300]}{'…' if len(description) > 300 else ''}")
    print()
    print("How to act: README, section «Security advisories (pip-audit)».")
else:
    print(f"No known vulnerabilities in the {len(audited)} audited packages.")

if skipped:
    print(f"Not audited ({len(skipped)}): " + ", ".join(d["name"] for d in skipped))
    print(f"  e.g. {skipped[0]['skip_reason']}")
EOF
exit 0
