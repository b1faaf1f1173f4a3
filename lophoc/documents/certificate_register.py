"""Sổ cấp giấy chứng nhận: every certificate a centre issued in a year, in number order (DESIGN §6).

The PDF is a book a director signs: A4 landscape, about 25 certificates a page (a row a
certificate, one line in the common case), the class named once in a row above its certificates
instead of on every line, numbers never broken over two lines (their column is as wide as the
longest number, in a smaller type if it must), then the closing statement "Sổ có … giấy chứng
nhận, từ số … đến số …" and the signatures of the maker and the director. The XLSX keeps a row a
certificate with every field in its own column (class code and name included, to filter on),
real dates and scores, and the print set-up of the other class documents.
"""

import datetime
from collections.abc import Sequence

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from lophoc.certificates import status_text
from lophoc.documents import (
    CENTRED,
    WRAPPED,
    centre_signer,
    xlsx_header,
    xlsx_print_setup,
    xlsx_signatures,
    xlsx_table_header,
)
from lophoc.models import Certificate, CertificateStatus, Classification
from trungtam.documents import pdf
from trungtam.documents.fonts import SERIF, SERIF_BOLD, register_fonts
from trungtam.documents.numbers import format_number
from trungtam.documents.pdf import Signer, TableTail
from trungtam.documents.xlsx import SafeWorkbook
from trungtam.models import Centre

TITLE = "SỔ CẤP GIẤY CHỨNG NHẬN"
DIRECTOR = "GIÁM ĐỐC"
DATE_FORMAT = "DD/MM/YYYY"

# PDF: 9 pt with tight padding gives a 14,8 pt line, so about 25 rows fill a landscape page even
# when some unit names take two lines.
FONT_SIZE = 9.0
SMALLEST_FONT_SIZE = 6.5
PADDING_X = 2.5
PADDING_Y = 2.6
# Columns that print one word each (numbers, dates) are measured; the others share the rest.
PDF_HEADER = [
    "STT",
    "Số giấy chứng nhận",
    "Số vào sổ",
    "Họ và tên",
    "Ngày sinh",
    "Đơn vị",
    "Xếp loại (điểm)",
    "Ngày cấp",
    "Người ký",
    "Tình trạng",
]
MEASURED = {0, 1, 2, 4, 6, 7}  # columns as wide as their widest value
NUMBER_COLUMNS = (1, 2)  # never broken: shrunk instead when the page is too narrow
STATUS = 9  # may hold a number too, so it is at least as wide as the numbers' column
SHARED = {3: 3.0, 5: 4.4, 8: 2.6, 9: 2.6}  # the rest of the width, by these weights
SHARED_MAX = {3: 45, 5: 60, 8: 45, 9: 45}  # mm: longer values take two lines
PDF_ALIGN = ["center", "left", "center", "left", "center", "left", "left", "center", "left", "left"]
# Measured columns are no wider than this (mm); a longer number makes its type smaller instead.
MEASURED_MAX = {0: 12, 1: 48, 2: 30, 4: 22, 6: 30, 7: 22}
KEEP_WITH_SIGNATURES = 3  # rows of the table printed on the signature page

XLSX_HEADER = [
    "STT",
    "Số giấy chứng nhận",
    "Số vào sổ",
    "Họ và tên",
    "Ngày sinh",
    "Đơn vị",
    "Mã lớp",
    "Tên lớp",
    "Từ ngày",
    "Đến ngày",
    "Xếp loại",
    "Điểm",
    "Ngày cấp",
    "Người ký",
    "Tình trạng",
    "Ký số",
]
XLSX_WIDTHS = [6, 20, 11, 24, 11, 30, 13, 32, 11, 11, 11, 7, 11, 24, 28, 14]
# A certificate's signed copy (lophoc.certificate_signing.signed_marks) as the XLSX prints it.
SIGNED_MARKS = {"certificate": "Đã ký số", "class": "Đã ký số (bản của lớp)"}
XLSX_DATES = {5, 9, 10, 13}  # 1-based columns holding dates
XLSX_CENTRED = {1, 2, 3, 5, 7, 9, 10, 11, 12, 13}


