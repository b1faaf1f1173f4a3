"""Small real documents for upload tests (lesson plans, materials), built in code: never binary
files in the repository. Each returns bytes."""

import io
import zipfile

from reportlab.pdfgen import canvas


def pdf(text: str = "Giáo án chuyên đề 1") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text.encode("ascii", "replace").decode())
    page.save()
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf())))
    writer.encrypt("mat-khau")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(text: str = "Giáo án") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "word/document.xml": f"<w:document><w:t>{text}</w:t></w:document>".encode(),
        }
    )


def pptx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p:presentation/>"})


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def executable() -> bytes:
    """A Windows program (its MZ header), as if renamed giao-an.pdf."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def old_doc() -> bytes:
    return OLE2 + b"\x00" * 500


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE2 file with EncryptionInfo."""
    return OLE2 + b"\x00" * 64 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64
