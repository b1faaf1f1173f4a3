"""The app's code imports only what a production install has (requirements.lock): the test and
lint tools of the dev extra (pypdf, pytest, hypothesis, playwright…) are for tests only. A PDF
parser imported by a download view would work in the suite and fail on a server."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Import names of the dev extra's packages (pyproject.toml [project.optional-dependencies] dev).
DEV_IMPORTS = {
    "pytest": "pytest",
    "pytest-django": "pytest_django",
    "playwright": "playwright",
    "axe-playwright-python": "axe_playwright_python",
    "ruff": "ruff",
    "hypothesis": "hypothesis",
    "pypdf": "pypdf",
    "bandit": "bandit",
    "pip-audit": "pip_audit",
    "import-linter": "importlinter",
    "pytest-xdist": "xdist",
}


def app_files():
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "scripts/")) or "/migrations/" in relative:
            continue
        yield relative, path


def test_every_dev_package_is_known_here():
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {requirement.split(">")[0].split("<")[0].split("[")[0] for requirement in dev["dev"]}
    assert names == set(DEV_IMPORTS), "update DEV_IMPORTS with the dev extra's packages"


def test_app_code_never_imports_a_dev_only_package():
    forbidden = set(DEV_IMPORTS.values())
    found = []
    for relative, path in app_files():
        for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            else:
                continue
            found += [
                f"{relative}:{node.lineno} imports {m}"
                for m in modules
                if m.split(".")[0] in forbidden
            ]
    assert not found, "\n".join(found)
