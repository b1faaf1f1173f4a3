"""The trainee registry list: staff only, diacritic-insensitive search, filters, Vietnamese order."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import builders

URL = reverse("hocvien:trainee_list")


def names(response) -> list[str]:
    return [trainee.full_name for trainee in response.context["page_obj"]]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


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
def test_only_those_who_manage_trainees_open_the_list(client, request, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == status


@pytest.mark.django_db
def test_it_hides_other_centres(client, staff, centre, other_centre):
    builders.make_trainee(centre, full_name="Nguyễn Văn An")
    builders.make_trainee(other_centre, full_name="Trần Văn Bình")
    client.force_login(staff)
    response = client.get(URL)
    assert names(response) == ["Nguyễn Văn An"]
    assert "Trần Văn Bình" not in response.text
    assert not response.context["all_centres"]


@pytest.mark.django_db
def test_province_wide_users_see_every_centre_with_a_centre_column(
    client, superuser, centre, other_centre
):
    builders.make_trainee(centre, full_name="Nguyễn Văn An")
    builders.make_trainee(other_centre, full_name="Trần Văn Bình")
    client.force_login(superuser)
    response = client.get(URL)
    assert names(response) == ["Nguyễn Văn An", "Trần Văn Bình"]
    assert other_centre.name in response.text
    filtered = client.get(URL, {"trung_tam": other_centre.pk})
    assert names(filtered) == ["Trần Văn Bình"]


@pytest.mark.django_db
def test_search_ignores_diacritics(client, staff, centre):
    builders.make_trainee(centre, full_name="Nguyễn Văn An")
    builders.make_trainee(centre, full_name="Đặng Thị Đào")
    builders.make_trainee(centre, full_name="Trần Văn Bình")
    client.force_login(staff)
    assert names(client.get(URL, {"q": "nguyen van an"})) == ["Nguyễn Văn An"]
    assert names(client.get(URL, {"q": "dang dao"})) == ["Đặng Thị Đào"]
    assert names(client.get(URL, {"q": "NGUYỄN"})) == ["Nguyễn Văn An"]


@pytest.mark.django_db
def test_digits_search_the_national_id(client, staff, centre):
    builders.make_trainee(centre, full_name="Nguyễn Văn An", national_id="001203004567")
    builders.make_trainee(centre, full_name="Trần Văn Bình", national_id="079188000111")
    client.force_login(staff)
    assert names(client.get(URL, {"q": "004567"})) == ["Nguyễn Văn An"]


@pytest.mark.django_db
def test_filters_by_unit_party_membership_and_year(client, staff, centre):
    phu_loi = builders.make_unit(centre, name="Phường Phú Lợi")
    binh_my = builders.make_unit(centre, name="Xã Bình Mỹ")
    an = builders.make_trainee(
        centre, full_name="Nguyễn Văn An", unit=phu_loi, is_party_member=True
    )
    binh = builders.make_trainee(centre, full_name="Trần Văn Bình", unit=binh_my)
    builders.make_trainee(centre, full_name="Lê Thị Cúc", unit=phu_loi)
    course_2025 = builders.make_course(centre, start_date=datetime.date(2025, 4, 7))
    course_2026 = builders.make_course(centre, start_date=datetime.date(2026, 3, 2))
    builders.make_enrolment(course_2025, an)
    builders.make_enrolment(course_2026, an)
    builders.make_enrolment(course_2026, binh)
    client.force_login(staff)
    assert names(client.get(URL, {"don_vi": phu_loi.pk})) == ["Nguyễn Văn An", "Lê Thị Cúc"]
    assert names(client.get(URL, {"dang_vien": "co"})) == ["Nguyễn Văn An"]
    assert names(client.get(URL, {"dang_vien": "khong"})) == ["Trần Văn Bình", "Lê Thị Cúc"]
    assert names(client.get(URL, {"nam": 2025})) == ["Nguyễn Văn An"]
    by_year = client.get(URL, {"nam": 2026})
    assert names(by_year) == ["Nguyễn Văn An", "Trần Văn Bình"]
    # Filtering by year does not shrink the class count of a person to that year's classes.
    assert [t.class_count for t in by_year.context["page_obj"]] == [2, 1]
    combined = client.get(URL, {"nam": 2026, "don_vi": binh_my.pk, "q": "binh"})
    assert names(combined) == ["Trần Văn Bình"]


@pytest.mark.django_db
def test_years_offered_are_those_with_classes(client, staff, centre):
    trainee = builders.make_trainee(centre)
    builders.make_enrolment(
        builders.make_course(centre, start_date=datetime.date(2024, 5, 6)), trainee
    )
    builders.make_enrolment(
        builders.make_course(centre, start_date=datetime.date(2026, 3, 2)), trainee
    )
    client.force_login(staff)
    response = client.get(URL)
    choices = [value for value, _ in response.context["form"].fields["year"].choices]
    assert choices == ["", 2026, 2024]


@pytest.mark.django_db
def test_an_unknown_filter_value_is_ignored_not_an_error(client, staff, centre):
    builders.make_trainee(centre, full_name="Nguyễn Văn An")
    client.force_login(staff)
    response = client.get(URL, {"don_vi": "999999", "nam": "abc"})
    assert response.status_code == 200
    assert names(response) == ["Nguyễn Văn An"]


@pytest.mark.django_db
def test_sorted_the_vietnamese_way_by_default(client, staff, centre):
    for name in ["Trần Văn Bình", "Nguyễn Văn Ánh", "Lê Thị Anh", "Phạm Đức", "Hoàng Văn Dũng"]:
        builders.make_trainee(centre, full_name=name)
    client.force_login(staff)
    assert names(client.get(URL)) == [
        "Lê Thị Anh",
        "Nguyễn Văn Ánh",
        "Trần Văn Bình",
        "Hoàng Văn Dũng",
        "Phạm Đức",
    ]
    assert names(client.get(URL, {"sap_xep": "-ten"}))[0] == "Phạm Đức"


@pytest.mark.django_db
def test_sortable_by_date_of_birth(client, staff, centre):
    builders.make_trainee(centre, full_name="Lê Thị Anh", date_of_birth=datetime.date(1995, 1, 1))
    builders.make_trainee(
        centre, full_name="Trần Văn Bình", date_of_birth=datetime.date(1980, 1, 1)
    )
    client.force_login(staff)
    assert names(client.get(URL, {"sap_xep": "ngay_sinh"})) == ["Trần Văn Bình", "Lê Thị Anh"]
    assert names(client.get(URL, {"sap_xep": "-ngay_sinh"})) == ["Lê Thị Anh", "Trần Văn Bình"]


@pytest.mark.django_db
def test_columns_mask_the_national_id_and_count_classes(client, staff, centre, course):
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    trainee = builders.make_trainee(
        centre,
        full_name="Nguyễn Văn An",
        national_id="001203004567",
        unit=unit,
        date_of_birth=datetime.date(1990, 3, 5),
        ethnicity="Tày",
    )
    builders.make_enrolment(course, trainee)
    client.force_login(staff)
    response = client.get(URL)
    text = response.text
    assert "001203004567" not in text
    assert "•••••••••567" in text
    assert "05/03/1990" in text and "Phường Phú Lợi" in text and "Nam" in text
    assert "Tày" not in text  # sensitive data stays on the record page
    assert response.context["page_obj"][0].class_count == 1


@pytest.mark.django_db
def test_paginated(client, staff, centre):
    for n in range(30):
        builders.make_trainee(centre, full_name=f"Nguyễn Văn Số {n:02d}")
    client.force_login(staff)
    first = client.get(URL)
    assert len(first.context["page_obj"]) == 25
    assert "Trang 1/2" in first.text
    assert len(client.get(URL, {"trang": 2}).context["page_obj"]) == 5


@pytest.mark.django_db
def test_empty_states_say_what_to_do(client, staff, centre):
    client.force_login(staff)
    assert "Chưa có học viên nào" in client.get(URL).text
    builders.make_trainee(centre, full_name="Nguyễn Văn An")
    assert "Không có học viên nào khớp" in client.get(URL, {"q": "xyz"}).text


_ids = itertools.count(1)


def _build(centre, n):
    units = [builders.make_unit(centre) for _ in range(2)]
    course = builders.make_course(centre)
    for i in range(n):
        trainee = builders.make_trainee(centre, unit=units[i % 2], national_id=f"{next(_ids):012d}")
        builders.make_enrolment(course, trainee, unit=units[i % 2])


def _queries(client, params=None) -> int:
    client.get(URL, params)  # warm up session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [None, {"nam": 2026, "q": "nguyen", "dang_vien": "khong"}])
@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(client, staff, centre, params):
    client.force_login(staff)
    _build(centre, 4)
    small = _queries(client, params)
    _build(centre, 8)
    assert _queries(client, params) == small
