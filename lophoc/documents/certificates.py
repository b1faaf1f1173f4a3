"""Giấy chứng nhận as PDF (DESIGN §6, §8): one certificate per page, from the frozen record only.

Everything printed comes from the fields copied onto the Certificate when it was issued (never the
live trainee or class), so a certificate reprints identically whatever changed since; only the
centre's page frame (its name, layout and page size) is read from `certificate.centre`.

Two modes:
- "full": the whole certificate on plain paper — double-rule border, issuing body and motto,
  "GIẤY CHỨNG NHẬN", the variable fields, signature block, numbers, verification code and QR.
- "blank" (in trên phôi): only the variable fields — the signer's title lines included, so a
  deputy's certificate never reads as the director's on a blank that says GIÁM ĐỐC — at the
  positions in millimetres the centre set (`Centre.certificate_blank_positions`, merged over
  DEFAULT_BLANK_POSITIONS), for printing on pre-printed blanks. `calibration_pdf` prints a millimetre grid with every field at its position
  so staff can print it on a blank and measure.

The page is designed in A4-landscape millimetres and scaled down as a whole for A5.
"""

import datetime
from io import BytesIO

from django.conf import settings
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from lophoc.certificates import class_phrase, signer_title_lines
from lophoc.models import Certificate
from lophoc.verification import verification_url
from trungtam.documents.fonts import (
    SERIF,
    SERIF_BOLD,
    SERIF_BOLD_ITALIC,
    SERIF_ITALIC,
    register_fonts,
)
from trungtam.documents.layout import (
    PARTY_MOTTO,
    STATE_MOTTO,
    STATE_SUBMOTTO,
    date_line,
    issuer_lines,
)
from trungtam.models import Centre, DocumentLayout, LeaderRole
from trungtam.models.base import signing_title
from trungtam.text import normalize_text

TITLE = "GIẤY CHỨNG NHẬN"
MODES = ("full", "blank")
DESIGN_WIDTH = 297.0  # mm: every position below is on A4 landscape, scaled for A5

# Field → (x_mm, y_mm) from the top-left corner of an A4-landscape blank. Texts are placed by
# the left end of their baseline, except the centred ones; the QR code by its top-left corner.
DEFAULT_BLANK_POSITIONS: dict[str, tuple[float, float]] = {
    "full_name": (95, 80),
    "date_of_birth": (95, 90),
    "unit": (95, 100),
    "program": (60, 110),
    "dates": (60, 132),
    "classification": (95, 142),
    "date_line": (210, 154),
    "signer_title": (210, 161),
    "signer_name": (210, 188),
    "number": (40, 170),
    "register_number": (40, 178),
    "code": (40, 186),
    "qr": (100, 160),
}
BLANK_FIELD_LABELS = {
    "full_name": "Họ và tên",
    "date_of_birth": "Ngày sinh",
    "unit": "Đơn vị",
    "program": "Lời văn chứng nhận (lớp, nơi học, thời gian)",
    "dates": "Thời gian học (khi lời văn chưa ghi ngày)",
    "classification": "Xếp loại",
    "date_line": "Địa danh, ngày cấp (căn giữa)",
    "signer_title": "Chức danh người ký (căn giữa)",
    "signer_name": "Người ký (căn giữa)",
    "number": "Số",
    "register_number": "Số vào sổ",
    "code": "Mã xác thực",
    "qr": "Mã QR (góc trên bên trái)",
}
CENTRED_FIELDS = {"date_line", "signer_title", "signer_name"}
TITLE_LINE_STEP = 6  # mm between the signer's title lines (A4; scaled for A5)
QR_SIZE = 28  # mm on A4
PAGE_SIZES_MM = {"a4": (297.0, 210.0), "a5": (210.0, 148.0)}


def page_size_mm(centre: Centre) -> tuple[float, float]:
    return PAGE_SIZES_MM["a5" if centre.certificate_page_size == "a5" else "a4"]


