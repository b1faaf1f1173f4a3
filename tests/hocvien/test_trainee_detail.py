"""A trainee's page: personal data for staff and the whole training history across years."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lophoc.models import Certificate, CertificateStatus, CourseStatus, EnrolmentStatus
from tests import builders

_numbers = itertools.count(1)


def url(trainee):
    return reverse("hocvien:trainee_detail", args=[trainee.pk])


def certificate(enrolment, **overrides) -> Certificate:
    n = next(_numbers)
    course = enrolment.course
    values = {
        "centre": course.centre,
        "enrolment": enrolment,
        "course": course,
        "year": course.end_date.year,
        "sequence": n,
        "number": f"{n}-GCN/TTCT",
        "register_number": f"{n}/{course.end_date.year}",
        "issued_on": course.end_date,
        "verification_code": f"CODE{n:04d}",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Giám",
        "full_name": enrolment.trainee.full_name,
        "date_of_birth": enrolment.trainee.date_of_birth,
        "course_code": course.code,
        "course_name": course.name,
        "program_name": course.program.name,
        "course_start": course.start_date,
        "course_end": course.end_date,
    }
    values.update(overrides)
    return Certificate.objects.create(**values)


@pytest.fixture
def trainee(centre):
    unit = builders.make_unit(centre, name="Phường Phú Lợi")
    return builders.make_trainee(
        centre,
        full_name="Nguyễn Văn An",
        national_id="001203004567",
        unit=unit,
        ethnicity="Tày",
        religion="Phật giáo",
        is_party_member=True,
        party_joined_on=datetime.date(2015, 2, 3),
        phone="0912 345 678",
    )


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, trainee):
    response = client.get(url(trainee))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "role, status",
    [
        ("staff", 200),
        ("admin_user", 200),
        ("superuser", 200),
        ("other_staff", 404),
        ("official", 403),
        ("province_official", 403),
        ("lecturer", 403),
    ],
)
@pytest.mark.django_db
def test_access_per_role(client, request, trainee, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(trainee)).status_code == status


@pytest.mark.django_db
def test_a_missing_record_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("hocvien:trainee_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_it_shows_personal_data_in_full_to_staff(client, staff, trainee):
    client.force_login(staff)
    text = client.get(url(trainee)).text
    for expected in [
        "Nguyễn Văn An",
        "17/05/1990",
        "001203004567",
        "Phường Phú Lợi",
        "Tày",
        "Phật giáo",
        "vào Đảng ngày 03/02/2015",
        "0912 345 678",
    ]:
        assert expected in text


@pytest.mark.django_db
def test_history_lists_every_class_newest_first_with_results_and_certificates(
    client, staff, centre, trainee
):
    unit = trainee.unit
    older = builders.make_course(
        centre,
        code="KND-01/2024",
        name="Lớp nhận thức về Đảng khóa 1",
        start_date=datetime.date(2024, 4, 8),
        status=CourseStatus.CLOSED,
    )
    newer = builders.make_course(
        centre,
        code="DVM-03/2026",
        name="Lớp đảng viên mới khóa 3",
        start_date=datetime.date(2026, 3, 2),
    )
    cancelled = builders.make_course(
        centre,
        code="CNK-02/2025",
        start_date=datetime.date(2025, 6, 2),
        status=CourseStatus.CANCELLED,
    )
    closed = builders.make_enrolment(
        older,
        trainee,
        unit=unit,
        final_score=Decimal("8.5"),
        classification="good",
        passed=True,
        is_eligible=True,
        scheduled_periods=20,
        absent_periods=2,
        excused_periods=2,
    )
    builders.make_enrolment(
        cancelled, trainee, status=EnrolmentStatus.WITHDRAWN, status_reason="Bận công tác"
    )
    builders.make_enrolment(newer, trainee, unit=unit)
    certificate(closed, number="15-GCN/TTCT", issued_on=datetime.date(2024, 4, 12))
    certificate(
        closed,
        number="9-GCN/TTCT",
        status=CertificateStatus.VOIDED,
        void_reason="In sai",
        issued_on=datetime.date(2024, 4, 12),
    )
    client.force_login(staff)
    response = client.get(url(trainee))
    codes = [e.course.code for e in response.context["enrolments"]]
    assert codes == ["DVM-03/2026", "CNK-02/2025", "KND-01/2024"]
    text = response.text
    for expected in [
        "Lớp đảng viên mới khóa 3",
        older.program.name,
        "08/04/2024",
        "8,5",
        "Giỏi",
        "Hoàn thành",
        "2/20 tiết",
        "10,0%",
        "Số 15-GCN/TTCT, ngày 12/04/2024",
        "Số 9-GCN/TTCT",
        "Đã thu hồi",
        "Thôi học",
        "Bận công tác",
        "đã hủy",
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_a_trainee_without_classes_says_where_to_enrol(client, staff, trainee):
    client.force_login(staff)
    assert "Học viên chưa học lớp nào" in client.get(url(trainee)).text


@pytest.mark.django_db
def test_it_shows_who_changed_the_record_last(client, staff, trainee):
    client.force_login(staff)
    client.post(
        reverse("hocvien:trainee_edit", args=[trainee.pk]),
        {
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "17/05/1990",
            "gender": "M",
            "national_id": "001203004567",
            "ethnicity": "Tày",
            "is_party_member": "on",
            "party_joined_on": "03/02/2015",
            "phone": "0912 000 111",
        },
    )
    text = client.get(url(trainee)).text
    assert f"bởi {staff}" in text


def _build(centre, trainee, n):
    for _ in range(n):
        course = builders.make_course(centre)
        enrolment = builders.make_enrolment(
            course, trainee, unit=builders.make_unit(centre), final_score=Decimal("7.0")
        )
        certificate(enrolment)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_history(client, staff, centre, trainee):
    client.force_login(staff)
    _build(centre, trainee, 2)
    client.get(url(trainee))
    with CaptureQueriesContext(connection) as small:
        client.get(url(trainee))
    _build(centre, trainee, 4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(trainee))
    assert len(response.context["enrolments"]) == 6
    assert len(large) == len(small)
