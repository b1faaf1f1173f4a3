"""The offline grade sheet (DESIGN §9 "Grade sheet"): export, read, compare, apply.

`grade_sheet_xlsx` writes the sheet (class code near the top, a hidden column of enrolment ids,
one column per assessment and per retake, and hidden columns holding what each score cell was when
the sheet was downloaded) → a lecturer fills it in Excel → `read_grade_sheet` (pure: bytes → cells)
→ `grade_sheet_plan` (against the database: the class, the rows, the names, the columns, every
changed, conflicting and invalid cell, who may write what) → `grade_sheet_apply` (one transaction;
nothing written on any refusal or unresolved conflict). The web upload and `manage.py
import_grades` share all of it, and a cell follows the grid's rules (lophoc/scores.py).

The sheet is the truth for the cells the person changed in it (an empty cell means no score), and
only for those: a cell still holding its value at download is no change, even when someone has
changed it in the app since (their newer value is kept). A cell changed in the sheet AND in the
app since the download is a conflict: nothing is written until a person chooses which to keep.
"""

import datetime
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lophoc.models import Assessment, Course, Enrolment, EnrolmentStatus, Score
from lophoc.nominee_import.reading import inflation_refusal, too_large
from lophoc.scores import gradable_assessment_ids, grading_refusal, parse_score, scores_write
from trungtam.documents.numbers import format_score
from trungtam.documents.xlsx import SafeWorkbook
from trungtam.text import fold, normalize_text

SHEET_TITLE = "Bảng điểm"
TITLE = "BẢNG ĐIỂM"
CODE_LABEL = "Mã lớp:"
ID_HEADER = "Mã ghi danh (không sửa)"
# Hidden columns "Điểm lúc tải về (không sửa): <score column header>", one per score column.
ORIGINAL_PREFIX = "Điểm lúc tải về (không sửa): "
NAME_HEADER = "Họ và tên"
FIXED_HEADERS = ["STT", NAME_HEADER, "Ngày sinh", "Đơn vị"]
RETAKE_PREFIX = "Thi lại – "
HEADER_ROW = 8
INSTRUCTIONS = (
    "Nhập điểm từ 0 đến 10, tối đa hai chữ số thập phân (ví dụ 8,5); ô để trống là không có "
    "điểm (ô đang có điểm mà xóa đi thì điểm bị xóa). Không thêm, xóa dòng, không sửa họ tên, "
    "mã lớp hay tên cột: bảng điểm bị sửa như vậy sẽ bị từ chối."
)
EMPTY_CLASS = "Lớp chưa có học viên đang học nào."
CLEARED = "(trống)"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 3000
MAX_SCANNED_ROWS = 200_000  # formatted-but-empty rows count here, not against MAX_ROWS
SCAN_FOR_CODE = 10  # the class code sits in one of the first rows
SCAN_FOR_HEADER = 20
ACCEPTED_EXTENSIONS = (".xlsx", ".xlsm")
FRESH_SHEET = "Hãy tải bảng điểm mới của lớp, nhập điểm vào đó rồi tải lên lại."
KEEP, TAKE = "keep", "sheet"  # a person's choice for a conflict: the app's value, the sheet's

_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_CENTRED = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAPPED = Alignment(horizontal="left", vertical="center", wrap_text=True)


# --- columns ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One score column of the sheet: an assessment's score, or its retake (thi lại)."""

    assessment: Assessment
    retake: bool = False

    @property
    def header(self) -> str:
        if self.retake:
            return f"{RETAKE_PREFIX}{self.assessment.name}"
        return f"{self.assessment.name} (hệ số {format_score(self.assessment.weight)})"

    @property
    def label(self) -> str:
        """How a change names the column: the assessment, or "Thi lại – …"."""
        return f"{RETAKE_PREFIX}{self.assessment.name}" if self.retake else self.assessment.name

    @property
    def field(self) -> str:
        return "retake_score" if self.retake else "score"

    @property
    def original_header(self) -> str:
        return f"{ORIGINAL_PREFIX}{self.header}"


def sheet_columns(assessments: list[Assessment]) -> list[Column]:
    columns = []
    for assessment in assessments:
        columns.append(Column(assessment))
        if assessment.has_retake:
            columns.append(Column(assessment, retake=True))
    return columns


_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_WEIGHT = re.compile(r"\s*\(\s*he so[^)]*\)\s*$")
_RETAKE = re.compile(r"^thi lai\s*[-:]?\s*")


def header_key(text) -> str:
    """Headers compared without case, diacritics, extra spaces or the kind of dash."""
    return _DASHES.sub("-", fold("" if text is None else str(text)))


_ORIGINAL_KEY = header_key(ORIGINAL_PREFIX).strip()


