"""Văn bản kế hoạch năm: the plan as the centre issues it, PDF (print) and XLSX (further editing).

"KẾ HOẠCH mở lớp đào tạo, bồi dưỡng năm 2026" in the centre's document layout (DESIGN §8a): the
number "Số 15-KH/TTCT" (left blank to be written in while it has none), place and date, then the
six parts a committee approves (`plan_text.PARTS`): I. Mục đích – yêu cầu, II. Đối tượng,
III. Chỉ tiêu (the targets by system, a subtotal on each system's row, a total line), IV. Thời
gian, V. Kinh phí, VI. Tổ chức thực hiện; "Nơi nhận" and the director's signature.

The date is the plan's date of issue (the approval date for an approved plan without one); a
draft without a date prints a blank date line to fill in by hand, never today's date. A draft
prints "DỰ THẢO" on every page; an approved plan reprints identically. A system's heading row
is never left alone at the foot of a page: it is kept with its first programs.
"""

import datetime
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from lophoc.documents import (
    CENTRED,
    WRAPPED,
    centre_signer,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
    xlsx_table_header,
)
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF_BOLD
from trungtam.documents.layout import BLANK_DAY, ROMAN, BlankDay, document_number
from trungtam.documents.numbers import format_number
from trungtam.documents.pdf import Recipients, Signer
from trungtam.documents.xlsx import SafeWorkbook
from trungtam.reports.models import AnnualPlan, PlanStatus
from trungtam.reports.plan import PlanTable, plan_table
from trungtam.reports.plan_text import PARTS, document_day, plan_texts, targets_sentence

TITLE = "KẾ HOẠCH"
KIND = "KH"
HEADERS = ["STT", "Chương trình, loại hình lớp", "Số lớp", "Số học viên", "Ghi chú"]
ALIGN = ["center", "left", "center", "center", "left"]
PDF_WIDTHS = [12, 83, 17, 21, 32]  # mm, 165 in all (A4 portrait)
XLSX_WIDTHS = [7, 55, 10, 13, 32]
EMPTY = "Kế hoạch chưa có chỉ tiêu nào."
DRAFT_LINE = "DỰ THẢO: kế hoạch chưa được phê duyệt, số liệu có thể còn thay đổi."
# A group heading row is kept on the same page as this many of its first programs.
KEEP_WITH_HEADING = 2


def subject(plan: AnnualPlan) -> str:
    return f"mở lớp đào tạo, bồi dưỡng năm {plan.year}"


def subtitle_lines(plan: AnnualPlan) -> list[str]:
    lines = [subject(plan)]
    if plan.revision:
        lines.append(f"(Điều chỉnh lần {plan.revision})")
    return lines


def number_text(plan: AnnualPlan) -> str:
    return document_number(plan.centre, plan.number, KIND)


def filename(plan: AnnualPlan, fmt: str) -> str:
    """'KH-2026-TTA_ke-hoach-nam.pdf': ASCII, named after what it holds (DESIGN §10)."""
    code = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in plan.centre.code)
    return f"KH-{plan.year}-{code.strip('-')}_ke-hoach-nam.{fmt}"


def introduction(plan: AnnualPlan) -> str:
    return (
        f"Căn cứ chức năng, nhiệm vụ được giao và nhu cầu đào tạo, bồi dưỡng của các cơ quan, đơn "
        f"vị, {plan.centre.name} xây dựng kế hoạch mở lớp đào tạo, bồi dưỡng năm {plan.year} "
        "như sau:"
    )


def amendment_line(plan: AnnualPlan) -> str:
    if not plan.revision:
        return ""
    reason = (
        f" Lý do điều chỉnh: {plan.amendment_reason.rstrip('.')}." if plan.amendment_reason else ""
    )
    return f"Kế hoạch này điều chỉnh lần {plan.revision}, thay thế kế hoạch đã ban hành trước đó.{reason}"


def recipients(plan: AnnualPlan) -> list[str]:
    return [
        f"{plan.centre.supervising_committee} (để báo cáo);",
        "Các cơ quan, đơn vị có liên quan;",
        "Lưu VP.",
    ]


@dataclass
class PlanDocument:
    plan: AnnualPlan
    table: PlanTable
    signer: Signer
    day: datetime.date | BlankDay
    texts: dict[str, str]

    @property
    def draft(self) -> bool:
        return self.plan.status != PlanStatus.APPROVED


def collect(plan: AnnualPlan, *, day: datetime.date | None = None) -> PlanDocument:
    """Two queries: the targets with their programs, the centre's signer. `day` overrides the
    plan's own date (`plan_text.document_day`)."""
    table = plan_table(plan)
    return PlanDocument(
        plan=plan,
        table=table,
        signer=centre_signer(plan.centre),
        day=day or document_day(plan) or BLANK_DAY,
        texts=plan_texts(plan, table),
    )


def table_rows(table: PlanTable) -> list[tuple[str, list]]:
    """("system" | "program" | "total", values) for every row under the header."""
    rows: list[tuple[str, list]] = []
    for index, group in enumerate(table.groups):
        rows.append(
            (
                "system",
                [ROMAN[index], group.heading, group.planned_classes, group.planned_trainees, ""],
            )
        )
        for number, row in enumerate(group.rows, start=1):
            rows.append(
                (
                    "program",
                    [number, row.name, row.planned_classes, row.planned_trainees, row.notes],
                )
            )
    rows.append(
        (
            "total",
            ["", "Tổng cộng", table.total.planned_classes, table.total.planned_trainees, ""],
        )
    )
    return rows


