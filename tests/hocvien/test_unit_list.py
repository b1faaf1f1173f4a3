"""The unit list: filters by kind, served communes and status; merged units say where they went."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import builders

URL = reverse("hocvien:unit_list")


def names(response) -> list[str]:
    return [unit.name for unit in response.context["page_obj"]]


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
def test_it_hides_other_centres(client, staff, centre, other_centre):
    builders.make_unit(centre, name="Phường Phú Lợi")
    builders.make_unit(other_centre, name="Xã Bình Mỹ")
    client.force_login(staff)
    assert names(client.get(URL)) == ["Phường Phú Lợi"]


@pytest.mark.django_db
def test_province_wide_users_see_and_filter_every_centre(client, superuser, centre, other_centre):
    builders.make_unit(centre, name="Phường Phú Lợi")
    builders.make_unit(other_centre, name="Xã Bình Mỹ")
    client.force_login(superuser)
    response = client.get(URL)
    assert names(response) == ["Phường Phú Lợi", "Xã Bình Mỹ"]
    assert other_centre.name in response.text
    assert names(client.get(URL, {"trung_tam": other_centre.pk})) == ["Xã Bình Mỹ"]


@pytest.mark.django_db
def test_filters_and_folded_search(client, staff, centre):
    ward = builders.make_unit(centre, name="Phường Phú Lợi", kind="ward", is_served_commune=True)
    builders.make_unit(centre, name="Xã Định Thành", kind="commune", is_served_commune=True)
    builders.make_unit(centre, name="Trường THCS Phú Lợi", kind="school")
    builders.make_unit(
        centre,
        name="Thị trấn Phú Lợi",
        kind="town",
        active=False,
        merged_into=ward,
        merged_on=datetime.date(2025, 7, 1),
    )
    client.force_login(staff)
    assert names(client.get(URL, {"loai": "school"})) == ["Trường THCS Phú Lợi"]
    assert names(client.get(URL, {"phu_trach": "co"})) == ["Phường Phú Lợi", "Xã Định Thành"]
    assert "Xã Định Thành" not in names(client.get(URL, {"phu_trach": "khong"}))
    assert names(client.get(URL, {"q": "phu loi", "tinh_trang": "hoat_dong"})) == [
        "Phường Phú Lợi",
        "Trường THCS Phú Lợi",
    ]
    merged = client.get(URL, {"tinh_trang": "sap_nhap"})
    assert names(merged) == ["Thị trấn Phú Lợi"]
    assert "Đã sáp nhập vào Phường Phú Lợi từ 01/07/2025" in merged.text
    assert names(client.get(URL, {"q": "dinh thanh"})) == ["Xã Định Thành"]


@pytest.mark.django_db
def test_counts_trainees_and_enrolments_and_sorts_by_them(client, staff, centre, course):
    big = builders.make_unit(centre, name="Phường Phú Lợi")
    small = builders.make_unit(centre, name="Xã Bình Mỹ")
    for _ in range(3):
        builders.make_enrolment(course, builders.make_trainee(centre, unit=big), unit=big)
    builders.make_trainee(centre, unit=small)
    client.force_login(staff)
    response = client.get(URL)
    counts = {u.name: (u.trainee_count, u.enrolment_count) for u in response.context["page_obj"]}
    assert counts == {"Phường Phú Lợi": (3, 3), "Xã Bình Mỹ": (1, 0)}
    assert names(client.get(URL, {"sap_xep": "-luot"}))[0] == "Phường Phú Lợi"
    assert names(client.get(URL, {"sap_xep": "hoc_vien"}))[0] == "Xã Bình Mỹ"


@pytest.mark.django_db
def test_empty_states(client, staff, centre):
    client.force_login(staff)
    assert "Chưa có đơn vị nào" in client.get(URL).text
    builders.make_unit(centre)
    assert "Không có đơn vị nào khớp" in client.get(URL, {"q": "khong co"}).text


@pytest.mark.django_db
def test_paginated(client, staff, centre):
    for n in range(27):
        builders.make_unit(centre, name=f"Xã Số {n:02d}")
    client.force_login(staff)
    assert len(client.get(URL).context["page_obj"]) == 25
    assert len(client.get(URL, {"trang": 2}).context["page_obj"]) == 2


def _build(centre, n):
    course = builders.make_course(centre)
    target = builders.make_unit(centre)
    for _ in range(n):
        unit = builders.make_unit(centre, merged_into=target, active=False)
        builders.make_enrolment(course, builders.make_trainee(centre, unit=unit), unit=unit)


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
    assert len(response.context["page_obj"]) == 11
    assert len(large) == len(small)
