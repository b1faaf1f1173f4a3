"""PDF in the Vietnamese administrative layout (DESIGN §6, §8a), built with reportlab's platypus.

A document is: the header (issuing body top left, motto top right, number and place-and-date line
under them), a centred title with optional subtitle lines, the body flowables, an optional
signature block with "Nơi nhận", and the page number at the top centre from the second page on. Every text goes
through NFC and is printed in the embedded serif (Tinos: Times New Roman metrics, full Vietnamese
glyphs). A draft prints "DỰ THẢO" across every page.

    from trungtam.documents import pdf
    body = [pdf.data_table([["STT", "Họ và tên"], ["1", "Nguyễn Văn An"]],
                           widths=[1, 6], total_width=pdf.content_width())]
    content = pdf.build_pdf(centre=centre, title="DANH SÁCH HỌC VIÊN", body=body,
                            signers=[pdf.Signer("GIÁM ĐỐC", "Trần Văn Bình")])
"""

import datetime
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as rotate
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from trungtam.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
    register_fonts,
)
from trungtam.documents.layout import date_line, issuer_lines, motto_lines
from trungtam.models import Centre, DocumentLayout

# Nghị định 30/2020/NĐ-CP, Phụ lục I: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
# The Party layout (Hướng dẫn 36-HD/VPTW) asks for about the same, so both use these.
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm

BODY_SIZE = 13
TABLE_SIZE = 11
CELL_PADDING_X = 3
CELL_PADDING_TOP = 2.5
CELL_PADDING_BOTTOM = 3
ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}


def nfc(text) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def markup(text) -> str:
    """Plain text made safe for a Paragraph: NFC, XML-escaped, line breaks kept."""
    return escape(nfc(text)).replace("\n", "<br/>")


def page_size(landscape: bool = False) -> tuple[float, float]:
    return rotate(A4) if landscape else A4


def content_width(landscape: bool = False) -> float:
    """Width between the margins, in points: 165 mm portrait, 252 mm landscape."""
    return page_size(landscape)[0] - MARGIN_LEFT - MARGIN_RIGHT


