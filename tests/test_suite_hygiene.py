"""The suite's own rules (issue 15, item 8), read from the source with ast, nothing imported.

Every test asserts something: an `assert`, `pytest.raises` / `warns` / `fail`, a unittest
`self.assert…`, or a call to one of the helpers in ASSERTING_HELPERS (each of which must assert
itself). And no module under tests/ imports from a test module: what tests share lives in helper
modules (tests/builders.py, tests/pdf_reading.py, tests/lophoc/grade_sheet_helpers.py, …) or in a
conftest.py.
"""

import ast
from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent
PYTEST_CHECKS = {"raises", "warns", "deprecated_call", "fail"}
# Helpers whose callers assert through them; test_the_asserting_helpers_assert holds them to it.
ASSERTING_HELPERS = {
    "assert_clean",  # tests/hocvien/test_names.py: the stored search and sort keys
    "refused",  # tests/lophoc/test_constraints.py: the database refuses the write
}


def is_test_module(path: Path) -> bool:
    return path.name.startswith("test_") and path.suffix == ".py"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(), str(path)) for path in sorted(TESTS.rglob("*.py"))}


def asserts_directly(function: ast.AST) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, name = node.func.value, node.func.attr
            if isinstance(owner, ast.Name) and owner.id == "pytest" and name in PYTEST_CHECKS:
                return True
            if isinstance(owner, ast.Name) and owner.id == "self" and name.startswith("assert"):
                return True
    return False


def calls_an_asserting_helper(function: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ASSERTING_HELPERS
        for node in ast.walk(function)
    )


def functions_named_test(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test_"
        ):
            yield node


def silent_tests(path: Path, tree: ast.Module) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{function.lineno} {function.name}"
        for function in functions_named_test(tree)
        if not asserts_directly(function) and not calls_an_asserting_helper(function)
    ]


def imported_modules(path: Path, tree: ast.Module) -> list[tuple[int, str]]:
    """(line, dotted name) of every module the file imports, `from a import b` giving a.b too."""
    package = module_name(path).rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def imports_of_test_modules(path: Path, tree: ast.Module, test_modules: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for line, name in imported_modules(path, tree)
        if name in test_modules
    ]


def test_every_test_asserts_something():
    found = []
    for path, tree in sources().items():
        if is_test_module(path):
            found += silent_tests(path, tree)
    assert not found, (
        "These tests assert nothing: add an assertion about the behaviour they exercise (or, "
        "for a helper that asserts, add it to ASSERTING_HELPERS):\n" + "\n".join(found)
    )


def test_the_asserting_helpers_assert():
    definitions = {name: [] for name in ASSERTING_HELPERS}
    for path, tree in sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in definitions:
                definitions[node.name].append((path, node))
    assert all(definitions.values()), f"not defined under tests/: {definitions}"
    silent = [
        f"{path.relative_to(ROOT)}:{node.lineno} {name}"
        for name, places in definitions.items()
        for path, node in places
        if not asserts_directly(node)
    ]
    assert not silent, f"helpers in ASSERTING_HELPERS that assert nothing: {silent}"


def test_no_module_imports_from_a_test_module():
    trees = sources()
    test_modules = {module_name(path) for path in trees if is_test_module(path)}
    assert "tests.test_suite_hygiene" in test_modules
    found = []
    for path, tree in trees.items():
        found += imports_of_test_modules(path, tree, test_modules)
    assert not found, (
        "Tests share helpers through helper modules (not named test_*.py) or conftest.py "
        "fixtures, never by importing a test module:\n" + "\n".join(found)
    )


def test_the_checks_catch_planted_violations():
    path = TESTS / "lophoc" / "test_planted.py"
    tree = ast.parse(
        "from tests.lophoc.test_grade_grid import grid_url\n"
        "from tests import test_permission_matrix as matrix\n"
        "from .test_constraints import refused\n"
        "import tests.lophoc.test_closing\n"
        "from tests.lophoc.grade_grid_helpers import make_class\n"
        "def test_silent(course):\n"
        "    grid_url(course)\n"
        "def test_through_a_helper(course):\n"
        "    refused(lambda: None)\n"
        "class TestGroup:\n"
        "    def test_silent_too(self):\n"
        "        matrix.url_names()\n"
        "    def test_unittest_style(self):\n"
        "        self.assertTrue(True)\n"
    )
    test_modules = {
        "tests.lophoc.test_grade_grid",
        "tests.test_permission_matrix",
        "tests.lophoc.test_constraints",
        "tests.lophoc.test_closing",
    }
    assert silent_tests(path, tree) == [
        "tests/lophoc/test_planted.py:6 test_silent",
        "tests/lophoc/test_planted.py:11 test_silent_too",
    ]
    assert imports_of_test_modules(path, tree, test_modules) == [
        "tests/lophoc/test_planted.py:1 imports tests.lophoc.test_grade_grid",
        "tests/lophoc/test_planted.py:2 imports tests.test_permission_matrix",
        "tests/lophoc/test_planted.py:3 imports tests.lophoc.test_constraints",
        "tests/lophoc/test_planted.py:4 imports tests.lophoc.test_closing",
    ]
