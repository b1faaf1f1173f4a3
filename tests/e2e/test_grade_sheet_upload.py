"""Staff fill the offline grade sheet while a colleague changes the grid: the upload preview shows
the conflict, confirm writes nothing until a choice is made, the colleague's other change stays."""

from decimal import Decimal

import pytest

from lophoc.models import CourseStatus, Score
from tests import builders
from tests.lophoc.grade_sheet_helpers import (
    ESSAY,
    ESSAY_HEADER,
    MIDTERM,
    MIDTERM_HEADER,
    colleague_saves,
    edited,
    make_graded_course,
    stored_scores,
)
from trungtam.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_stale_sheet_shows_the_conflict_and_waits_for_a_choice(
    live_server, page, artifacts, tmp_path
):
    centre = builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi")
    builders.make_user(role=Role.STAFF, centre=centre, username="canbo", password="Mat-khau-2026")
    colleague = builders.make_user(role=Role.STAFF, centre=centre, full_name="Nguyễn Văn A")
    course = make_graded_course(centre, status=CourseStatus.GRADING)

    page.goto(f"{live_server.url}/lop/{course.pk}/diem/nhap-bang-diem/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    with page.expect_download() as download:
        page.get_by_test_id("download-link").click()
    downloaded = download.value.path().read_bytes()

    # While the sheet is filled offline, a colleague changes three cells in the grid.
    colleague_saves(course, colleague, "Trần Văn An", ESSAY, "6")
    colleague_saves(course, colleague, "Bùi Thị Ánh", ESSAY, "5")
    colleague_saves(course, colleague, "Lê Thị Huyền Diệu", MIDTERM, "7")
    sheet = tmp_path / "bang-diem.xlsx"
    sheet.write_bytes(
        edited(
            downloaded,
            {
                ("Trần Văn An", ESSAY_HEADER): 9,
                ("Bùi Thị Ánh", MIDTERM_HEADER): 8,
                ("Lê Thị Huyền Diệu", MIDTERM_HEADER): 5,
            },
        )
    )
    page.get_by_label("File bảng điểm").set_input_files(str(sheet))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.get_by_test_id("download-conflicts").wait_for()
    rows = page.locator("[data-conflict]")
    assert rows.count() == 2
    assert [c.strip() for c in rows.first.locator("td").all_inner_texts()[:6]] == [
        "9",
        "Trần Văn An",
        ESSAY,
        "8,5",
        "6",
        "9",
    ]
    page.screenshot(path=str(artifacts / "grade-sheet-conflict.png"), full_page=True)

    before = stored_scores(course)
    page.get_by_test_id("confirm").click()
    page.get_by_text("Chưa ghi gì: còn 2 ô điểm").wait_for()
    assert stored_scores(course) == before
    page.screenshot(path=str(artifacts / "grade-sheet-conflict-unchosen.png"), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(artifacts / "grade-sheet-conflict-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Giữ 6 đang lưu").check()
    page.get_by_label("lấy điểm trong bảng điểm của bạn").check()  # every other conflict
    page.get_by_test_id("confirm").click()
    page.get_by_text("giữ nguyên 1 ô điểm người khác đã sửa").wait_for()
    scores = stored_scores(course)
    assert scores[("Trần Văn An", ESSAY)][0] == Decimal("6")
    assert scores[("Lê Thị Huyền Diệu", MIDTERM)][0] == Decimal("5")
    assert scores[("Bùi Thị Ánh", ESSAY)][0] == Decimal("5")  # unchanged in the sheet: kept
    assert scores[("Bùi Thị Ánh", MIDTERM)][0] == Decimal("8")
    assert (
        Score.objects.get(
            enrolment__trainee__full_name="Trần Văn An", assessment__name=ESSAY
        ).updated_by
        == colleague
    )