def content_height(landscape: bool = False) -> float:
    return page_size(landscape)[1] - MARGIN_TOP - MARGIN_BOTTOM


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Named paragraph styles, all in the embedded serif."""
    register_fonts()
    base = ParagraphStyle("body", fontName=SERIF, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.25)

    def style(name, **overrides):
        return ParagraphStyle(name, parent=base, **overrides)

    return {
        "body": base,
        "body_justify": style("body_justify", alignment=TA_JUSTIFY, firstLineIndent=10 * mm),
        "issuer": style("issuer", fontSize=12, leading=14.5, alignment=TA_CENTER),
        "issuer_bold": style(
            "issuer_bold", fontName=SERIF_BOLD, fontSize=12, leading=14.5, alignment=TA_CENTER
        ),
        "motto": style(
            "motto", fontName=SERIF_BOLD, fontSize=12, leading=14.5, alignment=TA_CENTER
        ),
        "motto_party": style(
            "motto_party", fontName=SERIF_BOLD, fontSize=15, leading=18, alignment=TA_CENTER
        ),
        "submotto": style(
            "submotto", fontName=SERIF_BOLD, fontSize=13, leading=15.5, alignment=TA_CENTER
        ),
        "number": style("number", fontSize=13, leading=15.5, alignment=TA_CENTER),
        "date": style(
            "date", fontName=SERIF_ITALIC, fontSize=13, leading=15.5, alignment=TA_CENTER
        ),
        "title": style(
            "title",
            fontName=SERIF_BOLD,
            fontSize=14,
            leading=17,
            alignment=TA_CENTER,
            spaceBefore=6 * mm,
        ),
        "subtitle": style(
            "subtitle", fontName=SERIF_BOLD, fontSize=13, leading=16, alignment=TA_CENTER
        ),
        "subtitle_plain": style("subtitle_plain", fontSize=13, leading=16, alignment=TA_CENTER),
        "heading": style("heading", fontName=SERIF_BOLD, spaceBefore=3 * mm, spaceAfter=1.5 * mm),
        "note": style("note", fontName=SERIF_ITALIC, fontSize=11, leading=13.5),
        "cell": style("cell", fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.2),
        "cell_header": style(
            "cell_header",
            fontName=SERIF_BOLD,
            fontSize=TABLE_SIZE,
            leading=TABLE_SIZE * 1.2,
            alignment=TA_CENTER,
        ),
        "sign_title": style(
            "sign_title", fontName=SERIF_BOLD, fontSize=13, leading=15.5, alignment=TA_CENTER
        ),
        "sign_note": style(
            "sign_note", fontName=SERIF_ITALIC, fontSize=12, leading=14.5, alignment=TA_CENTER
        ),
        "sign_name": style(
            "sign_name", fontName=SERIF_BOLD, fontSize=13, leading=15.5, alignment=TA_CENTER
        ),
        "recipients_heading": style(
            "recipients_heading", fontName=SERIF_BOLD_ITALIC, fontSize=12, leading=14
        ),
        "recipients": style("recipients", fontSize=11, leading=13),
        # Hướng dẫn 36-HD/VPTW: "Nơi nhận:" upright and underlined (the line kept clear of the
        # dots under ậ), the recipients in 12 pt.
        "recipients_heading_party": style(
            "recipients_heading_party",
            fontSize=14,
            leading=17,
            underlineOffset="-0.3*F",
            underlineWidth=0.5,
            spaceAfter=2,
        ),
        "recipients_party": style("recipients_party", fontSize=12, leading=14.5),
    }


def para(text, style: str | ParagraphStyle = "body", **overrides) -> Paragraph:
    """A paragraph of plain text (escaped, NFC); `overrides` adjust the named style."""
    chosen = styles()[style] if isinstance(style, str) else style
    if overrides:
        chosen = ParagraphStyle(f"{chosen.name}+", parent=chosen, **overrides)
    return Paragraph(markup(text), chosen)


class Rule(Flowable):
    """A horizontal line of a given width, centred in the space it is given."""

    def __init__(self, width: float, thickness: float = 0.6, space_before: float = 4.5):
        super().__init__()
        self.rule_width = width
        self.thickness = thickness
        self.space_before = space_before

    def wrap(self, available_width, available_height):
        self.available_width = available_width
        return available_width, self.space_before + self.thickness + 1

    def draw(self):
        x = (self.available_width - self.rule_width) / 2
        self.canv.setLineWidth(self.thickness)
        y = self.thickness / 2 + 1
        self.canv.line(x, y, x + self.rule_width, y)


def _text_width(text: str, style: ParagraphStyle) -> float:
    return stringWidth(nfc(text), style.fontName, style.fontSize)


def header_block(
    centre: Centre,
    *,
    width: float,
    date: datetime.date | None = None,
    number: str = "",
    place: str | None = None,
    fit_date: bool = False,
) -> Table:
    """Issuing body top left, motto top right; number (optional) and place-and-date under them.
    `fit_date` widens the right column so a long place-and-date line stays on one line; it is
    asked for by documents laid out after it existed (a final document's bytes never change)."""
    s = styles()
    state = centre.document_layout == DocumentLayout.STATE
    parent, name = issuer_lines(centre)
    mottos = motto_lines(centre)
    left: list[Flowable] = []
    if parent:
        left.append(para(parent, s["issuer"]))
    left.append(para(name, s["issuer_bold"]))
    if state:
        left.append(Rule(min(_text_width(name, s["issuer_bold"]), 30 * mm) * 0.9))
    else:
        left.append(para("*", s["issuer"]))
    right: list[Flowable] = []
    if state:
        right.append(para(mottos[0], s["motto"]))
        right.append(para(mottos[1], s["submotto"]))
        right.append(Rule(_text_width(mottos[1], s["submotto"])))
    else:
        # A rule under the motto rather than an underline, which would cut through the dots of Ộ, Ệ.
        right.append(para(mottos[0], s["motto_party"]))
        right.append(Rule(_text_width(mottos[0], s["motto_party"])))
    motto_needed = max(_text_width(m, s["motto"] if state else s["motto_party"]) for m in mottos)
    day = date or timezone.localdate()
    date_text = date_line(place or centre.place_name, day)
    # The place-and-date line stays on one line too: "TP. Hồ Chí Minh, ngày …… tháng …… năm ……"
    # is wider than 55% of the page (the column grows only when the line needs it).
    date_needed = _text_width(date_text, s["date"]) + 2 * mm if fit_date else 0
    right_width = min(max(width * 0.55, motto_needed + 8 * mm, date_needed), width - 55 * mm)
    left_width = width - right_width
    number_cell = para(number, s["number"]) if number else ""
    date_cell = para(date_text, s["date"])
    table = Table(
        [[left, right], [number_cell, date_cell]],
        colWidths=[left_width, right_width],
        hAlign="CENTER",
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), SERIF),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 4),
            ]
        )
    )
    return table


