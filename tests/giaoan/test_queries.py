"""Fixed query counts: the panels, the class's plans page, the queue and the timetable run the
same number of queries for N and 3N topics, plans and sessions."""

import datetime

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from giangvien.models import Lecturer
from giaoan.panels import course_panel, lecturer_panel, session_notes
from giaoan.plans import settings_save
from lophoc.models import CourseStatus, Session
from tests import builders
from tests.giaoan.helpers import approved_plan, make_topic, review_plan, upload_plan

DAY = datetime.timedelta(days=1)


def fill(course, lecturer, leader, staff, n, today):
    """n groups of four topics: approved, returned, waiting, without plan; each with a session
    in the window taught by `lecturer`; and a reusable plan of an earlier class for each group."""
    earlier = builders.make_course(
        course.centre,
        program=course.program,
        start_date=today - 30 * DAY,
        end_date=today - 25 * DAY,
        status=CourseStatus.CLOSED,
    )
    for i in range(n):
        topics = [make_topic(course, f"Chuyên đề {i}-{k}", order=4 * i + k) for k in range(4)]
        for k, topic in enumerate(topics):
            builders.make_session(
                course, date=today + (k % 14) * DAY, topic=topic, lecturer=lecturer
            )
        approved_plan(topics[0], staff, leader)
        review_plan(upload_plan(topics[1], staff), leader, approve=False, comment="Sửa")
        upload_plan(topics[2], staff)
        source = make_topic(earlier, f"Chuyên đề {i}-3")
        approved_plan(source, staff, leader, reusable=True)


def count(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def world(centre, lecturer_user, leader, staff, today, n):
    settings_save(centre=centre, reuse_approved=True)
    me = Lecturer.objects.get(user=lecturer_user)
    course = builders.make_course(
        centre, status=CourseStatus.IN_PROGRESS, start_date=today, end_date=today + 20 * DAY
    )
    fill(course, me, leader, staff, n, today)
    return course, me


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def counts(centre, lecturer, leader, staff, client, today, n):
    course, me = world(centre, lecturer, leader, staff, today, n)
    panel = course_panel(request_for(staff), course)
    assert len(panel.context["rows"]) == 4 * n
    result = {
        "course panel (staff)": count(lambda: course_panel(request_for(staff), course)),
        "course panel (lecturer)": count(lambda: course_panel(request_for(lecturer), course)),
        "lecturer panel": count(lambda: lecturer_panel(request_for(lecturer), me, today.year)),
        "notes": count(
            lambda: session_notes(
                list(Session.objects.filter(course=course).select_related("course", "topic"))
            )
        ),
    }
    client.force_login(leader)
    for name, url in (
        ("plans page", reverse("giaoan:course_plans", args=[course.pk])),
        ("queue", reverse("giaoan:queue")),
    ):
        result[name] = count(lambda url=url: client.get(url))
    client.force_login(lecturer)
    result["timetable"] = count(lambda: client.get(reverse("lophoc:my_timetable")))
    return result


def test_query_counts_do_not_grow(centre, lecturer, leader, staff, client, today):
    """N groups, then 3N more in a second class of the same centre (the queue and the timetable
    then hold 4N rows)."""
    small = counts(centre, lecturer, leader, staff, client, today, 1)
    large = counts(centre, lecturer, leader, staff, client, today, 3)
    assert small == large


def test_the_panels_say_what_is_missing(centre, lecturer, leader, staff, today):
    course, me = world(centre, lecturer, leader, staff, today, 1)
    panel = course_panel(request_for(staff), course)
    missing = {s.topic_title for s in panel.context["missing"]}
    assert missing == {"Chuyên đề 0-1", "Chuyên đề 0-2"}  # 0-0 approved, 0-3 reused
    mine = lecturer_panel(request_for(lecturer), me, today.year)
    assert [p.latest.comment for p in mine.context["returned"]] == ["Sửa"]
    assert len(mine.context["missing"]) == 2
    notes = session_notes(
        list(Session.objects.filter(course=course).select_related("course", "topic"))
    )
    assert sorted(notes.values()) == ["Chưa có giáo án duyệt"] * 2
