"""The one XLSX writer every export goes through.

A cell that begins with = + - @ (or a tab or carriage return) would be run by Excel as a formula
(CSV/formula injection): such text is stored as text, with Excel's quote prefix, never as a formula.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(name="Times New Roman", bold=True)
BODY_FONT = Font(name="Times New Roman")
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def set_cell(cell: Cell, value) -> Cell:
    """Write `value` into `cell`; text that looks like a formula stays text."""
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)
        cell.value = value
        if value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


class SafeSheet:
    """A worksheet that only accepts values through `set_cell`."""

    def __init__(self, worksheet):
        self.worksheet = worksheet

    def write(self, row: int, column: int, value, *, bold: bool = False, border: bool = False):
        cell = set_cell(self.worksheet.cell(row=row, column=column), value)
        cell.font = HEADER_FONT if bold else BODY_FONT
        if border:
            cell.border = BORDER
        return cell

    def append(self, values, *, bold: bool = False, border: bool = False) -> int:
        row = self.worksheet.max_row + 1 if self.worksheet.max_row > 1 or self._used() else 1
        for column, value in enumerate(values, start=1):
            self.write(row, column, value, bold=bold, border=border)
        return row

    def _used(self) -> bool:
        return self.worksheet.cell(row=1, column=1).value is not None

    def title_row(self, row: int, text: str, columns: int, *, bold: bool = True):
        cell = self.write(row, 1, text, bold=bold)
        if columns > 1:
            self.worksheet.merge_cells(
                start_row=row, start_column=1, end_row=row, end_column=columns
            )
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return cell

    def widths(self, widths: list[float]) -> None:
        for index, width in enumerate(widths, start=1):
            self.worksheet.column_dimensions[get_column_letter(index)].width = width


class SafeWorkbook:
    """openpyxl Workbook wrapper: sheets are SafeSheets, `to_bytes()` gives the file."""

    def __init__(self):
        self.workbook = Workbook()
        self._first = True

    def sheet(self, title: str) -> SafeSheet:
        title = title[:31]
        if self._first:
            worksheet = self.workbook.active
            worksheet.title = title
            self._first = False
        else:
            worksheet = self.workbook.create_sheet(title)
        return SafeSheet(worksheet)

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
