"""Danh sách học viên of a class: A4 portrait PDF and XLSX with the same table.

Party membership is sensitive (DESIGN §8b) but this list requires it; the national ID is never
printed. Withdrawn trainees are left out and counted in the total line.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from hocvien.models import Gender
from lophoc.documents import (
    CENTRED,
    WRAPPED,
    centre_signer,
    course_lines,
    format_date,
    listed_enrolments,
    maker_signer,
    today_or,
    unit_name,
    withdrawn_count,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
    xlsx_table_header,
)
from lophoc.models import Course, Enrolment
from trungtam.documents import pdf
from trungtam.documents.numbers import format_number
from trungtam.documents.pdf import Signer
from trungtam.documents.xlsx import SafeWorkbook

TITLE = "DANH SÁCH HỌC VIÊN"
HEADERS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị", "Chức vụ", "Đảng viên"]
PDF_WIDTHS = [10, 44, 22, 11, 38, 26, 14]  # mm, 165 in all: the portrait width
XLSX_WIDTHS = [6, 28, 12, 9, 36, 24, 10]
ALIGN = ["center", "left", "center", "center", "left", "left", "center"]
EMPTY = "Lớp chưa có học viên nào. Hãy ghi danh hoặc nhập danh sách học viên trước."


@dataclass
class EnrolmentList:
    course: Course
    enrolments: list[Enrolment]
    withdrawn: int
    signers: list[Signer]
    day: datetime.date

    def row(self, enrolment: Enrolment) -> list:
        trainee = enrolment.trainee
        return [
            trainee.full_name,
            trainee.date_of_birth,
            trainee.get_gender_display(),
            unit_name(enrolment),
            enrolment.position or trainee.position,
            "x" if trainee.is_party_member else "",
        ]

    def total_line(self) -> str:
        genders = Counter(e.trainee.gender for e in self.enrolments)
        line = (
            f"Tổng số: {format_number(len(self.enrolments))} học viên "
            f"(Nam: {format_number(genders[Gender.MALE])}, "
            f"Nữ: {format_number(genders[Gender.FEMALE])})"
        )
        if self.withdrawn:
            line += f"; không kể {format_number(self.withdrawn)} học viên đã thôi học"
        return line + "."


def collect(course: Course, *, maker_name: str = "", day=None) -> EnrolmentList:
    return EnrolmentList(
        course=course,
        enrolments=listed_enrolments(course),
        withdrawn=withdrawn_count(course),
        signers=[maker_signer(maker_name), centre_signer(course.centre)],
        day=today_or(day),
    )


def render_pdf(data: EnrolmentList) -> bytes:
    rows: list[list] = [HEADERS]
    for number, enrolment in enumerate(data.enrolments, start=1):
        values = data.row(enrolment)
        values[1] = format_date(values[1])
        rows.append([str(number), *values])
    extra = []
    if not data.enrolments:
        rows.append([EMPTY] + [None] * (len(HEADERS) - 1))
        extra = [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER")]
    table, tail = pdf.data_table_parts(
        rows,
        widths=PDF_WIDTHS,
        total_width=pdf.content_width(),
        align=ALIGN if data.enrolments else ["center"] * len(HEADERS),
        extra_style=extra,
    )
    closing = [tail] if tail else []
    return pdf.build_pdf(
        centre=data.course.centre,
        title=TITLE,
        subtitle=course_lines(data.course),
        body=[table],
        closing=[*closing, Spacer(1, 3 * mm), pdf.para(data.total_line())],
        signers=data.signers,
        date=data.day,
    )


def render_xlsx(data: EnrolmentList) -> bytes:
    book = SafeWorkbook()
    sheet = book.sheet("Danh sách học viên")
    columns = len(HEADERS)
    header_row = xlsx_header(
        sheet,
        data.course.centre,
        columns=columns,
        title=TITLE,
        lines=course_lines(data.course),
        day=data.day,
        split=3,
    )
    xlsx_table_header(sheet, header_row, HEADERS)
    row = header_row
    for number, enrolment in enumerate(data.enrolments, start=1):
        row += 1
        for column, value in enumerate([number, *data.row(enrolment)], start=1):
            cell = sheet.write(row, column, value, border=True)
            cell.alignment = CENTRED if ALIGN[column - 1] == "center" else WRAPPED
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
    if not data.enrolments:
        row += 1
        sheet.write(row, 1, EMPTY, border=True).alignment = CENTRED
        sheet.worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    sheet.write(row + 2, 1, data.total_line())
    xlsx_signatures(sheet, row + 4, columns, data.signers)
    sheet.widths(XLSX_WIDTHS)
    xlsx_print_setup(
        sheet, landscape=False, title_rows=(header_row, header_row), freeze=f"A{header_row + 1}"
    )
    return book.to_bytes()


def build(course: Course, fmt: str, *, maker_name: str = "", day=None) -> tuple[bytes, int]:
    data = collect(course, maker_name=maker_name, day=day)
    content = render_pdf(data) if fmt == "pdf" else render_xlsx(data)
    return content, len(data.enrolments)


def enrolment_list_pdf(course: Course, *, maker_name: str = "", day=None) -> bytes:
    return render_pdf(collect(course, maker_name=maker_name, day=day))


def enrolment_list_xlsx(course: Course, *, maker_name: str = "", day=None) -> bytes:
    return render_xlsx(collect(course, maker_name=maker_name, day=day))
