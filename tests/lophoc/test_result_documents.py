"""Bảng điểm (PDF), kết quả học tập (PDF, XLSX) and thông báo kết quả (PDF), read back."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lophoc.documents import DocumentRefused, build_course_document
from lophoc.documents.grade_list import grade_list_pdf
from lophoc.documents.result_list import result_list_pdf, result_list_xlsx, with_reason
from lophoc.documents.result_notices import result_notices_pdf
from lophoc.models import Classification, Course, CourseStatus, EnrolmentStatus
from tests import builders
from tests.lophoc.document_helpers import DAY, IN_ORDER
from tests.lophoc.grade_sheet_helpers import ESSAY_HEADER, MIDTERM, make_graded_course
from tests.pdf_reading import page_numbers, pdf_pages
from tests.xlsx_reading import find_row, sheet_rows, xlsx_sheet
from trungtam.models import Centre, DocumentLayout, ExportLog, Leader, LeaderRole

pytestmark = pytest.mark.django_db
PLAIN_UNIT = "Chi bộ ấp Bến Tranh"
LONG_UNIT = "Ủy ban Mặt trận Tổ quốc Việt Nam phường Phú Lợi, khu phố Hòa Thạnh"
# (final score, classification, eligible, passed, absent periods, status)
RESULTS = {
    "Trần Văn An": ("8.0", Classification.GOOD, True, True, 0, EnrolmentStatus.ACTIVE),
    "Bùi Thị Ánh": ("7.1", Classification.FAIR, True, True, 4, EnrolmentStatus.ACTIVE),
    "@Lê Văn Công": ("4.2", Classification.FAIL, True, False, 0, EnrolmentStatus.ACTIVE),
    "Lê Thị Huyền Diệu": ("9.5", Classification.EXCELLENT, True, True, 0, EnrolmentStatus.ACTIVE),
    "Nguyễn Thị Mỹ Duyên": (None, "", False, False, 12, EnrolmentStatus.ACTIVE),
    "Phạm Đức Đạt": (None, "", True, False, 0, EnrolmentStatus.ABSENT_FINAL),
    "Đặng Văn Hữu": ("5.0", Classification.AVERAGE, True, True, 8, EnrolmentStatus.ACTIVE),
    "Võ Văn Thôi Học": (None, "", True, False, 0, EnrolmentStatus.WITHDRAWN),
}


def with_results(course, results=RESULTS, *, status=CourseStatus.CLOSED):
    """Stored results as closing writes them (set here so these tests stand alone)."""
    now = timezone.now()
    for enrolment in course.enrolments.select_related("trainee"):
        final, classification, eligible, passed, absent, state = results.get(
            enrolment.trainee.full_name, ("6.0", Classification.AVERAGE, True, True, 0, None)
        )
        enrolment.final_score = Decimal(final) if final else None
        enrolment.classification = classification
        enrolment.is_eligible = eligible
        enrolment.passed = passed
        enrolment.scheduled_periods = 40
        enrolment.absent_periods = absent
        enrolment.status = state or enrolment.status
        enrolment.result_computed_at = now
        enrolment.save()
    Course.objects.filter(pk=course.pk).update(status=status)
    return fresh(course)


def fresh(course):
    return Course.objects.select_related("centre", "program").get(pk=course.pk)


@pytest.fixture
def closed(centre):
    Leader.objects.create(centre=centre, full_name="Trần Quốc Hưng", role=LeaderRole.DIRECTOR)
    return with_results(make_graded_course(centre))


def flat(text: str) -> str:
    return " ".join(text.split())


# --- bảng điểm (PDF) -------------------------------------------------------------------------


def test_the_grade_list_prints_scores_the_vietnamese_way(centre):
    course = make_graded_course(centre)
    pages = pdf_pages(grade_list_pdf(fresh(course), day=DAY))
    text = flat("\n".join(pages))
    assert "BẢNG ĐIỂM" in text and "Mã lớp: DVM-03/2026" in text
    assert "(hệ số 2)" in text and "Thi lại – Bài thu hoạch" in text
    assert "8,5" in text and "9,25" in text and "8.5" not in text
    positions = [text.index(name) for name in IN_ORDER]
    assert positions == sorted(positions)
    assert "Võ Văn Thôi Học" not in text  # withdrawn: not in the sheet
    assert "còn 9 ô điểm chưa nhập" in text


def test_the_grade_document_as_xlsx_is_the_sheet_to_fill_in(centre):
    course = make_graded_course(centre)
    built = build_course_document(fresh(course), "grades", "xlsx")
    sheet = xlsx_sheet(built.content)
    assert sheet["B3"].value == "DVM-03/2026"
    assert ESSAY_HEADER in [cell.value for cell in sheet[8]]
    assert (built.filename, built.rows) == ("DVM-03-2026_bang-diem.xlsx", 7)


# --- kết quả học tập -------------------------------------------------------------------------


def test_results_before_they_are_computed_are_refused(centre):
    course = make_graded_course(centre)
    for document in ("results", "notices"):
        with pytest.raises(DocumentRefused, match="chưa tính kết quả học tập"):
            build_course_document(fresh(course), document, "pdf")


def test_the_result_list_pdf_has_every_trainee_result_and_the_distribution(closed):
    pages = pdf_pages(result_list_pdf(closed, maker_name="Phan Thị Mỹ Linh", day=DAY))
    text = flat("\n".join(pages))
    assert "KẾT QUẢ HỌC TẬP" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    positions = [text.index(name) for name in IN_ORDER]
    assert positions == sorted(positions)
    assert "Võ Văn Thôi Học" in text and "Thôi học (Chuyển công tác)" in text
    for expected in [
        "8,0 Giỏi",
        "9,5 Xuất sắc",
        "5,0 Trung bình",
        "4,2 Không đạt",
        "Không hoàn thành: không đủ điều kiện chuyên cần, vắng 12/40 tiết",
        "Không hoàn thành: vắng kiểm tra cuối khóa",
        "6*",  # Bùi Thị Ánh's retake replaces her essay score
        "*: điểm thi lại",
        "Tổng hợp kết quả",
        "Xuất sắc 1 14,3%",
        "Hoàn thành 4 57,1%",
        "Không đủ điều kiện 1 14,3%",
        "Cộng 7 100,0%",
        "Hoàn thành: 4/7 học viên, đạt tỷ lệ 57,1%; không kể 1 học viên thôi học.",
        "Trần Quốc Hưng",
        "Phan Thị Mỹ Linh",
    ]:
        assert expected in text, expected
    assert "DỰ THẢO" not in text


def test_a_recorded_reason_is_printed_once(centre):
    course = make_graded_course(centre)
    reasons = {
        "Phạm Đức Đạt": "Vắng kiểm tra cuối khóa (ốm, có giấy xác nhận)",
        "Nguyễn Thị Mỹ Duyên": "Không đủ điều kiện chuyên cần",
    }
    for enrolment in course.enrolments.select_related("trainee"):
        if enrolment.trainee.full_name in reasons:
            enrolment.status_reason = reasons[enrolment.trainee.full_name]
            enrolment.save()
    course = with_results(course)
    text = flat("\n".join(pdf_pages(result_list_pdf(course, day=DAY))))
    assert "Không hoàn thành: vắng kiểm tra cuối khóa (ốm, có giấy xác nhận)" in text
    assert "Không hoàn thành: không đủ điều kiện chuyên cần, vắng 12/40 tiết" in text
    assert "(Vắng kiểm tra" not in text and "(Không đủ điều kiện" not in text
    # The letter that leaves the centre states the fact, never the free text (an illness).
    notice = flat("\n".join(pdf_pages(result_notices_pdf(course, day=DAY))))
    assert "Không hoàn thành: vắng kiểm tra cuối khóa" in notice and "ốm" not in notice
    sheet = xlsx_sheet(result_list_xlsx(course, day=DAY))
    outcomes = [row[-1] for row in sheet_rows(sheet) if row and row[-1]]
    assert "Không hoàn thành: vắng kiểm tra cuối khóa (ốm, có giấy xác nhận)" in outcomes


@pytest.mark.parametrize(
    ("phrase", "reason", "detail", "expected"),
    [
        ("Thôi học", "", "", "Thôi học"),
        ("Thôi học", "Chuyển công tác", "", "Thôi học (Chuyển công tác)"),
        ("Thôi học", "thôi học", "", "Thôi học"),
        ("Thôi học", "Thôi học vì lý do gia đình", "", "Thôi học vì lý do gia đình"),
        ("Thôi học", "Thôi học: chuyển công tác", "", "Thôi học: chuyển công tác"),
        ("Thôi học", "Thôi họcxyz", "", "Thôi học (Thôi họcxyz)"),  # not the same word
        (
            "vắng kiểm tra cuối khóa",
            "Vắng kiểm tra cuối khoá (ốm)",
            "",
            "vắng kiểm tra cuối khóa (ốm)",
        ),
        (
            "không đủ điều kiện chuyên cần",
            "Vắng quá 20% số tiết",
            ", vắng 9/40 tiết",
            "không đủ điều kiện chuyên cần, vắng 9/40 tiết (Vắng quá 20% số tiết)",
        ),
    ],
)
def test_with_reason_says_the_outcome_and_its_reason_once(phrase, reason, detail, expected):
    assert with_reason(phrase, reason, detail) == expected


def test_a_reopened_class_prints_its_results_as_a_draft(centre):
    course = with_results(make_graded_course(centre), status=CourseStatus.GRADING)
    pages = pdf_pages(result_list_pdf(course, day=DAY))
    assert all("DỰ THẢO" in page for page in pages)


def test_the_result_list_xlsx_has_the_same_table_and_summary(closed):
    sheet = xlsx_sheet(result_list_xlsx(closed, day=DAY))
    assert sheet["A5"].value == "KẾT QUẢ HỌC TẬP"
    first = find_row(sheet, 1)
    header = [cell.value for cell in sheet[first - 1]]
    assert header == [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Đơn vị",
        MIDTERM,
        "Bài thu hoạch",
        "Điểm tổng kết",
        "Xếp loại",
        "Số tiết vắng",
        "Kết quả",
    ]
    rows = sheet_rows(sheet)
    an = rows[first - 1]
    assert an[1] == "Trần Văn An" and an[2].date() == datetime.date(1990, 3, 7)
    # Scores are numbers shown with one decimal (Excel writes the reader's separator: 8,5).
    assert an[4:] == [7, 8.5, 8, "Giỏi", 0, "Hoàn thành"]
    score_cells = [sheet.cell(row=first, column=column) for column in (5, 6, 7)]
    assert all(cell.data_type == "n" for cell in score_cells)
    assert [cell.number_format for cell in score_cells] == ["0.0#", "0.0#", "0.0"]
    retake = sheet.cell(row=first + 1, column=6)  # Bùi Thị Ánh's retake replaces her essay
    assert (retake.value, retake.data_type, retake.number_format) == (6, "n", '0.0#"*"')
    cells = [value for row in rows for value in row if value is not None]
    assert "Tổng hợp kết quả" in cells and "57,1%" in cells and "14,3%" in cells
    assert sheet.page_setup.orientation == "landscape"


def test_a_class_without_assessment_lists_attendance_outcomes_only(centre):
    course = with_results(make_graded_course(centre, is_assessed=False))
    text = flat("\n".join(pdf_pages(result_list_pdf(course, day=DAY))))
    assert "Điểm tổng kết" not in text and "Xuất sắc" not in text
    assert "Hoàn thành 4 57,1%" in text


# --- thông báo kết quả -----------------------------------------------------------------------


def test_one_notice_per_unit_each_on_its_own_pages(closed):
    pages = [flat(page) for page in pdf_pages(result_notices_pdf(closed, day=DAY))]
    assert len(pages) >= 2
    plain = [p for p in pages if f"Kính gửi: {PLAIN_UNIT}" in p]
    long = [p for p in pages if f"Kính gửi: {LONG_UNIT}" in p]
    assert len(plain) == 1 and len(long) == 1
    assert pages.index(plain[0]) < pages.index(long[0])  # units in alphabetical order
    # Each unit's trainees on its letter, and only theirs.
    for name in ("Trần Văn An", "@Lê Văn Công", "Phạm Đức Đạt", "Đặng Văn Hữu"):
        assert name in plain[0] and name not in long[0]
    for name in ("Bùi Thị Ánh", "Lê Thị Huyền Diệu", "Nguyễn Thị Mỹ Duyên"):
        assert name in long[0] and name not in plain[0]
    assert "Võ Văn Thôi Học" not in " ".join(pages)  # no unit: nobody to write to
    letter = plain[0]
    for expected in [
        "TRUNG TÂM CHÍNH TRỊ PHƯỜNG PHÚ LỢI",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "-TB/TTCT",
        "Phú Lợi, ngày 09 tháng 3 năm 2026",
        "THÔNG BÁO",
        "Kết quả học tập lớp bồi dưỡng lý luận chính trị cho đảng viên mới khóa 3",
        "(mã lớp DVM-03/2026)",
        "từ ngày 02/03/2026 đến ngày 06/03/2026",
        f"{PLAIN_UNIT} cử 4 đồng chí",
        "8,0 Giỏi",
        "Hoàn thành",
        "Có 2/4 đồng chí hoàn thành chương trình.",
        "cấp giấy chứng nhận",
        "Nơi nhận:",
        f"- {PLAIN_UNIT};",
        "- Lưu Văn phòng.",
        "GIÁM ĐỐC",
        "Trần Quốc Hưng",
    ]:
        assert expected in letter, expected
    assert "Trang" not in letter  # a one-page letter has no page number


def test_the_state_layout_numbers_the_notice_its_way(closed):
    Centre.objects.filter(pk=closed.centre_id).update(document_layout=DocumentLayout.STATE)
    text = flat(pdf_pages(result_notices_pdf(fresh(closed), day=DAY))[0])
    assert "Số:" in text and "/TB-TTCT" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    # Nghị định 30/2020: the unit first, the file copy "Lưu: VT." last.
    assert f"Nơi nhận: - {PLAIN_UNIT}; - Lưu: VT." in text
    assert "Lưu Văn phòng" not in text and "Như trên" not in text


def _recipients(page: str) -> str:
    """The "Nơi nhận" block as extracted: the heading and the lines after it, up to the end."""
    return page[page.index("Nơi nhận:") :]


def test_the_party_layout_lists_the_unit_then_the_office_copy(closed):
    pages = [flat(page) for page in pdf_pages(result_notices_pdf(closed, day=DAY))]
    for unit in (PLAIN_UNIT, LONG_UNIT):
        (letter,) = [p for p in pages if f"Kính gửi: {unit}" in p]
        block = _recipients(letter)
        assert block.index(f"- {unit};") < block.index("- Lưu Văn phòng.")
        assert "Lưu: VT" not in block and "Như trên" not in block and "Lưu VP" not in block


NOBODY_PASSED = RESULTS | {
    # Every trainee of the plain unit fails, one way or another.
    "Trần Văn An": ("4.0", Classification.FAIL, True, False, 0, EnrolmentStatus.ACTIVE),
    "Đặng Văn Hữu": (None, "", False, False, 12, EnrolmentStatus.ACTIVE),
}


def test_a_unit_nobody_of_which_passed_gets_no_certificate_sentence(centre):
    course = with_results(make_graded_course(centre), NOBODY_PASSED)
    pages = [flat(page) for page in pdf_pages(result_notices_pdf(course, day=DAY))]
    (none_passed,) = [p for p in pages if f"Kính gửi: {PLAIN_UNIT}" in p]
    (some_passed,) = [p for p in pages if f"Kính gửi: {LONG_UNIT}" in p]
    assert "Không có đồng chí nào hoàn thành chương trình" in none_passed
    for wrong in ("giấy chứng nhận", "Có 0/", "Các đồng chí hoàn thành chương trình được"):
        assert wrong not in none_passed, wrong
    # The other unit's letter keeps its count and the certificate sentence.
    assert "Có 2/3 đồng chí hoàn thành chương trình." in some_passed
    assert "Các đồng chí hoàn thành chương trình được" in some_passed
    assert "cấp giấy chứng nhận" in some_passed


def test_a_unit_everyone_of_which_passed_is_told_so(centre):
    everyone = {
        name: ("7.0", Classification.FAIR, True, True, 0, EnrolmentStatus.ACTIVE)
        for name in RESULTS
    }
    course = with_results(make_graded_course(centre, withdrawn=False), everyone)
    text = flat("\n".join(pdf_pages(result_notices_pdf(course, day=DAY))))
    assert "Cả 4 đồng chí đều hoàn thành chương trình." in text
    assert "Cả 3 đồng chí đều hoàn thành chương trình." in text
    assert "Có 4/4" not in text


def test_a_long_letter_numbers_its_own_pages(centre):
    people = [(f"Học Viên Số {n:02d}", "M", False) for n in range(50)]
    course = with_results(make_graded_course(centre, people=people, withdrawn=False))
    content = result_notices_pdf(course, day=DAY)
    pages = [flat(page) for page in pdf_pages(content)]
    # Half the trainees in each unit: two letters, the longer ones over two pages each.
    assert len(pages) >= 4
    starts = [index for index, page in enumerate(pages) if "Kính gửi:" in page]
    assert len(starts) == 2
    # Each letter numbers its own pages from its second one, at the top centre; no "Trang".
    expected = []
    for index in range(len(pages)):
        first = max(start for start in starts if start <= index)
        expected.append("" if index == first else str(index - first + 1))
    assert page_numbers(content) == expected
    assert not any("Trang" in page for page in pages)


def test_notices_while_reopened_are_drafts(centre):
    course = with_results(make_graded_course(centre), status=CourseStatus.GRADING)
    pages = pdf_pages(result_notices_pdf(course, day=DAY))
    assert all("DỰ THẢO" in page for page in pages)


def test_a_class_whose_trainees_have_no_unit_has_no_notice(centre):
    course = builders.make_course(centre, status=CourseStatus.CLOSED)
    builders.make_enrolment(course, builders.make_trainee(centre, full_name="Lý Văn Tự Do"))
    course = with_results(course)
    with pytest.raises(DocumentRefused, match="không có thông báo kết quả nào"):
        result_notices_pdf(course)


# --- downloads -------------------------------------------------------------------------------


def document_url(course, document, fmt):
    return reverse("lophoc:course_document", args=[course.pk, document, fmt])


@pytest.mark.parametrize(
    ("document", "fmt", "filename"),
    [
        ("grades", "pdf", "DVM-03-2026_bang-diem.pdf"),
        ("grades", "xlsx", "DVM-03-2026_bang-diem.xlsx"),
        ("results", "pdf", "DVM-03-2026_ket-qua-hoc-tap.pdf"),
        ("results", "xlsx", "DVM-03-2026_ket-qua-hoc-tap.xlsx"),
        ("notices", "pdf", "DVM-03-2026_thong-bao-ket-qua.pdf"),
    ],
)
def test_staff_download_each_document_and_it_is_logged(
    client, staff, closed, document, fmt, filename
):
    client.force_login(staff)
    response = client.get(document_url(closed, document, fmt))
    assert response.status_code == 200
    assert f'filename="{filename}"' in response["Content-Disposition"]
    log = ExportLog.objects.get()
    assert (log.user, log.filename, log.centre) == (staff, filename, closed.centre)


def test_notices_have_no_xlsx(client, staff, closed):
    client.force_login(staff)
    assert client.get(document_url(closed, "notices", "xlsx")).status_code == 404


def test_results_not_computed_send_staff_back_with_the_reason(client, staff, centre):
    course = make_graded_course(centre)
    client.force_login(staff)
    response = client.get(document_url(course, "notices", "pdf"), follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("lophoc:course_detail", args=[course.pk]) + "#tai-lieu"
    )
    assert "chưa tính kết quả học tập" in response.content.decode()
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize(("who", "expected"), [("other_staff", 404), ("official", 403)])
def test_outsiders_and_readers_get_no_results(request, client, closed, who, expected):
    client.force_login(request.getfixturevalue(who))
    assert client.get(document_url(closed, "notices", "pdf")).status_code == expected
    assert not ExportLog.objects.exists()


# --- a fixed number of queries ---------------------------------------------------------------


def _queries(builder, course) -> int:
    with CaptureQueriesContext(connection) as context:
        builder(fresh(course), day=DAY)
    return len(context.captured_queries)


@pytest.mark.parametrize(
    "builder", [grade_list_pdf, result_list_pdf, result_list_xlsx, result_notices_pdf]
)
def test_query_count_does_not_grow_with_the_class(centre, builder):
    people = [(f"Học Viên Số {n}", "M", False) for n in range(30)]
    small = with_results(make_graded_course(centre, people=people[:10], code="A-1"))
    large = with_results(make_graded_course(centre, people=people, code="A-2"))
    assert _queries(builder, small) == _queries(builder, large)
