import datetime

import pytest

from lophoc.models import CourseStatus
from tests import builders
from trungtam.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_and_sees_the_home_figures(live_server, page, artifacts):
    centre = builders.make_centre(name="Trung tâm Chính trị phường Phú Lợi")
    builders.make_user(role=Role.STAFF, centre=centre, username="canbo", password="Mat-khau-2026")
    today = datetime.date.today()
    running = builders.make_course(
        centre, status=CourseStatus.IN_PROGRESS, start_date=today, code="KND-07/2026"
    )
    builders.make_course(centre, status=CourseStatus.PLANNED, start_date=today)
    for _ in range(4):
        builders.make_enrolment(running)
    builders.make_session(running, date=today, room="Hội trường A")

    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/")
    assert "/dang-nhap/" in page.url
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")

    assert page.locator("[data-figure=courses]").inner_text() == "2"
    assert page.locator("[data-figure=enrolments]").inner_text() == "4"
    assert page.get_by_role("cell", name="KND-07/2026").is_visible()
    assert page.get_by_role("cell", name="Hội trường A").is_visible()
    # Bootstrap came from the app itself and applied (the navbar is styled, not a bare list).
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display") == "flex"
    page.screenshot(path=str(artifacts / "home-staff.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors

    # On a phone-sized screen the menu collapses behind a working toggle.
    page.set_viewport_size({"width": 360, "height": 740})
    toggle = page.get_by_role("button", name="Mở menu")
    assert toggle.is_visible()
    toggle.click()
    page.get_by_role("button", name="Đăng xuất").wait_for(state="hidden")  # inside the dropdown
    page.screenshot(path=str(artifacts / "home-staff-360.png"), full_page=True)
