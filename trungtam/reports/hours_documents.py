"""Bảng tổng hợp giờ giảng năm …: the lecturer hours report as PDF (print, A4 landscape, in the
centre's document layout) and XLSX (the same table, numbers as numbers, for the accounts office).

One table: a row per group of lecturers (chuyên trách, kiêm chức, thỉnh giảng) with its sums, a
bold row per lecturer with their totals, norm, share of the norm, hours above or below it and the
amount due, then a row per class they taught; the grand total last. Only sessions taught on or
before the report date count (DESIGN §8); the last column lists the periods scheduled after it
(dự kiến), which are neither counted nor paid. Under the table the rules the figures follow
(coefficients, norms, rate, the report date), then "Người lập biểu" and the director sign.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from lophoc.documents import (
    CENTRED,
    WRAPPED,
    centre_signer,
    maker_signer,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
)
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF_BOLD
from trungtam.documents.layout import ROMAN, document_number
from trungtam.documents.numbers import format_number, format_percent
from trungtam.documents.pdf import Signer
from trungtam.documents.xlsx import SafeWorkbook
from trungtam.models import Centre
from trungtam.reports.hours import (
    HoursReport,
    Totals,
    format_hours,
    format_money,
    format_signed_hours,
    hours_report,
)

TITLE = "BẢNG TỔNG HỢP GIỜ GIẢNG"
KIND = "BC"
EMPTY = "Chưa có giảng viên nào có buổi giảng trong năm và chưa có giảng viên chuyên trách nào."
# Columns: STT, lecturer/class, sessions, 5 × periods by kind, periods, standard hours, norm,
# share of the norm, above/below the norm, amount due, periods planned (not counted).
FIRST = 3  # index of the first column of periods
PLANNED = 14  # index of the column of planned periods
PDF_WIDTHS = [10, 72, 10, 12, 12, 12, 13, 12, 12, 13, 13, 14, 15, 18, 14]  # mm, 252 in all
XLSX_WIDTHS = [6, 46, 8, 10, 10, 10, 12, 10, 9, 10, 10, 11, 11, 15, 12]
ALIGN = ["center", "left", *["center"] * 11, "right", "center"]
NUMBER_FORMATS = {
    9: "0.0",  # standard hours
    10: "0",  # norm
    11: "0.0%",  # share of the norm
    12: "+0.0;-0.0;0.0",  # above (+) or below (-) the norm
    13: "#,##0",  # amount due, đồng
    14: "0",  # periods planned
}


def headers(report: HoursReport) -> tuple[list[str], list[str]]:
    """The two header rows; the periods' heading spans the kind columns of the second."""
    kinds = report.kind_columns
    top = [
        "STT",
        "Giảng viên, lớp giảng",
        "Số buổi",
        "Số tiết theo hình thức buổi học (hệ số quy đổi)",
        *[""] * (len(kinds) - 1),
        "Tổng số tiết",
        "Giờ chuẩn",
        "Định mức giờ chuẩn",
        "Tỷ lệ so với định mức",
        "Vượt (+), thiếu (-) giờ chuẩn",
        "Thành tiền (đồng)",
        "Dự kiến, chưa giảng (tiết)",
    ]
    second = ["", "", ""]
    second += [f"{heading} ({coefficient})" for _, heading, coefficient in kinds]
    second += [""] * (len(top) - len(second))
    return top, second


def header_spans(report: HoursReport) -> list[tuple]:
    last_kind = FIRST + len(report.kind_columns) - 1
    columns = FIRST + len(report.kind_columns) + 7
    spans = [("SPAN", (FIRST, 0), (last_kind, 0))]
    spans += [
        ("SPAN", (column, 0), (column, 1))
        for column in [*range(FIRST), *range(last_kind + 1, columns)]
    ]
    return spans


