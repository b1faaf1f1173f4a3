"""The public forms in Chromium, as a trainee and a reader meet them (PostgreSQL run only): the
course evaluation answered on a phone from the slip's code, and a signed PDF checked on /xac-thuc/.
A real browser sends the Origin header the CSRF check reads (the test client does not): pages
that forbid referrers entirely make it send "Origin: null" and the POST would be refused."""

import re

import pytest
from playwright.sync_api import expect

from danhgia import evaluations
from danhgia.models import EvaluationAnswer
from tests import builders
from tests.danhgia.helpers import evaluated_course
from tests.signing.pki import small_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trainee_answers_the_evaluation_on_a_phone(live_server, browser, artifacts):
    centre = builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi")
    lecturer = builders.make_lecturer(centre, full_name="Lê Thị Hồng")
    course = evaluated_course(centre, lecturers=[lecturer], name="Lớp bồi dưỡng đảng viên mới")
    code = evaluations.codes_top_up(course=course)[0].code
    phone = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740})
    page = phone.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/danh-gia/phieu/?ma={code}")
    expect(page.get_by_text("Lớp bồi dưỡng đảng viên mới").first).to_be_visible()
    expect(page.get_by_text("Giảng viên Lê Thị Hồng")).to_be_visible()
    # Each mark is a button-like label over a hidden radio (Bootstrap's btn-check): tap the label.
    choices = page.locator("input[type=radio][value='4']").all()
    for choice in choices:
        page.locator(f"label[for='{choice.get_attribute('id')}']").click()
    page.get_by_role("button", name="Gửi phiếu đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn bạn đã gửi phiếu đánh giá")
    page.screenshot(path=artifacts / "danh-gia-phieu-360.png", full_page=True)
    phone.close()
    answer = EvaluationAnswer.objects.get()
    assert answer.course == course
    assert len(choices) > 0
    assert list(answer.marks.values_list("value", flat=True)) == [4] * len(choices)


def test_a_reader_checks_a_pdf_on_the_check_page(live_server, page, tmp_path, artifacts):
    pdf = tmp_path / "giay-chung-nhan.pdf"
    pdf.write_bytes(small_pdf(["GIẤY CHỨNG NHẬN"]))
    page.goto(f"{live_server.url}/xac-thuc/")
    page.locator("input[type=file][name=tep]").set_input_files(str(pdf))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_role("heading", name="Kết quả kiểm tra tệp PDF")).to_be_visible()
    expect(page.get_by_text(re.compile("Tệp này không có chữ ký số"))).to_be_visible()
    page.screenshot(path=artifacts / "xac-thuc-tep.png", full_page=True)
    assert page.url == f"{live_server.url}/xac-thuc/tep/"