def _original_key(text) -> tuple[str, bool] | None:
    """The score column a hidden "Điểm lúc tải về" header is for, or None for another header."""
    key = header_key(text)
    if not key.startswith(_ORIGINAL_KEY):
        return None
    return _column_key(key[len(_ORIGINAL_KEY) :])


def _column_key(text) -> tuple[str, bool]:
    """(assessment name key, is a retake column) of a header as typed."""
    key = header_key(text)
    retake = _RETAKE.match(key)
    if retake:
        return key[retake.end() :].strip(), True
    return _WEIGHT.sub("", key).strip(), False


# --- what the sheet holds --------------------------------------------------------------------


def sheet_assessments(course: Course) -> list[Assessment]:
    return list(course.assessments.order_by("order", "id"))


def sheet_enrolments(course: Course) -> list[Enrolment]:
    """The rows of the sheet: active enrolments in Vietnamese name order."""
    return list(
        course.enrolments.filter(status=EnrolmentStatus.ACTIVE)
        .select_related("trainee", "trainee__unit", "unit")
        .order_by("trainee__sort_key", "id")
    )


def sheet_scores(course: Course, *, lock: bool = False) -> dict[tuple[int, int], Score]:
    scores = Score.objects.filter(
        enrolment__course=course, enrolment__status=EnrolmentStatus.ACTIVE
    )
    if lock:
        scores = scores.select_for_update(of=("self",))
    return {(s.enrolment_id, s.assessment_id): s for s in scores}


def _unit_name(enrolment: Enrolment) -> str:
    unit = enrolment.unit or enrolment.trainee.unit
    return unit.name if unit else ""


def _date(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


# --- export ----------------------------------------------------------------------------------


def grade_sheet_xlsx(course: Course, *, editable: set[int] | None = None) -> bytes:
    return grade_sheet_file(course, editable=editable)[0]


def grade_sheet_file(course: Course, *, editable: set[int] | None = None) -> tuple[bytes, int]:
    """The sheet to fill offline, current scores filled in; and its number of trainee rows.

    `editable` is the ids of the assessments whose cells are left unlocked (default: all);
    the other cells are locked and grey. Sheet protection has no password: it guards against
    slips, not against a determined user — the upload checks everything again. After the hidden
    enrolment id, hidden locked columns repeat each score cell as it is now, so that an upload
    can tell the cells the person changed from those changed in the app since (lost updates).
    """
    assessments = sheet_assessments(course)
    columns = sheet_columns(assessments)
    enrolments = sheet_enrolments(course)
    scores = sheet_scores(course)
    editable = {a.pk for a in assessments} if editable is None else set(editable)

    book = SafeWorkbook()
    sheet = book.sheet(SHEET_TITLE)
    worksheet = sheet.worksheet
    headers = [
        *FIXED_HEADERS,
        *(c.header for c in columns),
        ID_HEADER,
        *(c.original_header for c in columns),
    ]
    id_column = len(FIXED_HEADERS) + len(columns) + 1
    last_visible = id_column - 1

    def merged(row: int, first: int, text: str, *, bold=False, alignment=_WRAPPED):
        cell = sheet.write(row, first, text, bold=bold)
        cell.alignment = alignment
        if last_visible > first:
            worksheet.merge_cells(
                start_row=row, start_column=first, end_row=row, end_column=last_visible
            )
        return cell

    merged(1, 1, course.centre.name.upper(), bold=True, alignment=_CENTRED)
    merged(2, 1, TITLE, bold=True, alignment=_CENTRED).font = Font(
        name="Times New Roman", size=14, bold=True
    )
    sheet.write(3, 1, CODE_LABEL, bold=True)
    sheet.write(3, 2, course.code, bold=True)
    sheet.write(4, 1, "Lớp:", bold=True)
    merged(4, 2, course.name)
    sheet.write(5, 1, "Thời gian:", bold=True)
    period = f"Từ ngày {_date(course.start_date)} đến ngày {_date(course.end_date)}"
    merged(5, 2, period + (f". Địa điểm: {course.venue}" if course.venue else ""))
    sheet.write(6, 1, "Lưu ý:", bold=True)
    merged(6, 2, INSTRUCTIONS).font = Font(name="Times New Roman", italic=True)
    worksheet.row_dimensions[6].height = 48

    for column, label in enumerate(headers, start=1):
        sheet.write(HEADER_ROW, column, label, bold=True, border=True).alignment = _CENTRED
    worksheet.row_dimensions[HEADER_ROW].height = 45

    first_score_column = len(FIXED_HEADERS) + 1
    row = HEADER_ROW
    for number, enrolment in enumerate(enrolments, start=1):
        row += 1
        trainee = enrolment.trainee
        fixed = [number, trainee.full_name, trainee.date_of_birth, _unit_name(enrolment)]
        for column, value in enumerate(fixed, start=1):
            cell = sheet.write(row, column, value, border=True)
            cell.alignment = _WRAPPED if column in (2, 4) else _CENTRED
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
        for offset, score_column in enumerate(columns):
            score = scores.get((enrolment.pk, score_column.assessment.pk))
            value = getattr(score, score_column.field) if score else None
            cell = sheet.write(row, first_score_column + offset, value, border=True)
            cell.alignment = _CENTRED
            if score_column.assessment.pk in editable:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = _LOCKED_FILL
            sheet.write(row, id_column + 1 + offset, value)
        sheet.write(row, id_column, enrolment.pk)
    if not enrolments:
        row += 1
        merged(row, 1, EMPTY_CLASS, alignment=_CENTRED)

    if enrolments:
        validation = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="10",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Điểm không hợp lệ",
            error="Nhập điểm từ 0 đến 10, tối đa hai chữ số thập phân (ví dụ 8,5), hoặc để trống.",
        )
        ranges = [
            f"{letter}{HEADER_ROW + 1}:{letter}{row}"
            for offset, score_column in enumerate(columns)
            if score_column.assessment.pk in editable
            for letter in [get_column_letter(first_score_column + offset)]
        ]
        for cells in ranges:
            validation.add(cells)
        if ranges:
            worksheet.add_data_validation(validation)

    sheet.widths([10, 30, 12, 30, *([14] * len(columns)), 12, *([14] * len(columns))])
    for hidden in range(id_column, len(headers) + 1):
        worksheet.column_dimensions[get_column_letter(hidden)].hidden = True
    worksheet.protection.sheet = True
    worksheet.protection.formatColumns = False
    worksheet.protection.formatRows = False
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.orientation = "landscape" if len(columns) > 2 else "portrait"
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    worksheet.freeze_panes = f"{get_column_letter(first_score_column)}{HEADER_ROW + 1}"
    return book.to_bytes(), len(enrolments)