def register_certificates(centre: Centre, year: int) -> list[Certificate]:
    """One query: the year's certificates with what their status line needs."""
    return list(
        Certificate.objects.filter(centre=centre, year=year)
        .select_related("replaced_by", "replaces")
        .order_by("sequence", "id")
    )


# --- what both formats print ---


def classification_text(certificate: Certificate) -> str:
    if not certificate.classification:
        return ""
    return Classification(certificate.classification).label


def signer_text(certificate: Certificate) -> str:
    """The signer's name; for anyone but the director, the office they signed in too
    («Lê Văn Phó (Phó giám đốc)», from the last line of «KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC»)."""
    lines = [line.strip() for line in certificate.signer_title.split("\n") if line.strip()]
    office = lines[-1] if lines else ""
    name = certificate.signer_name.strip()
    if " ".join(office.split()).upper() == DIRECTOR or not office:
        return name
    office = office[:1] + office[1:].lower()
    return f"{name} ({office})" if name else office


def register_status(certificate: Certificate) -> str:
    """The status line, with the certificate it replaces when it is a re-issue."""
    text = status_text(certificate)
    if certificate.replaces_id:
        replaced = certificate.replaces
        text += f"; cấp lại cho số {replaced.number}"
        if certificate.reissue_reason:
            text += f" ({certificate.reissue_reason})"
    return text


def course_heading(certificate: Certificate) -> str:
    return (
        f"{certificate.course_name} (mã lớp {certificate.course_code}), "
        f"từ ngày {certificate.course_start:%d/%m/%Y} đến ngày {certificate.course_end:%d/%m/%Y}"
    )


def closing_statement(certificates: Sequence[Certificate]) -> str:
    """«Sổ có 618 giấy chứng nhận, từ số … đến số …», and how many were voided or re-issued."""
    if not certificates:
        return "Sổ không có giấy chứng nhận nào."
    count = len(certificates)
    text = (
        f"Sổ có {format_number(count)} giấy chứng nhận, từ số {certificates[0].number} "
        f"đến số {certificates[-1].number}"
    )
    voided = sum(1 for c in certificates if c.status == CertificateStatus.VOIDED)
    replaced = sum(1 for c in certificates if c.status == CertificateStatus.REPLACED)
    parts = []
    if voided:
        parts.append(f"{format_number(voided)} giấy đã thu hồi")
    if replaced:
        parts.append(f"{format_number(replaced)} giấy đã được cấp lại bằng số khác")
    if parts:
        text += "; trong đó " + ", ".join(parts)
    return text + "."


def signers(centre: Centre, maker_name: str) -> list[Signer]:
    """The maker of the book on the left, the director (or who signs for the centre) right."""
    return [
        Signer("NGƯỜI LẬP SỔ", maker_name, note="(Ký, ghi rõ họ tên)"),
        centre_signer(centre),
    ]


# --- PDF ---


def _width(text: str, font: str, size: float) -> float:
    return stringWidth(pdf.nfc(text), font, size)


def _pdf_values(index: int, certificate: Certificate) -> list[str]:
    result = classification_text(certificate)
    if certificate.final_score is not None:
        result += f" ({format_number(certificate.final_score, 1)})"
    return [
        format_number(index),
        certificate.number,
        certificate.register_number,
        certificate.full_name,
        f"{certificate.date_of_birth:%d/%m/%Y}",
        certificate.unit_name,
        result,
        f"{certificate.issued_on:%d/%m/%Y}",
        signer_text(certificate),
        register_status(certificate),
    ]