def title_block(title: str, subtitle: str | Sequence[str] = ()) -> list[Flowable]:
    """The centred bold title; subtitle lines under it (the first bold, the others plain)."""
    s = styles()
    flowables: list[Flowable] = [para(title, s["title"])]
    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    for index, line in enumerate(line for line in lines if line):
        flowables.append(para(line, s["subtitle"] if index == 0 else s["subtitle_plain"]))
    flowables.append(Spacer(1, 4 * mm))
    return flowables


def table_style(*, header_rows: int = 1, extra: Sequence[tuple] = ()) -> TableStyle:
    """Grid, bold centred header rows, cells centred vertically."""
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING_BOTTOM),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EDEDED")))
    commands.extend(extra)
    return TableStyle(commands)


def _prepared_rows(
    rows: Sequence[Sequence],
    *,
    widths: Sequence[float],
    total_width: float | None = None,
    header_rows: int = 1,
    align: Sequence[str] | None = None,
    font_size: float = TABLE_SIZE,
    min_row_height: float | None = None,
) -> tuple[list[list], list[float], list[float | None] | None]:
    """Cells as Paragraphs, column widths in points, row heights (None: as tall as needed)."""
    s = styles()
    leading = font_size * 1.2
    header = ParagraphStyle(
        "cell_header_sized", parent=s["cell_header"], fontSize=font_size, leading=leading
    )
    body_styles = {
        key: ParagraphStyle(
            f"cell_{key}", parent=s["cell"], fontSize=font_size, leading=leading, alignment=value
        )
        for key, value in ALIGNMENTS.items()
    }
    if total_width is not None:
        scale = total_width / sum(widths)
        col_widths = [w * scale for w in widths]
    else:
        col_widths = list(widths)
    columns = len(col_widths)
    align = list(align or ["left"] * columns)
    data = []
    for index, row in enumerate(rows):
        cells = []
        for column, value in enumerate(row):
            if isinstance(value, Flowable):
                cells.append(value)
            elif value is None or value == "":
                cells.append("")
            else:
                style = header if index < header_rows else body_styles[align[column]]
                cells.append(Paragraph(markup(value), style))
        data.append(cells)
    row_heights = None
    if min_row_height:
        # reportlab has no minimum row height: measure each body row and take the larger.
        row_heights = [None] * header_rows
        for cells in data[header_rows:]:
            needed = max(
                (
                    cell.wrap(col_widths[column] - 2 * CELL_PADDING_X, 10_000)[1]
                    for column, cell in enumerate(cells)
                    if isinstance(cell, Flowable)
                ),
                default=0,
            )
            row_heights.append(max(min_row_height, needed + CELL_PADDING_TOP + CELL_PADDING_BOTTOM))
    return data, col_widths, row_heights


