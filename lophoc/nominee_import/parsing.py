"""Reading a nominee list into rows (DESIGN §9 "Nominee list"). Pure: no database access.

The header row is the first of the first 15 rows that holds "Họ và tên"; title rows above it are
normal. Headers are matched without regard to case, diacritics, spaces, a trailing "*" or a note in
brackets; unknown columns are ignored. Every bad cell gives one `Problem`; the file is imported
only when there is none.
"""

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils import timezone

from hocvien.trainees import birth_date_problem, name_problem, tidy_name
from lophoc.nominee_import.legacy_fonts import LABELS, conversion_advice, legacy_encoding
from lophoc.nominee_import.problems import Problem
from lophoc.nominee_import.reading import UnreadableFile, read_sheet
from trungtam.text import fold, normalize_text

HEADER_SEARCH_ROWS = 15
MAX_ROWS = 2000
EXAMPLE_MARK = "vi du"  # the template's example row has "Ví dụ" in the STT column
LEGACY_EXAMPLES = 10


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    required: bool
    synonyms: frozenset[str]


def _column(field_name, label, *synonyms, required=False) -> Column:
    return Column(field_name, label, required, frozenset({*synonyms}))


COLUMNS = [
    _column("seq", "STT", "stt", "tt", "so tt", "so thu tu"),
    _column(
        "full_name",
        "Họ và tên",
        "ho va ten",
        "ho ten",
        "ho va ten hoc vien",
        "ho ten hoc vien",
        required=True,
    ),
    _column(
        "date_of_birth",
        "Ngày sinh",
        "ngay sinh",
        "ngay thang nam sinh",
        "sinh ngay",
        required=True,
    ),
    _column("gender", "Giới tính", "gioi tinh", "gioi", "nam nu", "phai", required=True),
    _column("ethnicity", "Dân tộc", "dan toc"),
    _column(
        "national_id",
        "Số CCCD",
        "so cccd",
        "cccd",
        "can cuoc",
        "so can cuoc",
        "can cuoc cong dan",
        "so can cuoc cong dan",
        "so dinh danh ca nhan",
        "so dinh danh",
        "ma dinh danh",
        "so cccd cmnd",
        "cccd cmnd",
    ),
    _column("position", "Chức vụ", "chuc vu", "chuc danh", "chuc vu chuc danh"),
    _column(
        "unit",
        "Đơn vị",
        "don vi",
        "don vi cong tac",
        "co quan don vi",
        "co quan don vi cong tac",
        "noi cong tac",
        "don vi cu di hoc",
        "don vi cu",
    ),
    _column("party", "Đảng viên", "dang vien", "la dang vien"),
    _column(
        "phone",
        "Điện thoại",
        "dien thoai",
        "so dien thoai",
        "sdt",
        "dt",
        "so dt",
        "dien thoai lien he",
    ),
]
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
_FIELD_BY_KEY = {key: column.field for column in COLUMNS for key in column.synonyms}
REQUIRED = [column for column in COLUMNS if column.required]
IDENTIFYING = ("full_name", "date_of_birth", "gender", "national_id")
TEXT_FIELDS = ("full_name", "ethnicity", "position", "unit")  # checked for old font encodings
MAX_LENGTHS = {"full_name": 100, "ethnicity": 50, "position": 200, "unit": 200}