def _usual_width(widths: list[float]) -> float:
    """The width nine values in ten fit in: a rare long one may take two lines."""
    if not widths:
        return 0
    ordered = sorted(widths)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def _column_layout(rows: list[list[str]], total: float) -> tuple[list[float], dict[int, float]]:
    """Column widths (points) and, for number columns too long for their cap, a smaller size."""
    register_fonts()
    widths: dict[int, float] = {}
    sizes: dict[int, float] = {}
    pad = 2 * PADDING_X + 1
    for column in MEASURED:
        words = PDF_HEADER[column].split()
        needed = max(_width(word, SERIF_BOLD, FONT_SIZE) for word in words)
        widest = max((_width(row[column], SERIF, FONT_SIZE) for row in rows), default=0)
        cap = MEASURED_MAX[column] * mm
        if column in NUMBER_COLUMNS and widest + pad > cap:
            # Too long for the column at full size: a smaller type, never a second line.
            sizes[column] = max(SMALLEST_FONT_SIZE, FONT_SIZE * (cap - pad) / widest)
            widest = widest * sizes[column] / FONT_SIZE
        widths[column] = min(max(needed, widest) + pad, max(cap, widest + pad))
    # The other columns get what their longest value needs (within a cap), so that most rows
    # stay on one line; what is left over is shared by weight, what is missing taken the same way.
    rest = total - sum(widths.values())
    wanted = {
        column: min(
            _usual_width([_width(row[column], SERIF, FONT_SIZE) for row in rows]) + pad,
            SHARED_MAX[column] * mm,
        )
        for column in SHARED
    }
    # The status may name another certificate's number («Đã cấp lại bằng số …»): room for it.
    wanted[STATUS] = max(wanted[STATUS], widths[1])
    weight = sum(SHARED.values())
    spare = rest - sum(wanted.values())
    for column, share in SHARED.items():
        if spare >= 0:
            widths[column] = wanted[column] + spare * share / weight
        elif column == STATUS:
            widths[column] = wanted[column]
        else:  # the others give up room in proportion
            others = sum(wanted.values()) - wanted[STATUS]
            widths[column] = wanted[column] * (rest - wanted[STATUS]) / others
    return [widths[column] for column in range(len(PDF_HEADER))], sizes


def _styles(sizes: dict[int, float]) -> tuple[ParagraphStyle, list[ParagraphStyle], ParagraphStyle]:
    base = pdf.styles()["cell"]
    alignment = {"left": 0, "center": 1, "right": 2}
    header = ParagraphStyle(
        "register_header",
        parent=base,
        fontName=SERIF_BOLD,
        fontSize=FONT_SIZE,
        leading=FONT_SIZE * 1.15,
        alignment=1,
    )
    body = []
    for column, align in enumerate(PDF_ALIGN):
        size = sizes.get(column, FONT_SIZE)
        body.append(
            ParagraphStyle(
                f"register_{column}",
                parent=base,
                fontSize=size,
                leading=FONT_SIZE * 1.2,
                alignment=alignment[align],
                # A number is one word: it must never be cut inside.
                splitLongWords=0 if column in (*NUMBER_COLUMNS, STATUS) else 1,
            )
        )
    group = ParagraphStyle(
        "register_course",
        parent=base,
        fontName=SERIF_BOLD,
        fontSize=FONT_SIZE,
        leading=FONT_SIZE * 1.2,
    )
    return header, body, group


def _register_table(
    rows: list[list], widths: list[float], course_rows: list[int], *, header: bool = True
) -> Table:
    """A table (row 0 the header, unless `header` is false); `course_rows` span the whole width."""
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), PADDING_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING_Y),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EDEDED")))
    for index in course_rows:
        commands.append(("SPAN", (0, index), (-1, index)))
        commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#F6F6F6")))
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _pdf_tables(certificates: Sequence[Certificate]) -> tuple[Flowable, Flowable | None]:
    """The table, and its last rows as a `TableTail` kept with the signatures."""
    values = [_pdf_values(i, c) for i, c in enumerate(certificates, start=1)]
    widths, sizes = _column_layout(values, pdf.content_width(landscape=True))
    header_style, body_styles, group_style = _styles(sizes)
    header = [Paragraph(pdf.markup(label), header_style) for label in PDF_HEADER]
    body: list[tuple[bool, list]] = []  # (is a class row, cells)
    previous = None
    for certificate, row in zip(certificates, values, strict=True):
        if certificate.course_id != previous:
            previous = certificate.course_id
            cells = [Paragraph(pdf.markup(course_heading(certificate)), group_style)]
            body.append((True, cells + [""] * (len(PDF_HEADER) - 1)))
        cells = [
            Paragraph(pdf.markup(text), body_styles[column]) if text else ""
            for column, text in enumerate(row)
        ]
        body.append((False, cells))
    if not body:
        empty = Paragraph(pdf.markup("Năm này chưa cấp giấy chứng nhận nào."), body_styles[3])
        return _register_table([header, [empty] + [""] * 9], widths, [1]), None

    def table(part: list[tuple[bool, list]], with_header: bool = True) -> Table:
        rows = [header] if with_header else []
        offset = 1 if with_header else 0
        spans = [index + offset for index, (is_course, _) in enumerate(part) if is_course]
        rows += [cells for _, cells in part]
        return _register_table(rows, widths, spans, header=with_header)

    if len(body) <= KEEP_WITH_SIGNATURES:
        return table(body), None
    cut = len(body) - KEEP_WITH_SIGNATURES
    tail = body[cut:]
    # The tail must not start right under the course row that names its certificates.
    while cut > 1 and body[cut - 1][0]:
        cut -= 1
        tail = body[cut:]
    return table(body[:cut]), TableTail(table(tail), table(tail, with_header=False))