def _table(data, col_widths, row_heights, header_rows, extra_style) -> Table:
    table = Table(
        data,
        colWidths=col_widths,
        rowHeights=row_heights,
        repeatRows=header_rows,
        hAlign="CENTER",
    )
    table.setStyle(table_style(header_rows=header_rows, extra=extra_style))
    return table


def data_table(
    rows: Sequence[Sequence],
    *,
    widths: Sequence[float],
    total_width: float | None = None,
    header_rows: int = 1,
    align: Sequence[str] | None = None,
    font_size: float = TABLE_SIZE,
    min_row_height: float | None = None,
    extra_style: Sequence[tuple] = (),
) -> Table:
    """A bordered table whose first `header_rows` rows are bold, centred and repeated on every page.

    `rows` include the header rows. A cell is text (wrapped in a Paragraph so long Vietnamese
    names and unit names break between words), a Flowable, or None. `widths` are relative
    weights scaled to `total_width` (points) or, without it, absolute widths in points.
    `align` gives each column's alignment for body cells: "left", "center" or "right".
    `min_row_height` (points) leaves room to sign; taller content still grows the row.
    `extra_style` adds TableStyle commands (spans for two-row headers, for instance).
    """
    data, col_widths, row_heights = _prepared_rows(
        rows,
        widths=widths,
        total_width=total_width,
        header_rows=header_rows,
        align=align,
        font_size=font_size,
        min_row_height=min_row_height,
    )
    return _table(data, col_widths, row_heights, header_rows, extra_style)


class TableTail(Flowable):
    """The last rows of a table; when they start a page, the header rows are printed above them."""

    def __init__(self, with_header: Table, without_header: Table):
        super().__init__()
        self.hAlign = "CENTER"
        self.with_header = with_header
        self.without_header = without_header
        self.chosen = without_header

    def wrap(self, available_width, available_height):
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and getattr(frame, "_atTop", False)
        self.chosen = self.with_header if at_top else self.without_header
        self.width, self.height = self.chosen.wrapOn(self.canv, available_width, available_height)
        return self.width, self.height

    def draw(self):
        self.chosen.drawOn(self.canv, 0, 0)


def data_table_parts(
    rows: Sequence[Sequence], *, keep_last: int = 3, header_rows: int = 1, **options
) -> tuple[Flowable, Flowable | None]:
    """`data_table` cut in two: the table, and its last `keep_last` rows as a `TableTail`.

    Put the tail in `build_pdf(closing=[tail, …])` so the signature page always carries the
    end of the table (a page with only signatures on it could be swapped). With no more body rows
    than `keep_last`, the tail is None and the whole table is the first part. `extra_style` may
    only address the header rows here.
    """
    if keep_last <= 0 or len(rows) - header_rows <= keep_last:
        return data_table(rows, header_rows=header_rows, **options), None
    extra_style = options.pop("extra_style", ())
    data, col_widths, row_heights = _prepared_rows(rows, header_rows=header_rows, **options)
    heights = row_heights or [None] * len(data)
    cut = len(data) - keep_last
    head = _table(data[:cut], col_widths, heights[:cut], header_rows, extra_style)
    with_header = _table(
        data[:header_rows] + data[cut:],
        col_widths,
        heights[:header_rows] + heights[cut:],
        header_rows,
        extra_style,
    )
    without_header = _table(data[cut:], col_widths, heights[cut:], 0, ())
    return head, TableTail(with_header, without_header)


@dataclass
class Signer:
    """One signature column: title lines in bold ("KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC"), the name."""

    title: str
    name: str = ""
    note: str = ""  # e.g. "(Ký, ghi rõ họ tên)"
    space: float = 24 * mm  # room to sign (and stamp)


@dataclass
class Recipients:
    """The "Nơi nhận" block printed bottom left. `party`: the Party layout's look (36-HD/VPTW,
    heading underlined); otherwise Nghị định 30/2020's (heading bold italic)."""

    lines: Sequence[str] = field(default_factory=list)
    heading: str = "Nơi nhận:"
    party: bool = False


