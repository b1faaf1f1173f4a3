"""Bảng điểm of a class: the PDF to print, and as XLSX the grade sheet to fill offline.

The XLSX is `lophoc.grade_sheet.grade_sheet_xlsx` (DESIGN §9 "Grade sheet"), so the file staff
download from the documents section is the same one lecturers fill in and upload. The PDF shows the
same rows and columns — active trainees in Vietnamese name order, one column per assessment and
per retake — with scores written the Vietnamese way (8,5), and the signatures of the lecturers who
graded beside those of the maker and the director.
"""

import datetime
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from giangvien.models import Lecturer
from lophoc.documents import (
    centre_signer,
    course_lines,
    format_date,
    maker_signer,
    today_or,
    unit_name,
)
from lophoc.grade_sheet import (
    Column,
    grade_sheet_file,
    sheet_columns,
    sheet_enrolments,
    sheet_scores,
)
from lophoc.models import Assessment, Course, Enrolment, Score, Session, SessionKind
from trungtam.documents import pdf
from trungtam.documents.numbers import format_number, format_score
from trungtam.documents.pdf import Signer

TITLE = "BẢNG ĐIỂM"
EMPTY = "Lớp chưa có học viên đang học nào."
NO_ASSESSMENTS = "Lớp chưa có bài kiểm tra nào."
NOT_ASSESSED = "Lớp chỉ xét chuyên cần, không có bài kiểm tra."
FIXED_WIDTHS = [10, 44, 21, 40]  # mm: STT, name, date of birth, unit
SCORE_WIDTH = 19
PORTRAIT_COLUMNS = 2  # more score columns than this print landscape
GRADER_TITLE = "GIẢNG VIÊN CHẤM"
SIGN_NOTE = "(Ký, ghi rõ họ tên)"
# Signature columns that fit across a page: beside the maker and the director when they fit,
# otherwise the lecturers sign on a row of their own above them.
SIGNATURES_PER_ROW = {False: 3, True: 4}


def graders(course: Course, assessments: list[Assessment]) -> list[tuple[Lecturer, list[str]]]:
    """Who graded, with what they graded (DESIGN §7, lophoc.scores), in this order of evidence:
    each assessment's grader (in assessment order); when none is assigned, any lecturer may
    grade a class they teach, so the teaching lecturers who entered scores, else those who taught
    the assessment sessions (kiểm tra, viết thu hoạch), else every lecturer who teaches the class,
    in the order of their first session. Two queries at most, whatever the class size."""
    assigned: dict[int, tuple[Lecturer, list[str]]] = {}
    for assessment in assessments:
        if assessment.grader is not None:
            entry = assigned.setdefault(assessment.grader_id, (assessment.grader, []))
            entry[1].append(assessment.name)
    if assigned:
        return list(assigned.values())
    sessions = list(
        Session.objects.filter(course=course, lecturer__isnull=False)
        .select_related("lecturer")
        .order_by("date", "start_time", "id")
    )
    teaching = list({s.lecturer_id: s.lecturer for s in sessions}.values())
    writers = set(
        Score.objects.filter(enrolment__course=course, updated_by__isnull=False)
        .order_by()
        .values_list("updated_by", flat=True)
        .distinct()
    )
    entered = [lecturer for lecturer in teaching if lecturer.user_id in writers]
    examining = list(
        {s.lecturer_id: s.lecturer for s in sessions if s.kind == SessionKind.EXAM}.values()
    )
    return [(lecturer, []) for lecturer in entered or examining or teaching]


def grader_signer(lecturer: Lecturer, graded: list[str], *, named: bool) -> Signer:
    """A lecturer's signature column; `named`: say which assessments they graded."""
    note = SIGN_NOTE
    if named and graded:
        note = f"{', '.join(graded)}\n{SIGN_NOTE}"
    return Signer(GRADER_TITLE, str(lecturer), note=note)


