"""The timetable section of the class page (templates/lophoc/includes/course_timetable.html)."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from lophoc.models import CourseStatus, Session, Topic
from lophoc.timetable import sessions_in_order
from tests import builders


def _render(user, course):
    request = RequestFactory().get("/")
    request.user = user
    sessions = sessions_in_order(course.sessions.select_related("topic", "lecturer"))
    return render_to_string(
        "lophoc/includes/course_timetable.html",
        {"course": course, "sessions": sessions},
        request=request,
    )


@pytest.fixture
def timetable(course, lecturer, centre):
    topic = Topic.objects.create(course=course, title="Lịch sử Đảng", periods=8)
    mine = builders.make_session(course, topic=topic, lecturer=lecturer.lecturer, room="P1")
    theirs = builders.make_session(
        course, part="afternoon", lecturer=builders.make_lecturer(centre, full_name="Đỗ Văn Hải")
    )
    return mine, theirs


@pytest.mark.django_db
def test_staff_see_every_action(staff, course, timetable):
    mine, theirs = timetable
    html = _render(staff, course)
    assert reverse("lophoc:session_create", args=[course.pk]) in html
    assert reverse("lophoc:timetable_bulk", args=[course.pk]) in html
    for session in (mine, theirs):
        assert reverse("lophoc:session_edit", args=[session.pk]) in html
        assert reverse("lophoc:session_delete", args=[session.pk]) in html
        assert reverse("lophoc:attendance_edit", args=[session.pk]) in html
    assert "Lịch sử Đảng" in html and "Đỗ Văn Hải" in html and "Thứ 2" in html
    assert html.index("Lịch sử Đảng") < html.index("Đỗ Văn Hải")  # sáng before chiều


@pytest.mark.django_db
def test_a_lecturer_sees_attendance_only_for_their_own_session(lecturer, course, timetable):
    mine, theirs = timetable
    html = _render(lecturer, course)
    assert reverse("lophoc:attendance_edit", args=[mine.pk]) in html
    assert reverse("lophoc:attendance_edit", args=[theirs.pk]) not in html
    assert reverse("lophoc:session_edit", args=[mine.pk]) not in html
    assert reverse("lophoc:session_create", args=[course.pk]) not in html


@pytest.mark.django_db
def test_an_official_only_reads(official, course, timetable):
    html = _render(official, course)
    assert "lophoc" not in html and "/buoi-hoc/" not in html
    assert "Lịch sử Đảng" in html


@pytest.mark.django_db
def test_a_closed_class_is_read_only(staff, course, timetable):
    mine, _ = timetable
    course.status = CourseStatus.CLOSED
    html = _render(staff, course)
    assert reverse("lophoc:session_edit", args=[mine.pk]) not in html
    assert reverse("lophoc:session_create", args=[course.pk]) not in html
    assert reverse("lophoc:attendance_edit", args=[mine.pk]) in html  # to read it


@pytest.mark.django_db
def test_empty_timetable_says_what_to_do_first(staff, course):
    assert not Session.objects.exists()
    html = _render(staff, course)
    assert "Lớp chưa có buổi học nào" in html
    assert "lập thời khóa biểu từ các chuyên đề" in html
