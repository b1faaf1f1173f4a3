"""A unit's page: kind, served-commune flag, merges, and trainees sent per year."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.models import CourseStatus
from tests import builders


def url(unit):
    return reverse("hocvien:unit_detail", args=[unit.pk])


@pytest.fixture
def unit(centre):
    return builders.make_unit(centre, name="Phường Phú Lợi", kind="ward", is_served_commune=True)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, unit):
    assert client.get(url(unit))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, status",
    [
        ("staff", 200),
        ("superuser", 200),
        ("other_staff", 404),
        ("official", 403),
        ("lecturer", 403),
    ],
)
@pytest.mark.django_db
def test_access_per_role(client, request, unit, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(unit)).status_code == status


@pytest.mark.django_db
def test_trainees_sent_per_year_count_enrolments_and_people(client, staff, centre, unit):
    an = builders.make_trainee(centre, full_name="Nguyễn Văn An", unit=unit)
    binh = builders.make_trainee(centre, full_name="Trần Văn Bình")
    spring = builders.make_course(centre, start_date=datetime.date(2026, 3, 2))
    autumn = builders.make_course(centre, start_date=datetime.date(2026, 9, 7))
    last_year = builders.make_course(centre, start_date=datetime.date(2025, 12, 29))
    cancelled = builders.make_course(
        centre, start_date=datetime.date(2026, 5, 4), status=CourseStatus.CANCELLED
    )
    builders.make_enrolment(spring, an, unit=unit)
    builders.make_enrolment(autumn, an, unit=unit)
    builders.make_enrolment(spring, binh, unit=unit)
    builders.make_enrolment(last_year, binh, unit=unit)
    builders.make_enrolment(cancelled, an, unit=unit)
    client.force_login(staff)
    response = client.get(url(unit))
    assert list(response.context["per_year"]) == [
        {"year": 2026, "enrolments": 3, "people": 2},
        {"year": 2025, "enrolments": 1, "people": 1},
    ]
    text = response.text
    assert "Phường" in text and "Có — xã, phường trung tâm được giao phụ trách" in text
    # Trainees working there now, in Vietnamese order, linked to their records.
    assert [t.full_name for t in response.context["page_obj"]] == ["Nguyễn Văn An"]
    assert reverse("hocvien:trainee_detail", args=[an.pk]) in text


@pytest.mark.django_db
def test_merged_units_say_where_they_went_and_where_they_came_from(client, staff, centre, unit):
    town = builders.make_unit(
        centre,
        name="Thị trấn Phú Lợi",
        kind="town",
        active=False,
        merged_into=unit,
        merged_on=datetime.date(2025, 7, 1),
    )
    client.force_login(staff)
    old = client.get(url(town)).text
    assert "Đã sáp nhập vào" in old and "Phường Phú Lợi" in old and "01/07/2025" in old
    new = client.get(url(unit)).text
    assert "Đơn vị đã sáp nhập vào đây" in new and "Thị trấn Phú Lợi" in new


@pytest.mark.django_db
def test_empty_states(client, staff, unit):
    client.force_login(staff)
    text = client.get(url(unit)).text
    assert "Đơn vị chưa cử ai đi học" in text
    assert "Chưa có học viên nào ghi đơn vị này" in text


def _build(centre, unit, n):
    for year in range(2020, 2020 + n):
        course = builders.make_course(centre, start_date=datetime.date(year, 3, 2))
        builders.make_enrolment(course, builders.make_trainee(centre, unit=unit), unit=unit)
        builders.make_unit(centre, merged_into=unit, active=False)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(client, staff, centre, unit):
    client.force_login(staff)
    _build(centre, unit, 2)
    client.get(url(unit))
    with CaptureQueriesContext(connection) as small:
        client.get(url(unit))
    _build(centre, unit, 4)
    with CaptureQueriesContext(connection) as large:
        client.get(url(unit))
    assert len(large) == len(small)