@dataclass
class Row:
    """One line of the table: "group", "lecturer", "class" or "total", with raw values."""

    kind: str
    values: list
    detail: str = ""  # the second line of the name cell (a lecturer's position or workplace)


def _totals_values(number, label: str, totals: Totals, report_kinds) -> list:
    return [
        number,
        label,
        totals.sessions,
        *(totals.periods_by_kind.get(kind, 0) for kind in report_kinds),
        totals.periods,
        totals.standard_hours,
        totals.norm_hours or None,
        totals.of_norm,
        None,
        totals.amount_due if totals.paid_lecturers else None,
        totals.planned_periods or None,
    ]


def table_rows(report: HoursReport) -> list[Row]:
    kinds = [kind for kind, _, _ in report.kind_columns]
    rows: list[Row] = []
    number = 0
    for index, group in enumerate(report.groups):
        label = f"{group.heading} ({format_number(group.totals.lecturers)} người)"
        rows.append(Row("group", _totals_values(ROMAN[index], label, group.totals, kinds)))
        for lecturer in group.lecturers:
            number += 1
            rows.append(
                Row(
                    "lecturer",
                    [
                        number,
                        lecturer.name,
                        lecturer.sessions,
                        *(lecturer.periods_by_kind.get(kind, 0) for kind in kinds),
                        lecturer.periods,
                        lecturer.standard_hours,
                        lecturer.norm_hours,
                        lecturer.of_norm,
                        lecturer.difference,
                        lecturer.amount_due,
                        lecturer.planned_periods or None,
                    ],
                    detail=lecturer.detail,
                )
            )
            for course in lecturer.classes:
                rows.append(
                    Row(
                        "class",
                        [
                            "",
                            f"{course.code} – {course.name}",
                            course.sessions,
                            *(course.periods_by_kind.get(kind, 0) for kind in kinds),
                            course.periods,
                            course.standard_hours,
                            None,
                            None,
                            None,
                            None,
                            course.planned_periods or None,
                        ],
                    )
                )
    label = f"Tổng cộng ({format_number(report.totals.lecturers)} giảng viên)"
    rows.append(Row("total", _totals_values("", label, report.totals, kinds)))
    return rows


def amount_line(report: HoursReport) -> str:
    totals = report.totals
    if not totals.paid_lecturers:
        return "Không có giảng viên kiêm chức, thỉnh giảng nào giảng dạy trong năm."
    return (
        f"Tổng số tiền thanh toán cho {format_number(totals.paid_lecturers)} giảng viên kiêm "
        f"chức, thỉnh giảng: {format_number(totals.paid_periods)} tiết × "
        f"{format_money(report.rate)} = {format_money(totals.amount_due)}."
    )


def norm_summary(report: HoursReport) -> str:
    totals = report.totals
    if not totals.norm_hours:
        return ""
    return (
        f"Giảng viên chuyên trách: {format_hours(totals.normed_hours)}/"
        f"{format_number(totals.norm_hours)} giờ chuẩn định mức "
        f"({format_percent(totals.of_norm)}); {format_number(totals.overtime_lecturers)} người "
        f"vượt định mức ({format_hours(totals.overtime)} giờ), "
        f"{format_number(totals.shortfall_lecturers)} người chưa đủ định mức "
        f"({format_hours(totals.shortfall)} giờ)."
    )


def filename(centre: Centre, year: int, fmt: str) -> str:
    """'GG-2026-TTA_bang-tong-hop-gio-giang.pdf': ASCII, named after what it holds (DESIGN §10)."""
    code = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in centre.code)
    return f"GG-{year}-{code.strip('-')}_bang-tong-hop-gio-giang.{fmt}"


def description(centre: Centre, year: int, fmt: str) -> str:
    return f"Bảng tổng hợp giờ giảng năm {year} – {centre.name} ({fmt.upper()})"


