"""Reading XLSX downloads back: the first sheet, its rows, the row that starts with a value."""

from io import BytesIO

import openpyxl


def xlsx_sheet(content: bytes):
    return openpyxl.load_workbook(BytesIO(content)).active


def sheet_rows(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def find_row(sheet, first_value) -> int:
    for row in sheet.iter_rows():
        if row[0].value == first_value:
            return row[0].row
    raise AssertionError(f"no row starts with {first_value!r}")
