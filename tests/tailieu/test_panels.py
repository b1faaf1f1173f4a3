"""The panels on the class page and on the lecturer's page: what each role sees, and a fixed
number of queries whatever the number of materials."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tailieu.materials import class_link
from tests import builders
from tests.tailieu.helpers import make_material
from trungtam.models import Role


@pytest.fixture
def taught(centre):
    user = builders.make_user(role=Role.LECTURER, centre=centre, username="gv")
    lecturer = builders.make_lecturer(centre, user=user, full_name="Lê Thị Hồng")
    course = builders.make_course(centre)
    builders.make_session(course, lecturer=lecturer, date=course.start_date)
    return user, lecturer, course


def _materials(program, count, start=0):
    for number in range(start, start + count):
        make_material(program, title=f"Tài liệu {number}", for_trainees=number % 2 == 0)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_class_page_shows_staff_the_materials_and_the_trainee_link(client, staff, taught):
    _, _, course = taught
    _materials(course.program, 2)
    client.force_login(staff)
    text = client.get(reverse("lophoc:course_quality", args=[course.pk])).content.decode()
    assert "Tài liệu giảng dạy" in text and "Tài liệu 1" in text
    assert class_link(course).token in text and "Đổi đường dẫn" in text


def test_the_lecturer_sees_the_files_without_the_link(client, taught):
    user, _, course = taught
    _materials(course.program, 2)
    client.force_login(user)
    text = client.get(reverse("lophoc:course_quality", args=[course.pk])).content.decode()
    assert "Tài liệu 1" in text and "Đổi đường dẫn" not in text
    assert reverse("tailieu:material_download", args=[course.program.materials.first().pk]) in text


def test_officials_see_no_materials_on_the_class_page(client, official, taught):
    _, _, course = taught
    _materials(course.program, 1)
    client.force_login(official)
    text = client.get(reverse("lophoc:course_quality", args=[course.pk])).content.decode()
    assert "Tài liệu 0" not in text


def test_the_class_page_runs_a_fixed_number_of_queries(client, staff, taught):
    _, _, course = taught
    url = reverse("lophoc:course_quality", args=[course.pk])
    client.force_login(staff)
    _materials(course.program, 2)
    client.get(url)  # the link is made on the first view
    few = _queries(client, url)
    _materials(course.program, 4, start=2)
    assert _queries(client, url) == few


def test_the_lecturer_page_lists_the_years_materials_and_the_letter_link(client, staff, taught):
    user, lecturer, course = taught
    _materials(course.program, 1)
    make_material(builders.make_program(course.centre), title="Không dạy")
    url = (
        reverse("giangvien:lecturer_detail", args=[lecturer.pk]) + f"?nam={course.start_date.year}"
    )
    client.force_login(staff)
    text = client.get(url).content.decode()
    assert "Tài liệu 0" in text and "Không dạy" not in text and "Giấy mời giảng" in text
    client.force_login(user)
    text = client.get(url).content.decode()
    assert "Tài liệu 0" in text and "Giấy mời giảng" not in text


def test_the_lecturer_page_runs_a_fixed_number_of_queries(client, staff, taught):
    _, lecturer, course = taught
    url = (
        reverse("giangvien:lecturer_detail", args=[lecturer.pk]) + f"?nam={course.start_date.year}"
    )
    client.force_login(staff)
    _materials(course.program, 2)
    few = _queries(client, url)
    _materials(course.program, 4, start=2)
    assert _queries(client, url) == few


def test_the_program_page_runs_a_fixed_number_of_queries(client, staff, taught):
    _, _, course = taught
    url = reverse("tailieu:program_materials", args=[course.program_id])
    client.force_login(staff)
    _materials(course.program, 2)
    few = _queries(client, url)
    _materials(course.program, 4, start=2)
    assert _queries(client, url) == few


def test_the_public_page_runs_a_fixed_number_of_queries(client, taught):
    _, _, course = taught
    _materials(course.program, 2)
    url = reverse("tailieu:public_class", args=[class_link(course).token])
    few = _queries(client, url)
    _materials(course.program, 4, start=2)
    assert _queries(client, url) == few


def test_the_letter_page_runs_a_fixed_number_of_queries(client, staff, centre, taught):
    _, lecturer, course = taught
    client.force_login(staff)
    # A letter invites from today on: sessions to come, for every lecturer asked about.
    day = timezone.localdate() + datetime.timedelta(days=3)
    builders.make_session(course, lecturer=lecturer, date=day)
    others = [builders.make_lecturer(centre) for _ in range(3)]
    for other in others:
        builders.make_session(course, lecturer=other, date=day, part="afternoon")

    def url(chosen):
        query = "&".join(f"giang_vien={x.pk}" for x in chosen)
        return (
            reverse("tailieu:letter_page")
            + f"?tu_ngay={day:%d/%m/%Y}&den_ngay={day:%d/%m/%Y}&{query}"
        )

    one, four = _queries(client, url([lecturer])), _queries(client, url([lecturer, *others]))
    page = client.get(url([lecturer, *others])).content.decode()
    assert page.count("Tải giấy mời (PDF)") == 4  # the previews were built, not refused
    assert one == four
