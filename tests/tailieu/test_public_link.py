"""The class link: trainees download the files marked for them without login; nothing else."""

import pytest
from django.test import Client
from django.urls import reverse

from lophoc.models import CourseStatus
from lophoc.panels import public_class_links
from tailieu.materials import class_link, class_link_renew
from tests import builders
from tests.tailieu.helpers import make_material


@pytest.fixture
def course(centre):
    return builders.make_course(
        centre, name="Lớp bồi dưỡng khóa 5", venue="Hội trường Phú Lợi", notes="Ghi chú nội bộ"
    )


@pytest.fixture
def files(course):
    public = make_material(course.program, title="Tài liệu cho học viên", for_trainees=True)
    private = make_material(course.program, title="Đề cương nội bộ")
    other = make_material(
        builders.make_program(course.centre), title="Khác chương trình", for_trainees=True
    )
    return public, private, other


def _url(token, pk=None):
    if pk is None:
        return reverse("tailieu:public_class", args=[token])
    return reverse("tailieu:public_download", args=[token, pk])


def test_the_hook_gives_the_absolute_link_when_the_class_has_trainee_files(course, files):
    links = [link for answer in public_class_links(course) for link in answer]
    token = class_link(course).token
    assert links == [("Tài liệu học tập", "https://ttct.example.vn" + _url(token))]
    assert len(token) >= 22


def test_no_link_without_trainee_files(course):
    make_material(course.program, title="Nội bộ")
    assert [link for answer in public_class_links(course) for link in answer] == []


def test_the_page_lists_only_trainee_files_without_login(course, files, staff):
    public, private, other = files
    token = class_link(course).token
    page = Client().get(_url(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tài liệu cho học viên" in text and course.name in text
    assert "Đề cương nội bộ" not in text and "Khác chương trình" not in text
    # Nothing else about the class: no code, venue, notes, lecturers, trainees.
    for secret in (course.code, "Hội trường Phú Lợi", "Ghi chú nội bộ"):
        assert secret not in text
    download = Client().get(_url(token, public.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_non_public_or_other_program_files_are_404(course, files):
    public, private, other = files
    token = class_link(course).token
    assert Client().get(_url(token, private.pk)).status_code == 404
    assert Client().get(_url(token, other.pk)).status_code == 404


def test_an_unknown_token_is_404(course, files):
    class_link(course)
    assert Client().get(_url("x" * 24)).status_code == 404
    assert Client().get(_url("x" * 24, files[0].pk)).status_code == 404


def test_a_link_is_per_class(course, files):
    other_class = builders.make_course(course.centre)
    other_material = make_material(other_class.program, title="Lớp khác", for_trainees=True)
    token = class_link(course).token
    assert Client().get(_url(token, other_material.pk)).status_code == 404


def test_renewing_the_link_kills_the_old_one(client, course, files, staff):
    old = class_link(course).token
    client.force_login(staff)
    response = client.post(reverse("tailieu:link_renew", args=[course.pk]))
    assert response.status_code == 302  # back to the quality page, where the button was
    assert (
        response.url == reverse("lophoc:course_quality", args=[course.pk]) + "#tai-lieu-giang-day"
    )
    new = class_link(course).token
    assert new != old
    assert Client().get(_url(old)).status_code == 404
    assert Client().get(_url(old, files[0].pk)).status_code == 404
    assert Client().get(_url(new)).status_code == 200


def test_a_cancelled_class_link_stops_working(course, files):
    token = class_link(course).token
    course.status = CourseStatus.CANCELLED
    course.save(update_fields=["status"])
    assert Client().get(_url(token)).status_code == 404
    assert Client().get(_url(token, files[0].pk)).status_code == 404
    assert [link for answer in public_class_links(course) for link in answer] == []


def test_only_staff_renew(client, course, lecturer, official):
    class_link_renew(course=course, user=None)
    for user in (lecturer, official):
        client.force_login(user)
        assert client.post(reverse("tailieu:link_renew", args=[course.pk])).status_code in (
            403,
            404,
        )
