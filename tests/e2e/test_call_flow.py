"""Issue 16 in Chromium: a unit's liaison answers a call for nominees on a 360 px phone screen;
staff accept the list; the class roster has the people (PostgreSQL run only)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hocvien.models import UnitAccount
from lophoc.models import Enrolment
from tests import builders
from tests.chieusinh.helpers import make_call
from trungtam.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Mat-khau-2026"


def _log_in(page, url, username):
    page.goto(f"{url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_a_unit_answers_on_a_phone_and_staff_accept(live_server, browser, artifacts):
    centre = builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi")
    builders.make_user(role=Role.STAFF, centre=centre, username="canbo", password=PASSWORD)
    unit = builders.make_unit(centre, name="Phường Phú Lợi", kind="ward")
    liaison = builders.make_user(role=Role.UNIT, centre=centre, username="donvi", password=PASSWORD)
    UnitAccount.objects.create(user=liaison, unit=unit)
    builders.make_trainee(centre, unit=unit, full_name="Võ Thị Hạnh")
    course = builders.make_course(
        centre, start_date=timezone.localdate() + datetime.timedelta(days=20)
    )
    call = make_call(course, [(unit, 2)])
    url = live_server.url

    # --- the unit, on a phone ------------------------------------------------------------------
    phone = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740})
    page = phone.new_page()
    page.set_default_timeout(15000)
    _log_in(page, url, "donvi")
    page.goto(f"{url}/chieu-sinh/don-vi/")
    page.get_by_role("link", name=course.code).click()  # a substring: the code holds a "/"
    expect(page.get_by_role("heading", name=re.compile("Phường Phú Lợi cử đi học"))).to_be_visible()
    page.get_by_label("Họ tên hoặc số CCCD").fill("vo thi hanh")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_test_id("found").get_by_role("button", name="Thêm").click()
    expect(page.get_by_test_id("lines")).to_contain_text("Võ Thị Hạnh")
    new_person = page.get_by_test_id("new-person")
    new_person.get_by_label("Họ và tên").fill("Đặng Văn Khoa")
    new_person.get_by_label("Ngày sinh").fill("12/04/1988")
    new_person.get_by_label("Giới tính").select_option(label="Nam")
    new_person.get_by_role("button", name="Thêm vào danh sách").click()
    expect(page.get_by_test_id("lines")).to_contain_text("Đặng Văn Khoa")
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_text("Đã gửi danh sách cho trung tâm")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the answer page scrolls sideways at 360 px ({width} px)"
    page.screenshot(path=str(artifacts / "call-answer-360.png"), full_page=True)
    phone.close()

    # --- staff accept ---------------------------------------------------------------------------
    desk = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    page.set_default_timeout(15000)
    _log_in(page, url, "canbo")
    page.goto(f"{url}/chieu-sinh/{call.pk}/")
    expect(page.get_by_test_id("unit-status")).to_contain_text("Đã gửi")
    page.get_by_test_id("accept").click()
    expect(page.get_by_text(re.compile("ghi danh 2 học viên"))).to_be_visible()
    page.goto(f"{url}/lop/{course.pk}/")
    expect(page.locator("body")).to_contain_text("Võ Thị Hạnh")
    expect(page.locator("body")).to_contain_text("Đặng Văn Khoa")
    desk.close()
    assert Enrolment.objects.filter(course=course).count() == 2
