"""Documents of one class (DESIGN §6), PDF and XLSX: the enrolment list, the attendance sheet, the
grade sheet, the result list, and the result notices to the sending units (PDF only).

`build_course_document(course, "enrolment", "pdf")` is what the class page and
`manage.py export_course` both call. The helpers here (the class's heading lines, the signers,
the XLSX header and print set-up) are shared by every class document.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.page import PageMargins

from lophoc.models import Course, Enrolment, EnrolmentStatus
from trungtam.documents.layout import date_line, issuer_lines, motto_lines
from trungtam.documents.pdf import Signer
from trungtam.documents.xlsx import SafeSheet
from trungtam.models import Centre, LeaderRole
from trungtam.models.base import signing_title

# Every document of the automation contract (DESIGN §9), with the result notices.
DOCUMENTS = {
    "enrolment": ("danh-sach-hoc-vien", "Danh sách học viên"),
    "attendance": ("bang-diem-danh", "Bảng điểm danh"),
    "grades": ("bang-diem", "Bảng điểm"),
    "results": ("ket-qua-hoc-tap", "Kết quả học tập"),
    "notices": ("thong-bao-ket-qua", "Thông báo kết quả học tập"),
}
FORMATS = ("pdf", "xlsx")
# Letters to the units are printed and signed: no XLSX.
DOCUMENT_FORMATS = {document: FORMATS for document in DOCUMENTS} | {"notices": ("pdf",)}

# Who signs for the centre, in order of preference, when the director is missing.
SIGNING_ORDER = [LeaderRole.DIRECTOR, LeaderRole.ACTING_DIRECTOR, LeaderRole.DEPUTY_IN_CHARGE]


class DocumentRefused(Exception):
    """The class has nothing to print in this document yet; the message says why (Vietnamese)."""


@dataclass(frozen=True)
class BuiltDocument:
    content: bytes
    filename: str
    description: str
    rows: int


def document_filename(course: Course, document: str, fmt: str) -> str:
    """'DVM-03-2026_danh-sach-hoc-vien.pdf': the class code with '/' turned into '-'."""
    return f"{course.file_code}_{DOCUMENTS[document][0]}.{fmt}"


def build_course_document(
    course: Course,
    document: str,
    fmt: str,
    *,
    maker_name: str = "",
    day: datetime.date | None = None,
) -> BuiltDocument:
    """Build one document of the class; `maker_name` signs as "Người lập biểu".

    Raises DocumentRefused when the class has nothing to print yet (results not computed).
    """
    from lophoc.documents import (
        attendance_sheet,
        enrolment_list,
        grade_list,
        result_list,
        result_notices,
    )

    builders = {
        "enrolment": enrolment_list.build,
        "attendance": attendance_sheet.build,
        "grades": grade_list.build,
        "results": result_list.build,
        "notices": result_notices.build,
    }
    if document not in DOCUMENTS or fmt not in DOCUMENT_FORMATS[document]:
        raise ValueError(f"unknown document {document!r} or format {fmt!r}")
    content, rows = builders[document](course, fmt, maker_name=maker_name, day=day)
    return BuiltDocument(
        content=content,
        filename=document_filename(course, document, fmt),
        description=f"{DOCUMENTS[document][1]} lớp {course.code} ({fmt.upper()})",
        rows=rows,
    )


# --- what every class document shares ---


def format_date(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def course_lines(course: Course) -> list[str]:
    """The lines under the title: the class name, then code and dates, then venue."""
    lines = [
        course.name,
        f"Mã lớp: {course.code}. Từ ngày {format_date(course.start_date)} "
        f"đến ngày {format_date(course.end_date)}",
    ]
    if course.venue:
        lines.append(f"Địa điểm: {course.venue}")
    return lines


def listed_enrolments(course: Course) -> list[Enrolment]:
    """Every enrolment still in the class (withdrawn ones left out), in Vietnamese name order."""
    return list(
        course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("trainee", "trainee__unit", "unit")
        .order_by("trainee__sort_key", "id")
    )


def withdrawn_count(course: Course) -> int:
    return course.enrolments.filter(status=EnrolmentStatus.WITHDRAWN).count()


def unit_name(enrolment: Enrolment) -> str:
    """The unit that sent the trainee to this class (their current unit when none was recorded)."""
    unit = enrolment.unit or enrolment.trainee.unit
    return unit.name if unit else ""


def centre_signer(centre: Centre) -> Signer:
    """The director signs; without one, the acting director or the deputy in charge; else blank."""
    leaders = {}
    for leader in centre.leaders.filter(active=True, role__in=SIGNING_ORDER).order_by("full_name"):
        leaders.setdefault(leader.role, leader)
    for role in SIGNING_ORDER:
        if role in leaders:
            return Signer(signing_title(role, centre.document_layout), leaders[role].full_name)
    return Signer("GIÁM ĐỐC", "")


def maker_signer(name: str) -> Signer:
    return Signer("NGƯỜI LẬP BIỂU", name, note="(Ký, ghi rõ họ tên)")


def today_or(day: datetime.date | None) -> datetime.date:
    return day or timezone.localdate()


# --- XLSX: the same header and print set-up as the PDF ---

TITLE_FONT = Font(name="Times New Roman", size=14, bold=True)
ITALIC_FONT = Font(name="Times New Roman", italic=True)
CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAPPED = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _merged(sheet: SafeSheet, row: int, first: int, last: int, text: str, *, bold=False):
    cell = sheet.write(row, first, text, bold=bold)
    if last > first:
        sheet.worksheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell.alignment = CENTRED
    return cell


def xlsx_header(
    sheet: SafeSheet,
    centre: Centre,
    *,
    columns: int,
    title: str,
    lines: list[str],
    day: datetime.date,
    split: int | None = None,
) -> int:
    """Issuer left, motto right, date line, title and its lines; returns the next free row.

    `split` is the last column of the issuer's half (the motto takes the rest).
    """
    split = split or max(1, columns // 2 - 1)
    issuer = issuer_lines(centre)
    mottos = motto_lines(centre)
    _merged(sheet, 1, 1, split, issuer[0])
    _merged(sheet, 2, 1, split, issuer[1], bold=True)
    _merged(sheet, 1, split + 1, columns, mottos[0], bold=True)
    if len(mottos) > 1:
        _merged(sheet, 2, split + 1, columns, mottos[1], bold=True)
    date_cell = _merged(sheet, 3, split + 1, columns, date_line(centre.place_name, day))
    date_cell.font = ITALIC_FONT
    row = 5
    title_cell = sheet.title_row(row, title, columns)
    title_cell.font = TITLE_FONT
    for index, line in enumerate(lines):
        row += 1
        sheet.title_row(row, line, columns, bold=index == 0)
    return row + 2


def xlsx_table_header(sheet: SafeSheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        sheet.write(row, column, label, bold=True, border=True).alignment = CENTRED


def xlsx_signatures(sheet: SafeSheet, row: int, columns: int, signers: list[Signer]) -> None:
    """Signers side by side under the table: the maker left, the centre's signer right."""
    spans = _signature_spans(columns, len(signers))
    for signer, (first, last) in zip(signers, spans, strict=True):
        line = row
        for title in signer.title.split("\n"):
            _merged(sheet, line, first, last, title, bold=True)
            line += 1
        if signer.note:
            _merged(sheet, line, first, last, signer.note).font = ITALIC_FONT
        if signer.name:
            _merged(sheet, row + 6, first, last, signer.name, bold=True)


def _signature_spans(columns: int, count: int) -> list[tuple[int, int]]:
    if count == 1:
        return [(columns // 2 + 1, columns)]
    half = columns // 2
    return [(1, half), (half + 1, columns)][:count]


def xlsx_print_setup(
    sheet: SafeSheet, *, landscape: bool, title_rows: tuple[int, int], freeze: str | None = None
) -> None:
    """A4, margins of the administrative layout, fit to the page width, header rows repeated."""
    worksheet = sheet.worksheet
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.orientation = "landscape" if landscape else "portrait"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.page_margins = PageMargins(
        left=30 / 25.4, right=15 / 25.4, top=20 / 25.4, bottom=20 / 25.4
    )
    worksheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    worksheet.oddFooter.center.text = "Trang &P/&N"
    worksheet.print_options.horizontalCentered = True
    if freeze:
        worksheet.freeze_panes = freeze
