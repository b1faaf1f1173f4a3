"""Bảng điểm of a class: the PDF to print, and as XLSX the grade sheet to fill offline.

The XLSX is `lophoc.grade_sheet.grade_sheet_xlsx` (DESIGN §9 "Grade sheet"), so the file staff
download from the documents section is the same one lecturers fill in and upload. The PDF shows the
same rows and columns — active trainees in Vietnamese name order, one column per assessment and
per retake — with scores written the Vietnamese way (8,5).
"""

import datetime
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

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
    sheet_assessments,
    sheet_columns,
    sheet_enrolments,
    sheet_scores,
)
from lophoc.models import Course, Enrolment, Score
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


@dataclass
class GradeList:
    course: Course
    enrolments: list[Enrolment]
    columns: list[Column]
    scores: dict[tuple[int, int], Score]
    signers: list[Signer]
    day: datetime.date

    @property
    def landscape(self) -> bool:
        return len(self.columns) > PORTRAIT_COLUMNS

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
    return GradeList(
        course=course,
        enrolments=sheet_enrolments(course),
        columns=sheet_columns(sheet_assessments(course)),
        scores=sheet_scores(course),
        signers=[maker_signer(maker_name), centre_signer(course.centre)],
        day=today_or(day),
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
        ],
        signers=data.signers,
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
