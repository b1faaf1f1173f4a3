"""The needs survey's totals as XLSX: per program (trainees asked for, units asking), and the
answers unit by unit, in the centre's administrative layout."""

import datetime

from django.utils import timezone

from khaosat.models import Survey, SurveyStatus
from khaosat.surveys import answer_matrix, survey_totals
from lophoc.documents import (
    CENTRED,
    WRAPPED,
    xlsx_header,
    xlsx_print_setup,
    xlsx_table_header,
)
from lophoc.models import ProgramSystem
from trungtam.documents.xlsx import SafeWorkbook

TOTALS_HEADERS = ["STT", "Chương trình", "Hệ", "Số đơn vị đăng ký", "Số học viên dự kiến"]
TOTALS_WIDTHS = [6, 60, 14, 14, 14]
SYSTEM_NAMES = dict(ProgramSystem.choices)


def filename(survey: Survey) -> str:
    """'KS-2027-TTA_tong-hop-khao-sat-nhu-cau.xlsx': ASCII, named after what it holds."""
    code = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in survey.centre.code)
    return f"KS-{survey.year}-{code.strip('-')}_tong-hop-khao-sat-nhu-cau.xlsx"


def title(survey: Survey) -> str:
    return f"TỔNG HỢP KẾT QUẢ KHẢO SÁT NHU CẦU BỒI DƯỠNG NĂM {survey.year}"


def status_line(survey: Survey, asked: int, answered: int) -> str:
    line = f"{answered}/{asked} đơn vị đã trả lời"
    if survey.status == SurveyStatus.CLOSED:
        return line + " (khảo sát đã đóng)"
    return line + f" (hạn trả lời {survey.deadline:%d/%m/%Y}; số liệu có thể còn thay đổi)"


def survey_xlsx(survey: Survey, *, day: datetime.date | None = None) -> bytes:
    """Two sheets: the totals per program, and the answers per unit (a column per program)."""
    day = day or timezone.localdate()
    totals = survey_totals(survey)
    asked = list(survey.asked.select_related("unit"))
    answers = {a.unit_id: a for a in survey.answers.all()}
    matrix = answer_matrix(survey)
    answered = sum(1 for row in asked if row.unit_id in answers)

    book = SafeWorkbook()
    sheet = book.sheet(f"Tổng hợp {survey.year}")
    columns = len(TOTALS_HEADERS)
    row = xlsx_header(
        sheet,
        survey.centre,
        columns=columns,
        title=title(survey),
        lines=[status_line(survey, len(asked), answered)],
        day=day,
        split=2,
    )
    header_row = row
    xlsx_table_header(sheet, header_row, TOTALS_HEADERS)
    for index, total in enumerate(totals, start=1):
        row += 1
        values = [index, total.name, SYSTEM_NAMES.get(total.system, ""), total.units]
        values.append(total.expected)
        for column, value in enumerate(values, start=1):
            cell = sheet.write(row, column, value, border=True)
            cell.alignment = WRAPPED if column == 2 else CENTRED
    row += 1
    sheet.write(row, 1, "", border=True)
    sheet.write(row, 2, "Tổng cộng", bold=True, border=True)
    sheet.write(row, 3, "", border=True)
    sheet.write(row, 4, "", border=True)
    sheet.write(row, 5, sum(t.expected for t in totals), bold=True, border=True).alignment = CENTRED
    sheet.widths(TOTALS_WIDTHS)
    xlsx_print_setup(
        sheet, landscape=False, title_rows=(header_row, header_row), freeze=f"A{header_row + 1}"
    )

    # The answers unit by unit: programs across, units down.
    units_sheet = book.sheet("Theo đơn vị")
    headers = ["STT", "Đơn vị", "Trả lời"]
    headers += [t.name for t in totals] + ["Cộng", "Ý kiến chung"]
    xlsx_table_header(units_sheet, 1, headers)
    for index, asked_row in enumerate(asked, start=1):
        answer = answers.get(asked_row.unit_id)
        figures = matrix.get(asked_row.unit_id, {})
        if answer is None:
            state = "Chưa trả lời"
        else:
            state = f"{timezone.localtime(answer.submitted_at):%d/%m/%Y}"
            if answer.on_paper:
                state += " (phiếu giấy)"
        values = [index, asked_row.unit.name, state]
        values += [figures.get(t.program_id, 0) if answer else "" for t in totals]
        values += [sum(figures.values()) if answer else "", answer.note if answer else ""]
        for column, value in enumerate(values, start=1):
            cell = units_sheet.write(index + 1, column, value, border=True)
            cell.alignment = WRAPPED if column in (2, len(values)) else CENTRED
    units_sheet.widths([6, 36, 16] + [14] * len(totals) + [10, 40])
    xlsx_print_setup(units_sheet, landscape=True, title_rows=(1, 1), freeze="C2")
    return book.to_bytes()
