"""Checking an uploaded document (lesson plan, teaching material) before anything is stored.

The same guards as the importers: a size cap, the kind recognised by content (never by the name
alone), a zip bomb refused from the archive's directory before anything is inflated, a
password-protected file refused. Every refusal is a Vietnamese sentence that says what to do.

    kind = document_kind(content, filename, kinds=LESSON_PLAN_KINDS)   # or DocumentRefused
"""

import io
import zipfile
from dataclasses import dataclass

from trungtam.documents.numbers import format_number

# Under the request limit (REQUEST_MAX_BODY_SIZE, 6 MB: the file and its form), like the imports.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# A Word or OpenDocument file is a zip; its text and pictures inflate a few times at most.
MAX_INFLATED_BYTES = 200 * 1024 * 1024
MAX_RATIO_FROM_BYTES = 5 * 1024 * 1024  # members smaller than this are never suspicious
MAX_RATIO = 100

ZIP_MAGIC = (b"PK\x03\x04",)
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))


@dataclass(frozen=True)
class Kind:
    code: str  # "pdf", "docx", …
    label: str  # as people call it
    extension: str
    content_type: str


PDF = Kind("pdf", "PDF", ".pdf", "application/pdf")
DOCX = Kind(
    "docx",
    "Word (.docx)",
    ".docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
ODT = Kind("odt", "OpenDocument (.odt)", ".odt", "application/vnd.oasis.opendocument.text")
PPTX = Kind(
    "pptx",
    "PowerPoint (.pptx)",
    ".pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
ODP = Kind("odp", "OpenDocument (.odp)", ".odp", "application/vnd.oasis.opendocument.presentation")
XLSX = Kind(
    "xlsx",
    "Excel (.xlsx)",
    ".xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
KINDS = {kind.code: kind for kind in (PDF, DOCX, ODT, PPTX, ODP, XLSX)}

LESSON_PLAN_KINDS = (PDF, DOCX, ODT)
MATERIAL_KINDS = (PDF, DOCX, ODT, PPTX, ODP, XLSX)

# The zip member that says what an Office Open XML or OpenDocument file is.
_OOXML_PART = {
    "docx": "word/document.xml",
    "pptx": "ppt/presentation.xml",
    "xlsx": "xl/workbook.xml",
}
_ODF_MIMETYPE = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


class DocumentRefused(Exception):
    """The upload cannot be kept; the message says why, in Vietnamese."""


def megabytes(size: int) -> str:
    return format_number(size / 1024 / 1024, 1)


def kinds_text(kinds) -> str:
    """'PDF, Word (.docx) hoặc OpenDocument (.odt)'."""
    labels = [kind.label for kind in kinds]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " hoặc " + labels[-1]


def too_large(filename: str, size: int | None, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    """The refusal of a file over the cap, with advice that fits it: a PDF is made smaller by
    printing it again with lighter images, anything else by saving it as PDF."""
    name = f"«{filename}» " if filename else ""
    found = f" ({megabytes(size)} MB)" if size else ""
    advice = (
        "Hãy xuất lại PDF với hình ảnh nén nhỏ hơn (chất lượng in thấp hơn)."
        if filename.lower().endswith(".pdf")
        else "Hãy nén bớt hình ảnh hoặc lưu tài liệu thành PDF."
    )
    return f"File {name}quá lớn{found}; chỉ nhận file đến {max_bytes // 1024 // 1024} MB. {advice}"


def document_kind(
    content: bytes, filename: str = "", *, kinds=LESSON_PLAN_KINDS, max_bytes=MAX_DOCUMENT_BYTES
) -> Kind:
    """The kind of the document in `content`, one of `kinds`; DocumentRefused otherwise."""
    name = f"«{filename}» " if filename else ""
    accepted = kinds_text(kinds)
    if not content:
        raise DocumentRefused(f"File {name}rỗng (0 byte). Hãy chọn lại đúng file.")
    if len(content) > max_bytes:
        raise DocumentRefused(too_large(filename, len(content), max_bytes))
    kind = _recognised(content, name)
    claimed = next((k for k in kinds if filename.lower().endswith(k.extension)), None)
    if kind is None and claimed is not None:
        raise DocumentRefused(
            f"File {name}không phải tài liệu được nhận: đuôi file là {claimed.extension} nhưng nội "
            f"dung không phải file {claimed.label} (có thể là file khác bị đổi tên). Chỉ nhận file "
            f"{accepted}; hãy mở tài liệu gốc bằng Word hoặc LibreOffice, lưu thành một trong các "
            "kiểu đó rồi tải lên lại."
        )
    if kind is None or kind not in kinds:
        found = f" (đây là file {kind.label})" if kind is not None else ""
        raise DocumentRefused(
            f"File {name}không phải tài liệu được nhận{found}. Chỉ nhận file {accepted}; "
            "hãy mở tài liệu bằng Word hoặc LibreOffice, lưu thành một trong các kiểu đó rồi "
            "tải lên lại."
        )
    return kind


def _recognised(content: bytes, name: str) -> Kind | None:
    if content.startswith(b"%PDF-"):
        _check_pdf(content, name)
        return PDF
    if content.startswith(OLE2_MAGIC):
        if any(marker in content for marker in ENCRYPTED_MARKERS):
            raise _password_protected(name)
        raise DocumentRefused(
            f"File {name}là kiểu Word/Excel cũ (.doc, .xls, .ppt). Hãy mở bằng Word hoặc "
            "LibreOffice, chọn Lưu thành (Save As) kiểu .docx hoặc PDF rồi tải lên lại."
        )
    if content.startswith(ZIP_MAGIC):
        return _zip_kind(content, name)
    return None


def _password_protected(name: str) -> DocumentRefused:
    return DocumentRefused(
        f"File {name}đang được đặt mật khẩu nên không mở được. Hãy bỏ mật khẩu, lưu lại rồi "
        "tải lên lại."
    )


def _check_pdf(content: bytes, name: str) -> None:
    """A PDF ends with %%EOF (a cut-off download does not); an encrypted one names its /Encrypt
    dictionary in the trailer or the cross-reference stream, which are never compressed. Read
    from the bytes: the runtime has no PDF parser, and nothing here needs one."""
    if b"%%EOF" not in content[-4096:]:
        raise DocumentRefused(
            f"File {name}là PDF nhưng đã bị hỏng hoặc tải về chưa hết nên không mở được. Hãy "
            "xuất lại file PDF rồi tải lên lại."
        )
    if b"/Encrypt" in content:
        raise _password_protected(name)


def _zip_kind(content: bytes, name: str) -> Kind | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise DocumentRefused(
            f"File {name}đã bị hỏng nên không mở được. Hãy lưu lại tài liệu rồi tải lên lại."
        ) from error
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        suspicious = any(
            info.file_size > MAX_RATIO_FROM_BYTES
            and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            for info in infos
        )
        if total > MAX_INFLATED_BYTES or suspicious:
            raise DocumentRefused(
                f"File {name}nén bất thường ({megabytes(total)} MB khi giải nén): đây không phải "
                "một tài liệu bình thường. Hãy lưu tài liệu thành PDF rồi tải lên lại."
            )
        names = {info.filename for info in infos}
        if "mimetype" in names:
            return KINDS.get(_ODF_MIMETYPE.get(archive.read("mimetype").strip(), ""))
        if "[Content_Types].xml" in names:
            for code, part in _OOXML_PART.items():
                if part in names:
                    return KINDS[code]
    return None
