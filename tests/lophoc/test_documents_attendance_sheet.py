"""Bảng điểm danh: PDF (landscape, split into parts) and XLSX read back."""

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from lophoc.documents.attendance_sheet import attendance_sheet_pdf, attendance_sheet_xlsx
from lophoc.models import Attendance, AttendanceStatus, Course, SessionPart
from tests import builders
from tests.lophoc.document_helpers import DAY, IN_ORDER, make_documents_course
from tests.pdf_reading import pdf_fonts, pdf_pages
from tests.xlsx_reading import find_row, sheet_rows, xlsx_sheet

pytestmark = pytest.mark.django_db


def fresh(course):
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


def add_sessions(course, count: int):
    """`count` half-day sessions from the class's first day, created in reverse order."""
    slots = []
    day = course.start_date
    while len(slots) < count:
        slots += [(day, SessionPart.MORNING), (day, SessionPart.AFTERNOON)]
        day += datetime.timedelta(days=1)
    return [
        builders.make_session(course, date=date, part=part)
        for date, part in reversed(slots[:count])
    ][::-1]


@pytest.fixture
def documents_course(centre):
    return make_documents_course(centre)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_is_landscape_with_one_dated_column_per_session(documents_course):
    add_sessions(documents_course, 3)
    content = attendance_sheet_pdf(fresh(documents_course), day=DAY)
    page = PdfReader(BytesIO(content)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    texts = pdf_pages(content)
    text = flat("\n".join(texts))
    for expected in [
        "BẢNG ĐIỂM DANH",
        "Mã lớp: DVM-03/2026. Từ ngày 02/03/2026 đến ngày 06/03/2026",
        "Các buổi học (học viên ký tên)",
        "02/03 S",
        "02/03 C",
        "03/03 S",
        "Ghi chú",
        "x: có mặt",
        "P: vắng có phép",
        "K: vắng không phép",
        "Tổng số: 7 học viên, 3 buổi học.",
        "NGƯỜI LẬP BIỂU",
    ]:
        assert expected in text, expected
    assert text.index("02/03 S") < text.index("02/03 C") < text.index("03/03 S")
    positions = [text.index(name) for name in IN_ORDER]
    assert positions == sorted(positions)
    assert "Võ Văn Thôi Học" not in text
    assert "Phần 1/" not in text  # three sessions fit on one part
    assert all("Tinos" in font for font in pdf_fonts(content))


def test_recorded_attendance_is_prefilled(documents_course):
    first, second = add_sessions(documents_course, 2)
    enrolments = {e.trainee.full_name: e for e in documents_course.enrolments.all()}
    Attendance.objects.create(
        session=first, enrolment=enrolments["Trần Văn An"], status=AttendanceStatus.EXCUSED
    )
    Attendance.objects.create(
        session=second, enrolment=enrolments["Trần Văn An"], status=AttendanceStatus.UNEXCUSED
    )
    Attendance.objects.create(
        session=first,
        enrolment=enrolments["Bùi Thị Ánh"],
        status=AttendanceStatus.PRESENT,
        made_up=True,
    )
    Attendance.objects.create(session=first, enrolment=enrolments["Phạm Đức Đạt"])
    sheet = xlsx_sheet(attendance_sheet_xlsx(fresh(documents_course), day=DAY))
    header = find_row(sheet, "STT")
    rows = {row[1]: row for row in sheet_rows(sheet)[header + 1 :] if row[1]}
    assert rows["Trần Văn An"][3:5] == ["P", "K"]
    assert rows["Bùi Thị Ánh"][3] == "B"
    assert rows["Phạm Đức Đạt"][3] == "x"
    assert rows["Lê Thị Huyền Diệu"][3] in (None, "")  # not recorded: blank to sign
    text = flat("\n".join(pdf_pages(attendance_sheet_pdf(fresh(documents_course), day=DAY))))
    assert "Trần Văn An" in text and " P K " in text

    blank = xlsx_sheet(attendance_sheet_xlsx(fresh(documents_course), day=DAY, marks=False))
    blank_rows = {row[1]: row for row in sheet_rows(blank)[header + 1 :] if row[1]}
    assert blank_rows["Trần Văn An"][3] in (None, "")


def test_many_sessions_split_into_parts_that_repeat_the_names(documents_course):
    add_sessions(documents_course, 14)
    texts = pdf_pages(attendance_sheet_pdf(fresh(documents_course), day=DAY))
    text = flat("\n".join(texts))
    assert "Phần 1/2: buổi 1–7 (từ 02/03/2026 đến 05/03/2026)" in text
    assert "Phần 2/2: buổi 8–14 (từ 05/03/2026 đến 08/03/2026)" in text
    part_two = text[text.index("Phần 2/2") :]
    part_one = text[: text.index("Phần 2/2")]
    assert "08/03 C" in part_two and "08/03 C" not in part_one
    assert "02/03 S" in part_one and "02/03 S" not in part_two
    for name in IN_ORDER:
        assert name in part_one and name in part_two
    second_part_page = next(t for t in texts if "Phần 2/2" in t)
    assert "Họ và tên" in second_part_page and "STT" in second_part_page
    assert len(texts) >= 2


def test_xlsx_has_the_same_grid_with_every_session(documents_course):
    add_sessions(documents_course, 14)
    sheet = xlsx_sheet(attendance_sheet_xlsx(fresh(documents_course), day=DAY))
    assert sheet["A5"].value == "BẢNG ĐIỂM DANH"
    header = find_row(sheet, "STT")
    top = [c.value for c in sheet[header]]
    assert top[:4] == ["STT", "Họ và tên", "Đơn vị", "Các buổi học (học viên ký tên)"]
    assert top[-1] == "Ghi chú"
    labels = [c.value for c in sheet[header + 1]][3:-1]
    assert len(labels) == 14
    assert labels[0] == "02/03\nS" and labels[1] == "02/03\nC" and labels[-1] == "08/03\nC"
    names = [sheet.cell(row=header + 1 + i, column=2).value for i in range(1, len(IN_ORDER) + 1)]
    assert names == IN_ORDER
    assert sheet.print_title_rows == f"${header}:${header + 1}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.freeze_panes == f"D{header + 2}"
    formula_like = sheet.cell(row=header + 1 + IN_ORDER.index("@Lê Văn Công") + 1, column=2)
    assert formula_like.data_type == "s"


def test_empty_class_without_sessions_is_a_clear_empty_sheet(centre):
    course = builders.make_course(centre)
    (text,) = pdf_pages(attendance_sheet_pdf(fresh(course), day=DAY))
    assert "Lớp chưa có buổi học nào" in text
    assert "Lớp chưa có học viên nào" in text
    assert "Tổng số: 0 học viên, 0 buổi học." in text
    sheet = xlsx_sheet(attendance_sheet_xlsx(fresh(course), day=DAY))
    values = [str(v) for row in sheet_rows(sheet) for v in row if v]
    assert any("Lớp chưa có học viên nào" in v for v in values)
    assert any("Lớp chưa có buổi học nào" in v for v in values)


def _queries(course, builder) -> int:
    with CaptureQueriesContext(connection) as context:
        builder(fresh(course), day=DAY)
    return len(context.captured_queries)


@pytest.mark.parametrize("builder", [attendance_sheet_pdf, attendance_sheet_xlsx])
def test_query_count_does_not_grow_with_the_class(centre, builder):
    people = [(f"Học Viên Số {n}", "M", False) for n in range(30)]
    small = make_documents_course(centre, people=people[:10], code="A-1")
    large = make_documents_course(centre, people=people[:30], code="A-2")
    for course, sessions in [(small, 2), (large, 6)]:
        for session in add_sessions(course, sessions):
            for enrolment in course.enrolments.all():
                Attendance.objects.create(session=session, enrolment=enrolment)
    assert _queries(small, builder) == _queries(large, builder)
