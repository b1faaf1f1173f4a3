"""Small things from a week at a centre (issue 14, item 18): names in a class roster open the
trainee's page for those who may open it (staff, admins; never a lecturer, whom it refuses),
and a lecturer's breadcrumbs name the class list "Lớp của tôi", as the menu does."""

import re

import pytest
from django.urls import reverse

from lophoc.models import CourseStatus
from tests import builders


@pytest.fixture
def taught(centre, lecturer):
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    builders.make_session(course, lecturer=lecturer.lecturer)
    trainee = builders.make_trainee(centre, full_name="Nguyễn Thị Hoa")
    builders.make_enrolment(course, trainee=trainee)
    return course, trainee


def crumbs(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Đường dẫn".*?</nav>', page, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", nav, re.S)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "admin_user"])
def test_staff_open_a_trainee_from_the_roster(role, request, taught, client):
    course, trainee = taught
    client.force_login(request.getfixturevalue(role))
    page = client.get(reverse("lophoc:course_detail", args=[course.pk])).content.decode()
    url = reverse("hocvien:trainee_detail", args=[trainee.pk])
    assert f'<a href="{url}">Nguyễn Thị Hoa</a>' in page
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_lecturer_reads_names_without_links_to_pages_they_may_not_open(lecturer, taught, client):
    course, trainee = taught
    client.force_login(lecturer)
    page = client.get(reverse("lophoc:course_detail", args=[course.pk])).content.decode()
    url = reverse("hocvien:trainee_detail", args=[trainee.pk])
    assert "Nguyễn Thị Hoa" in page and f'href="{url}"' not in page
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lophoc:course_list", ["Trang chủ", "Lớp của tôi"]),
        ("lophoc:course_detail", ["Trang chủ", "Lớp của tôi", "{code}"]),
        ("lophoc:grade_grid", ["Trang chủ", "Lớp của tôi", "{code}", "Nhập điểm"]),
    ],
)
def test_a_lecturers_breadcrumbs_say_lop_cua_toi_like_the_menu(
    name, expected, lecturer, taught, client
):
    course, _ = taught
    client.force_login(lecturer)
    args = [] if name == "lophoc:course_list" else [course.pk]
    page = client.get(reverse(name, args=args)).content.decode()
    assert crumbs(page) == [part.format(code=course.code) for part in expected]
    if name == "lophoc:course_list":
        assert re.search(r"<h1[^>]*>Lớp của tôi", page)


@pytest.mark.django_db
def test_staff_breadcrumbs_keep_lop_hoc(staff, taught, client):
    course, _ = taught
    client.force_login(staff)
    page = client.get(reverse("lophoc:grade_grid", args=[course.pk])).content.decode()
    assert crumbs(page) == ["Trang chủ", "Lớp học", course.code, "Nhập điểm"]