# Where the issuing office keeps its copy, the last line of "Nơi nhận".
FILE_COPY = {DocumentLayout.PARTY: "Lưu Văn phòng", DocumentLayout.STATE: "Lưu: VT"}


def layout_recipients(centre: Centre, lines: Sequence[str]) -> Recipients:
    """The "Nơi nhận" block in the centre's layout: one recipient a line ending with ";", then
    the office's own copy ending with "." — "Lưu Văn phòng." (Party), "Lưu: VT." (State)."""
    party = centre.document_layout != DocumentLayout.STATE
    names = [line.strip().rstrip(";,.").strip() for line in lines if line.strip()]
    file_copy = FILE_COPY[DocumentLayout.PARTY if party else DocumentLayout.STATE]
    return Recipients(lines=[*(f"{name};" for name in names), f"{file_copy}."], party=party)


def signature_block(
    signers: Sequence[Signer], *, width: float, recipients: Recipients | Sequence[str] = ()
) -> list[Flowable]:
    """Signature columns across the page, the last one on the right; "Nơi nhận" bottom left.

    One signer sits in the right half. With recipients, they take the left column. Returns the
    flowables; wrap them in KeepTogether (build_pdf does, with its `closing`) — not nested in
    another KeepTogether, which reportlab would always push to a new page.
    """
    s = styles()
    if recipients and not isinstance(recipients, Recipients):
        recipients = Recipients(lines=list(recipients))
    # Three rows — titles and notes, room to sign, names — so every name sits on one line.
    titles: list[list[Flowable] | str] = []
    names: list[Flowable | str] = []
    for signer in signers:
        block = [para(line, s["sign_title"]) for line in nfc(signer.title).split("\n")]
        if signer.note:
            block.append(para(signer.note, s["sign_note"]))
        titles.append(block)
        names.append(para(signer.name, s["sign_name"]) if signer.name else "")
    room = max((signer.space for signer in signers), default=0)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), SERIF),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    if recipients:
        if recipients.party:
            heading = Paragraph(
                f"<u>{markup(recipients.heading)}</u>", s["recipients_heading_party"]
            )
            line_style = s["recipients_party"]
        else:
            heading = para(recipients.heading, s["recipients_heading"])
            line_style = s["recipients"]
        block = [heading, *(para(f"- {line}", line_style) for line in recipients.lines)]
        titles.insert(0, block)
        names.insert(0, "")
        commands.append(("SPAN", (0, 0), (0, 2)))
    elif len(signers) == 1:
        titles.insert(0, "")
        names.insert(0, "")
    if not titles:
        return []
    count = len(titles)
    col_widths = [width / count] * count
    if count == 2:
        col_widths = [width * 0.45, width * 0.55]
    table = Table(
        [titles, [""] * count, names],
        colWidths=col_widths,
        rowHeights=[None, room, None],
        hAlign="CENTER",
    )
    table.setStyle(TableStyle(commands))
    return [Spacer(1, 4 * mm), table]


PAGE_NUMBER_SIZE = 13


def draw_page_number(canvas: Canvas, number: int, *, landscape: bool = False) -> None:
    """The page number as Nghị định 30/2020 (Phụ lục I, mục II.4) and Hướng dẫn 36-HD/VPTW place
    it: Arabic digits, upright, centred in the top margin, none on the first page."""
    if number < 2:
        return
    width, height = page_size(landscape)
    canvas.saveState()
    canvas.setFont(SERIF, PAGE_NUMBER_SIZE)
    canvas.drawCentredString(
        MARGIN_LEFT + (width - MARGIN_LEFT - MARGIN_RIGHT) / 2,
        height - MARGIN_TOP / 2 - PAGE_NUMBER_SIZE / 3,
        str(number),
    )
    canvas.restoreState()


