"""For the grade sheet and result document tests: a graded class, editing a sheet."""

from decimal import Decimal
from io import BytesIO

import openpyxl

from lophoc.grade_sheet import HEADER_ROW, NAME_HEADER
from lophoc.grading import Cell, CellEdit, scores_save
from lophoc.models import Course, CourseStatus, Score
from tests import builders
from tests.lophoc.document_helpers import make_documents_course

MIDTERM = "Bài kiểm tra giữa khóa"
ESSAY = "Bài thu hoạch"
MIDTERM_HEADER = f"{MIDTERM} (hệ số 1)"
ESSAY_HEADER = f"{ESSAY} (hệ số 2)"
RETAKE_HEADER = f"Thi lại – {ESSAY}"
# Scores given to the first trainees in Vietnamese order: (midterm, essay, retake).
SCORES = {
    "Trần Văn An": ("7", "8.5", None),
    "Bùi Thị Ánh": ("9.25", "4", "6"),
    "@Lê Văn Công": ("6", None, None),
}


def make_graded_course(centre, *, people=None, status=CourseStatus.GRADING, **overrides):
    """The documents class (7 trainees, one withdrawn) with two assessments and a few scores."""
    options = {"status": status, **overrides}
    if people is not None:
        options["people"] = people
    course = make_documents_course(centre, **options)
    midterm = builders.make_assessment(
        course, name=MIDTERM, weight=Decimal("1"), is_final=False, order=1
    )
    essay = builders.make_assessment(
        course, name=ESSAY, weight=Decimal("2"), is_final=True, has_retake=True, order=2
    )
    by_name = {e.trainee.full_name: e for e in course.enrolments.select_related("trainee")}
    for name, (first, second, retake) in SCORES.items():
        if name not in by_name:
            continue
        builders.make_score(by_name[name], midterm, first)
        score = builders.make_score(by_name[name], essay, second)
        if retake:
            score.retake_score = Decimal(retake)
            score.save()
    return course


def workbook(content: bytes):
    return openpyxl.load_workbook(BytesIO(content))


def to_bytes(book) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column(sheet, header: str) -> int:
    for cell in sheet[HEADER_ROW]:
        if cell.value == header:
            return cell.column
    raise AssertionError(f"no column {header!r}")


def row_of(sheet, name: str) -> int:
    name_column = column(sheet, NAME_HEADER)
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=row, column=name_column).value == name:
            return row
    raise AssertionError(f"no row for {name!r}")


def edited(content: bytes, edits: dict[tuple[str, str], object]) -> bytes:
    """The sheet with cells (trainee name, header) set to new values (None clears)."""
    book = workbook(content)
    sheet = book.active
    for (name, header), value in edits.items():
        sheet.cell(row=row_of(sheet, name), column=column(sheet, header)).value = value
    return to_bytes(book)


def cell_key(course, name: str, assessment: str, *, retake: bool = False) -> str:
    """The key a sheet's change carries for a cell (CellChange.key, the confirm form's names)."""
    enrolment = course.enrolments.get(trainee__full_name=name)
    pk = course.assessments.get(name=assessment).pk
    return f"{enrolment.pk}-{pk}-{'retake_score' if retake else 'score'}"


def colleague_saves(course, user, name: str, assessment: str, value, *, retake=False) -> None:
    """Someone changes one cell in the web grid (the grid's own save, with its version check)."""
    enrolment = course.enrolments.get(trainee__full_name=name)
    pk = course.assessments.get(name=assessment).pk
    score = Score.objects.filter(enrolment=enrolment, assessment_id=pk).first()
    cell = Cell(enrolment.pk, pk, retake)
    scores_save(
        course=Course.objects.get(pk=course.pk),
        user=user,
        edits=[
            CellEdit(
                cell=cell,
                original=getattr(score, cell.field) if score else None,
                version=score.version if score else 0,
                value=None if value is None else Decimal(str(value)),
            )
        ],
    )


def stored_scores(course) -> dict[tuple[str, str], tuple]:
    """{(trainee, assessment): (score, retake, version)} as stored."""
    return {
        (s.enrolment.trainee.full_name, s.assessment.name): (s.score, s.retake_score, s.version)
        for s in Score.objects.filter(enrolment__course=course).select_related(
            "enrolment__trainee", "assessment"
        )
    }
