"""The unit's documents (issue 16, item 4): its own page of a class's result notice, and the
yearly summary — who was trained in what, with which result — for its year-end evaluation of
cadres and Party members, as PDF in the centre's layout and as XLSX.

Builders return bytes; the views log every download (personal data, DESIGN §8b).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from donvi.people import enrolments_in_year
from hocvien.models import Unit
from hocvien.units import unit_family
from lophoc.documents import (
    CENTRED,
    WRAPPED,
    DocumentRefused,
    centre_signer,
    format_date,
    maker_signer,
    result_notices,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
    xlsx_table_header,
)
from lophoc.models import Course, CourseStatus, Enrolment
from lophoc.results import outcome
from trungtam.documents import pdf
from trungtam.documents.layout import document_number
from trungtam.documents.numbers import format_number
from trungtam.documents.xlsx import SafeWorkbook
from trungtam.scoping import visible
from trungtam.text import fold


@dataclass(frozen=True)
class UnitDocument:
    content: bytes
    filename: str
    description: str
    rows: int


def _file_name(unit: Unit) -> str:
    """The unit in a file name: «phuong-phu-loi» (ids would say nothing to the person saving it)."""
    words = "".join(ch if ch.isalnum() else " " for ch in fold(unit.name)).split()
    return "-".join(words)[:60] or f"don-vi-{unit.pk}"


# --- the result notice, the unit's own letters only ---------------------------------------------


NO_LETTER = (
    "Lớp này chưa có thông báo kết quả cho đơn vị: kết quả chưa được tính, hoặc đơn vị không cử "
    "ai học lớp này."
)


def unit_result_notice(user, unit: Unit, course: Course, *, day=None) -> UnitDocument:
    """The letters of the class's result notice addressed to `unit` and the units under it that
    `user` may see (a liaison opening a unit under its own never reaches deeper than its scope),
    with only the people those units sent. Raises DocumentRefused when there is none."""
    family = set(visible(user, unit_family(unit)).values_list("pk", flat=True))
    data = result_notices.collect(course, day=day)
    letters = []
    for letter in data.letters:
        if letter.unit.pk not in family:
            continue
        letter.enrolments = [e for e in letter.enrolments if e.unit_id in family]
        if letter.enrolments:
            letters.append(letter)
    if not letters:
        raise DocumentRefused(NO_LETTER)
    data.letters = letters
    return UnitDocument(
        content=result_notices.render_pdf(data),
        filename=f"{course.file_code}_thong-bao-ket-qua_{_file_name(unit)}.pdf",
        description=(
            f"Thông báo kết quả học tập lớp {course.code} gửi {unit.name} (PDF, trang đơn vị)"
        ),
        rows=data.rows,
    )


# --- the yearly summary ------------------------------------------------------------------------


TITLE = "DANH SÁCH CÁN BỘ, ĐẢNG VIÊN DO {unit} CỬ ĐI BỒI DƯỠNG NĂM {year}"
KIND = "BC"
HEADERS = [
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Chức vụ",
    "Đơn vị",
    "Lớp",
    "Chương trình",
    "Thời gian",
    "Kết quả",
    "Xếp loại",
    "Số GCN",
]
PDF_WIDTHS = [11, 32, 13, 24, 24, 38, 32, 22, 30, 17, 30]
XLSX_WIDTHS = [6, 24, 9, 20, 20, 32, 30, 13, 28, 12, 16]
ALIGN = [
    "center",
    "left",
    "center",
    "left",
    "left",
    "left",
    "left",
    "center",
    "left",
    "center",
    "center",
]
UNIT_COLUMN = HEADERS.index("Đơn vị")
EMPTY = (
    "Trong năm {year}, {unit} không có cán bộ, đảng viên nào học xong lớp bồi dưỡng tại trung tâm."
)


@dataclass
class Summary:
    """The people of finished classes (with a result); classes not finished yet are left out
    and only counted (`pending`): the summary serves the year-end evaluation."""

    unit: Unit
    year: int
    enrolments: list[Enrolment]
    pending: list[Enrolment]
    day: datetime.date
    maker_name: str = ""

    @property
    def several_units(self) -> bool:
        return len({e.unit_id for e in self.enrolments}) > 1

    def columns(self) -> list[int]:
        """The unit column only when people of several units are listed."""
        return [i for i in range(len(HEADERS)) if i != UNIT_COLUMN or self.several_units]

    @property
    def title(self) -> str:
        return TITLE.format(unit=self.unit.name.upper(), year=self.year)

    @property
    def lines(self) -> list[str]:
        return [f"tại {self.unit.centre.name}"]

    @property
    def number(self) -> str:
        return document_number(self.unit.centre, None, KIND)

    def total_line(self) -> str:
        if not self.enrolments:
            return EMPTY.format(year=self.year, unit=self.unit.name)
        people = len({e.trainee_id for e in self.enrolments})
        completed = sum(1 for e in self.enrolments if e.passed)
        certificates = sum(len(e.valid_certificates) for e in self.enrolments)
        return (
            f"Tổng cộng: {format_number(len(self.enrolments))} lượt người "
            f"({format_number(people)} người); hoàn thành {format_number(completed)} lượt; "
            f"{format_number(certificates)} giấy chứng nhận còn hiệu lực."
        )

    def pending_line(self) -> str:
        """The classes of the year not finished yet, counted once (their people are not listed)."""
        if not self.pending:
            return ""
        classes = len({e.course_id for e in self.pending})
        return (
            f"Chưa tính {format_number(len(self.pending))} lượt người của "
            f"{format_number(classes)} lớp chưa kết thúc (chưa có kết quả)."
        )

    def closing_lines(self) -> list[str]:
        return [line for line in (self.total_line(), self.pending_line()) if line]

    @property
    def signers(self) -> list[pdf.Signer]:
        return [maker_signer(self.maker_name), centre_signer(self.unit.centre)]


def summary_enrolments(user, unit: Unit, year: int) -> list[Enrolment]:
    """Person by person in Vietnamese name order, each person's classes in the order they were
    held: two queries."""
    return list(
        enrolments_in_year(user, unit, year).order_by(
            "trainee__sort_key", "trainee_id", "course__start_date", "course__code", "id"
        )
    )


def collect_summary(user, unit: Unit, year: int, *, maker_name: str = "", day=None) -> Summary:
    enrolments = summary_enrolments(user, unit, year)
    return Summary(
        unit=unit,
        year=year,
        enrolments=[e for e in enrolments if e.course.status == CourseStatus.CLOSED],
        pending=[e for e in enrolments if e.course.status != CourseStatus.CLOSED],
        day=day or timezone.localdate(),
        maker_name=maker_name,
    )


def _classification(enrolment: Enrolment) -> str:
    if not enrolment.classification:
        return ""
    text = enrolment.get_classification_display()
    if enrolment.final_score is not None:
        text += f" ({format_number(enrolment.final_score, 1)})"
    return text


def summary_row(number: int, enrolment: Enrolment) -> list[str]:
    trainee, course = enrolment.trainee, enrolment.course
    return [
        format_number(number),
        trainee.full_name,
        str(trainee.date_of_birth.year) if trainee.date_of_birth else "",
        enrolment.position or trainee.position,
        enrolment.unit.name if enrolment.unit_id else "",
        f"{course.name} ({course.code})",
        course.program.name,
        f"{format_date(course.start_date)} –\n{format_date(course.end_date)}",
        outcome(enrolment).text,
        _classification(enrolment),
        ", ".join(c.number for c in enrolment.valid_certificates),
    ]


def summary_pdf(data: Summary) -> bytes:
    centre = data.unit.centre
    closing = [pdf.para(line) for line in data.closing_lines()]
    body = []
    if data.enrolments:
        keep = data.columns()
        rows: list[list] = [[HEADERS[i] for i in keep]]
        for number, enrolment in enumerate(data.enrolments, start=1):
            values = summary_row(number, enrolment)
            rows.append([values[i] for i in keep])
        table, tail = pdf.data_table_parts(
            rows,
            keep_last=1,
            widths=[PDF_WIDTHS[i] for i in keep],
            total_width=pdf.content_width(landscape=True),
            align=[ALIGN[i] for i in keep],
            font_size=10,
        )
        body.append(table)
        closing = [*([tail] if tail else []), Spacer(1, 2 * mm), *closing]
    return pdf.build_pdf(
        centre=centre,
        title=data.title,
        subtitle=data.lines,
        body=body,
        closing=closing,
        signers=data.signers,
        recipients=pdf.layout_recipients(centre, [data.unit.name]),
        date=data.day,
        number=data.number,
        landscape=True,
    )


def summary_xlsx(data: Summary) -> bytes:
    keep = data.columns()
    headers = [HEADERS[i] for i in keep]
    columns = len(headers)
    book = SafeWorkbook()
    sheet = book.sheet(f"Danh sách năm {data.year}")
    split = 4
    header_row = xlsx_header(
        sheet,
        data.unit.centre,
        columns=columns,
        title=data.title,
        lines=data.lines,
        day=data.day,
        split=split,
    )
    # The number sits under the issuer, on the date's line, as in the PDF.
    sheet.write(3, 1, data.number.replace("\u00a0", " ")).alignment = CENTRED
    sheet.worksheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=split)
    row = header_row
    if data.enrolments:
        xlsx_table_header(sheet, header_row, headers)
        for number, enrolment in enumerate(data.enrolments, start=1):
            row += 1
            values = summary_row(number, enrolment)
            values[0] = number
            for column, index in enumerate(keep, start=1):
                value = values[index]
                if index == 2 and value:
                    value = int(value)
                cell = sheet.write(row, column, value, border=True)
                cell.alignment = CENTRED if ALIGN[index] == "center" else WRAPPED
        row += 2
    for line in data.closing_lines():
        sheet.write(row, 1, line)
        row += 1
    xlsx_signatures(sheet, row + 1, columns, data.signers)
    sheet.widths([XLSX_WIDTHS[i] for i in keep])
    xlsx_print_setup(
        sheet,
        landscape=True,
        title_rows=(header_row, header_row),
        freeze=f"C{header_row + 1}" if data.enrolments else None,
    )
    return book.to_bytes()


def unit_summary(
    user, unit: Unit, year: int, fmt: str, *, maker_name: str = "", day=None
) -> UnitDocument:
    data = collect_summary(user, unit, year, maker_name=maker_name, day=day)
    content = summary_pdf(data) if fmt == "pdf" else summary_xlsx(data)
    return UnitDocument(
        content=content,
        filename=f"{_file_name(unit)}_danh-sach-boi-duong-{year}.{fmt}",
        description=f"Danh sách cán bộ, đảng viên cử đi bồi dưỡng năm {year} của {unit.name} "
        f"({fmt.upper()})",
        rows=len(data.enrolments),
    )