def draw_draft_mark(canvas: Canvas, *, landscape: bool = False) -> None:
    """ "DỰ THẢO" boxed at the top right and faintly across the page."""
    width, height = page_size(landscape)
    canvas.saveState()
    canvas.setFont(SERIF_BOLD, 12)
    canvas.setFillColor(colors.HexColor("#B00000"))
    canvas.setStrokeColor(colors.HexColor("#B00000"))
    label = nfc("DỰ THẢO")
    label_width = canvas.stringWidth(label, SERIF_BOLD, 12)
    x = width - MARGIN_RIGHT - label_width - 6
    y = height - MARGIN_TOP / 2 - 4
    canvas.rect(x - 4, y - 4, label_width + 8, 17, stroke=1, fill=0)
    canvas.drawString(x, y, label)
    canvas.setFillColor(colors.HexColor("#B00000"), alpha=0.12)
    canvas.setFont(SERIF_BOLD, 90)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35 if not landscape else 20)
    canvas.drawCentredString(0, -30, label)
    canvas.restoreState()


def _on_page(draft: bool, landscape: bool):
    """What every page carries besides its content: the page number (from page 2), the draft."""

    def decorate(canvas: Canvas, document) -> None:
        draw_page_number(canvas, canvas.getPageNumber(), landscape=landscape)
        if draft:
            draw_draft_mark(canvas, landscape=landscape)

    return decorate


def build_pdf(
    *,
    centre: Centre,
    title: str,
    body: Sequence[Flowable],
    subtitle: str | Sequence[str] = (),
    date: datetime.date | None = None,
    number: str = "",
    place: str | None = None,
    landscape: bool = False,
    closing: Sequence[Flowable] = (),
    signers: Sequence[Signer] = (),
    recipients: Recipients | Sequence[str] = (),
    draft: bool = False,
    author: str = "",
    invariant: bool = False,
    fit_date: bool = False,
    signature_places: list | None = None,
) -> bytes:
    """The whole document as PDF bytes: header, title, `body`, signatures, page numbers.

    `date` is the date printed in the place-and-date line (default: today); `number` the
    document number as `layout.document_number` writes it ("Số 12-BC/TTCT"), or empty.
    `closing` (a total line, a legend) is kept on the same page as the signature block.
    `invariant` fixes the PDF's internal dates and ids, so the same content gives the same bytes
    (for documents that must reprint identically); `fit_date` see `header_block`.
    `signature_places`, a list, receives the
    `SignaturePlace` of the signature block: after the build its `.box` and `.page` say where
    the last signer signs (the visible digital signature's box, issue 18).
    """
    register_fonts()
    width = content_width(landscape)
    story: list[Flowable] = [
        header_block(centre, width=width, date=date, number=number, place=place, fit_date=fit_date),
        *title_block(title, subtitle),
        *body,
    ]
    ending: list[Flowable] = list(closing)
    if signers or recipients:
        block = signature_block(signers, width=width, recipients=recipients)
        ending += block
        if signature_places is not None:
            from trungtam.documents.signature_place import SignaturePlace

            place = SignaturePlace(block)
            ending.append(place)
            signature_places.append(place)
        if not closing and len(story) > 2 and isinstance(story[-1], Paragraph):
            # A signature never stands alone on a page (such a page could be swapped): the last
            # paragraph of the text goes with it.
            ending.insert(0, story.pop())
    if ending:
        story.append(KeepTogether(ending))
    buffer = BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=page_size(landscape),
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=nfc(title),
        author=nfc(author or centre.name),
        subject=nfc(" – ".join([title, *([subtitle] if isinstance(subtitle, str) else subtitle)])),
        creator="trungtam",
        invariant=invariant,
        # Otherwise every page names Helvetica, a font that is not embedded.
        initialFontName=SERIF,
        initialFontSize=BODY_SIZE,
    )
    # No frame padding: the margins above are the whole white border, and tables drawn with
    # content_width() fill exactly the space between them.
    frame = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        width,
        content_height(landscape),
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=_on_page(draft, landscape))]
    )
    document.build(story)
    return buffer.getvalue()