def blank_positions(centre: Centre) -> dict[str, tuple[float, float]]:
    """Every field's position in mm on this centre's page: defaults (scaled to the page size)
    overridden by what the centre set."""
    scale = page_size_mm(centre)[0] / DESIGN_WIDTH
    positions = {
        field: (round(x * scale, 1), round(y * scale, 1))
        for field, (x, y) in DEFAULT_BLANK_POSITIONS.items()
    }
    for field, value in (centre.certificate_blank_positions or {}).items():
        if field in positions and isinstance(value, list | tuple) and len(value) == 2:
            try:
                positions[field] = (float(value[0]), float(value[1]))
            except (TypeError, ValueError):
                continue
    return positions


def grouped_code(code: str) -> str:
    """ABCD2345 → ABCD-2345: easier to read from paper and type back."""
    return f"{code[:4]}-{code[4:]}" if len(code) > 4 else code


def _date(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def program_text(certificate: Certificate) -> str:
    """The sentence about the course frozen at issue (a record without one: the class, once)."""
    if certificate.completion_text.strip():
        return certificate.completion_text
    return f"Đã hoàn thành {class_phrase(certificate.course_name)}"


def dates_text(certificate: Certificate) -> str:
    return f"Từ ngày {_date(certificate.course_start)} đến ngày {_date(certificate.course_end)}"


def needs_dates_line(certificate: Certificate) -> bool:
    """The dates get their own line only when the sentence does not already give them."""
    sentence = program_text(certificate)
    return not (
        _date(certificate.course_start) in sentence and _date(certificate.course_end) in sentence
    )


def classification_label(certificate: Certificate) -> str:
    return certificate.get_classification_display() if certificate.classification else ""


def qr_modules(url: str) -> tuple[list[tuple[float, float, float, float]], float]:
    """The dark squares (x, y, width, height) of a QR code of `url` and the code's side, quiet
    zone included, in the encoder's units (reportlab's own encoder; no extra dependency)."""
    rectangles = QrCodeWidget(url, barLevel="M").draw().contents  # encodes the URL once
    # The unfilled rectangle is the frame (the code's side); the filled ones are the modules.
    frame = next(r for r in rectangles if r.fillColor is None)
    squares = [(r.x, r.y, r.width, r.height) for r in rectangles if r.fillColor is not None]
    return squares, frame.width


def draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code with its lower-left corner at (x, y), `size` points square (drawn as plain
    rectangles, so the PDF references no font but the embedded one)."""
    squares, side = qr_modules(url)
    scale = size / side
    canvas.saveState()
    canvas.setFillColor(colors.black)
    for sx, sy, width, height in squares:
        canvas.rect(x + sx * scale, y + sy * scale, width * scale, height * scale, 0, 1)
    canvas.restoreState()


def fitted_size(text: str, font: str, size: float, width: float, minimum: float = 6) -> float:
    """The largest size ≤ `size` at which `text` fits in `width` points."""
    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if line and stringWidth(candidate, font, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def wrapped_fit(
    text: str, font: str, size: float, width: float, max_lines: int
) -> tuple[list[str], float]:
    """Wrap to at most `max_lines`, shrinking the font until it does (and every line fits)."""
    while True:
        lines = wrap(text, font, size, width)
        fits = all(stringWidth(line, font, size) <= width for line in lines)
        if (len(lines) <= max_lines and fits) or size <= 6:
            return lines, size
        size -= 0.25


class _Page:
    """Drawing on one page in A4-landscape millimetres from the top-left, scaled to the page."""

    def __init__(self, canvas: Canvas, centre: Centre):
        self.canvas = canvas
        self.width_mm, self.height_mm = page_size_mm(centre)
        self.scale = self.width_mm / DESIGN_WIDTH

    def x(self, x_mm: float) -> float:
        return x_mm * self.scale * mm

    def y(self, y_mm: float) -> float:
        return (self.height_mm - y_mm * self.scale) * mm

    def pt(self, size: float) -> float:
        return size * self.scale

    def text(self, x_mm, y_mm, text, font=SERIF, size=13, width_mm=None, align="left") -> float:
        """Draw one line, shrunk to fit `width_mm`; returns the width drawn (points)."""
        text = normalize_text(text)
        size = self.pt(size)
        if width_mm is not None:
            size = fitted_size(text, font, size, width_mm * self.scale * mm)
        self.canvas.setFont(font, size)
        x, y = self.x(x_mm), self.y(y_mm)
        if align == "centre":
            self.canvas.drawCentredString(x, y, text)
        else:
            self.canvas.drawString(x, y, text)
        return stringWidth(text, font, size)

    def label_value(self, x_mm, y_mm, label, value, size, value_font, value_size, right_mm):
        """'Label: value' — the label regular, the value in its own font, shrunk to fit."""
        drawn = self.text(x_mm, y_mm, label, SERIF, size)
        gap = stringWidth(" ", SERIF, self.pt(size))
        value_x = x_mm + (drawn + gap) / (self.scale * mm)
        self.text(value_x, y_mm, value, value_font, value_size, width_mm=right_mm - value_x)

    def rule(self, x0_mm, x1_mm, y_mm, width=0.6):
        self.canvas.setLineWidth(width)
        self.canvas.line(self.x(x0_mm), self.y(y_mm), self.x(x1_mm), self.y(y_mm))

    def qr(self, x_mm, y_mm, url, size_mm=QR_SIZE):
        size = size_mm * self.scale * mm
        draw_qr(self.canvas, url, self.x(x_mm), self.y(y_mm) - size, size)


def _page_size(centre: Centre):
    return landscape(A5 if centre.certificate_page_size == "a5" else A4)


def _full_page(page: _Page, certificate: Certificate) -> None:
    centre = certificate.centre
    c = page.canvas
    # Decorative double rule.
    c.setStrokeColor(colors.HexColor("#7a1f1f"))
    c.setLineWidth(page.pt(2.2))
    c.rect(page.x(8), page.y(202), page.x(281), page.x(194))
    c.setLineWidth(page.pt(0.7))
    c.rect(page.x(11), page.y(199), page.x(275), page.x(188))
    c.setStrokeColor(colors.black)

    # Issuing body (top left) and motto (top right), each centred on its half.
    issuer = issuer_lines(centre)
    page.text(78, 24, issuer[0], SERIF, 11.5, width_mm=118, align="centre")
    lines, size = wrapped_fit(
        normalize_text(issuer[1]), SERIF_BOLD, page.pt(11.5), 118 * page.scale * mm, 2
    )
    c.setFont(SERIF_BOLD, size)
    y = 30
    for line in lines:
        c.drawCentredString(page.x(78), page.y(y), line)
        y += 5
    page.rule(66, 90, y - 2.5)
    if centre.document_layout == DocumentLayout.STATE:
        page.text(210, 24, STATE_MOTTO, SERIF_BOLD, 12, width_mm=124, align="centre")
        drawn = page.text(210, 30, STATE_SUBMOTTO, SERIF_BOLD, 13, align="centre")
        half = drawn / (2 * page.scale * mm)
        page.rule(210 - half, 210 + half, 32)
    else:
        drawn = page.text(210, 24, PARTY_MOTTO, SERIF_BOLD, 13, align="centre")
        half = drawn / (2 * page.scale * mm)
        page.rule(210 - half, 210 + half, 26.5)

    page.text(148.5, 54, TITLE, SERIF_BOLD, 32, align="centre")

    left, right = 38, 262
    width = right - left
    page.label_value(
        left,
        70,
        f"Chứng nhận: {certificate.salutation}".strip(),
        certificate.full_name,
        15,
        SERIF_BOLD,
        20,
        right,
    )
    page.text(left, 80, f"Sinh ngày: {_date(certificate.date_of_birth)}", SERIF, 14)
    y = 89
    if certificate.unit_name:
        page.text(left, y, f"Đơn vị công tác: {certificate.unit_name}", SERIF, 14, width_mm=width)
        y += 9
    lines, size = wrapped_fit(
        normalize_text(program_text(certificate)), SERIF, page.pt(14), width * page.scale * mm, 3
    )
    c.setFont(SERIF, size)
    step = size / page.scale / mm * 1.35  # line height in design mm
    for line in lines:
        c.drawString(page.x(left), page.y(y), line)
        y += step
    y -= step
    if needs_dates_line(certificate):
        y += 9
        page.text(left, y, dates_text(certificate), SERIF, 14)
    label = classification_label(certificate)
    if label:
        y += 9
        page.label_value(left, y, "Xếp loại:", label, 14, SERIF_BOLD, 14, right)

    # Signature block (right).
    page.text(
        208,
        143,
        date_line(centre.place_name, certificate.issued_on),
        SERIF_ITALIC,
        13,
        width_mm=100,
        align="centre",
    )
    title_lines = signer_title_lines(certificate.signer_title)
    y = 150
    for line in title_lines[:3]:
        page.text(208, y, line.upper(), SERIF_BOLD, 13, width_mm=100, align="centre")
        y += 6
    page.text(208, 190, certificate.signer_name, SERIF_BOLD, 14, width_mm=100, align="centre")

    # Numbers, code and QR (bottom left).
    page.qr(20, 160, verification_url(certificate.verification_code))
    page.text(51, 166, f"Số: {certificate.number}", SERIF, 12, width_mm=92)
    page.text(51, 173, f"Số vào sổ: {certificate.register_number}", SERIF, 12, width_mm=92)
    page.label_value(
        51,
        180,
        "Mã xác thực:",
        grouped_code(certificate.verification_code),
        12,
        SERIF_BOLD,
        13,
        143,
    )
    page.text(51, 186, "Quét mã QR hoặc tra cứu số và mã tại:", SERIF_ITALIC, 9.5, width_mm=92)
    page.text(51, 191, _public_site(), SERIF_ITALIC, 9.5, width_mm=92)


def _public_site() -> str:
    return settings.PUBLIC_BASE_URL.split("://", 1)[-1]


def _blank_texts(certificate: Certificate) -> dict[str, tuple[str, str]]:
    """Field → (text, font) printed on a blank."""
    return {
        "full_name": (certificate.full_name, SERIF_BOLD),
        "date_of_birth": (_date(certificate.date_of_birth), SERIF),
        "unit": (certificate.unit_name, SERIF),
        "program": (program_text(certificate), SERIF),
        "dates": (dates_text(certificate) if needs_dates_line(certificate) else "", SERIF),
        "classification": (classification_label(certificate), SERIF_BOLD),
        "date_line": (
            date_line(certificate.centre.place_name, certificate.issued_on),
            SERIF_ITALIC,
        ),
        "signer_title": ("\n".join(signer_title_lines(certificate.signer_title)), SERIF_BOLD),
        "signer_name": (certificate.signer_name, SERIF_BOLD),
        "number": (certificate.number, SERIF),
        "register_number": (certificate.register_number, SERIF),
        "code": (grouped_code(certificate.verification_code), SERIF_BOLD),
    }


def _blank_page(page: _Page, certificate: Certificate, positions=None) -> None:
    """Only the variable fields, each at its position (real mm on the page, not scaled)."""
    positions = positions or blank_positions(certificate.centre)
    c = page.canvas
    width_mm = page.width_mm
    size = 14 * page.scale
    for field, (text, font) in _blank_texts(certificate).items():
        if not text:
            continue
        x_mm, y_mm = positions[field]
        x, y = x_mm * mm, (page.height_mm - y_mm) * mm
        if field == "signer_title":
            room = 2 * min(x_mm, width_mm - x_mm) - 10
            for index, line in enumerate(text.split("\n")[:3]):
                line = normalize_text(line).upper()
                fitted = fitted_size(line, font, size, room * mm)
                c.setFont(font, fitted)
                c.drawCentredString(x, y - index * TITLE_LINE_STEP * page.scale * mm, line)
            continue
        text = normalize_text(text)
        if field in CENTRED_FIELDS:
            room = 2 * min(x_mm, width_mm - x_mm) - 10
            fitted = fitted_size(text, font, size, room * mm)
            c.setFont(font, fitted)
            c.drawCentredString(x, y, text)
        elif field == "program":
            lines, fitted = wrapped_fit(text, font, size, (width_mm - x_mm - 12) * mm, 3)
            c.setFont(font, fitted)
            for index, line in enumerate(lines):
                c.drawString(x, y - index * fitted * 1.35, line)
        else:
            fitted = fitted_size(text, font, size, max(width_mm - x_mm - 12, 20) * mm)
            c.setFont(font, fitted)
            c.drawString(x, y, text)
    x_mm, y_mm = positions["qr"]
    qr_size = QR_SIZE * page.scale * mm
    draw_qr(
        c,
        verification_url(certificate.verification_code),
        x_mm * mm,
        (page.height_mm - y_mm) * mm - qr_size,
        qr_size,
    )


def _new_canvas(buffer: BytesIO, centre: Centre, title: str) -> Canvas:
    register_fonts()
    # invariant: the same certificates give the same bytes, so a kept signed copy is found again
    # (trungtam.signing.documents keys copies by the SHA-256 of the unsigned document).
    canvas = Canvas(
        buffer,
        pagesize=_page_size(centre),
        pageCompression=1,
        initialFontName=SERIF,
        invariant=1,
    )
    canvas.setTitle(title)
    canvas.setAuthor(normalize_text(centre.name))
    return canvas


def certificates_pdf(certificates: list[Certificate], *, mode: str = "full") -> bytes:
    """One page per certificate, printed from its frozen fields (mode "full" or "blank")."""
    if mode not in MODES:
        raise ValueError(f"Unknown certificate mode: {mode}")
    if not certificates:
        raise ValueError("No certificate to print")
    buffer = BytesIO()
    canvas = None
    for certificate in certificates:
        centre = certificate.centre
        if canvas is None:
            canvas = _new_canvas(buffer, centre, TITLE)
        else:
            canvas.setPageSize(_page_size(centre))
        page = _Page(canvas, centre)
        if mode == "full":
            _full_page(page, certificate)
        else:
            _blank_page(page, certificate)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# Where the director signs on the full layout (design mm from the top-left): between the signer's
# title lines (at most three, the last at 162) and the name (baseline 190), centred under them.
SIGNATURE_AREA = {"centre_x": 208, "top": 165.5, "bottom": 184.5, "width": 68}


def signature_box(centre: Centre) -> tuple[float, float, float, float]:
    """The digital signature's visible box (x1, y1, x2, y2 in points from the bottom-left) on a
    full-layout certificate of this centre: the space left for the director's signature and seal,
    clear of every printed line."""
    width_mm, height_mm = page_size_mm(centre)
    scale = width_mm / DESIGN_WIDTH
    area = SIGNATURE_AREA
    x1 = (area["centre_x"] - area["width"] / 2) * scale * mm
    x2 = (area["centre_x"] + area["width"] / 2) * scale * mm
    y1 = (height_mm - area["bottom"] * scale) * mm
    y2 = (height_mm - area["top"] * scale) * mm
    return (x1, y1, x2, y2)


def sample_certificate(centre: Centre) -> Certificate:
    """An unsaved certificate with sample data (long name and titles) for previews; never stored."""
    today = datetime.date.today()
    start, end = datetime.date(today.year, 1, 5), datetime.date(today.year, 6, 30)
    return Certificate(
        centre=centre,
        year=today.year,
        sequence=123,
        number="123-GCN/TTCT" if centre.document_layout != DocumentLayout.STATE else "123/GCN-TTCT",
        register_number="123",
        issued_on=today,
        verification_code="ABCD2345",
        signer_title=signing_title(LeaderRole.DEPUTY, centre.document_layout),
        signer_name="Nguyễn Thị Phương Thảo",
        salutation="Bà",
        full_name="Tôn Nữ Hoàng Thị Phương Quỳnh Nguyễn Như",
        date_of_birth=datetime.date(1985, 2, 5),
        unit_name="Ủy ban Mặt trận Tổ quốc Việt Nam phường Phú Lợi",
        course_code="TCLLCT-01/2026",
        course_name="Trung cấp lý luận chính trị – hành chính hệ không tập trung khóa 01",
        program_name="Trung cấp lý luận chính trị – hành chính dành cho cán bộ, công chức cấp xã",
        course_start=start,
        course_end=end,
        completion_text=(
            "Đã hoàn thành lớp trung cấp lý luận chính trị – hành chính hệ không tập trung khóa 01 "
            "tổ chức tại Hội trường Trung tâm Chính trị phường Phú Lợi "
            f"từ ngày {_date(start)} đến ngày {_date(end)}"
        ),
        classification="good",
    )


def calibration_pdf(centre: Centre) -> bytes:
    """A test page for printing on blanks: a mm grid (10 mm lines labelled) and every field's
    sample text at its position, marked with a small cross at the anchor point."""
    buffer = BytesIO()
    canvas = _new_canvas(buffer, centre, "Trang căn chỉnh in phôi giấy chứng nhận")
    page = _Page(canvas, centre)
    width_mm, height_mm = page.width_mm, page.height_mm
    for step, grey, line_width in ((1, 0.9, 0.2), (5, 0.75, 0.3), (10, 0.45, 0.5)):
        canvas.setStrokeColor(colors.Color(grey, grey, grey))
        canvas.setLineWidth(line_width)
        for x in range(0, int(width_mm) + 1, step):
            canvas.line(x * mm, 0, x * mm, height_mm * mm)
        for y in range(0, int(height_mm) + 1, step):
            canvas.line(0, (height_mm - y) * mm, width_mm * mm, (height_mm - y) * mm)
    canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
    canvas.setFont(SERIF, 6)
    for x in range(10, int(width_mm), 10):
        canvas.drawCentredString(x * mm, (height_mm - 3.5) * mm, str(x))
    for y in range(10, int(height_mm), 10):
        canvas.drawString(1 * mm, (height_mm - y) * mm + 0.6 * mm, str(y))
    canvas.setFillColor(colors.black)

    positions = blank_positions(centre)
    _blank_page(page, sample_certificate(centre), positions)
    canvas.setStrokeColor(colors.red)
    canvas.setFillColor(colors.red)
    canvas.setLineWidth(0.6)
    canvas.setFont(SERIF_BOLD_ITALIC, 6.5)
    for field, (x_mm, y_mm) in positions.items():
        x, y = x_mm * mm, (height_mm - y_mm) * mm
        canvas.line(x - 2 * mm, y, x + 2 * mm, y)
        canvas.line(x, y - 2 * mm, x, y + 2 * mm)
        label = f"{BLANK_FIELD_LABELS[field]} ({x_mm:g}; {y_mm:g})"
        if field == "signer_title":
            # Right of the title lines: above them is the date line.
            canvas.drawString(x + 25 * page.scale * mm, y, label)
            continue
        canvas.drawString(
            x + 1 * mm, y + 1.2 * mm + (14 * page.scale if field != "qr" else 0), label
        )
    canvas.setFillColor(colors.black)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