def certificate_register_pdf(
    centre: Centre,
    year: int,
    certificates: list[Certificate],
    *,
    maker_name: str = "",
    day: datetime.date | None = None,
    signature_places: list | None = None,
) -> bytes:
    table, tail = _pdf_tables(certificates)
    closing: list[Flowable] = [*([tail] if tail else []), Spacer(1, 3 * mm)]
    closing.append(pdf.para(closing_statement(certificates), "body_justify"))
    return pdf.build_pdf(
        centre=centre,
        title=TITLE,
        subtitle=f"Năm {year}",
        body=[table],
        closing=closing,
        signers=signers(centre, maker_name),
        date=day or timezone.localdate(),
        landscape=True,
        # The same register gives the same bytes, so its kept signed copy is found again.
        invariant=True,
        signature_places=signature_places,
    )


# --- XLSX ---


def _xlsx_values(index: int, certificate: Certificate, mark: str = "") -> list:
    return [
        index,
        certificate.number,
        certificate.register_number,
        certificate.full_name,
        certificate.date_of_birth,
        certificate.unit_name,
        certificate.course_code,
        certificate.course_name,
        certificate.course_start,
        certificate.course_end,
        classification_text(certificate),
        float(certificate.final_score) if certificate.final_score is not None else None,
        certificate.issued_on,
        signer_text(certificate),
        register_status(certificate),
        SIGNED_MARKS.get(mark, ""),
    ]


def certificate_register_xlsx(
    centre: Centre,
    year: int,
    certificates: list[Certificate],
    *,
    maker_name: str = "",
    day: datetime.date | None = None,
    marks: dict[int, str] | None = None,
) -> bytes:
    """The register as a spreadsheet (never signed); `marks` (certificate pk → "certificate" |
    "class") fills the «Ký số» column."""
    marks = marks or {}
    book = SafeWorkbook()
    sheet = book.sheet(f"Sổ cấp GCN {year}")
    columns = len(XLSX_HEADER)
    header_row = xlsx_header(
        sheet,
        centre,
        columns=columns,
        title=f"{TITLE} NĂM {year}",
        lines=[],
        day=day or timezone.localdate(),
        split=5,
    )
    xlsx_table_header(sheet, header_row, XLSX_HEADER)
    sheet.worksheet.row_dimensions[header_row].height = 30
    row = header_row
    for index, certificate in enumerate(certificates, start=1):
        row += 1
        for column, value in enumerate(
            _xlsx_values(index, certificate, marks.get(certificate.pk, "")), start=1
        ):
            cell = sheet.write(row, column, value, border=True)
            cell.alignment = CENTRED if column in XLSX_CENTRED else WRAPPED
            if column in XLSX_DATES:
                cell.number_format = DATE_FORMAT
            elif column == 12:
                cell.number_format = "0.0"
    row += 2
    statement = sheet.write(row, 1, closing_statement(certificates))
    statement.alignment = WRAPPED
    sheet.worksheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    sheet.worksheet.row_dimensions[row].height = 30
    xlsx_signatures(sheet, row + 2, columns, signers(centre, maker_name))
    sheet.widths(XLSX_WIDTHS)
    xlsx_print_setup(
        sheet, landscape=True, title_rows=(header_row, header_row), freeze=f"A{header_row + 1}"
    )
    return book.to_bytes()
