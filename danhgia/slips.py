"""The slips PDF: one slip per unused code, eight to an A4 page with cut lines; each slip shows
the centre, the class and its dates, the code, a QR code opening the public form with the code
filled in, how to answer, and the class's public links. Served by the class page and by
`manage.py evaluation_codes`."""

from io import BytesIO

from django.conf import settings
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from danhgia.models import EvaluationCode
from lophoc import panels
from lophoc.documents.certificates import draw_qr, fitted_size, grouped_code, wrapped_fit
from lophoc.models import Course
from trungtam.documents.fonts import SERIF, SERIF_BOLD, SERIF_ITALIC, register_fonts
from trungtam.text import normalize_text

COLUMNS, ROWS = 2, 4
PADDING = 6 * mm
QR_SIZE = 28 * mm
LINK_QR_SIZE = 16 * mm  # the class's first public link (its materials): typed addresses are long


def public_url(path: str) -> str:
    return path if "://" in path else settings.PUBLIC_BASE_URL.rstrip("/") + path


def form_url(code: str | None = None) -> str:
    """The public form's address; with a code, the address its slip's QR code opens."""
    path = reverse("danhgia:public_form")
    return public_url(path + (f"?ma={code}" if code else ""))


def class_links(course: Course) -> list[tuple[str, str]]:
    """The class's public links (materials …) as absolute addresses, from the apps that give any."""
    return [
        (label, public_url(url))
        for answer in panels.public_class_links(course)
        for label, url in answer
    ]


def _dates(course: Course) -> str:
    return f"Từ ngày {course.start_date:%d/%m/%Y} đến ngày {course.end_date:%d/%m/%Y}"


def _slip(canvas: Canvas, course, links, code: str, x: float, y: float, w: float, h: float):
    """One slip with its top-left corner at (x, y + h)."""
    left = x + PADDING
    top = y + h - PADDING
    text_width = w - 2 * PADDING - QR_SIZE - 3 * mm
    full_width = w - 2 * PADDING
    link_width = full_width - LINK_QR_SIZE - 3 * mm

    def line(text, font, size, baseline, width=text_width):
        size = fitted_size(text, font, size, width)
        canvas.setFont(font, size)
        canvas.drawString(left, baseline, normalize_text(text))

    line(course.centre.name.upper(), SERIF_BOLD, 8, top - 3 * mm)
    line("PHIẾU ĐÁNH GIÁ KHÓA HỌC", SERIF_BOLD, 11, top - 8.5 * mm)
    names, size = wrapped_fit(course.name, SERIF, 9, text_width, 2)
    canvas.setFont(SERIF, size)
    for index, name in enumerate(names):
        canvas.drawString(left, top - (13.5 + 4 * index) * mm, normalize_text(name))
    line(_dates(course), SERIF_ITALIC, 8.5, top - 22 * mm)
    canvas.setFont(SERIF, 8)
    canvas.drawString(left, top - 27.5 * mm, "Mã phiếu:")
    canvas.setFont(SERIF_BOLD, 20)
    canvas.drawString(left, top - 35 * mm, grouped_code(code))
    draw_qr(canvas, form_url(code), x + w - PADDING - QR_SIZE, top - QR_SIZE - 1 * mm, QR_SIZE)

    site = form_url().split("://", 1)[-1]
    instructions = [
        f"Quét mã QR bằng điện thoại, hoặc mở {site} và nhập mã phiếu.",
        "Không ghi tên. Mỗi mã chỉ dùng được một lần; phiếu không gắn với người học.",
    ]
    baseline = top - 41.5 * mm
    for text in instructions:
        line(text, SERIF, 8, baseline, full_width)
        baseline -= 4 * mm
    if links:
        label, url = links[0]
        qr_x = x + w - PADDING - LINK_QR_SIZE
        draw_qr(canvas, url, qr_x, y + PADDING - 2 * mm, LINK_QR_SIZE)
        line(f"{label}: quét mã QR bên cạnh, hoặc mở", SERIF_ITALIC, 8, baseline, link_width)
        line(url.split("://", 1)[-1], SERIF, 8, baseline - 3.8 * mm, link_width)
        baseline -= 8 * mm
    for label, url in links[1:3]:
        line(f"{label}: {url.split('://', 1)[-1]}", SERIF_ITALIC, 7.5, baseline, link_width)
        baseline -= 3.6 * mm


def slips_pdf(course: Course, codes: list[EvaluationCode]) -> bytes:
    register_fonts()
    links = class_links(course)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(normalize_text(f"Phiếu mã đánh giá khóa học – {course.code}"))
    page_w, page_h = A4
    w, h = page_w / COLUMNS, page_h / ROWS
    per_page = COLUMNS * ROWS
    for start in range(0, len(codes), per_page):
        chunk = codes[start : start + per_page]
        for index, code in enumerate(chunk):
            column, row = index % COLUMNS, index // COLUMNS
            _slip(canvas, course, links, code.code, column * w, page_h - (row + 1) * h, w, h)
        # Cut lines.
        canvas.saveState()
        canvas.setStrokeColor(colors.grey)
        canvas.setLineWidth(0.4)
        canvas.setDash(3, 3)
        for column in range(1, COLUMNS):
            canvas.line(column * w, 0, column * w, page_h)
        for row in range(1, ROWS):
            canvas.line(0, row * h, page_w, row * h)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def slips_filename(course: Course) -> str:
    return f"phieu-ma-danh-gia-{course.file_code}.pdf"
