"""Nominee files built in tests, shared by the nominee import tests.

XLSX through openpyxl (title rows, merged cells, numeric and date cells), a real BIFF8 `.xls`
written by hand in a compound document (xlwt is not a dependency), and TCVN3 / VNI text made with
the encodings' own mapping tables.
"""

import datetime
import io
import struct
import unicodedata

import openpyxl

HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Số CCCD",
    "Chức vụ",
    "Đơn vị",
    "Đảng viên",
    "Điện thoại",
]
TITLES = ["DANH SÁCH HỌC VIÊN CỬ ĐI HỌC", "Lớp bồi dưỡng nhận thức về Đảng"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Khánh", "Lan", "Minh", "Nga", "Phúc"]
MIDDLE = ["Văn", "Thị", "Minh", "Quốc", "Thu", "Đức", "Ngọc", "Thanh", "Hữu", "Kim"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"]


def national_id(i: int) -> str:
    return f"0010900{i:05d}"


def person_name(i: int) -> str:
    return f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 10]} {GIVEN[(i // 100 + i) % 12]} {_suffix(i)}"


def _suffix(i: int) -> str:
    # Names must be distinct and digit-free: spell the index with letters.
    letters = "abcdeghikl"
    return "".join(letters[int(d)] for d in str(i)).capitalize()


def nominee(i: int, **overrides) -> list:
    """One row in HEADER order; keyword overrides by field name."""
    values = {
        "stt": i,
        "name": person_name(i),
        "dob": datetime.datetime(1990, 1 + i % 12, 1 + i % 28),
        "gender": "Nữ" if i % 2 else "Nam",
        "ethnicity": "Kinh",
        "cccd": national_id(i),
        "position": "Bí thư Chi đoàn",
        "unit": "Xã Phú Lợi",
        "party": "x" if i % 3 == 0 else None,
        "phone": f"09123{i:05d}",
    }
    values.update(overrides)
    keys = [
        "stt",
        "name",
        "dob",
        "gender",
        "ethnicity",
        "cccd",
        "position",
        "unit",
        "party",
        "phone",
    ]
    return [values[key] for key in keys]


def xlsx(rows, header=HEADER, titles=TITLES, *, merge_titles=True, formats=None) -> bytes:
    """A workbook with title rows (merged across the table), a blank row, the header, the rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    for title in titles:
        sheet.append([title])
        if merge_titles and header:
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(header))
    if titles:
        sheet.append([])
    if header:
        sheet.append(header)
    for values in rows:
        sheet.append(list(values))
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row=row, column=column).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def header_row_number(titles=TITLES) -> int:
    return len(titles) + (1 if titles else 0) + 1


def first_data_row(titles=TITLES) -> int:
    return header_row_number(titles) + 1


def xlsx_people(count: int, start: int = 1, **overrides) -> bytes:
    return xlsx([nominee(i, **overrides) for i in range(start, start + count)])


# --- a real .xls (BIFF8 in an OLE2 compound document), written by hand ---------------------


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def _xf(format_key: int) -> bytes:
    return _record(
        0x00E0, struct.pack("<HHHBBBBIiH", 0, format_key, 0, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    )


def biff8(rows, sheet_name: str = "Danh sach") -> bytes:
    """The Workbook stream: text as LABEL, numbers as NUMBER, dates as NUMBER with a date XF."""
    cells = b""
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, datetime.date):
                day = value.date() if isinstance(value, datetime.datetime) else value
                serial = (day - datetime.date(1899, 12, 30)).days
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 1, float(serial)))
            elif isinstance(value, int | float):
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
            else:
                text = str(value)
                data = struct.pack("<HHHHB", r, c, 0, len(text), 1) + text.encode("utf-16-le")
                cells += _record(0x0204, data)
    columns = max((len(values) for values in rows), default=0)
    sheet = (
        _bof(0x0010)
        + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, columns, 0))
        + cells
        + _record(0x000A)
    )
    name = sheet_name.encode("latin-1")

    def workbook_globals(offset: int) -> bytes:
        return (
            _bof(0x0005)
            + _record(0x0042, struct.pack("<H", 1200))
            + _xf(0)
            + _xf(14)
            + _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 0) + name)
            + _record(0x000A)
        )

    return workbook_globals(len(workbook_globals(0))) + sheet


def ole2(stream: bytes, name: str = "Workbook") -> bytes:
    """A compound document with one stream kept in regular 512-byte sectors (no mini stream)."""
    stream = stream.ljust(4096, b"\x00")
    sectors = -(-len(stream) // 512)
    assert sectors <= 126
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(sectors - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", 0xFFFFFFFF) * 108
    )

    def entry(entry_name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (entry_name + "\x00").encode("utf-16-le") if entry_name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<iii", -1, -1, child)
            + b"\x00" * 36
            + struct.pack("<iII", start, size, 0)
        )

    directory = (
        entry("Root Entry", 5, 1, -2, 0)
        + entry(name, 2, -1, 2, len(stream))
        + entry("", 0, -1, -1, 0) * 2
    )
    data = stream.ljust(sectors * 512, b"\x00")
    return header + struct.pack("<128I", *fat) + directory + data


def xls(rows, header=HEADER, titles=TITLES) -> bytes:
    table = (
        [[title] for title in titles]
        + ([[]] if titles else [])
        + [header]
        + [list(r) for r in rows]
    )
    return ole2(biff8(table))


# --- old Vietnamese font encodings -----------------------------------------------------------

# TCVN3 (TCVN 5712:1993, "ABC"): one byte per letter; read as Latin-1 by anything but .VnTime.
TCVN3_BYTES = {
    "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7,
    "ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
    "à": 0xB5, "ả": 0xB6, "ã": 0xB7, "á": 0xB8, "ạ": 0xB9,
    "ằ": 0xBB, "ẳ": 0xBC, "ẵ": 0xBD, "ắ": 0xBE, "ặ": 0xC6,
    "ầ": 0xC7, "ẩ": 0xC8, "ẫ": 0xC9, "ấ": 0xCA, "ậ": 0xCB,
    "è": 0xCC, "ẻ": 0xCE, "ẽ": 0xCF, "é": 0xD0, "ẹ": 0xD1,
    "ề": 0xD2, "ể": 0xD3, "ễ": 0xD4, "ế": 0xD5, "ệ": 0xD6,
    "ì": 0xD7, "ỉ": 0xD8, "ĩ": 0xDC, "í": 0xDD, "ị": 0xDE,
    "ò": 0xDF, "ỏ": 0xE1, "õ": 0xE2, "ó": 0xE3, "ọ": 0xE4,
    "ồ": 0xE5, "ổ": 0xE6, "ỗ": 0xE7, "ố": 0xE8, "ộ": 0xE9,
    "ờ": 0xEA, "ở": 0xEB, "ỡ": 0xEC, "ớ": 0xED, "ợ": 0xEE,
    "ù": 0xEF, "ủ": 0xF1, "ũ": 0xF2, "ú": 0xF3, "ụ": 0xF4,
    "ừ": 0xF5, "ử": 0xF6, "ữ": 0xF7, "ứ": 0xF8, "ự": 0xF9,
    "ỳ": 0xFA, "ỷ": 0xFB, "ỹ": 0xFC, "ý": 0xFD, "ỵ": 0xFE,
}  # fmt: skip


def tcvn3(text: str) -> str:
    """What Excel shows for `text` typed in a .VnTime font (capitals use the .VnTimeH font,
    which draws the small letter's code as a capital)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = TCVN3_BYTES.get(ch) or TCVN3_BYTES.get(ch.lower())
        out.append(chr(code) if code else ch)
    return "".join(out)


# VNI Windows: a base letter followed by one Latin-1 character for the marks.
_VNI_TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_CIRCUMFLEX = {
    "": "â",
    "\u0301": "á",
    "\u0300": "à",
    "\u0309": "å",
    "\u0303": "ã",
    "\u0323": "ä",
}
_VNI_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def vni(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", ch.lower())
        base, marks = decomposed[0], decomposed[1:]
        tone = next((mark for mark in marks if mark in _VNI_TONE), "")
        if ch.lower() == "đ":
            encoded = "ñ"
        elif base not in "aeiouy" or not marks:
            encoded = ch.lower()
        elif base == "i":
            encoded = _VNI_I[tone]
        elif base == "y" and tone == "\u0323":
            encoded = "î"
        elif "\u0302" in marks:
            encoded = base + _VNI_CIRCUMFLEX[tone]
        elif "\u0306" in marks:
            encoded = base + _VNI_BREVE[tone]
        elif "\u031b" in marks:
            encoded = ("ô" if base == "o" else "ö") + _VNI_TONE.get(tone, "")
        else:
            encoded = base + _VNI_TONE[tone]
        out.append(encoded.upper() if ch.isupper() else encoded)
    return "".join(out)
