"""A lecturer's page: qualifications, contact, this year's sessions and periods, the login."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from giangvien.models import LecturerKind
from lophoc.models import CourseStatus, SessionPart, Topic
from tests import builders


def url(lecturer, **params):
    base = reverse("giangvien:lecturer_detail", args=[lecturer.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def teacher(lecturer):
    teacher = lecturer.lecturer
    teacher.title = "ThS."
    teacher.kind = LecturerKind.PART_TIME
    teacher.political_theory_level = "cao_cap"
    teacher.professional_level = "master"
    teacher.qualifications = "Thạc sĩ Xây dựng Đảng"
    teacher.workplace = "Ban Tuyên giáo và Dân vận"
    teacher.phone = "0912 345 678"
    teacher.save()
    return teacher


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, teacher):
    assert client.get(url(teacher))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, status",
    [
        ("staff", 200),
        ("admin_user", 200),
        ("superuser", 200),
        ("other_staff", 404),
        ("official", 403),
        ("province_official", 403),
    ],
)
@pytest.mark.django_db
def test_access_per_role(client, request, teacher, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(teacher)).status_code == status


@pytest.mark.django_db
def test_a_lecturer_sees_their_own_page_but_no_one_elses(client, lecturer, centre):
    colleague = builders.make_lecturer(centre, full_name="Trần Văn Bình")
    client.force_login(lecturer)
    own = client.get(url(lecturer.lecturer))
    assert own.status_code == 200
    assert reverse("giangvien:lecturer_edit", args=[lecturer.lecturer.pk]) not in own.text
    assert reverse("giangvien:lecturer_account", args=[lecturer.lecturer.pk]) not in own.text
    assert client.get(url(colleague)).status_code == 404


@pytest.mark.django_db
def test_it_shows_qualifications_contact_and_login(client, staff, teacher):
    client.force_login(staff)
    text = client.get(url(teacher)).text
    for expected in [
        "ThS. Lê Thị Hồng",
        "Kiêm chức",
        "Cao cấp",
        "Thạc sĩ",
        "Thạc sĩ Xây dựng Đảng",
        "Ban Tuyên giáo và Dân vận",
        "0912 345 678",
        "giangvien",
        "Đang hoạt động",
        "Khóa tài khoản",
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_it_lists_this_years_sessions_with_total_periods(client, staff, centre, teacher):
    year = timezone.localdate().year
    course = builders.make_course(centre, code="DVM-03/X", start_date=datetime.date(year, 3, 2))
    topic = Topic.objects.create(course=course, order=1, title="Chủ nghĩa Mác – Lênin")
    old = builders.make_course(centre, code="KND-01/OLD", start_date=datetime.date(year - 1, 3, 2))
    cancelled = builders.make_course(
        centre,
        code="HUY-01/X",
        start_date=datetime.date(year, 6, 1),
        status=CourseStatus.CANCELLED,
    )
    builders.make_session(
        course, lecturer=teacher, part=SessionPart.AFTERNOON, periods=3, topic=topic
    )
    builders.make_session(course, lecturer=teacher, part=SessionPart.MORNING, periods=4)
    builders.make_session(old, lecturer=teacher, periods=5)
    builders.make_session(cancelled, lecturer=teacher, periods=4)
    client.force_login(staff)
    response = client.get(url(teacher))
    sessions = response.context["sessions"]
    assert [(s.course.code, s.part) for s in sessions] == [
        ("DVM-03/X", "morning"),
        ("DVM-03/X", "afternoon"),
    ]
    assert response.context["total_periods"] == 7
    assert "Chủ nghĩa Mác – Lênin" in response.text and "7 tiết" in response.text
    past = client.get(url(teacher, nam=year - 1))
    assert [s.course.code for s in past.context["sessions"]] == ["KND-01/OLD"]


@pytest.mark.django_db
def test_empty_year_says_where_sessions_come_from(client, staff, teacher):
    client.force_login(staff)
    assert "Chưa có buổi giảng nào" in client.get(url(teacher)).text


@pytest.mark.django_db
def test_a_lecturer_without_login_offers_to_create_one(client, staff, centre):
    guest = builders.make_lecturer(centre, full_name="Phạm Văn Khách", kind=LecturerKind.GUEST)
    client.force_login(staff)
    text = client.get(url(guest)).text
    assert "Chưa có tài khoản" in text and "Tạo tài khoản đăng nhập" in text


def _build(course, teacher, n):
    for day in range(n):
        builders.make_session(
            course, lecturer=teacher, date=course.start_date + datetime.timedelta(days=day)
        )


@pytest.mark.django_db
def test_query_count_does_not_grow_with_sessions(client, staff, centre, teacher):
    year = timezone.localdate().year
    course = builders.make_course(centre, start_date=datetime.date(year, 2, 2))
    client.force_login(staff)
    _build(course, teacher, 2)
    client.get(url(teacher))
    with CaptureQueriesContext(connection) as small:
        client.get(url(teacher))
    _build(builders.make_course(centre, start_date=datetime.date(year, 4, 6)), teacher, 4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(teacher))
    assert len(response.context["sessions"]) == 6
    assert len(large) == len(small)


def test_a_lecturer_reaches_their_own_page_from_the_menu(client, lecturer, staff):
    client.force_login(lecturer)
    home = client.get(reverse("home")).content.decode()
    assert reverse("giangvien:my_page") in home and "Hồ sơ giảng dạy" in home
    response = client.get(reverse("giangvien:my_page"))
    assert response.status_code == 302
    assert response.url == reverse("giangvien:lecturer_detail", args=[lecturer.lecturer.pk])
    client.force_login(staff)  # a login not linked to a lecturer has no such page
    assert client.get(reverse("giangvien:my_page")).status_code == 404
    assert "Hồ sơ giảng dạy" not in client.get(reverse("home")).content.decode()