# --- reading an uploaded sheet (no database) -------------------------------------------------


class GradeSheetUnreadable(Exception):
    """Not an .xlsx this upload can read; the message says why, in Vietnamese."""


@dataclass
class ReadSheet:
    """What an uploaded file holds: the class code cell, the header row and the rows below."""

    code: str | None  # None: no "Mã lớp:" cell near the top
    header_row: int | None  # None: no row with "Họ và tên"
    headers: dict[int, str] = field(default_factory=dict)  # column index (0-based) → text
    rows: list[tuple[int, tuple]] = field(default_factory=list)  # (Excel row number, values)
    # Cells holding a formula Excel never calculated (no stored value): (row number, column index)
    uncalculated: set[tuple[int, int]] = field(default_factory=set)


def _present(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def read_grade_sheet(content: bytes, filename: str = "") -> ReadSheet:
    """Read the first sheet of an uploaded grade sheet; GradeSheetUnreadable when it is not one."""
    if not content:
        raise GradeSheetUnreadable("File rỗng (0 byte). Hãy chọn lại đúng file bảng điểm.")
    if len(content) > MAX_FILE_BYTES:
        raise GradeSheetUnreadable(
            f"{too_large(len(content), MAX_FILE_BYTES, filename)} Bảng điểm của một lớp chỉ nặng "
            "vài chục KB: hãy tải bảng điểm mới của lớp và nhập điểm vào đó."
        )
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise GradeSheetUnreadable(
            "File dạng Excel cũ (.xls) không nhận: hãy mở bằng Excel, chọn Lưu thành (Save As) "
            "kiểu «Excel Workbook (*.xlsx)» rồi tải lên lại — tốt nhất là nhập điểm vào đúng "
            "file bảng điểm .xlsx đã tải về."
        )
    not_xlsx = (
        f"«{filename or 'File'}» không phải bảng tính Excel (.xlsx). Hãy tải bảng điểm của lớp "
        "về, nhập điểm bằng Excel và tải lên đúng file đó."
    )
    if not content.startswith(b"PK"):
        raise GradeSheetUnreadable(not_xlsx)
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            inflation = inflation_refusal(archive)
            if inflation:  # a zip bomb: refused before openpyxl inflates anything
                raise GradeSheetUnreadable(inflation)
            if "xl/workbook.xml" not in archive.namelist():
                raise GradeSheetUnreadable(not_xlsx)
        values = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except GradeSheetUnreadable:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds on damaged files
        raise GradeSheetUnreadable(
            "File .xlsx bị hỏng hoặc không đúng định dạng, không mở được. Hãy mở bằng Excel, "
            "lưu lại rồi tải lên lại."
        ) from None
    try:
        rows = _rows(_first_sheet(values))
        formula_rows = dict(_rows(_first_sheet(formulas)))
    except GradeSheetUnreadable:
        raise
    except Exception:
        raise GradeSheetUnreadable(
            "File .xlsx bị hỏng, không đọc hết được. Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        ) from None
    finally:
        values.close()
        formulas.close()
    return _read(rows, formula_rows)


def _first_sheet(workbook):
    for worksheet in workbook.worksheets:
        if worksheet.title == SHEET_TITLE:
            return worksheet
    if not workbook.worksheets:
        raise GradeSheetUnreadable("File không có trang tính nào.")
    return workbook.worksheets[0]


def _rows(worksheet) -> list[tuple[int, tuple]]:
    """(row number, values) of the non-empty rows; a sheet far longer than a class is refused."""
    worksheet.reset_dimensions()
    rows = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > MAX_SCANNED_ROWS or len(rows) > MAX_ROWS:
            raise GradeSheetUnreadable(
                f"Bảng điểm có quá nhiều dòng (hơn {MAX_ROWS}); đây không phải bảng điểm của "
                "một lớp."
            )
        if any(_present(value) for value in values):
            rows.append((number, tuple(values)))
    return rows


def _read(rows: list[tuple[int, tuple]], formula_rows: dict[int, tuple]) -> ReadSheet:
    code = None
    for number, values in rows:
        if number > SCAN_FOR_CODE:
            break
        for index, value in enumerate(values):
            if header_key(value).rstrip(": ").strip() == "ma lop":
                following = [v for v in values[index + 1 :] if _present(v)]
                code = normalize_text(str(following[0])) if following else ""
                break
        if code is not None:
            break
    header_row = None
    headers: dict[int, str] = {}
    for number, values in rows:
        if number > SCAN_FOR_HEADER:
            break
        if any(header_key(v) == header_key(NAME_HEADER) for v in values):
            header_row = number
            headers = {
                index: normalize_text(str(value))
                for index, value in enumerate(values)
                if _present(value)
            }
            break
    if header_row is None:
        return ReadSheet(code=code, header_row=None)
    body = [(number, values) for number, values in rows if number > header_row]
    uncalculated = set()
    for number, values in body:
        written = formula_rows.get(number, ())
        for index, value in enumerate(written):
            if isinstance(value, str) and value.startswith("="):
                if index >= len(values) or values[index] is None:
                    uncalculated.add((number, index))
    return ReadSheet(
        code=code, header_row=header_row, headers=headers, rows=body, uncalculated=uncalculated
    )


# --- comparing with the database -------------------------------------------------------------


@dataclass
class CellChange:
    """A cell the person changed in the sheet (a clear when `new` is None).

    `original` is the cell at download (the sheet's hidden copy), `old` the value stored now. They
    are equal for an ordinary change; when they differ someone changed the cell in the app since
    the download too, and the change is a conflict (`plan.conflicts`) until a person chooses.
    """

    row: int
    enrolment: Enrolment
    column: Column
    old: Decimal | None
    new: Decimal | None
    version: int | None  # of the Score row when compared; None when the row does not exist
    original: Decimal | None = None

    @property
    def key(self) -> str:
        return f"{self.enrolment.pk}-{self.column.assessment.pk}-{self.column.field}"

    @property
    def score_key(self) -> tuple[int, int]:
        return (self.enrolment.pk, self.column.assessment.pk)

    @property
    def trainee_name(self) -> str:
        return self.enrolment.trainee.full_name

    @property
    def old_text(self) -> str:
        return CLEARED if self.old is None else format_score(self.old)

    @property
    def new_text(self) -> str:
        return CLEARED if self.new is None else format_score(self.new)

    @property
    def original_text(self) -> str:
        return CLEARED if self.original is None else format_score(self.original)

    @property
    def is_clear(self) -> bool:
        return self.new is None

    def __str__(self) -> str:
        return (
            f'Dòng {self.row}, {self.trainee_name}, "{self.column.label}": '
            f"{self.old_text} → {self.new_text}"
        )

    @property
    def conflict_line(self) -> str:
        """A conflict in one line: row, trainee, column, at download, now in the app, the sheet."""
        return (
            f'Dòng {self.row}, {self.trainee_name}, "{self.column.label}": lúc tải bảng điểm là '
            f"{self.original_text}, nay đang lưu {self.old_text} (có người sửa sau khi tải), "
            f"bảng điểm ghi {self.new_text}"
        )


@dataclass
class CellProblem:
    """A cell the grid would refuse too: row, column, the value as typed and why."""

    row: int
    trainee_name: str
    header: str
    value: str
    message: str

    def __str__(self) -> str:
        return f'Dòng {self.row}, cột "{self.header}": {self.message}'


@dataclass
class GradeSheetPlan:
    course: Course
    refusals: list[str] = field(default_factory=list)  # the sheet as a whole is refused
    problems: list[CellProblem] = field(default_factory=list)  # invalid cells
    changes: list[CellChange] = field(default_factory=list)
    # Cells changed both in the sheet and in the app since the download: a person chooses.
    conflicts: list[CellChange] = field(default_factory=list)
    # Conflicts resolved by keeping the app's value (set by grade_sheet_apply).
    kept: list[CellChange] = field(default_factory=list)
    rows: int = 0  # trainee rows read
    columns: list[Column] = field(default_factory=list)
    scores: dict[tuple[int, int], Score] = field(default_factory=dict, repr=False)
    # True when the refusal is about the sheet's shape (another class, rows, names, columns).
    needs_fresh_sheet: bool = False

    @property
    def ok(self) -> bool:
        return not self.refusals and not self.problems

    @property
    def lines(self) -> list[str]:
        """Every reason it cannot be applied, one per line, in the order a person fixes them."""
        return [*self.refusals, *(str(problem) for problem in self.problems)]

    @property
    def clears(self) -> int:
        return sum(1 for change in self.changes if change.is_clear)

    @property
    def seen(self) -> dict[str, str | None]:
        """What the preview showed as the stored value of each changed or conflicting cell (kept
        until confirm)."""
        return {change.key: _seen_value(change.old) for change in [*self.changes, *self.conflicts]}

    @property
    def conflict_lines(self) -> list[str]:
        return [conflict.conflict_line for conflict in self.conflicts]

    def summary(self) -> str:
        kept = (
            f"giữ nguyên {len(self.kept)} ô điểm người khác đã sửa sau khi tải bảng điểm"
            if self.kept
            else ""
        )
        if not self.changes:
            if kept:
                return f"Không ghi ô điểm nào vào lớp {self.course.code}; {kept}."
            return (
                f"Bảng điểm không khác điểm đang lưu của lớp {self.course.code}; không có gì để "
                "ghi."
            )
        text = f"Đã ghi {len(self.changes)} ô điểm thay đổi vào lớp {self.course.code}"
        if self.clears:
            text += f", trong đó {self.clears} ô xóa điểm"
        if kept:
            text += f"; {kept}"
        return text + "."


def _seen_value(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


class GradeSheetRefused(Exception):
    """The sheet cannot be applied; `plan.lines` say why. Nothing was written."""

    def __init__(self, plan: GradeSheetPlan):
        super().__init__("\n".join(plan.lines))
        self.plan = plan

    @property
    def lines(self) -> list[str]:
        return self.plan.lines


class GradeSheetChoiceNeeded(Exception):
    """Cells changed both in the sheet and in the app since the download, with no choice made
    (keep the app's value or take the sheet's); nothing was written."""

    def __init__(self, plan: GradeSheetPlan, unresolved: list[CellChange]):
        super().__init__(
            f"{len(unresolved)} ô điểm đã có người sửa sau khi tải bảng điểm; cần chọn."
        )
        self.plan = plan
        self.unresolved = unresolved

    @property
    def lines(self) -> list[str]:
        return [conflict.conflict_line for conflict in self.unresolved]


class GradeSheetConflict(Exception):
    """Cells changed by someone else since the preview; nothing was written."""

    def __init__(self, plan: GradeSheetPlan, conflicts: list[CellChange]):
        super().__init__(f"{len(conflicts)} ô điểm đã bị người khác sửa sau khi xem trước.")
        self.plan = plan
        self.conflicts = conflicts

    @property
    def lines(self) -> list[str]:
        return [
            f'Dòng {c.row}, {c.trainee_name}, "{c.column.label}": điểm đang lưu nay là '
            f"{c.old_text} (có người vừa sửa), bảng điểm ghi {c.new_text}"
            for c in self.conflicts
        ]


def grade_sheet_refusal(course: Course, assessments: list[Assessment] | None = None) -> str | None:
    """Why no sheet can be applied to this class now (the grid's rule, or no assessment)."""
    refusal = grading_refusal(course)
    if refusal:
        return refusal
    if not (sheet_assessments(course) if assessments is None else assessments):
        return "Lớp chưa có bài kiểm tra nào; hãy thêm bài kiểm tra trước khi nhập điểm."
    return None


def not_a_grade_sheet(course: Course) -> str:
    return (
        f"Không thấy ô «{CODE_LABEL}» ở đầu trang tính: đây không phải bảng điểm tải từ phần mềm "
        f"(hoặc các dòng đầu đã bị sửa). Hãy tải bảng điểm của lớp {course.code} về và nhập "
        "điểm vào đó."
    )


def _code_key(code: str) -> str:
    return normalize_text(code or "").casefold()


def _enrolment_id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _shown(value) -> str:
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def _cell(values: tuple, index: int):
    return values[index] if index < len(values) else None


def _match_columns(plan: GradeSheetPlan, sheet: ReadSheet, columns: list[Column]):
    """(name index, id index, {Column: index}, {Column: index of its hidden original}); refusals
    added to the plan for what is missing."""
    name_index = id_index = None
    candidates: dict[tuple[str, bool], list[int]] = defaultdict(list)
    original_candidates: dict[tuple[str, bool], list[int]] = defaultdict(list)
    known_keys = {header_key(h) for h in FIXED_HEADERS}
    for index, text in sorted(sheet.headers.items()):
        key = header_key(text)
        if key == header_key(NAME_HEADER):
            name_index = index
        elif key.startswith(header_key("Mã ghi danh")):
            id_index = index
        elif _original_key(text) is not None:
            original_candidates[_original_key(text)].append(index)
        elif key not in known_keys:
            candidates[_column_key(text)].append(index)
    if id_index is None:
        plan.refusals.append(
            "Thiếu cột mã ghi danh (cột ẩn ở cuối bảng điểm, dùng để nhận ra từng học viên): "
            "bảng điểm đã bị xóa cột hoặc không phải file tải từ phần mềm."
        )
    found: dict[Column, int] = {}
    for column in columns:
        indexes = candidates.get((header_key(column.assessment.name), column.retake), [])
        if indexes:
            found[column] = indexes.pop(0)
        else:
            plan.refusals.append(
                f"Thiếu cột «{column.header}» (cột đã bị xóa hoặc đổi tên, hoặc bài kiểm tra "
                "được thêm sau khi tải bảng điểm)."
            )
    left_over = sorted(
        (index, retake) for (_, retake), indexes in candidates.items() for index in indexes
    )
    for index, retake in left_over:
        text = sheet.headers[index]
        if retake:
            plan.refusals.append(
                f"Cột «{text}» không khớp với bài kiểm tra có thi lại nào của lớp (cột đã bị "
                "đổi tên, hoặc bài không còn thi lại)."
            )
        elif _WEIGHT.search(header_key(text)):
            plan.refusals.append(
                f"Cột «{text}» không khớp với bài kiểm tra nào của lớp (bài đã bị đổi tên hoặc "
                "xóa sau khi tải bảng điểm)."
            )
        # Other extra columns (a note the lecturer added) are ignored.
    originals: dict[Column, int] = {}
    for column in columns:
        indexes = original_candidates.get((header_key(column.assessment.name), column.retake))
        if indexes:
            originals[column] = indexes[0]
    if not original_candidates:
        plan.refusals.append(OLD_SHEET)
    elif len(originals) < len(found):
        missing = ", ".join(f"«{c.header}»" for c in found if c not in originals)
        plan.refusals.append(
            f"Thiếu cột ẩn «{ORIGINAL_PREFIX.strip()}» của cột {missing}: các cột ẩn ở cuối "
            "bảng điểm đã bị xóa hoặc sửa tên, nên không biết ô nào người khác đã sửa sau khi tải."
        )
    return name_index, id_index, found, originals


# Sheets downloaded before the hidden originals existed cannot tell the cells the person changed
# from those someone changed in the app since: applying them could silently undo a colleague's
# work (the lost update this column prevents), so they are refused and a fresh sheet asked for.
OLD_SHEET = (
    "Bảng điểm này không có các cột ẩn «Điểm lúc tải về» (tải từ phiên bản phần mềm cũ, hoặc "
    "điểm đã được chép sang một file khác), nên không biết ô nào bạn đã sửa và ô nào người khác "
    "đã sửa trên phần mềm sau khi tải: nhập vào có thể xóa mất điểm người khác vừa nhập. Hãy tải "
    "bảng điểm mới của lớp, chép các điểm bạn đã nhập sang đó rồi tải lên lại."
)


def grade_sheet_plan(
    *, course: Course, sheet: ReadSheet, editor=None, lock: bool = False
) -> GradeSheetPlan:
    """Compare the sheet with the class: refusals, invalid cells and every changed cell.

    `editor` is the user whose rights apply (DESIGN §7: a lecturer writes only their assessments);
    None for a command run without --user, which may write every assessment. Runs a fixed number
    of queries whatever the size of the class.
    """
    plan = GradeSheetPlan(course=course)
    assessments = sheet_assessments(course)
    refusal = grade_sheet_refusal(course, assessments)
    if refusal:
        plan.refusals.append(refusal)
        return plan
    plan.columns = columns = sheet_columns(assessments)
    plan.needs_fresh_sheet = True
    if sheet.code is None:
        plan.refusals.append(not_a_grade_sheet(course))
        return plan
    if _code_key(sheet.code) != _code_key(course.code):
        plan.refusals.append(
            f"Bảng điểm này của lớp «{sheet.code or '(để trống)'}», không phải của lớp "
            f"«{course.code}» đang nhập điểm. Hãy chọn đúng bảng điểm của lớp {course.code}."
        )
        return plan
    if sheet.header_row is None:
        plan.refusals.append(
            f"Không thấy dòng tiêu đề có cột «{NAME_HEADER}» trong {SCAN_FOR_HEADER} dòng đầu: "
            "bảng điểm đã bị sửa các dòng tiêu đề."
        )
        return plan
    name_index, id_index, found, originals = _match_columns(plan, sheet, columns)
    if plan.refusals:
        return plan

    enrolments = sheet_enrolments(course)
    by_id = {e.pk: e for e in enrolments}
    first_row: dict[int, int] = {}
    rows: list[tuple[int, Enrolment, tuple]] = []
    score_indexes = list(found.values())
    for number, values in sheet.rows:
        raw_id = _cell(values, id_index)
        raw_name = _cell(values, name_index) if name_index is not None else None
        name = normalize_text(str(raw_name)) if _present(raw_name) else ""
        if not (_present(raw_id) or name or any(_present(_cell(values, i)) for i in score_indexes)):
            continue
        enrolment = by_id.get(_enrolment_id(raw_id))
        if enrolment is None:
            who = f"«{name}»" if name else "dòng không có họ tên"
            plan.refusals.append(
                f"Dòng {number}: {who} không có trong danh sách học viên đang học của lớp "
                f"{course.code} (dòng thêm vào bảng điểm, hoặc học viên đã thôi học sau khi tải "
                "bảng điểm)."
            )
            continue
        if enrolment.pk in first_row:
            plan.refusals.append(
                f"Dòng {number}: học viên «{enrolment.trainee.full_name}» đã có ở dòng "
                f"{first_row[enrolment.pk]} (dòng bị chép trùng)."
            )
            continue
        first_row[enrolment.pk] = number
        if name != enrolment.trainee.full_name:
            plan.refusals.append(
                f"Dòng {number}: họ tên «{name or '(để trống)'}» khác với học viên của lớp "
                f"«{enrolment.trainee.full_name}» (không được sửa họ tên trong bảng điểm; nếu họ "
                "tên sai, hãy sửa hồ sơ học viên)."
            )
            continue
        rows.append((number, enrolment, values))
    for enrolment in enrolments:
        if enrolment.pk not in first_row:
            plan.refusals.append(
                f"Thiếu học viên «{enrolment.trainee.full_name}» (sinh "
                f"{_date(enrolment.trainee.date_of_birth)}): dòng đã bị xóa khỏi bảng điểm, hoặc "
                "học viên mới ghi danh sau khi tải bảng điểm."
            )
    plan.rows = len(rows)
    if plan.refusals:
        return plan
    at_download = _originals(plan, sheet, rows, originals)
    if plan.refusals:
        return plan
    plan.needs_fresh_sheet = False

    plan.scores = scores = sheet_scores(course, lock=lock)
    for number, enrolment, values in rows:
        for column in columns:
            index = found[column]
            raw = _cell(values, index)
            if (number, index) in sheet.uncalculated:
                plan.problems.append(
                    CellProblem(
                        number,
                        enrolment.trainee.full_name,
                        sheet.headers[index],
                        "(công thức)",
                        "ô có công thức chưa được tính; hãy mở file bằng Excel, lưu lại rồi tải "
                        "lên lại (hoặc gõ thẳng điểm vào ô).",
                    )
                )
                continue
            try:
                new = parse_score(raw)
            except ValidationError as error:
                plan.problems.append(
                    CellProblem(
                        number,
                        enrolment.trainee.full_name,
                        sheet.headers[index],
                        _shown(raw),
                        error.messages[0],
                    )
                )
                continue
            original = at_download[(number, column)]
            if new == original:
                continue  # not changed in the sheet: whatever the app holds now is kept
            score = scores.get((enrolment.pk, column.assessment.pk))
            old = getattr(score, column.field) if score else None
            if old == new:
                continue  # someone already saved the same value: nothing to write
            change = CellChange(
                row=number,
                enrolment=enrolment,
                column=column,
                old=old,
                new=new,
                version=score.version if score else None,
                original=original,
            )
            (plan.changes if old == original else plan.conflicts).append(change)
    if editor is not None:
        _refuse_foreign_columns(plan, editor, course, assessments)
    return plan


def _originals(plan, sheet, rows, originals) -> dict[tuple[int, Column], Decimal | None]:
    """{(row number, column): the cell at download} from the hidden columns; a hidden cell that
    holds no score was tampered with: a refusal naming it (the person cannot fix it)."""
    at_download = {}
    for number, enrolment, values in rows:
        for column, index in originals.items():
            raw = _cell(values, index)
            try:
                if (number, index) in sheet.uncalculated:
                    raw = "(công thức)"
                at_download[(number, column)] = parse_score(raw)
            except ValidationError:
                plan.refusals.append(
                    f"Dòng {number}, {enrolment.trainee.full_name}, cột ẩn "
                    f"«{column.original_header}»: «{_shown(raw)}» không phải điểm (cột ẩn ghi "
                    "điểm lúc tải về đã bị sửa, nên không biết ô nào người khác đã sửa sau khi "
                    "tải)."
                )
    return at_download


def _refuse_foreign_columns(plan, editor, course, assessments) -> None:
    """A lecturer may change only the assessments the grid lets them write (DESIGN §7)."""
    writable = gradable_assessment_ids(editor, course, assessments)
    refused: dict[int, list[int]] = defaultdict(list)
    for change in sorted([*plan.changes, *plan.conflicts], key=lambda c: c.row):
        if change.column.assessment.pk not in writable:
            rows = refused[change.column.assessment.pk]
            if change.row not in rows:
                rows.append(change.row)
    for assessment in assessments:
        if assessment.pk not in refused:
            continue
        why = "đã nộp điểm" if assessment.submitted_at else "không phải bài bạn được giao chấm"
        rows = ", ".join(str(row) for row in refused[assessment.pk])
        plan.refusals.append(
            f"Bạn không được sửa điểm bài «{assessment.name}» ({why}): bảng điểm thay đổi ô của "
            f"bài này ở dòng {rows}. Hãy để nguyên các ô đó như lúc tải bảng điểm về."
        )


# --- applying --------------------------------------------------------------------------------


@transaction.atomic
def grade_sheet_apply(
    *,
    course: Course,
    sheet: ReadSheet,
    user,
    editor=None,
    seen: dict[str, str | None] | None = None,
    choices: dict[str, str] | None = None,
    choice_for_all: str | None = None,
) -> GradeSheetPlan:
    """Write every changed cell in one transaction, or nothing.

    Raises GradeSheetRefused (refusals or invalid cells), GradeSheetConflict or
    GradeSheetChoiceNeeded. `seen` is what the preview showed (`plan.seen`): a cell whose stored
    value is no longer the one shown there — or that only now differs from the sheet — was
    changed by someone else since (a changed version alone is not enough: the other cell of the
    same Score row may have moved), so nothing is written. A cell changed both in the sheet and
    in the app since the download (`plan.conflicts`) is written only as a person chose: KEEP (the
    app's value stays) or TAKE (the sheet's is written), per cell in `choices` (by `change.key`)
    or for every other one in `choice_for_all`; one without a choice writes nothing at all.
    Every written Score gets version + 1, updated_by and a history row under `user`.
    """
    locked = Course.objects.select_for_update().get(pk=course.pk)
    course.status, course.is_assessed = locked.status, locked.is_assessed
    plan = grade_sheet_plan(course=course, sheet=sheet, editor=editor, lock=True)
    if not plan.ok:
        raise GradeSheetRefused(plan)
    if seen is not None:
        conflicts = [
            change
            for change in [*plan.changes, *plan.conflicts]
            if change.key not in seen or seen[change.key] != _seen_value(change.old)
        ]
        if conflicts:
            raise GradeSheetConflict(plan, _in_sheet_order(plan, conflicts))
    chosen = {c.key: (choices or {}).get(c.key) or choice_for_all for c in plan.conflicts}
    unresolved = [c for c in plan.conflicts if chosen[c.key] not in (KEEP, TAKE)]
    if unresolved:
        raise GradeSheetChoiceNeeded(plan, unresolved)
    plan.kept = [c for c in plan.conflicts if chosen[c.key] == KEEP]
    taken = [c for c in plan.conflicts if chosen[c.key] == TAKE]
    plan.changes = _in_sheet_order(plan, [*plan.changes, *taken])
    _write(plan, user)
    return plan


def _in_sheet_order(plan: GradeSheetPlan, changes: list[CellChange]) -> list[CellChange]:
    position = {column: index for index, column in enumerate(plan.columns)}
    return sorted(changes, key=lambda change: (change.row, position[change.column]))


def _write(plan: GradeSheetPlan, user) -> None:
    created_keys = {c.score_key for c in plan.changes if c.score_key not in plan.scores}
    try:
        with transaction.atomic():
            scores_write(
                scores=plan.scores,
                values=[(c.score_key, c.column.field, c.new) for c in plan.changes],
                user=user,
            )
    except IntegrityError:
        # Someone saved the first score of one of these cells between compare and write.
        raise GradeSheetConflict(
            plan, [c for c in plan.changes if c.score_key in created_keys]
        ) from None