_BRACKETS = re.compile(r"\(.*?\)|\[.*?\]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_PHONE_NOISE = re.compile(r"[\s.\-()]")
# Zero-width characters pasted from web pages: invisible and meaningless in a name, so dropped.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
# Other control, format, private-use or unassigned characters make a cell refused: stored, they
# would garble names on certificates (and PostgreSQL refuses NUL outright).
_HIDDEN_CATEGORIES = ("Cc", "Cf", "Co", "Cs", "Cn")
SHOWN_MAX = 80  # a value quoted in a message is cut to this many characters


def header_key(value) -> str:
    """'Ngày sinh (ngày/tháng/năm) *' → 'ngay sinh'."""
    text = fold(str(value or ""))
    text = _BRACKETS.sub(" ", text)
    return _NOT_WORD.sub(" ", text).strip()


@dataclass
class NomineeRow:
    row: int
    full_name: str
    date_of_birth: datetime.date | None
    gender: str  # "M" / "F", as Gender stores it
    ethnicity: str = ""
    national_id: str | None = None
    position: str = ""
    unit_name: str = ""
    is_party_member: bool = False
    phone: str = ""

    @property
    def name_key(self) -> str:
        """Names are compared with their diacritics: 'Lê' is not 'Lệ' (only the case is ignored)."""
        return self.full_name.lower()


@dataclass
class ParsedFile:
    filename: str
    sha256: str
    kind: str = ""
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[NomineeRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fatal: bool = False  # the file could not be read as a list at all

    @property
    def ok(self) -> bool:
        return not self.problems

    def refuse(self, message: str, **where) -> "ParsedFile":
        self.problems.append(Problem(message, **where))
        self.fatal = True
        return self


def parse_nominee_file(
    content: bytes, filename: str = "", *, today: datetime.date | None = None
) -> ParsedFile:
    """Every nominee row of the file and every problem found in it."""
    parsed = ParsedFile(filename=filename, sha256=hashlib.sha256(content).hexdigest())
    try:
        sheet = read_sheet(content, filename)
    except UnreadableFile as error:
        return parsed.refuse(str(error))
    parsed.kind = sheet.kind
    header = _find_header(sheet.rows)
    if header is None:
        return parsed.refuse(
            f'Không tìm thấy dòng tiêu đề có cột "Họ và tên" trong {HEADER_SEARCH_ROWS} dòng đầu '
            f"của trang tính «{sheet.title}». Hãy dùng đúng file mẫu: một dòng tiêu đề gồm các cột "
            f"{_labels(COLUMNS)}, mỗi học viên một dòng bên dưới."
        )
    header_number, header_values = header
    parsed.header_row = header_number
    parsed.columns = _map_columns(header_values)
    missing = [column for column in REQUIRED if column.field not in parsed.columns]
    if missing:
        return parsed.refuse(
            f"Dòng tiêu đề (dòng {header_number}) thiếu cột bắt buộc: {_labels(missing)}. "
            f"Các cột bắt buộc là {_labels(REQUIRED)}; tên cột có thể viết hoa, thường, có hoặc "
            "không dấu."
        )
    data = [
        (number, values)
        for number, values in sheet.rows
        if number > header_number and _is_nominee_row(values, parsed.columns)
    ]
    if not data:
        return parsed.refuse(
            f"Không có học viên nào bên dưới dòng tiêu đề (dòng {header_number}). "
            "Hãy ghi mỗi học viên một dòng, bắt đầu ngay dưới dòng tiêu đề."
        )
    if len(data) > MAX_ROWS:
        return parsed.refuse(
            f"File có {len(data)} dòng học viên, nhiều hơn giới hạn {MAX_ROWS} dòng cho một lần "
            "nhập. Hãy chia thành nhiều file."
        )
    if _refuse_legacy_encoding(parsed, data):
        return parsed
    today = today or timezone.localdate()
    for number, values in data:
        row, problems = _parse_row(number, values, parsed.columns, today)
        parsed.problems += problems
        if row is not None:
            parsed.rows.append(row)
    parsed.problems += _duplicates_in_file(parsed.rows)
    parsed.problems.sort(key=lambda problem: problem.sort_key)
    return parsed


def _labels(columns) -> str:
    return ", ".join(f'"{column.label}"' for column in columns)


def _find_header(rows):
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            return None
        if any(_FIELD_BY_KEY.get(header_key(value)) == "full_name" for value in values):
            return number, values
    return None


def _map_columns(values) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(values):
        field_name = _FIELD_BY_KEY.get(header_key(value))
        if field_name and field_name not in columns:  # the first of two same-named columns wins
            columns[field_name] = index
    return columns


def _cell(values, columns, field_name):
    index = columns.get(field_name)
    if index is None or index >= len(values):
        return None
    value = values[index]
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _is_nominee_row(values, columns) -> bool:
    """Rows with nothing in the identifying columns (only an STT, a total, a signature) are skipped,
    and so are the template's example row and a row of column numbers "(1) (2) (3)" under the header."""
    if not any(_cell(values, columns, name) is not None for name in IDENTIFYING):
        return False
    if header_key(_cell(values, columns, "seq")) == EXAMPLE_MARK:
        return False
    present = [value for value in values if value is not None and str(value).strip()]
    return not all(_NUMBERING.match(_display(value)) for value in present)


def _display(value) -> str:
    """A cell as the person typed it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return normalize_text(str(value).translate(_ZERO_WIDTH))


def _shown(value) -> str:
    """A cell quoted in a message: hidden characters made visible as �, long text cut."""
    text = "".join("�" if _is_hidden(ch) else ch for ch in _display(value))
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def _is_hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES


def _hidden_character(text: str) -> str | None:
    """The first control/format character left in normalised text, as U+XXXX; None if none."""
    for ch in text:
        if _is_hidden(ch):
            return f"U+{ord(ch):04X}"
    return None


def _hidden_message(code: str) -> str:
    return (
        f"có ký tự ẩn không in được (mã {code}, thường do chép từ phần mềm khác); hãy xóa ô này "
        "và gõ lại"
    )


def _ascii_digits(text: str) -> bool:
    """0–9 only: str.isdigit() also accepts ², ٣ and other scripts' digits."""
    return text.isascii() and text.isdigit()


def _refuse_legacy_encoding(parsed: ParsedFile, data) -> bool:
    found = []
    for number, values in data:
        for name in TEXT_FIELDS:
            value = _cell(values, parsed.columns, name)
            if isinstance(value, str):
                encoding = legacy_encoding(value)
                if encoding:
                    found.append((number, name, value, encoding))
    if not found:
        return False
    encodings = [encoding for *_, encoding in found]
    encoding = max(set(encodings), key=encodings.count)
    parsed.refuse(conversion_advice(encoding))
    for number, name, value, cell_encoding in found[:LEGACY_EXAMPLES]:
        parsed.problems.append(
            Problem(
                f"là chữ gõ bằng bảng mã cũ {LABELS[cell_encoding]}, không phải Unicode",
                row=number,
                column=COLUMN_BY_FIELD[name].label,
                value=_shown(value),
            )
        )
    if len(found) > LEGACY_EXAMPLES:
        parsed.problems.append(
            Problem(f"…và {len(found) - LEGACY_EXAMPLES} ô khác cũng bị lỗi phông chữ như vậy.")
        )
    return True


def _parse_row(number, values, columns, today):
    problems: list[Problem] = []

    def problem(field_name, message, value=None):
        problems.append(
            Problem(
                message,
                row=number,
                column=COLUMN_BY_FIELD[field_name].label,
                value=_shown(value) if value is not None else None,
            )
        )

    def text(field_name) -> str:
        value = _cell(values, columns, field_name)
        if value is None:
            return ""
        result = _display(value)
        limit = MAX_LENGTHS.get(field_name)
        if limit and len(result) > limit:
            problem(field_name, f"dài quá {limit} ký tự", value)
            return ""
        hidden = _hidden_character(result)
        if hidden:
            problem(field_name, _hidden_message(hidden), value)
            return ""
        return result

    full_name = _parse_name(_cell(values, columns, "full_name"), problem)
    date_of_birth = _parse_birth_date(_cell(values, columns, "date_of_birth"), today, problem)
    gender = _parse_gender(_cell(values, columns, "gender"), problem)
    ethnicity = text("ethnicity")
    national_id = _parse_national_id(_cell(values, columns, "national_id"), problem)
    position = text("position")
    unit_name = text("unit")
    is_party_member = _parse_party(_cell(values, columns, "party"), problem)
    phone = _parse_phone(_cell(values, columns, "phone"), problem)
    if not full_name:
        return None, problems
    row = NomineeRow(
        row=number,
        full_name=full_name,
        date_of_birth=date_of_birth,
        gender=gender,
        ethnicity=ethnicity,
        national_id=national_id,
        position=position,
        unit_name=unit_name,
        is_party_member=is_party_member,
        phone=phone,
    )
    return row, problems


def _parse_name(value, problem) -> str:
    if value is None:
        problem("full_name", "chưa ghi họ và tên (cột bắt buộc)")
        return ""
    if not isinstance(value, str):
        problem("full_name", "không phải họ và tên", value)
        return ""
    name = _display(value)
    if not name:
        problem("full_name", "chưa ghi họ và tên (cột bắt buộc)")
        return ""
    hidden = _hidden_character(name)
    if hidden:
        problem("full_name", _hidden_message(hidden), value)
        return ""
    wrong = name_problem(name)  # the same rule as the forms (hocvien.trainees)
    if wrong:
        problem("full_name", wrong, value)
        return ""
    return tidy_name(name)


def parse_date(value) -> datetime.date | None:
    """An Excel date, an Excel serial number, or text d/m/yyyy (also with - or .) or yyyy-mm-dd."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if 1 <= value < 2958466:  # a date cell that lost its format keeps its serial number
            from openpyxl.utils.datetime import from_excel

            converted = from_excel(value)
            return converted.date() if isinstance(converted, datetime.datetime) else None
        return None
    text = normalize_text(str(value))
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.match(text)
        if not match:
            return None
        year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _parse_birth_date(value, today, problem) -> datetime.date | None:
    if value is None:
        problem("date_of_birth", "chưa ghi ngày sinh (cột bắt buộc)")
        return None
    date = parse_date(value)
    if date is None:
        looks_like_date = isinstance(value, str) and (
            _DMY.match(normalize_text(value)) or _YMD.match(normalize_text(value))
        )
        hint = "" if looks_like_date else "; hãy ghi ngày/tháng/năm, ví dụ 17/05/1990"
        problem("date_of_birth", f"không phải ngày hợp lệ{hint}", value)
        return None
    wrong = birth_date_problem(date, today)
    if wrong:
        problem("date_of_birth", wrong, value)
        return None
    return date


def _parse_gender(value, problem) -> str:
    if value is None:
        problem("gender", 'chưa ghi giới tính (cột bắt buộc): ghi "Nam" hoặc "Nữ"')
        return ""
    key = fold(str(value))
    if key == "nam":
        return "M"
    if key == "nu":
        return "F"
    problem("gender", 'không hợp lệ: hãy ghi "Nam" hoặc "Nữ"', value)
    return ""


def _parse_national_id(value, problem) -> str | None:
    """12 digits. A number that lost its leading zeros in a numeric cell is padded."""
    if value is None:
        return None
    if isinstance(value, bool):
        problem("national_id", "không phải số CCCD", value)
        return None
    if isinstance(value, float):
        if not value.is_integer():
            problem("national_id", "không phải số CCCD: số CCCD gồm 12 chữ số", value)
            return None
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        # CCCD numbers start with a province code 001–096: a numeric cell drops one or two zeros.
        if 10 <= len(digits) <= 11:
            digits = digits.zfill(12)
    else:
        # Full-width digits (typed with an IME) become 0-9, as the trainee form does.
        digits = re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", normalize_text(str(value))))
        if digits.startswith("'"):
            digits = digits[1:]
        if _ascii_digits(digits) and len(digits) == 11:
            digits = "0" + digits
    if _ascii_digits(digits) and len(digits) == 12:
        return digits
    if _ascii_digits(digits) and len(digits) == 9:
        problem(
            "national_id",
            "là số CMND cũ 9 chữ số; hãy ghi số CCCD 12 chữ số hoặc để trống",
            value,
        )
    else:
        problem("national_id", "không phải số CCCD hợp lệ: số CCCD gồm đúng 12 chữ số", value)
    return None


def _parse_party(value, problem) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    key = fold(str(value))
    if key in ("x", "co"):
        return True
    if key == "khong":
        return False
    problem(
        "party", 'không hợp lệ: ghi "x" (hoặc "có") nếu là đảng viên, để trống nếu không', value
    )
    return False


def _parse_phone(value, problem) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        if len(digits) == 9:
            digits = "0" + digits  # a numeric cell dropped the leading 0 of 09xx…
    else:
        digits = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", normalize_text(str(value))))
    plain = digits[1:] if digits.startswith("+") else digits
    if not _ascii_digits(plain) or not 8 <= len(plain) <= 15:
        problem("phone", "không phải số điện thoại", value)
        return ""
    return digits


def _duplicates_in_file(rows: list[NomineeRow]) -> list[Problem]:
    """The same national ID twice, or the same name and date of birth twice."""
    problems = []
    first_by_id: dict[str, int] = {}
    first_by_person: dict[tuple, NomineeRow] = {}
    for row in rows:
        if row.national_id:
            first = first_by_id.setdefault(row.national_id, row.row)
            if first != row.row:
                problems.append(
                    Problem(
                        f"trùng số CCCD với dòng {first}",
                        row=row.row,
                        column="Số CCCD",
                        value=row.national_id,
                    )
                )
                continue
        if row.date_of_birth is None:
            continue
        key = (row.name_key, row.date_of_birth)
        first_row = first_by_person.setdefault(key, row)
        # Two rows with different national IDs are two people who share a name and birthday.
        if first_row is not row and not (
            first_row.national_id and row.national_id and first_row.national_id != row.national_id
        ):
            problems.append(
                Problem(
                    f"trùng họ tên và ngày sinh với dòng {first_row.row} "
                    f"({row.full_name}, {row.date_of_birth:%d/%m/%Y}); nếu là hai người khác "
                    "nhau, hãy ghi số CCCD của cả hai",
                    row=row.row,
                )
            )
    return problems
