"""The yearly report as PDF (to print and sign) and XLSX (the same tables, one sheet per section).

Both are drawn only from a report's content (`yearly.report_content`): for a sent report that is
its snapshot, so it reprints byte for byte the same (`invariant=True`); a draft prints DỰ THẢO on
every page and on every sheet.

PDF of one centre: the administrative header (issuer, motto, number, place and date — a blank
date line while a draft has no date), the title, the cut-off date when there is one ("Số liệu
tính đến ngày …"), "Kính gửi: <supervising committee>", the narrative (results; the assessment:
ưu điểm, hạn chế, nguyên nhân, bài học kinh nghiệm; next year's direction; recommendations), the
signature with "Nơi nhận", then the appendix with the tables I–V. The all-centres report is
issued by the province-level body (`ReportIssuer`): its own number, "Nơi nhận" and signature,
the state of each centre's report, then the tables with one row per centre and the totals.

`signable_pdf` is the PDF with where its signer signs (the visible digital signature's box, issue
18: trungtam/reports/yearly_signing.py); the XLSX is never signed.
"""

import datetime
import math
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from lophoc.documents import (
    CENTRED,
    ITALIC_FONT,
    WRAPPED,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
)
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC
from trungtam.documents.layout import BLANK_DAY
from trungtam.documents.pdf import ALIGNMENTS, Recipients, Signer
from trungtam.documents.signature_place import SignaturePlace
from trungtam.documents.xlsx import SafeSheet, SafeWorkbook

from . import yearly
from .yearly import cell_number, cell_text

DRAFT_LINE = "DỰ THẢO – số liệu và nội dung còn có thể thay đổi cho đến khi báo cáo được gửi."
RED = colors.HexColor("#B00000")
TOTAL_FILL = colors.HexColor("#F2F2F2")
XLSX_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
XLSX_HEADER_FILL = PatternFill("solid", fgColor="EDEDED")
XLSX_RED = Font(name="Times New Roman", bold=True, color="B00000")
LABEL_WIDTH = 46
NUMBER_WIDTH = 14


@dataclass(frozen=True)
class YearlyDocument:
    content: bytes
    filename: str


@dataclass(frozen=True)
class SignablePdf:
    """The report's PDF and where its signer signs: box (x1, y1, x2, y2) in points on page
    `page` (0-based), None when the layout did not tell."""

    content: bytes
    box: tuple[float, float, float, float] | None
    page: int