def _pdf_cell(value, column: int, bold: bool):
    text = format_number(value) if isinstance(value, int) else str(value or "")
    if not bold or not text:
        return text
    alignment = {"left": 0, "center": 1, "right": 2}[ALIGN[column]]
    return pdf.para(
        text, "cell", fontName=SERIF_BOLD, fontSize=11, leading=13.2, alignment=alignment
    )


def _group_spans(table: PlanTable) -> list[tuple]:
    """NOSPLIT ranges: each system's heading row with its first programs (rows count the
    header row), so no heading is stranded at the foot of a page."""
    commands = []
    row = 1
    for group in table.groups:
        keep = min(KEEP_WITH_HEADING, len(group.rows))
        commands.append(("NOSPLIT", (0, row), (-1, row + keep)))
        row += 1 + len(group.rows)
    if table.rows:
        # The total row never starts a page on its own either.
        commands.append(("NOSPLIT", (0, row - 1), (-1, row)))
    return commands


def _text_flowables(text: str) -> list[Flowable]:
    return [pdf.para(line.strip(), "body_justify") for line in text.splitlines() if line.strip()]


def render_pdf(data: PlanDocument) -> bytes:
    plan = data.plan
    rows: list[list] = [HEADERS]
    for kind, values in table_rows(data.table):
        bold = kind != "program"
        rows.append([_pdf_cell(v, c, bold) for c, v in enumerate(values)])
    table = pdf.data_table(
        rows,
        widths=PDF_WIDTHS,
        total_width=pdf.content_width(),
        align=ALIGN,
        extra_style=_group_spans(data.table),
    )
    body: list[Flowable] = [pdf.para(introduction(plan), "body_justify"), Spacer(1, 2 * mm)]
    if plan.revision:
        body += [pdf.para(amendment_line(plan), "body_justify"), Spacer(1, 2 * mm)]
    for part in PARTS:
        body.append(pdf.para(part.heading, "heading", keepWithNext=True))
        if part.field:
            body += _text_flowables(data.texts[part.field])
            continue
        body += [pdf.para(targets_sentence(plan, data.table), "body_justify", keepWithNext=True)]
        body += [Spacer(1, 1.5 * mm), table, Spacer(1, 2 * mm)]
        if not data.table.rows:
            body.append(pdf.para(EMPTY, "note"))
    # The last lines of the text stay on the page of the signature (a page with only
    # signatures on it could be swapped).
    closing: list[Flowable] = [body.pop()]
    return pdf.build_pdf(
        centre=plan.centre,
        title=TITLE,
        subtitle=subtitle_lines(plan),
        body=body,
        closing=closing,
        signers=[data.signer],
        recipients=Recipients(recipients(plan)),
        number=number_text(plan),
        date=data.day,
        draft=data.draft,
        invariant=not data.draft,
    )


def render_xlsx(data: PlanDocument) -> bytes:
    plan = data.plan
    book = SafeWorkbook()
    sheet = book.sheet(f"Kế hoạch {plan.year}")
    columns = len(HEADERS)
    lines = subtitle_lines(plan)
    if data.draft:
        lines.append(DRAFT_LINE)
    header_row = xlsx_header(
        sheet, plan.centre, columns=columns, title=TITLE, lines=lines, day=data.day, split=2
    )
    # The number sits under the issuer, on the date's line, as in the PDF.
    sheet.write(3, 1, number_text(plan).replace("\u00a0", " ")).alignment = CENTRED
    sheet.worksheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
    row = header_row
    if plan.revision:
        sheet.title_row(row, amendment_line(plan), columns, bold=False).alignment = WRAPPED
        sheet.worksheet.row_dimensions[row].height = 32
        row += 2
    header_row = None
    for part in PARTS:
        sheet.write(row, 1, part.heading, bold=True)
        row += 1
        if part.field:
            for line in data.texts[part.field].splitlines():
                if line.strip():
                    row = _xlsx_text(sheet, row, line.strip(), columns)
            row += 1
            continue
        row = _xlsx_text(sheet, row, targets_sentence(plan, data.table), columns)
        header_row = row
        xlsx_table_header(sheet, header_row, HEADERS)
        for kind, values in table_rows(data.table):
            row += 1
            for column, value in enumerate(values, start=1):
                cell = sheet.write(row, column, value, bold=kind != "program", border=True)
                cell.alignment = CENTRED if ALIGN[column - 1] == "center" else WRAPPED
        row += 2
        if not data.table.rows:
            sheet.write(row, 1, EMPTY)
            row += 2
    row += 1
    sheet.write(row, 1, "Nơi nhận:", bold=True)
    for offset, line in enumerate(recipients(plan), start=1):
        sheet.write(row + offset, 1, f"- {line}")
    xlsx_signatures(sheet, row, columns, [data.signer])
    sheet.widths(XLSX_WIDTHS)
    xlsx_print_setup(
        sheet, landscape=False, title_rows=(header_row, header_row), freeze=f"A{header_row + 1}"
    )
    return book.to_bytes()


def _xlsx_text(sheet, row: int, text: str, columns: int) -> int:
    """One paragraph across the sheet's columns, wrapped; returns the next row."""
    cell = sheet.write(row, 1, text)
    cell.alignment = WRAPPED
    sheet.worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    # Merged cells do not grow by themselves: about 110 characters a line over the five columns.
    sheet.worksheet.row_dimensions[row].height = 15 * max(1, -(-len(text) // 110))
    return row + 1


def plan_pdf(plan: AnnualPlan, *, day: datetime.date | None = None) -> bytes:
    return render_pdf(collect(plan, day=day))


def plan_xlsx(plan: AnnualPlan, *, day: datetime.date | None = None) -> bytes:
    return render_xlsx(collect(plan, day=day))
