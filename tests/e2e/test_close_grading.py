"""Issue 4 in Chromium: staff close grading of a class whose scores are complete (DESIGN §5).

The confirmation shows the results closing will store; closing stores them, the class page shows
the distribution (drawn with CSS classes only, under the Content-Security-Policy) and the result
notices to the sending units download as one PDF.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from lophoc.models import CourseStatus, Enrolment, EnrolmentStatus
from tests import builders
from trungtam.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-2026"
# Final scores of the class's trainees (one assessment): 3 Xuất sắc, 2 Giỏi, 2 Khá, 1 Trung bình,
# 1 Không đạt → 8 of 9 pass (88,9%).
SCORES = ["9.5", "9", "8.95", "8.5", "8", "7.25", "7", "5", "4.9"]


def test_staff_closes_grading_and_sees_the_distribution(live_server, page, artifacts):
    centre = builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi")
    staff = builders.make_user(
        role=Role.STAFF, centre=centre, username="canbo", password=PASSWORD, full_name="Phan Linh"
    )
    today = datetime.date.today()
    course = builders.make_course(
        centre,
        status=CourseStatus.GRADING,
        code="KND-09/2026",
        start_date=today - datetime.timedelta(days=10),
    )
    builders.make_session(course, date=course.start_date)
    exam = builders.make_assessment(course, name="Bài thu hoạch cuối khóa")
    for score in SCORES:
        enrolment = builders.make_enrolment(course, unit=builders.make_unit(centre))
        builders.make_score(enrolment, exam, score)
    builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN, status_reason="Ốm")

    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/lop/{course.pk}/")
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/lop/{course.pk}/")

    # Before closing the section says the results are only a preview; every score is there.
    section = page.locator("#ket-qua")
    expect(section).to_contain_text("dự kiến")
    expect(section.locator("[data-ready]")).to_be_visible()

    page.get_by_role("link", name="Kết thúc lớp", exact=True).click()
    page.wait_for_url(f"{live_server.url}/lop/{course.pk}/trang-thai/closed/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kết thúc lớp KND-09/2026")
    expect(page.locator("[data-figure=pass-rate]")).to_contain_text("88,9%")
    # Nobody took the attendance of its one session: the page names it and asks for a tick.
    untaken = page.locator("[data-untaken] tbody tr")
    expect(untaken).to_have_count(1)
    expect(untaken).to_contain_text(course.start_date.strftime("%d/%m/%Y"))
    page.screenshot(path=str(artifacts / "close-grading-confirm.png"), full_page=True)
    page.get_by_role("button", name="Kết thúc lớp và tính kết quả").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("còn 1 buổi học chưa điểm danh")
    assert Enrolment.objects.filter(course=course, result_computed_at__isnull=False).count() == 0
    page.get_by_label("Tôi xác nhận ở các buổi này mọi học viên đều có mặt").check()
    page.get_by_role("button", name="Kết thúc lớp và tính kết quả").click()

    page.wait_for_url(f"{live_server.url}/lop/{course.pk}/#ket-qua")
    expect(page.locator(".alert-success").first).to_contain_text(
        "đã tính và lưu kết quả của 9 học viên, 8 hoàn thành (88,9%)"
    )
    section = page.locator("#ket-qua")
    counts = {
        band: section.locator(f"[data-band={band}] [data-count]").inner_text()
        for band in ("excellent", "good", "fair", "average", "fail")
    }
    assert counts == {"excellent": "3", "good": "2", "fair": "2", "average": "1", "fail": "1"}
    expect(section.locator("[data-figure=pass-rate]")).to_contain_text("88,9%")
    # The bars are drawn by the stylesheet: 3 of 9 Xuất sắc is a third of the track.
    bar = section.locator("[data-band=excellent] .progress-bar")
    track = section.locator("[data-band=excellent] .progress")
    ratio = bar.evaluate("e => e.getBoundingClientRect().width") / track.evaluate(
        "e => e.getBoundingClientRect().width"
    )
    assert 0.30 < ratio < 0.37
    expect(page.get_by_text("Đã kết thúc").first).to_be_visible()
    page.screenshot(path=str(artifacts / "close-grading-results.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors

    course.refresh_from_db()
    assert course.status == CourseStatus.CLOSED
    change = course.status_changes.get()
    assert change.user == staff and "Xác nhận mọi học viên có mặt ở 1 buổi" in change.reason
    stored = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE)
    assert sorted(stored.values_list("final_score", flat=True)) == sorted(
        Decimal(s).quantize(Decimal("0.1"), rounding="ROUND_HALF_UP") for s in SCORES
    )

    # The result notices to the sending units (one page per unit) download as a PDF.
    with page.expect_download() as info:
        page.get_by_test_id("notices-link").click()
    download = info.value
    assert download.suggested_filename.startswith("KND-09-2026")
    assert download.suggested_filename.endswith(".pdf")
    pdf = PdfReader(download.path())
    # Words only: a long name may wrap inside its table cell.
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    first = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE).first()
    assert first.trainee.full_name in text and first.unit.name in text
    assert len(pdf.pages) >= len(SCORES)

    # On a phone the section fits the screen (its tables scroll inside it).
    page.set_viewport_size({"width": 360, "height": 740})
    box = section.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert section.evaluate("e => e.scrollWidth <= e.clientWidth")
    section.screenshot(path=str(artifacts / "close-grading-results-360.png"))