@dataclass
class HoursDocument:
    report: HoursReport
    signers: list[Signer]
    day: datetime.date

    @property
    def title(self) -> str:
        return f"{TITLE} NĂM {self.report.year}"

    @property
    def number(self) -> str:
        return document_number(self.report.centre, None, KIND)


def collect(
    centre: Centre,
    year: int,
    *,
    maker_name: str = "",
    day: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> HoursDocument:
    """Three queries: the report's two, the centre's signer. The report date `as_of` is the
    document's date unless given."""
    day = day or timezone.localdate()
    return HoursDocument(
        report=hours_report(centre, year, as_of=as_of or day),
        signers=[maker_signer(maker_name), centre_signer(centre)],
        day=day,
    )


# --- PDF ---


def _pdf_text(value, column: int, row: Row) -> str:
    """A value as printed: numbers the Vietnamese way, nothing where there is nothing to say."""
    if value is None:
        return ""
    if FIRST <= column < FIRST + 5 and value == 0 and row.kind in ("lecturer", "class"):
        return ""  # a period column of a person or a class: blank reads better than 0
    if column == 9:
        return format_hours(value)
    if column == 11:
        return format_percent(value)
    if column == 12:
        return format_signed_hours(value)
    if column == 13:
        return format_number(value)
    if isinstance(value, (int, Decimal)) and column != 0:
        return format_number(value)
    return str(value)


def _cell_style(column: int, *, bold: bool, size: float, indent: float = 0):
    alignment = {"left": 0, "center": 1, "right": 2}[ALIGN[column]]
    overrides = {"fontSize": size, "leading": size * 1.2, "alignment": alignment}
    if bold:
        overrides["fontName"] = SERIF_BOLD
    if indent:
        overrides["leftIndent"] = indent
    return overrides


def _pdf_row(row: Row, size: float) -> list:
    cells: list = []
    bold = row.kind != "class"
    for column, value in enumerate(row.values):
        text = _pdf_text(value, column, row)
        if column == 1 and row.kind == "lecturer":
            style = pdf.styles()["cell"]
            markup = f"<b>{pdf.markup(text)}</b>"
            if row.detail:
                markup += f"<br/><i>{pdf.markup(row.detail)}</i>"
            cells.append(
                Paragraph(
                    markup,
                    ParagraphStyle("hours_name", parent=style, fontSize=size, leading=size * 1.2),
                )
            )
        elif column == 1 and row.kind == "class":
            cells.append(
                pdf.para(text, "cell", **_cell_style(column, bold=False, size=size, indent=6))
            )
        elif bold and text:
            cells.append(pdf.para(text, "cell", **_cell_style(column, bold=True, size=size)))
        else:
            cells.append(text)
    return cells


def render_pdf(data: HoursDocument) -> bytes:
    report = data.report
    size = 9
    top, second = headers(report)
    rows: list[list] = [top, second]
    if report.lecturers:
        rows += [_pdf_row(row, size) for row in table_rows(report)]
    else:
        rows.append(["", EMPTY, *[""] * (len(top) - 2)])
    table, tail = pdf.data_table_parts(
        rows,
        keep_last=2,
        header_rows=2,
        widths=PDF_WIDTHS,
        total_width=pdf.content_width(landscape=True),
        align=ALIGN,
        font_size=size,
        extra_style=header_spans(report),
    )
    closing: list[Flowable] = [*([tail] if tail else []), Spacer(1, 2 * mm)]
    summary = norm_summary(report)
    if summary:
        closing.append(pdf.para(summary))
    closing.append(pdf.para(amount_line(report)))
    if report.has_planned:
        closing.append(pdf.para(report.planned_line()))
    closing.append(Spacer(1, 1.5 * mm))
    closing.append(pdf.para("Ghi chú:", "note", fontName=SERIF_BOLD))
    closing += [pdf.para(f"- {line}", "note") for line in report.notes()]
    return pdf.build_pdf(
        centre=report.centre,
        title=data.title,
        subtitle=report.period_line(),
        body=[table],
        closing=closing,
        signers=data.signers,
        number=data.number,
        date=data.day,
        landscape=True,
    )


# --- XLSX ---


def render_xlsx(data: HoursDocument) -> bytes:
    report = data.report
    book = SafeWorkbook()
    sheet = book.sheet(f"Giờ giảng {report.year}")
    top, second = headers(report)
    columns = len(top)
    header_row = xlsx_header(
        sheet,
        report.centre,
        columns=columns,
        title=data.title,
        lines=[report.period_line()],
        day=data.day,
        split=3,
    )
    # The number sits under the issuer, on the date's line, as in the PDF.
    sheet.write(3, 1, data.number.replace("\u00a0", " ")).alignment = CENTRED
    sheet.worksheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=3)
    worksheet = sheet.worksheet
    for offset, labels in enumerate((top, second)):
        for column, label in enumerate(labels, start=1):
            cell = sheet.write(header_row + offset, column, label, bold=True, border=True)
            cell.alignment = CENTRED
    for _, (first_col, first_row), (last_col, last_row) in header_spans(report):
        worksheet.merge_cells(
            start_row=header_row + first_row,
            start_column=first_col + 1,
            end_row=header_row + last_row,
            end_column=last_col + 1,
        )
    worksheet.row_dimensions[header_row].height = 30
    worksheet.row_dimensions[header_row + 1].height = 30
    row_number = header_row + 1
    for row in table_rows(report) if report.lecturers else []:
        row_number += 1
        for column, value in enumerate(row.values):
            if column == 1 and row.detail:
                value = f"{value}\n{row.detail}"
            if column == 11 and value is not None:
                value = value / 100  # a percentage cell holds the fraction
            cell = sheet.write(row_number, column + 1, value, bold=row.kind != "class", border=True)
            cell.alignment = CENTRED if ALIGN[column] == "center" else WRAPPED
            if column in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column]
    if not report.lecturers:
        row_number += 1
        sheet.write(row_number, 1, EMPTY, border=True).alignment = CENTRED
        worksheet.merge_cells(
            start_row=row_number, start_column=1, end_row=row_number, end_column=columns
        )
    row_number += 2
    summary = norm_summary(report)
    if summary:
        sheet.write(row_number, 1, summary)
        row_number += 1
    sheet.write(row_number, 1, amount_line(report))
    if report.has_planned:
        row_number += 1
        sheet.write(row_number, 1, report.planned_line())
    row_number += 2
    sheet.write(row_number, 1, "Ghi chú:", bold=True)
    for line in report.notes():
        row_number += 1
        sheet.write(row_number, 1, f"- {line}")
    xlsx_signatures(sheet, row_number + 2, columns, data.signers)
    sheet.widths(XLSX_WIDTHS)
    xlsx_print_setup(
        sheet,
        landscape=True,
        title_rows=(header_row, header_row + 1),
        freeze=f"C{header_row + 2}",
    )
    return book.to_bytes()


def build(
    centre: Centre,
    year: int,
    fmt: str,
    *,
    maker_name: str = "",
    day: datetime.date | None = None,
    as_of: datetime.date | None = None,
) -> tuple[bytes, int]:
    """The document's bytes and how many lecturers it lists."""
    data = collect(centre, year, maker_name=maker_name, day=day, as_of=as_of)
    content = render_pdf(data) if fmt == "pdf" else render_xlsx(data)
    return content, len(data.report.lecturers)


def hours_pdf(centre: Centre, year: int, *, maker_name: str = "", day=None, as_of=None) -> bytes:
    return render_pdf(collect(centre, year, maker_name=maker_name, day=day, as_of=as_of))


def hours_xlsx(centre: Centre, year: int, *, maker_name: str = "", day=None, as_of=None) -> bytes:
    return render_xlsx(collect(centre, year, maker_name=maker_name, day=day, as_of=as_of))
