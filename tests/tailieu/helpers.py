"""Builders for the tailieu tests: small real documents and materials."""

import io

from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from tailieu.materials import material_create


def small_pdf(text: str = "Tài liệu") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, text.encode("ascii", "replace").decode())
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(small_pdf())).pages:
        writer.add_page(page)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def renamed_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def make_material(
    program, *, title="Bài giảng", for_trainees=False, user=None, topic=None, text=""
):
    return material_create(
        program=program,
        topic=topic,
        title=title,
        note="",
        for_trainees=for_trainees,
        content=small_pdf(text or title),
        filename=f"{title}.pdf",
        user=user,
    )
