"""The graded class of tests/lophoc/grade_sheet_helpers.py: its scores and the sheet it prints."""

from decimal import Decimal

import pytest

from lophoc.grade_sheet import HEADER_ROW, ID_HEADER, grade_sheet_xlsx
from tests.lophoc.document_helpers import IN_ORDER
from tests.lophoc.grade_sheet_helpers import (
    ESSAY,
    column,
    make_graded_course,
    stored_scores,
    workbook,
)


@pytest.mark.django_db
def test_the_graded_course_has_scores_for_the_first_trainees(centre):
    course = make_graded_course(centre)
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][:2] == (Decimal("8.5"), None)
    assert scores[("Bùi Thị Ánh", ESSAY)][:2] == (Decimal("4"), Decimal("6"))
    sheet = workbook(grade_sheet_xlsx(course)).active
    names = [sheet.cell(row=r, column=2).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)]
    assert names == IN_ORDER
    assert sheet.cell(row=HEADER_ROW, column=column(sheet, ID_HEADER)).value == ID_HEADER
