"""Every XLSX the product writes goes through the escaping writer (trungtam/documents/xlsx.py).

Two checks. The source: no module but the writer makes an openpyxl Workbook, opens one for
writing, or puts a value into a cell any other way than `set_cell` / SafeSheet. The behaviour:
every public `*_xlsx` export found in the source (new ones are picked up as they land), fed data
that holds formulas, formula-like text and control characters, writes cells that Excel reads as
plain text — never a formula.
"""

import ast
import datetime
import importlib
import inspect
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from lophoc.certificates import certificates_issue
from lophoc.models import Certificate, CourseStatus
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from trungtam.models import ReportIssuer, Role
from trungtam.reports.models import AnnualPlan, PlanTarget

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("trungtam", "lophoc", "hocvien", "giangvien")
WRITER = "trungtam/documents/xlsx.py"
# Files that may build a workbook without the writer, and why. Keep this short.
ALLOWED = {
    # The benchmark writes its own synthetic nominee list as input to the import it measures.
    "trungtam/devtools/bench/jobs.py": "synthetic input file for the benchmark, never an export",
}
POISON = [
    '=HYPERLINK("http://vi-du.invalid/x","Bấm vào đây")',
    "+1",
    "-2",
    "@x",
    "=1+1",
    "\t=1+1",
]


def source_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                yield relative, path


# --- the source ------------------------------------------------------------------------------


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return ""


def unsafe_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = _name(node.func)
            last = called.rsplit(".", 1)[-1]
            keywords = {k.arg: k.value for k in node.keywords}
            if (
                last == "Workbook"
                and called in ("Workbook", "openpyxl.Workbook")
                or called.endswith("workbook.Workbook")
            ):
                found.append((node.lineno, "an openpyxl Workbook made outside the writer"))
            elif last == "load_workbook":
                read_only = keywords.get("read_only")
                if not (isinstance(read_only, ast.Constant) and read_only.value is True):
                    found.append((node.lineno, "load_workbook without read_only=True (writable)"))
            elif last == "cell" and ("value" in keywords or len(node.args) >= 3):
                found.append((node.lineno, "a value put into a cell with .cell(…, value)"))
            elif called.endswith("worksheet.append"):
                found.append((node.lineno, "rows appended to a raw worksheet"))
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "value":
                found.append((node.lineno, "a cell's .value assigned directly"))
            if isinstance(target, ast.Subscript) and _name(target.value).endswith("worksheet"):
                found.append((node.lineno, 'a cell assigned as worksheet["A1"] = …'))
    return found


def uses_openpyxl(source: str) -> bool:
    return "openpyxl" in source or "trungtam.documents.xlsx" in source


def test_no_module_writes_a_workbook_around_the_escaping_writer():
    offenders = []
    for relative, path in source_files():
        source = path.read_text(encoding="utf-8")
        if relative in (WRITER, *ALLOWED) or not uses_openpyxl(source):
            continue
        for line, why in unsafe_writes(ast.parse(source)):
            offenders.append(f"{relative}:{line}: {why}")
    assert offenders == [], "write through trungtam.documents.xlsx (set_cell / SafeSheet):\n" + (
        "\n".join(offenders)
    )


def test_the_scan_sees_what_it_must_refuse():
    sample = """
from openpyxl import Workbook, load_workbook
book = Workbook()
other = openpyxl.workbook.Workbook()
again = load_workbook("a.xlsx")
read = load_workbook("a.xlsx", read_only=True)
sheet.worksheet.cell(row=1, column=1, value="=1+1")
sheet.worksheet.cell(1, 2, "=1+1")
sheet.worksheet.cell(row=1, column=1).value = "=1+1"
sheet.worksheet["A1"] = "=1+1"
sheet.worksheet.append(["=1+1"])
sheet.write(1, 1, "=1+1")
"""
    lines = [line for line, _ in unsafe_writes(ast.parse(sample))]
    assert sorted(lines) == [3, 4, 5, 7, 8, 9, 10, 11]


# --- the exports -------------------------------------------------------------------------------


def export_functions() -> list[tuple[str, str]]:
    """(module, function) of every public `*_xlsx` function that is not a view.

    `render_xlsx(data)` builders are reached through their module's public export.
    """
    found = []
    for relative, path in source_files():
        if relative.endswith("views.py") or "/views/" in relative or relative == WRITER:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.endswith("_xlsx")
                and not node.name.startswith("_")
                and node.name != "render_xlsx"
                and (not node.args.args or node.args.args[0].arg != "request")
            ):
                found.append((relative[:-3].replace("/", "."), node.name))
    return found