@dataclass
class GradeList:
    course: Course
    enrolments: list[Enrolment]
    columns: list[Column]
    scores: dict[tuple[int, int], Score]
    signers: list[Signer]
    day: datetime.date
    grader_signers: list[Signer] = field(default_factory=list)

    @property
    def landscape(self) -> bool:
        return len(self.columns) > PORTRAIT_COLUMNS

    def signature_rows(self) -> list[list[Signer]]:
        """The lecturers beside the maker and the director when all fit on one row (maker, the
        lecturers, the director); otherwise the lecturers on rows of their own above them."""
        per_row = SIGNATURES_PER_ROW[self.landscape]
        if len(self.grader_signers) + len(self.signers) <= per_row:
            return [[self.signers[0], *self.grader_signers, *self.signers[1:]]]
        rows = [
            self.grader_signers[i : i + per_row]
            for i in range(0, len(self.grader_signers), per_row)
        ]
        # A shorter last row keeps the columns of the rows above it.
        rows[-1] = rows[-1] + [Signer("", space=0)] * (per_row - len(rows[-1]))
        return [*rows, self.signers]

    def value(self, enrolment: Enrolment, column: Column) -> str:
        score = self.scores.get((enrolment.pk, column.assessment.pk))
        return format_score(getattr(score, column.field)) if score else ""

    def note(self) -> str:
        if not self.course.is_assessed:
            return NOT_ASSESSED
        if not self.columns:
            return NO_ASSESSMENTS
        missing = sum(
            1
            for enrolment in self.enrolments
            for column in self.columns
            if not column.retake and self.value(enrolment, column) == ""
        )
        line = f"Tổng số: {format_number(len(self.enrolments))} học viên"
        if missing:
            line += f"; còn {format_number(missing)} ô điểm chưa nhập"
        return line + "."


def collect(course: Course, *, maker_name: str = "", day=None) -> GradeList:
    # The sheet's assessments (lophoc.grade_sheet order), with their graders in the same query.
    assessments = list(course.assessments.select_related("grader").order_by("order", "id"))
    who = graders(course, assessments) if course.is_assessed and assessments else []
    named = len(who) > 1 and any(a.grader_id for a in assessments)
    return GradeList(
        course=course,
        enrolments=sheet_enrolments(course),
        columns=sheet_columns(assessments),
        scores=sheet_scores(course),
        signers=[maker_signer(maker_name), centre_signer(course.centre)],
        day=today_or(day),
        grader_signers=[grader_signer(lecturer, graded, named=named) for lecturer, graded in who],
    )


def render_pdf(data: GradeList) -> bytes:
    headers = ["STT", "Họ và tên", "Ngày sinh", "Đơn vị", *(c.header for c in data.columns)]
    widths = [*FIXED_WIDTHS, *([SCORE_WIDTH] * len(data.columns))]
    align = ["center", "left", "center", "left", *(["center"] * len(data.columns))]
    rows: list[list] = [headers]
    for number, enrolment in enumerate(data.enrolments, start=1):
        trainee = enrolment.trainee
        rows.append(
            [
                str(number),
                trainee.full_name,
                format_date(trainee.date_of_birth),
                unit_name(enrolment),
                *(data.value(enrolment, column) for column in data.columns),
            ]
        )
    extra = []
    if not data.enrolments:
        rows.append([EMPTY] + [None] * (len(headers) - 1))
        extra = [("SPAN", (0, 1), (-1, 1))]
        align = ["center"] * len(headers)
    table, tail = pdf.data_table_parts(
        rows,
        widths=widths,
        total_width=pdf.content_width(landscape=data.landscape),
        align=align,
        extra_style=extra,
    )
    legend = (
        "Điểm theo thang 10. Cột «Thi lại» ghi điểm thi lại; điểm thi lại thay cho điểm lần đầu "
        "khi tính điểm tổng kết."
        if any(column.retake for column in data.columns)
        else "Điểm theo thang 10."
    )
    width = pdf.content_width(landscape=data.landscape)
    *grader_rows, last_row = data.signature_rows()
    return pdf.build_pdf(
        centre=data.course.centre,
        title=TITLE,
        subtitle=course_lines(data.course),
        body=[table],
        closing=[
            *([tail] if tail else []),
            Spacer(1, 3 * mm),
            pdf.para(legend, "note"),
            pdf.para(data.note()),
            *(f for row in grader_rows for f in pdf.signature_block(row, width=width)),
        ],
        signers=last_row,
        date=data.day,
        landscape=data.landscape,
    )


def build(course: Course, fmt: str, *, maker_name: str = "", day=None) -> tuple[bytes, int]:
    if fmt == "xlsx":
        return grade_sheet_file(course)
    data = collect(course, maker_name=maker_name, day=day)
    return render_pdf(data), len(data.enrolments)


def grade_list_pdf(course: Course, *, maker_name: str = "", day=None) -> bytes:
    return render_pdf(collect(course, maker_name=maker_name, day=day))
