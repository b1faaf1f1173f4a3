"""The layers of DESIGN §3 hold: the base of `trungtam`, `hocvien` and `giangvien` never name
`lophoc`.

Two rules. Imports, direct or through other modules, are checked by the import-linter contract
(`.importlinter`), run here so that pytest alone catches one. What no import check sees is checked
on the source: the lower code may not name `lophoc` (an identifier, or a string such as
`apps.get_model("lophoc", …)` or `"lophoc.Certificate"`), and may not reach into the classes' models
through an ORM lookup (`course__status="cancelled"`, `select_related("course")`). It may follow the
reverse relation the classes app puts on its own model (`trainee.enrolments`,
`Count("enrolments")`, `enrolments__isnull`), but no further: what a lower layer needs to know of
classes, the classes app tells it through a hook (trungtam.hooks), answered in `lophoc.hooks`.
Comments and docstrings may speak of the layer above; code may not.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

from django.apps import apps
from django.db.models import Field

ROOT = Path(__file__).resolve().parents[2]
UPPER_APP = "lophoc"
LOWER_PACKAGES = ("trungtam", "hocvien", "giangvien", "thongbao")
# Above the line or the composition root: they may name every app.
NOT_LOWER = (
    "trungtam/reports/",
    "trungtam/devtools/",
    "trungtam/settings/",
    "trungtam/urls.py",
)
LOOKUP = re.compile(r"-?[a-z][a-z0-9_]*")
WORD = re.compile(rf"\b{UPPER_APP}\b")
# What may follow a reverse relation: Django's lookups (`isnull`, `in`, `exact`…), not a field.
OPERATORS = set(Field.get_lookups())
# Calls whose keywords are lookups even without "__" (elsewhere `scores=3` is just a count).
FILTERS = {"filter", "exclude", "get", "Q"}


def _upper_names() -> tuple[set[str], set[str]]:
    """The names of the classes app's models and of the relations among them, and the reverse
    relations it puts on the lower apps' models (which those may follow, as a whole)."""
    names = set()
    for model in apps.get_app_config(UPPER_APP).get_models(include_auto_created=True):
        names.add(model._meta.model_name)
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model._meta.app_label == UPPER_APP:
                names.add(field.name)
    reverse = set()
    for package in LOWER_PACKAGES:
        for model in apps.get_app_config(package).get_models():
            for relation in model._meta.related_objects:
                if relation.related_model._meta.app_label == UPPER_APP:
                    reverse |= {relation.get_accessor_name(), relation.name}
    return {name for name in names | reverse if not name.endswith("+")}, reverse


def _lookup_problem(text: str, names: set[str], reverse: set[str], *, whole: bool) -> bool:
    """Whether `text`, read as an ORM lookup, reaches into the classes' models. A single word is
    only read as a lookup where it is one for sure (`whole`): a call's argument, a filter's
    keyword."""
    if not LOOKUP.fullmatch(text) or ("__" not in text and not whole):
        return False
    parts = [part.removesuffix("_id") for part in text.lstrip("-").split("__")]
    if parts[0] in reverse and all(part in OPERATORS for part in parts[1:]):
        return False
    return any(part in names for part in parts)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def upward_names(source: str, names: set[str], reverse: set[str]) -> list[tuple[int, str]]:
    """(line, what) for every place the source names the classes app in code."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    call_words, filter_keywords = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            call_words |= {id(arg) for arg in node.args if isinstance(arg, ast.Constant)}
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in FILTERS:
                filter_keywords |= {id(keyword) for keyword in node.keywords}
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [alias.name for alias in node.names]
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            found += [(line, f"import {m}") for m in modules if m.split(".")[0] == UPPER_APP]
        elif isinstance(node, ast.Name) and node.id == UPPER_APP:
            found.append((line, node.id))
        elif isinstance(node, ast.Attribute) and node.attr == UPPER_APP:
            found.append((line, f".{node.attr}"))
        elif isinstance(node, ast.keyword) and node.arg:
            whole = id(node) in filter_keywords
            if _lookup_problem(node.arg, names, reverse, whole=whole):
                found.append((line, f"{node.arg}="))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            whole = id(node) in call_words
            if WORD.search(node.value) or _lookup_problem(node.value, names, reverse, whole=whole):
                found.append((line, repr(node.value)))
    return sorted(found)


def lower_sources() -> list[Path]:
    files = []
    for package in LOWER_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative.startswith(NOT_LOWER):
                continue
            files.append(path)
    return files


def test_the_lower_layers_never_name_the_classes_app():
    names, reverse = _upper_names()
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in lower_sources()
        for line, what in upward_names(path.read_text(encoding="utf-8"), names, reverse)
    ]
    assert not problems, (
        "The base, hocvien and giangvien may not name lophoc nor reach into its models; ask "
        "through a hook (trungtam.hooks) that lophoc.hooks answers:\n" + "\n".join(problems)
    )


def test_the_rule_sees_every_way_of_naming_the_classes_app():
    names, reverse = _upper_names()
    planted = {
        "from lophoc.models import Course": "import lophoc.models",
        'Course = apps.get_model("lophoc", "Course")': "'lophoc'",
        'LABEL = "lophoc.Certificate"': "'lophoc.Certificate'",
        'unit.enrolments.exclude(course__status="cancelled")': "course__status=",
        "trainees.filter(enrolments__course__start_date__year=2026)": (
            "enrolments__course__start_date__year="
        ),
        'trainee.enrolments.select_related("course")': "'course'",
        'SORTS = {"ngay": ["-course__start_date"]}': "'-course__start_date'",
        "rows.filter(enrolment_id__in=ids)": "enrolment_id__in=",
        "Score.objects.filter(enrolment=enrolment)": "enrolment=",
    }
    for source, what in planted.items():
        assert [w for _, w in upward_names(source, names, reverse)] == [what], source


def test_the_rule_lets_innocent_code_through():
    names, reverse = _upper_names()
    innocent = '''
"""Docstrings may say lophoc answers the hook."""
# Comments too: lophoc.hooks.
ATTENDANCE = "attendance"
trainees.annotate(class_count=Count("enrolments")).filter(enrolments__isnull=False)
request.session["key"] = course_id
pending_store(request, "bang_diem", course_id=course.pk)
DeletionResult(enrolments=1, attendance=2, scores=3)
'''
    assert upward_names(innocent, names, reverse) == []


def test_the_import_contract_holds():
    """The layers contract of .importlinter (also a step of scripts/test.sh)."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(lint_imports), "--no-cache", "--config", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