@pytest.fixture
def poisoned(db):
    """A centre whose every text a document prints holds a formula or a control character."""
    centre = builders.make_centre(
        code="TTX", name="=1+1 Trung tâm\x07", place_name="@x", parent_body="+1 Đảng ủy"
    )
    staff = builders.make_user(role=Role.STAFF, centre=centre, full_name="-2 Cán bộ")
    lecturer = builders.make_lecturer(centre, full_name="=1+1 Giảng viên")
    program = builders.make_program(centre, name='=HYPERLINK("http://x","Chương trình")')
    unit = builders.make_unit(centre, name="+1 Xã")
    course = builders.make_course(
        centre,
        program=program,
        name="-2 Lớp",
        venue="@x",
        status=CourseStatus.IN_PROGRESS,
        start_date=datetime.date(2026, 3, 2),
    )
    builders.make_session(course, lecturer=lecturer)
    assessment = builders.make_assessment(course, name="=1+1 Bài")
    for n, text in enumerate(POISON):
        trainee = builders.make_trainee(
            centre, full_name=f"{text} An {n}", unit=unit, position="@SUM(A1)", ethnicity="+1"
        )
        enrolment = builders.make_enrolment(course, trainee, unit=unit, position="=1+1")
        builders.make_score(enrolment, assessment, "8")
    closed = closed_course(centre, program=program, name="=2+2 Lớp đã xong", passing=2)
    closed.enrolments.update(position='=HYPERLINK("http://x")', result_computed_at=timezone.now())
    for enrolment in closed.enrolments.select_related("trainee"):
        enrolment.trainee.full_name = "=1+1 " + enrolment.trainee.full_name
        enrolment.trainee.save()
    leader = make_leader(centre, full_name="@Giám đốc")
    certificates_issue(course=closed, user=staff, signer=leader, issued_on=ISSUED_ON)
    plan = AnnualPlan.objects.create(
        centre=centre, year=2026, notes="=1+1 ghi chú", amendment_reason="-2"
    )
    PlanTarget.objects.create(
        plan=plan, program=program, planned_classes=2, planned_trainees=80, notes="@x"
    )
    return {
        "centre": centre,
        "course": [course, closed],
        "year": 2026,
        "certificates": list(Certificate.objects.filter(enrolment__course=closed)),
        "trainee": course.enrolments.first().trainee,
        "plan": plan,
        "content": _yearly_contents(centre),
        "maker_name": "=1+1 Người lập",
    }


def _yearly_contents(centre):
    yearly = importlib.import_module("trungtam.reports.yearly")
    report = yearly.report_for(centre, 2026)
    for field in ("results_text", "limitations_text", "recipients", "place"):
        if hasattr(report, field):
            setattr(report, field, '=HYPERLINK("http://x")\n+1 dòng\n@x')
    # The all-centres report's issuer is typed in the admin: poisoned too.
    poison = '=HYPERLINK("http://x")'
    ReportIssuer.objects.create(
        name=poison,
        parent_body="+1 cấp trên",
        short_name="X",
        place_name="@x",
        addressee=poison,
        recipients=f"{poison}\n-1 nơi nhận",
        signer_title="GIÁM ĐỐC",
        signer_name=poison,
    )
    yearly_all = importlib.import_module("trungtam.reports.yearly_all")
    return [yearly.report_content(report), yearly_all.all_centres_content([centre], 2026)]


def _candidates(poisoned, parameter):
    value = poisoned.get(parameter.name)
    if value is None:
        return None
    return value if isinstance(value, list) and parameter.name != "certificates" else [value]


def _content(result) -> bytes:
    if isinstance(result, bytes):
        return result
    for value in vars(result).values():
        if isinstance(value, bytes):
            return value
    raise AssertionError(f"no bytes in {result!r}")


def run_export(function, poisoned) -> list[bytes]:
    required = [
        p
        for p in inspect.signature(function).parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    ]
    outputs, refusals = [], []
    options = [_candidates(poisoned, p) for p in required]
    missing = [p.name for p, values in zip(required, options, strict=True) if values is None]
    assert not missing, (
        f"{function.__module__}.{function.__name__}: add a value for {missing} to the "
        "`poisoned` fixture so this export is checked"
    )
    combos = [[]]
    for values in options:
        combos = [combo + [value] for combo in combos for value in values]
    for combo in combos:
        kwargs = {p.name: value for p, value in zip(required, combo, strict=True)}
        if "maker_name" in inspect.signature(function).parameters:
            kwargs["maker_name"] = poisoned["maker_name"]
        try:
            outputs.append(_content(function(**kwargs)))
        except Exception as error:  # a document refused for this class: try the next one
            if "Refused" not in type(error).__name__:
                raise
            refusals.append(error)
    assert outputs, f"{function.__name__} refused every candidate: {refusals}"
    return outputs


def test_the_scan_finds_the_exports_of_the_class_documents():
    names = {name for _, name in export_functions()}
    assert {
        "enrolment_list_xlsx",
        "attendance_sheet_xlsx",
        "result_list_xlsx",
        "certificate_register_xlsx",
        "grade_sheet_xlsx",
    } <= names


@pytest.mark.parametrize(
    ("module", "name"), export_functions(), ids=[name for _, name in export_functions()]
)
def test_an_export_writes_formula_like_text_as_plain_text(poisoned, module, name):
    function = getattr(importlib.import_module(module), name)
    texts = []
    for content in run_export(function, poisoned):
        book = openpyxl.load_workbook(BytesIO(content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value}"
                    if isinstance(cell.value, str):
                        texts.append(cell.value)
                        assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in cell.value)
    if name != "nominee_template_xlsx":  # the blank template prints no data
        assert any(text.lstrip().startswith(("=", "+", "-", "@")) for text in texts), (
            f"{name}: none of the poisoned data reached the file; the check proves nothing"
        )


def test_every_render_xlsx_has_a_public_export_beside_it():
    exported = {module for module, _ in export_functions()}
    for relative, path in source_files():
        if "def render_xlsx(" in path.read_text(encoding="utf-8"):
            assert relative[:-3].replace("/", ".") in exported, relative
