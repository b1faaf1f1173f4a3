"""The lecturer list: filters by kind and status, folded search, this year's sessions and periods."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from giangvien.models import LecturerKind
from lophoc.models import CourseStatus, SessionPart
from tests import builders

URL = reverse("giangvien:lecturer_list")


def names(response) -> list[str]:
    return [lecturer.full_name for lecturer in response.context["page_obj"]]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert client.get(URL)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, status",
    [
        ("staff", 200),
        ("admin_user", 200),
        ("superuser", 200),
        ("official", 403),
        ("province_official", 403),
        ("lecturer", 403),
    ],
)
@pytest.mark.django_db
def test_access_per_role(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == status


@pytest.mark.django_db
def test_it_hides_other_centres(client, other_staff, lecturer):
    client.force_login(other_staff)
    response = client.get(URL)
    assert names(response) == []
    assert "Chưa có giảng viên nào" in response.text


@pytest.mark.django_db
def test_filters_search_and_vietnamese_order(client, staff, centre, lecturer):
    builders.make_lecturer(centre, full_name="Trần Văn Bình", kind=LecturerKind.PART_TIME)
    builders.make_lecturer(
        centre, full_name="Phạm Thị Anh", kind=LecturerKind.GUEST, workplace="Sở Giáo dục"
    )
    builders.make_lecturer(centre, full_name="Đỗ Văn Cường", kind=LecturerKind.GUEST, active=False)
    client.force_login(staff)
    assert names(client.get(URL)) == [
        "Phạm Thị Anh",
        "Trần Văn Bình",
        "Đỗ Văn Cường",
        "Lê Thị Hồng",
    ]
    assert names(client.get(URL, {"loai": "guest"})) == ["Phạm Thị Anh", "Đỗ Văn Cường"]
    assert names(client.get(URL, {"loai": "part_time"})) == ["Trần Văn Bình"]
    assert names(client.get(URL, {"tinh_trang": "ngung"})) == ["Đỗ Văn Cường"]
    assert "Đỗ Văn Cường" not in names(client.get(URL, {"tinh_trang": "dang_day"}))
    assert names(client.get(URL, {"q": "le thi hong"})) == ["Lê Thị Hồng"]
    assert names(client.get(URL, {"q": "do cuong"})) == ["Đỗ Văn Cường"]
    assert "Chuyên trách" in client.get(URL).text


@pytest.mark.django_db
def test_it_counts_this_years_sessions_and_periods(client, staff, centre, lecturer):
    teacher = lecturer.lecturer
    year = timezone.localdate().year
    this_year = builders.make_course(centre, start_date=datetime.date(year, 3, 2))
    last_year = builders.make_course(centre, start_date=datetime.date(year - 1, 3, 2))
    cancelled = builders.make_course(
        centre, start_date=datetime.date(year, 5, 4), status=CourseStatus.CANCELLED
    )
    builders.make_session(this_year, lecturer=teacher, periods=4)
    builders.make_session(this_year, lecturer=teacher, periods=3, part=SessionPart.AFTERNOON)
    builders.make_session(last_year, lecturer=teacher, periods=5)
    builders.make_session(cancelled, lecturer=teacher, periods=4)
    idle = builders.make_lecturer(centre, full_name="Trần Văn Bình")
    client.force_login(staff)
    response = client.get(URL)
    figures = {
        row.full_name: (row.session_count, row.period_sum) for row in response.context["page_obj"]
    }
    assert figures == {"Lê Thị Hồng": (2, 7), idle.full_name: (0, 0)}
    past = client.get(URL, {"nam": year - 1})
    assert {r.full_name: r.period_sum for r in past.context["page_obj"]}["Lê Thị Hồng"] == 5
    assert names(client.get(URL, {"sap_xep": "-tiet"}))[0] == "Lê Thị Hồng"
    # The login and its state are shown.
    assert "giangvien" in response.text


@pytest.mark.django_db
def test_paginated(client, staff, centre):
    for n in range(26):
        builders.make_lecturer(centre, full_name=f"Trần Văn Số {n:02d}")
    client.force_login(staff)
    assert len(client.get(URL).context["page_obj"]) == 25
    assert len(client.get(URL, {"trang": 2}).context["page_obj"]) == 1


def _build(centre, n):
    course = builders.make_course(centre, start_date=timezone.localdate().replace(month=1, day=5))
    for _ in range(n):
        user = builders.make_user(role="lecturer", centre=centre)
        teacher = builders.make_lecturer(centre, user=user)
        builders.make_session(course, lecturer=teacher)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(client, staff, centre):
    client.force_login(staff)
    _build(centre, 3)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    _build(centre, 6)
    with CaptureQueriesContext(connection) as large:
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 9
    assert len(large) == len(small)
