"""Opening the file a unit sent: `.xlsx` (openpyxl) or `.xls` (xlrd), recognised by content.

Anything else (a CSV renamed, a Word file, a password-protected workbook, an empty file) is
refused with a Vietnamese message that says what to do, never a traceback.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass

MAX_FILE_BYTES = 5 * 1024 * 1024
# Zip bombs: an .xlsx is a zip, and a few MB can inflate to gigabytes. A real list of 2,000 people
# inflates to a few MB. zipfile never inflates a member beyond the size its directory declares, so
# checking the declared sizes before openpyxl opens anything is enough.
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_RATIO_FROM_BYTES = 5 * 1024 * 1024  # members smaller than this are never suspicious
MAX_RATIO = 100  # Excel's XML shrinks 5–20 times; far more is filler, not data
MAX_SCANNED_ROWS = 200_000  # formatted-but-empty rows count here, not against MAX_ROWS

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))

SAVE_AS_XLSX = "Hãy mở file bằng Excel, chọn Lưu thành (Save As) kiểu «Excel Workbook (*.xlsx)» rồi tải lên lại."


class UnreadableFile(Exception):
    """The bytes are not a workbook this import can read; the message says why, in Vietnamese."""


@dataclass
class Sheet:
    kind: str  # "xlsx" or "xls"
    title: str
    rows: list[tuple[int, tuple]]  # (row number as Excel shows it, cell values)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def too_large(size: int, limit: int, filename: str = "") -> str:
    """`File «x.xlsx» quá lớn (6,2 MB); chỉ nhận file đến 5 MB.`: the size and the limit."""
    name = f" «{filename}»" if filename else ""
    return (
        f"File{name} quá lớn ({megabytes(size)} MB); chỉ nhận file đến {limit // 1024 // 1024} MB."
    )


def inflation_refusal(archive: zipfile.ZipFile) -> str | None:
    """Why this zip must not be opened (a zip bomb), from its directory alone; None when sane."""
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return (
            f"File nén bên trong lên tới {megabytes(total)} MB khi giải nén (giới hạn "
            f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB): đây không phải một bảng tính bình "
            "thường. Hãy chép dữ liệu sang một file Excel mới rồi tải lên lại."
        )
    for info in infos:
        if info.file_size > MAX_RATIO_FROM_BYTES and (
            info.file_size > MAX_RATIO * max(info.compress_size, 1)
        ):
            return (
                f"File có phần «{info.filename}» nén bất thường ({megabytes(info.file_size)} MB "
                "khi giải nén): đây không phải một bảng tính bình thường. Hãy chép dữ liệu sang "
                "một file Excel mới rồi tải lên lại."
            )
    return None


def read_sheet(content: bytes, filename: str = "") -> Sheet:
    """The first sheet of the workbook in `content`, as (row number, values) for non-empty rows."""
    if not content:
        raise UnreadableFile("File rỗng (0 byte). Hãy chọn lại đúng file danh sách học viên.")
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"{too_large(len(content), MAX_FILE_BYTES)} Hãy bỏ các trang tính, hình ảnh không cần "
            "thiết hoặc chia danh sách thành nhiều file."
        )
    if content.startswith(ZIP_MAGIC):
        return _read_xlsx(content)
    if content.startswith(OLE2_MAGIC):
        if any(marker in content for marker in ENCRYPTED_MARKERS):
            raise _password_protected()
        return _read_xls(content)
    raise UnreadableFile(_not_a_workbook(content, filename))


def _password_protected() -> UnreadableFile:
    return UnreadableFile(
        "File đang được đặt mật khẩu nên không đọc được. Hãy mở file bằng Excel, bỏ mật khẩu "
        "(Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi "
        "tải lên lại."
    )


def _not_a_workbook(content: bytes, filename: str) -> str:
    head = content[:4096]
    lowered = head.lower()
    if b"<html" in lowered or b"<table" in lowered or lowered.lstrip().startswith(b"<"):
        return (
            "File này không phải bảng tính Excel thật mà là một trang web (HTML) được đặt đuôi "
            f".xls/.xlsx (thường gặp khi tải từ phần mềm khác). {SAVE_AS_XLSX}"
        )
    if b"%PDF" in head[:8]:
        return "File này là PDF, không phải bảng tính Excel. Hãy dùng file Excel (.xlsx) của danh sách."
    text = _as_text(head)
    if text is not None and any(sep in text for sep in (",", ";", "\t")):
        return (
            "File này là văn bản dạng CSV (các cột ngăn bằng dấu phẩy), không phải bảng tính Excel, "
            f"dù tên file là «{filename or 'không rõ'}». {SAVE_AS_XLSX}"
        )
    return (
        "File không phải bảng tính Excel (.xlsx hoặc .xls) hoặc đã bị hỏng. "
        "Hãy tải file mẫu, chép danh sách vào đó rồi tải lên lại."
    )


def _as_text(head: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16", "cp1258"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        if text and printable / len(text) > 0.95:
            return text
    return None


def _read_xlsx(content: bytes) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        inflation = inflation_refusal(archive)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(f"File .xlsx bị hỏng, không mở được. {SAVE_AS_XLSX}") from None
    if inflation:  # before anything is inflated, the mimetype below included
        raise UnreadableFile(inflation)
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise UnreadableFile(
                f"File dạng Excel nhị phân (.xlsb) chưa được hỗ trợ. {SAVE_AS_XLSX}"
            )
        if "mimetype" in names and b"opendocument" in _head(archive, "mimetype"):
            raise UnreadableFile(
                "File dạng OpenDocument (.ods, LibreOffice) chưa được hỗ trợ. Hãy mở bằng "
                "LibreOffice hoặc Excel và lưu thành kiểu .xlsx rồi tải lên lại."
            )
        if "word/document.xml" in names:
            raise UnreadableFile("File này là văn bản Word, không phải bảng tính Excel.")
        raise UnreadableFile(
            "File là một tệp nén (.zip), không phải bảng tính Excel. Hãy giải nén và chọn file "
            "danh sách .xlsx bên trong."
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, XML errors…) on damaged files
        raise UnreadableFile(
            f"File .xlsx bị hỏng hoặc không đúng định dạng. {SAVE_AS_XLSX}"
        ) from None
    try:
        worksheets = workbook.worksheets
        if not worksheets:
            raise UnreadableFile("File không có trang tính nào chứa dữ liệu.")
        visible = [ws for ws in worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
        worksheet = (visible or worksheets)[0]
        worksheet.reset_dimensions()  # some programs write a wrong size; read every row
        rows = []
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            if number > MAX_SCANNED_ROWS:
                break
            values = tuple(getattr(cell, "value", None) for cell in cells)
            if any(_present(value) for value in values):
                rows.append((number, values))
        return Sheet(kind="xlsx", title=worksheet.title, rows=rows)
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(f"File .xlsx bị hỏng, không đọc hết được. {SAVE_AS_XLSX}") from None
    finally:
        workbook.close()


def _head(archive: zipfile.ZipFile, name: str) -> bytes:
    """The first bytes of one member; b"" when it cannot be inflated (a damaged file)."""
    try:
        with archive.open(name) as member:
            return member.read(200)
    except Exception:  # zlib.error, BadZipFile, NotImplementedError (unknown compression)…
        return b""


def _read_xls(content: bytes) -> Sheet:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=content, on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise _password_protected() from None
        raise UnreadableFile(_unreadable_xls()) from None
    except Exception:  # xlrd raises struct, index and assertion errors on damaged files
        raise UnreadableFile(_unreadable_xls()) from None
    try:
        visible = [i for i in range(book.nsheets) if not _xls_hidden(book, i)]
        if not book.nsheets:
            raise UnreadableFile("File không có trang tính nào chứa dữ liệu.")
        sheet = book.sheet_by_index((visible or [0])[0])
        rows = []
        for index in range(min(sheet.nrows, MAX_SCANNED_ROWS)):
            values = tuple(
                _xls_value(book, cell_type, value)
                for cell_type, value in zip(
                    sheet.row_types(index), sheet.row_values(index), strict=False
                )
            )
            if any(_present(value) for value in values):
                rows.append((index + 1, values))
        return Sheet(kind="xls", title=sheet.name, rows=rows)
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(_unreadable_xls()) from None
    finally:
        book.release_resources()


def _unreadable_xls() -> str:
    return f"Không đọc được file .xls này (định dạng Excel cũ, có thể đã hỏng). {SAVE_AS_XLSX}"


def _xls_hidden(book, index: int) -> bool:
    try:
        return bool(book.sheet_by_index(index).visibility)
    except Exception:
        return False


def _xls_value(book, cell_type: int, value):
    import xlrd

    if cell_type == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, book.datemode)
        except Exception:
            return value
    if cell_type == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if cell_type in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return value


def _present(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not isinstance(value, datetime.time)
