"""Login flow, home figures, error pages and the security headers every page carries."""

import datetime

import pytest
from django.urls import reverse

from lophoc.models import CourseStatus
from tests import builders


@pytest.mark.django_db
def test_home_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Tên đăng nhập" in response.text and "Mật khẩu" in response.text
    assert '<html lang="vi">' in response.text


@pytest.mark.django_db
def test_login_wrong_password_says_so_in_vietnamese(client, staff):
    response = client.post(reverse("login"), {"username": "canbo", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    assert response.context["form"]["username"].value() == "canbo"  # kept what was typed


@pytest.mark.django_db
def test_login_logout_flow(client, staff):
    response = client.post(
        reverse("login"), {"username": "canbo", "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_logout_refuses_get(client, staff):
    client.force_login(staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_password_change(client, staff):
    client.force_login(staff)
    page = client.get(reverse("password_change"))
    assert "Đổi mật khẩu" in page.text
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-thu-nghiem",
            "new_password1": "Hoa-sen-no-2026",
            "new_password2": "Hoa-sen-no-2026",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Hoa-sen-no-2026")


@pytest.mark.django_db
def test_login_is_throttled_per_user_and_address(client, staff):
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "canbo", "password": "sai"}, REMOTE_ADDR="10.1.1.1"
        )
    locked = client.post(
        reverse("login"),
        {"username": "canbo", "password": "mat-khau-thu-nghiem"},
        REMOTE_ADDR="10.1.1.1",
    )
    assert locked.status_code == 429
    assert "Tạm khóa" in locked.text
    # Another person behind the same shared office address can still log in.
    other = builders.make_user(centre=staff.centre, username="canbo_khac_nguoi")
    ok = client.post(
        reverse("login"),
        {"username": other.username, "password": "mat-khau-thu-nghiem"},
        REMOTE_ADDR="10.1.1.1",
    )
    assert ok.status_code == 302


@pytest.mark.django_db
def test_home_shows_this_years_figures_for_the_users_centre(client, staff, centre, other_centre):
    year = datetime.date.today().year
    running = builders.make_course(
        centre, status=CourseStatus.IN_PROGRESS, start_date=datetime.date.today()
    )
    builders.make_course(centre, status=CourseStatus.PLANNED, start_date=datetime.date(year, 12, 1))
    builders.make_course(
        other_centre, status=CourseStatus.PLANNED, start_date=datetime.date(year, 6, 1)
    )
    builders.make_course(
        centre, status=CourseStatus.CLOSED, start_date=datetime.date(year - 1, 6, 1)
    )
    for _ in range(3):
        builders.make_enrolment(running)
    builders.make_session(running, date=datetime.date.today(), room="Hội trường A")
    client.force_login(staff)
    response = client.get(reverse("home"))
    figures = response.context["figures"]
    assert figures["course_count"] == 2
    assert figures["enrolment_count"] == 3
    counts = {row["status"]: row["count"] for row in figures["statuses"]}
    assert counts[CourseStatus.IN_PROGRESS] == 1 and counts[CourseStatus.PLANNED] == 1
    assert "Hội trường A" in response.text
    assert running.code in response.text


@pytest.mark.django_db
def test_home_has_an_empty_state(client, staff):
    client.force_login(staff)
    assert "Chưa có lớp học nào" in client.get(reverse("home")).text


@pytest.mark.django_db
def test_home_runs_the_same_queries_whatever_the_data_size(
    client, staff, centre, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)

    def add_classes(n):
        for _ in range(n):
            course = builders.make_course(centre, start_date=datetime.date.today())
            builders.make_enrolment(course)
            builders.make_session(course, date=datetime.date.today())

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("home"))
        return len(queries)

    add_classes(2)
    small = count()
    add_classes(4)
    assert count() == small


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_templates_have_no_inline_scripts_or_styles(client, staff):
    client.force_login(staff)
    for url in [reverse("home"), reverse("password_change"), "/khong-co-trang-nay/"]:
        html = client.get(url).text
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert "<script src=" in html


@pytest.mark.django_db
def test_404_page_is_vietnamese_and_leads_home(client, staff):
    client.force_login(staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text and 'href="/"' in response.text


def test_403_and_500_pages_are_vietnamese(rf):
    from trungtam.views import permission_denied, server_error

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert "Không có quyền truy cập" in permission_denied(request).content.decode()
    response = server_error(request)
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in response.content.decode()


def test_dates_are_read_day_first():
    from django import forms

    field = forms.DateField()
    assert field.clean("05/03/2026") == datetime.date(2026, 3, 5)


@pytest.mark.django_db
def test_the_logged_in_user_comes_with_the_centre(client, staff):
    """The menu names the user's centre on every page: read with the user, not after it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert staff.centre.name in response.text
    centre_table = '"trungtam_centre"'
    reads = [q["sql"] for q in queries.captured_queries if centre_table in q["sql"]]
    assert all('"trungtam_user"' in sql for sql in reads), reads
