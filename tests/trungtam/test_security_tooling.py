"""bandit in the test command (high findings fail it) and pip-audit as a separate report that
never fails: scripts/audit.sh, `make audit`, and its place in .ci/run."""

import os
import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REPORT = """{"dependencies": [
  {"name": "django", "version": "5.2.19", "vulns": [{"id": "PYSEC-2026-1",
   "fix_versions": ["5.2.20"], "aliases": ["CVE-2026-0001"],
   "description": "Tiêm SQL qua tham số sắp xếp."}]},
  {"name": "ruff", "version": "0.17.6", "vulns": []},
  {"name": "pip-api", "skip_reason": "Dependency not found on PyPI"}], "fixes": []}"""


def fake_pip_audit(tmp_path, *, report: str | None, exit_code: int, stderr: str = "") -> Path:
    """A stand-in for pip-audit that writes `report` to --output and exits with `exit_code`."""
    script = tmp_path / "pip-audit"
    (tmp_path / "report.json").write_text(report or "")
    (tmp_path / "args").touch()
    script.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$@" > {tmp_path}/args\n'
        'while [ $# -gt 0 ]; do [ "$1" = --output ] && out=$2; shift; done\n'
        + (f'cp {tmp_path}/report.json "$out"\n' if report is not None else "")
        + (f"echo {stderr!r} >&2\n" if stderr else "")
        + f"exit {exit_code}\n"
    )
    script.chmod(0o755)
    return script


def audit(tool: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PIP_AUDIT": str(tool), "PIP_AUDIT_SKIP_VENV": "1"}
    return subprocess.run(
        ["bash", "scripts/audit.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_an_advisory_is_reported_but_does_not_fail(tmp_path):
    result = audit(fake_pip_audit(tmp_path, report=REPORT, exit_code=1))
    assert result.returncode == 0
    out = result.stdout
    assert "ADVISORIES: 1 known vulnerabilities in 1 pinned packages" in out
    assert "django 5.2.19: PYSEC-2026-1 (CVE-2026-0001); fixed in: 5.2.20" in out
    assert "Tiêm SQL qua tham số sắp xếp." in out
    assert "README" in out  # where to read how to act on it
    assert "Not audited (1): pip-api" in out
    args = (tmp_path / "args").read_text()
    assert "-r requirements-dev.lock" in args and "--require-hashes" in args
    assert "--disable-pip" in args


def test_a_clean_report_says_so(tmp_path):
    clean = (
        '{"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []},'
        ' {"name": "ruff", "version": "0.17.6", "vulns": []}], "fixes": []}'
    )
    result = audit(fake_pip_audit(tmp_path, report=clean, exit_code=0))
    assert result.returncode == 0
    assert "No known vulnerabilities in the 2 audited packages." in result.stdout


def test_an_unreachable_service_is_said_plainly_and_does_not_fail(tmp_path):
    tool = fake_pip_audit(
        tmp_path, report=None, exit_code=1, stderr="ConnectionError: Max retries exceeded"
    )
    result = audit(tool)
    assert result.returncode == 0
    assert "NOT AUDITED: the vulnerability service could not be reached" in result.stdout
    assert "ConnectionError: Max retries exceeded" in result.stdout


def test_a_service_that_knows_no_package_is_not_taken_for_a_clean_bill(tmp_path):
    report = (
        '{"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"},'
        ' {"name": "ruff", "skip_reason": "Dependency not found on PyPI"}], "fixes": []}'
    )
    result = audit(fake_pip_audit(tmp_path, report=report, exit_code=0))
    assert result.returncode == 0
    assert "NOT AUDITED" in result.stdout and "No known vulnerabilities" not in result.stdout


def test_a_missing_tool_does_not_fail(tmp_path):
    result = audit(tmp_path / "nothing-here")
    assert result.returncode == 0 and "pip-audit NOT RUN" in result.stdout


def test_ci_reports_advisories_without_letting_them_change_its_result():
    lines = (ROOT / ".ci/run").read_text().splitlines()
    assert "make test" in lines
    assert "scripts/audit.sh || true" in lines
    assert lines.index("make test") < lines.index("scripts/audit.sh || true")
    makefile = (ROOT / "Makefile").read_text()
    assert "audit:\n\tscripts/audit.sh" in makefile


def test_the_test_command_runs_bandit_failing_on_high_findings():
    script = (ROOT / "scripts/test.sh").read_text()
    command = (
        ".venv/bin/bandit -q -c pyproject.toml -r trungtam lophoc hocvien giangvien "
        "--severity-level high"
    )
    assert command in script
    assert script.index("ruff format --check") < script.index(command)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert {"tests", ".venv"} <= set(config["tool"]["bandit"]["exclude_dirs"])
    dev = " ".join(config["project"]["optional-dependencies"]["dev"])
    assert "bandit>=" in dev and "pip-audit>=" in dev


def test_the_lock_file_pins_the_security_tools_with_hashes():
    lock = (ROOT / "requirements-dev.lock").read_text()
    for name in ("bandit", "pip-audit"):
        start = lock.index(f"\n{name}==")
        assert "--hash=sha256:" in lock[start : start + 300]


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / name).read_text()
    return dict(re.findall(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", text, re.MULTILINE))


def test_the_production_lock_has_no_test_or_lint_tools_and_agrees_with_the_dev_lock():
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    for tool in ("pytest", "pytest-django", "playwright", "bandit", "pip-audit", "ruff", "pypdf"):
        assert tool not in runtime, tool
        assert tool in dev, tool
    # The same versions in both, so what the tests ran on is what production installs.
    assert {name: dev.get(name) for name in runtime} == runtime
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        assert "--hash=sha256:" in text
        assert "file://" not in text and "--find-links" not in text  # registries alone


def test_every_runtime_dependency_is_pinned_in_the_production_lock():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = _pins("requirements.lock")
    for requirement in config["project"]["dependencies"]:
        name = re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower()
        assert name in runtime, name


def test_uploaded_spreadsheets_are_parsed_through_defusedxml():
    # openpyxl only guards against XML entity bombs when defusedxml is installed, so it is a
    # declared runtime dependency rather than an accident of the development environment.
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_a_dependency_asked_for_with_an_extra_keeps_it_on_its_pin():
    """pip's hash-checking mode takes "CacheControl[filecache]>=0.13" (pip-audit's) for a
    requirement of its own; a lock that strips the extra makes the whole install fail on a fresh
    machine as soon as a newer release of that package exists."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    text = (ROOT / "requirements-dev.lock").read_text()
    pinned = {canonicalize_name(name) for name in _pins("requirements-dev.lock")}
    with_extras = {
        (canonicalize_name(name), extras)
        for name, extras in re.findall(r"^([A-Za-z0-9_.\-]+)\[([^\]]*)\]==", text, re.MULTILINE)
    }
    missing = []
    for dist in metadata.distributions():
        if canonicalize_name(dist.metadata["Name"]) not in pinned:
            continue
        for line in dist.requires or []:
            requirement = Requirement(line)
            if not requirement.extras or (
                requirement.marker and not requirement.marker.evaluate({"extra": ""})
            ):
                continue
            name = canonicalize_name(requirement.name)
            if name in pinned and not any(
                key == name and set(requirement.extras) <= set(extras.split(","))
                for key, extras in with_extras
            ):
                missing.append(f"{dist.metadata['Name']} asks for {line}")
    assert not missing, "\n".join(missing)