def _ascii_code(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", code).strip("-") or "trung-tam"


def report_filename(content: dict, fmt: str) -> str:
    """'2026_bao-cao-nam_PL.pdf'; the all-centres report '2026_bao-cao-nam_tong-hop.xlsx'."""
    year = content["year"]
    if content["kind"] == "all":
        return f"{year}_bao-cao-nam_tong-hop.{fmt}"
    return f"{year}_bao-cao-nam_{_ascii_code(content['centre']['code'])}.{fmt}"


def is_draft(content: dict) -> bool:
    return not content.get("final")


def build(content: dict, fmt: str) -> YearlyDocument:
    if fmt not in ("pdf", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    data = yearly_pdf(content) if fmt == "pdf" else yearly_xlsx(content)
    return YearlyDocument(data, report_filename(content, fmt))


# --- PDF -----------------------------------------------------------------------------------


def _centre(content: dict):
    header = dict(content["centre"])
    header["place_name"] = content["document"].get("place") or header.get("place_name", "")
    return yearly.header_centre(header)


def _paragraphs(text: str) -> list:
    return [pdf.para(line.strip(), "body_justify") for line in text.splitlines() if line.strip()]


def _cell(text: str, *, align: str, size: float, font: str | None = None):
    overrides = {"fontSize": size, "leading": size * 1.2, "alignment": ALIGNMENTS[align]}
    if font:
        overrides["fontName"] = font
    return pdf.para(text, "cell", **overrides)


ROW_FONTS = {"subtotal": SERIF_BOLD, "total": SERIF_BOLD, "section": SERIF_BOLD_ITALIC}


def pdf_table(table: dict, width: float):
    """One table of a section: header rows (with their merges), rows, totals in bold."""
    size = table.get("font_size", 10)
    header = table["header"]
    align = table["align"]
    rows: list[list] = [list(line) for line in header]
    extra = [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in table["spans"]]
    for index, row in enumerate(table["rows"], start=len(header)):
        kind = row["kind"]
        font = ROW_FONTS.get(kind)
        cells = []
        for column, value in enumerate(row["cells"]):
            text = cell_text(value) if not (kind == "section" and column > 1) else ""
            if column < 2 and value == "":
                text = ""
            cells.append(_cell(text, align=align[column], size=size, font=font) if text else "")
        rows.append(cells)
        if kind == "total":
            extra.append(("BACKGROUND", (0, index), (-1, index), TOTAL_FILL))
            # The total row is never alone at the top of a page.
            extra.append(("NOSPLIT", (0, index - 1), (-1, index)))
        if kind in ("subtotal", "section"):
            # A group's heading row stays on the page of its first two rows.
            last = min(index + 2, len(header) + len(table["rows"]) - 1)
            extra.append(("NOSPLIT", (0, index), (-1, last)))
        if kind == "section":
            extra.append(("SPAN", (1, index), (-1, index)))
    return pdf.data_table(
        rows,
        widths=table["widths"],
        total_width=width,
        header_rows=len(header),
        align=align,
        font_size=size,
        extra_style=extra,
    )


def _section_flowables(section: dict, width: float) -> list:
    flowables = [pdf.para(section["title"], "heading", keepWithNext=True)]
    for table in section["tables"]:
        if table.get("title"):
            flowables.append(
                pdf.para(table["title"], "body", fontName=SERIF_ITALIC, keepWithNext=True)
            )
        flowables.append(pdf_table(table, width))
        for note in table.get("notes", []):
            flowables.append(pdf.para(note, "note", fontSize=10, leading=12))
        flowables.append(Spacer(1, 3 * mm))
    return flowables


def _attached_to(content: dict) -> str:
    document = content["document"]
    number = document.get("number_text", "")
    number = re.sub(r"^Số:?\s*", "", number).strip() if document.get("number") else ""
    date = document.get("report_date")
    text = "(Kèm theo Báo cáo"
    if number:
        text += f" số {number}"
    if date:
        text += f" ngày {datetime.date.fromisoformat(date):%d/%m/%Y}"
    return text + f" của {content['centre']['name']})"


def _printed_date(content: dict):
    """The report's date, or a blank date line to fill in by hand (never today's date)."""
    return yearly.content_date(content) or BLANK_DAY


def _subtitle(content: dict, template: str) -> list[str]:
    lines = [template.format(year=content["year"])]
    if until := yearly.data_until_line(content):
        lines.append(until)
    return lines


def _narrative_flowables(content: dict) -> list:
    body: list = []
    for name, heading, group in yearly.narrative_parts(content):
        if group:
            body.append(pdf.para(group, "heading", keepWithNext=True))
        style = "heading" if not heading[0].isdigit() else "body"
        overrides = {"fontName": SERIF_BOLD, "spaceBefore": 1.5 * mm} if style == "body" else {}
        body.append(pdf.para(heading, style, keepWithNext=True, **overrides))
        body += _paragraphs(content["document"].get(name, ""))
        if name in ("results_text", "general_text"):
            body.append(
                pdf.para("(Số liệu chi tiết tại Phụ lục kèm theo báo cáo này.)", "body_justify")
            )
    return body


def _opening(content: dict) -> str:
    year = content["year"]
    name = content["centre"]["name"]
    if content["kind"] == "all":
        return (
            f"Căn cứ báo cáo kết quả công tác đào tạo, bồi dưỡng năm {year} của các trung tâm "
            f"chính trị, {name} báo cáo tổng hợp như sau:"
        )
    return (
        f"Thực hiện kế hoạch đào tạo, bồi dưỡng năm {year}, {name} báo cáo kết quả "
        f"công tác đào tạo, bồi dưỡng năm {year} như sau:"
    )


def _addressee(content: dict) -> str:
    """The "Kính gửi" line: the centre's supervising committee, the issuer's optional one."""
    name = content["centre"].get("supervising_committee", "")
    return f"Kính gửi: {name}" if name else ""


def _draft_note(content: dict) -> str:
    unsent = content.get("unsent") or []
    if content["kind"] == "all" and unsent:
        return (
            f"DỰ THẢO – còn {len(unsent)} trung tâm chưa gửi báo cáo năm; số liệu của trung tâm "
            "chưa gửi tính từ dữ liệu hiện có."
        )
    return DRAFT_LINE


def _frozen_before_v3(content: dict) -> bool:
    """Content frozen before "Nơi nhận" was laid out (version 3): it reprints as it was."""
    return content.get("version", 1) < 3


def _recipients(content: dict) -> Recipients:
    """ "Nơi nhận" as the issuer's layout says (`pdf.layout_recipients`, Hướng dẫn 36-HD/VPTW or
    Nghị định 30/2020): one recipient a line ending with ";", then the office's own copy, which
    the layout writes itself, so a "Lưu …" line typed by staff is left out. A centre's report sent
    before (content version 2 and older) printed its lines as typed and reprints so."""
    lines = content["document"].get("recipients", [])
    if content["kind"] == "centre" and _frozen_before_v3(content):
        return Recipients(lines)
    return pdf.layout_recipients(
        _centre(content), [line for line in lines if not yearly.is_file_copy(line)]
    )


def _signer(content: dict) -> Signer:
    signer = content["document"]["signer"]
    default = "GIÁM ĐỐC" if content["kind"] == "centre" else ""
    return Signer(signer["title"] or default, signer["name"])


def _titles(content: dict) -> tuple[str, str]:
    if content["kind"] == "all":
        return yearly.ALL_TITLE, yearly.ALL_SUBTITLE
    return yearly.TITLE, yearly.SUBTITLE


def _report_status_table(content: dict, width: float):
    return pdf.data_table(
        [STATUS_HEADER, *yearly.report_status_rows(content)],
        widths=STATUS_WIDTHS,
        total_width=width,
        align=["center", "left", "center", "center", "center"],
        font_size=10,
    )


def yearly_pdf(content: dict) -> bytes:
    """One centre's report or the all-centres report: header, title, the cut-off date, "Kính
    gửi", the narrative, the signature with "Nơi nhận", then the appendix."""
    return signable_pdf(content).content


def signable_pdf(content: dict) -> SignablePdf:
    """The PDF of `yearly_pdf`, with the place of its signature (before the appendix)."""
    width = pdf.content_width()
    year = content["year"]
    document = content["document"]
    body: list = []
    if is_draft(content):
        body.append(pdf.para(_draft_note(content), "note", textColor=RED))
    if addressee := _addressee(content):
        body.append(pdf.para(addressee, "body", alignment=ALIGNMENTS["center"], spaceAfter=4 * mm))
    body.append(pdf.para(_opening(content), "body_justify"))
    narrative = _narrative_flowables(content)
    # The signature never stands alone on a page: the last paragraph goes with it.
    last = [narrative.pop()] if narrative and isinstance(narrative[-1], Paragraph) else []
    body += narrative
    signature = pdf.signature_block(
        [_signer(content)], width=width, recipients=_recipients(content)
    )
    place = SignaturePlace(signature)
    body.append(KeepTogether(last + signature + [place]))
    body.append(PageBreak())
    body.append(pdf.para("PHỤ LỤC", "title", spaceBefore=0))
    body.append(pdf.para(f"SỐ LIỆU KẾT QUẢ CÔNG TÁC ĐÀO TẠO, BỒI DƯỠNG NĂM {year}", "subtitle"))
    body.append(pdf.para(_attached_to(content), "subtitle_plain", fontName=SERIF_ITALIC))
    body.append(Spacer(1, 4 * mm))
    if content["kind"] == "all":
        body.append(pdf.para("Báo cáo của các trung tâm", "heading", keepWithNext=True))
        body.append(_report_status_table(content, width))
        body.append(Spacer(1, 3 * mm))
    for section in content["sections"]:
        body += _section_flowables(section, width)
    final = not is_draft(content)
    title, subtitle = _titles(content)
    data = pdf.build_pdf(
        centre=_centre(content),
        title=title,
        subtitle=_subtitle(content, subtitle),
        body=body,
        date=_printed_date(content),
        number=document.get("number_text", ""),
        place=document.get("place"),
        draft=not final,
        invariant=final,
        author=content["centre"]["name"],
        # Reports frozen before version 3 reprint byte for byte as they were.
        fit_date=not _frozen_before_v3(content),
    )
    return SignablePdf(data, place.box, place.page if place.page is not None else -1)


STATUS_HEADER = ["STT", "Trung tâm", "Số báo cáo", "Ngày báo cáo", "Tình trạng"]
STATUS_WIDTHS = [9, 70, 36, 25, 25]


# --- XLSX ----------------------------------------------------------------------------------


def _columns(section: dict) -> int:
    return max(len(row) for table in section["tables"] for row in table["header"])


def _write_table(sheet: SafeSheet, row: int, table: dict) -> int:
    """Write one table from `row`; returns the next free row."""
    worksheet = sheet.worksheet
    if table.get("title"):
        sheet.write(row, 1, table["title"], bold=True)
        row += 1
    first_header = row
    for line in table["header"]:
        for column, label in enumerate(line, start=1):
            cell = sheet.write(row, column, label, bold=True, border=True)
            cell.alignment = CENTRED
            cell.fill = XLSX_HEADER_FILL
        worksheet.row_dimensions[row].height = 45 if len(table["header"]) == 1 else 30
        row += 1
    for c0, r0, c1, r1 in table["spans"]:
        worksheet.merge_cells(
            start_row=first_header + r0,
            start_column=c0 + 1,
            end_row=first_header + r1,
            end_column=c1 + 1,
        )
    for item in table["rows"]:
        kind = item["kind"]
        bold = kind in ("subtotal", "total", "section")
        for column, value in enumerate(item["cells"], start=1):
            if kind == "section" and column > 2:
                value = ""
            if column <= 2:
                written, number_format = (value if value is not None else ""), None
            else:
                written, number_format = cell_number(value) if value != "" else ("", None)
            cell = sheet.write(row, column, written, bold=bold, border=True)
            if number_format:
                cell.number_format = number_format
                cell.alignment = Alignment(horizontal="right", vertical="center")
            else:
                cell.alignment = CENTRED if column == 1 else WRAPPED
            if kind == "total":
                cell.fill = XLSX_TOTAL_FILL
            if kind == "section":
                cell.font = Font(name="Times New Roman", bold=True, italic=True)
        row += 1
    for note in table.get("notes", []):
        sheet.write(row, 1, note).font = ITALIC_FONT
        row += 1
    return row + 1


def _section_sheet(book: SafeWorkbook, content: dict, section: dict) -> None:
    sheet = book.sheet(section["sheet"])
    columns = _columns(section)
    lines = [_titles(content)[1].format(year=content["year"]), _attached_to(content)]
    row = xlsx_header(
        sheet,
        _centre(content),
        columns=columns,
        title=section["title"],
        lines=lines,
        day=_printed_date(content),
        split=2,
    )
    if is_draft(content):
        sheet.write(row - 1, 1, DRAFT_LINE).font = XLSX_RED
        row += 1
    first = section["tables"][0]
    header_top = row + (1 if first.get("title") else 0)
    for table in section["tables"]:
        row = _write_table(sheet, row, table)
    sheet.widths([7, LABEL_WIDTH, *[NUMBER_WIDTH] * (columns - 2)])
    # The first table's header rows are repeated on every printed page.
    header_rows = (header_top, header_top + len(first["header"]) - 1)
    xlsx_print_setup(sheet, landscape=columns > 7, title_rows=header_rows)


def _narrative_sheet(book: SafeWorkbook, content: dict) -> None:
    sheet = book.sheet("Nội dung báo cáo")
    document = content["document"]
    columns = 4
    centre = _centre(content)
    title, subtitle = _titles(content)
    lines = _subtitle(content, subtitle)
    row = xlsx_header(
        sheet,
        centre,
        columns=columns,
        title=title,
        lines=lines,
        day=_printed_date(content),
        split=2,
    )
    if document.get("number_text"):
        sheet.write(3, 1, document["number_text"]).alignment = CENTRED
        sheet.worksheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)
    if is_draft(content):
        sheet.write(row - 1, 1, _draft_note(content)).font = XLSX_RED
        row += 1
    if addressee := _addressee(content):
        row = _merged_text(sheet, row, addressee, columns)
    row = _merged_text(sheet, row, _opening(content), columns)
    for name, heading, group in yearly.narrative_parts(content):
        row += 1
        if group:
            sheet.write(row, 1, group, bold=True)
            row += 1
        sheet.write(row, 1, heading, bold=True)
        row += 1
        for line in document.get(name, "").splitlines():
            if line.strip():
                row = _merged_text(sheet, row, line.strip(), columns)
    row += 1
    recipients = _recipients(content)
    lines = [recipients.heading, *(f"- {line}" for line in recipients.lines)]
    for offset, line in enumerate(lines):
        sheet.write(row + offset, 1, line, bold=offset == 0)
    if not _frozen_before_v3(content):
        # The heading as printed: underlined (Party layout) or bold italic (state layout).
        sheet.worksheet.cell(row=row, column=1).font = (
            Font(name="Times New Roman", underline="single")
            if recipients.party
            else Font(name="Times New Roman", bold=True, italic=True)
        )
    xlsx_signatures(sheet, row, columns, [_signer(content)])
    if content["kind"] == "all":
        row += max(len(lines), 6) + 2
        sheet.write(row, 1, "Báo cáo của các trung tâm", bold=True)
        row += 1
        for column, label in enumerate(STATUS_HEADER[1:], start=1):
            sheet.write(row, column, label, bold=True, border=True).alignment = CENTRED
        for values in yearly.report_status_rows(content):
            row += 1
            for column, value in enumerate(values[1:], start=1):
                sheet.write(row, column, value, border=True).alignment = WRAPPED
    sheet.widths([30, 30, 30, 30])
    xlsx_print_setup(sheet, landscape=False, title_rows=(1, 1))


def _merged_text(sheet: SafeSheet, row: int, text: str, columns: int) -> int:
    cell = sheet.write(row, 1, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="justify")
    sheet.worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    # Merged cells do not grow by themselves: about 100 characters a line over four columns.
    sheet.worksheet.row_dimensions[row].height = 16 * max(1, math.ceil(len(text) / 100))
    return row + 1


def yearly_xlsx(content: dict) -> bytes:
    book = SafeWorkbook()
    for section in content["sections"]:
        _section_sheet(book, content, section)
    _narrative_sheet(book, content)
    if is_draft(content):
        return book.to_bytes()
    # A sent report reprints byte for byte: no time of writing in the file's properties or in
    # its zip entries, the report's date instead.
    day = yearly.content_date(content) or datetime.date(content["year"], 12, 31)
    moment = datetime.datetime.combine(day, datetime.time(0, 0))
    book.workbook.properties.created = book.workbook.properties.modified = moment
    return _fixed_zip_times(book.to_bytes(), moment)


def _fixed_zip_times(data: bytes, moment: datetime.datetime) -> bytes:
    source = zipfile.ZipFile(BytesIO(data))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving here whatever the workbook says.
                stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            target.writestr(fixed, data)
    return buffer.getvalue()
