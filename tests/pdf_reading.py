"""Reading PDFs back as a signer reads them: where on the page a text stands."""

from io import BytesIO

from pypdf import PdfReader

from trungtam.documents import pdf


def page_numbers(content: bytes) -> list[str]:
    """Per page, the text printed in the top margin's middle third (the page number), or ""."""
    found = []
    for page in PdfReader(BytesIO(content)).pages:
        width = float(page.mediabox.width)
        height = float(page.mediabox.height)
        parts: list[str] = []

        def visit(text, cm, tm, font, size, parts=parts, width=width, height=height):
            x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
            in_top_margin = y > height - pdf.MARGIN_TOP
            if text.strip() and in_top_margin and width / 3 < x < 2 * width / 3:
                parts.append(text.strip())

        page.extract_text(visitor_text=visit)
        found.append(" ".join(parts))
    return found


def bottom_margin_texts(content: bytes) -> list[str]:
    """Per page, whatever is printed in the bottom margin (where page numbers must not be)."""
    found = []
    for page in PdfReader(BytesIO(content)).pages:
        parts: list[str] = []

        def visit(text, cm, tm, font, size, parts=parts):
            y = cm[5] + tm[5] * cm[3]
            if text.strip() and 0 < y < pdf.MARGIN_BOTTOM - 2:
                parts.append(text.strip())

        page.extract_text(visitor_text=visit)
        found.append(" ".join(parts))
    return found


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page (and the bytes must be a PDF)."""
    assert content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def pdf_fonts(content: bytes) -> set[str]:
    """The base font names used on any page."""
    names = set()
    for page in PdfReader(BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        names |= {str(font.get_object()["/BaseFont"]) for font in fonts.get_object().values()}
    return names
