"""Danh sách học viên: PDF and XLSX read back."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lophoc.documents.enrolment_list import enrolment_list_pdf, enrolment_list_xlsx
from lophoc.models import Course
from tests import builders
from tests.lophoc.document_helpers import DAY, IN_ORDER, make_documents_course
from tests.pdf_reading import page_numbers, pdf_fonts, pdf_pages
from tests.xlsx_reading import find_row, sheet_rows, xlsx_sheet
from trungtam.models import DocumentLayout, Leader, LeaderRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents_course(centre):
    Leader.objects.create(centre=centre, full_name="Trần Quốc Hưng", role=LeaderRole.DIRECTOR)
    return make_documents_course(centre)


def fresh(course):
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


def test_pdf_has_the_layout_title_and_names_in_vietnamese_order(documents_course):
    texts = pdf_pages(
        enrolment_list_pdf(fresh(documents_course), maker_name="Phan Thị Mỹ Linh", day=DAY)
    )
    text = "\n".join(texts)
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TRUNG TÂM CHÍNH TRỊ",
        "Phú Lợi, ngày 09 tháng 3 năm 2026",
        "DANH SÁCH HỌC VIÊN",
        "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới khóa 3",
        "Mã lớp: DVM-03/2026. Từ ngày 02/03/2026 đến ngày 06/03/2026",
        "Địa điểm: Hội trường A",
        "Họ và tên",
        "Ngày sinh",
        "Tổng số: 7 học viên (Nam: 4, Nữ: 3); không kể 1 học viên đã thôi học.",
        "NGƯỜI LẬP BIỂU",
        "Phan Thị Mỹ Linh",
        "GIÁM ĐỐC",
        "Trần Quốc Hưng",
    ]:
        assert expected in text, expected
    flat = " ".join(text.split())  # a long name may wrap inside its cell
    positions = [flat.index(name) for name in IN_ORDER]
    assert positions == sorted(positions)
    assert "Võ Văn Thôi Học" not in text
    assert "05/01/1990" in text  # date of birth dd/mm/yyyy


def test_pdf_embeds_tinos_only(documents_course):
    fonts = pdf_fonts(enrolment_list_pdf(fresh(documents_course), day=DAY))
    assert fonts and all("Tinos" in font for font in fonts)


def test_pdf_never_prints_the_national_id(centre):
    # Named and coded here: a built class's numbered name or code could contain "567" itself.
    course = builders.make_course(centre, code="KND-01/2026", name="Lớp bồi dưỡng thử nghiệm")
    builders.make_enrolment(
        course, builders.make_trainee(centre, full_name="Lý Thị Căn", national_id="001203004567")
    )
    text = "\n".join(pdf_pages(enrolment_list_pdf(fresh(course), day=DAY)))
    assert "Lý Thị Căn" in text and "001203004567" not in text and "567" not in text


def test_state_layout_prints_the_national_motto(documents_course):
    centre = documents_course.centre
    centre.document_layout = DocumentLayout.STATE
    centre.save()
    text = pdf_pages(enrolment_list_pdf(fresh(documents_course), day=DAY))[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_missing_director_leaves_the_name_blank(centre):
    course = make_documents_course(centre)
    text = pdf_pages(enrolment_list_pdf(fresh(course), day=DAY))[-1]
    assert "GIÁM ĐỐC" in text


def test_empty_class_says_so(centre):
    course = builders.make_course(centre)
    (text,) = pdf_pages(enrolment_list_pdf(fresh(course), day=DAY))
    assert "Lớp chưa có học viên nào" in text
    assert "Tổng số: 0 học viên (Nam: 0, Nữ: 0)." in text
    sheet = xlsx_sheet(enrolment_list_xlsx(fresh(course), day=DAY))
    assert any("Lớp chưa có học viên nào" in str(v) for row in sheet_rows(sheet) for v in row)


def test_long_lists_run_over_several_numbered_pages(centre):
    course = make_documents_course(
        centre,
        people=[(f"Nguyễn Thị Hà {n:02d}", "F", n % 2 == 0) for n in range(1, 61)],
    )
    content = enrolment_list_pdf(fresh(course), day=DAY)
    texts = pdf_pages(content)
    assert len(texts) >= 3
    for text in texts:
        assert "Họ và tên" in text  # the header row repeats
    assert page_numbers(content) == [""] + [str(n) for n in range(2, len(texts) + 1)]
    assert "Nguyễn Thị Hà 60" in texts[-1] and "GIÁM ĐỐC" in texts[-1]


def test_xlsx_has_title_header_rows_and_safe_text(documents_course):
    sheet = xlsx_sheet(
        enrolment_list_xlsx(fresh(documents_course), maker_name="Phan Thị Mỹ Linh", day=DAY)
    )
    assert sheet["A1"].value == "ĐẢNG ỦY PHƯỜNG PHÚ LỢI"
    assert sheet["D1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert sheet["D3"].value == "Phú Lợi, ngày 09 tháng 3 năm 2026"
    assert sheet["A5"].value == "DANH SÁCH HỌC VIÊN"
    header = find_row(sheet, "STT")
    assert [c.value for c in sheet[header]] == [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Đơn vị",
        "Chức vụ",
        "Đảng viên",
    ]
    body = [[c.value for c in sheet[header + i]] for i in range(1, len(IN_ORDER) + 1)]
    assert [row[1] for row in body] == IN_ORDER
    assert [row[0] for row in body] == list(range(1, len(IN_ORDER) + 1))
    by_name = {row[1]: row for row in body}
    assert by_name["Đặng Văn Hữu"][6] == "x" and by_name["Trần Văn An"][6] in (None, "")
    assert by_name["Đặng Văn Hữu"][2] == datetime.datetime(1990, 1, 5)
    assert sheet.cell(row=header + 1, column=3).number_format == "DD/MM/YYYY"
    assert by_name["Nguyễn Thị Mỹ Duyên"][3] == "Nữ"
    assert by_name["Nguyễn Thị Mỹ Duyên"][4].startswith("Ủy ban Mặt trận Tổ quốc")
    assert by_name["Nguyễn Thị Mỹ Duyên"][5] == "Bí thư chi đoàn"  # the trainee's own position
    # Text that looks like a formula stays text.
    name_cell = sheet.cell(row=header + IN_ORDER.index("@Lê Văn Công") + 1, column=2)
    assert name_cell.data_type == "s" and name_cell.value == "@Lê Văn Công"
    position_cell = sheet.cell(row=header + IN_ORDER.index("Đặng Văn Hữu") + 1, column=6)
    assert position_cell.data_type == "s" and position_cell.value == "-Phó Bí thư"
    everything = [v for row in sheet_rows(sheet) for v in row if v]
    assert "Võ Văn Thôi Học" not in everything
    assert any(str(v).startswith("Tổng số: 7 học viên") for v in everything)
    assert "Phan Thị Mỹ Linh" in everything


def test_xlsx_print_setup(documents_course):
    sheet = xlsx_sheet(enrolment_list_xlsx(fresh(documents_course), day=DAY))
    header = find_row(sheet, "STT")
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def _queries(course, builder) -> int:
    with CaptureQueriesContext(connection) as context:
        builder(fresh(course), day=DAY)
    return len(context.captured_queries)


@pytest.mark.parametrize("builder", [enrolment_list_pdf, enrolment_list_xlsx])
def test_query_count_does_not_grow_with_the_class(centre, builder):
    people = [(f"Học Viên Số {n}", "M", False) for n in range(30)]
    small = make_documents_course(centre, people=people[:10], code="A-1")
    large = make_documents_course(centre, people=people[:30], code="A-2")
    assert _queries(small, builder) == _queries(large, builder)
