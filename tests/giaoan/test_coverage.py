"""Which sessions lack an approved plan: the 14-day window, cancelled classes, reuse of an
approved plan of an earlier class (the centre's choice)."""

import datetime

import pytest
from django.urls import reverse

from giaoan.coverage import missing_sessions, topic_coverage
from giaoan.plans import plan_mark_reusable, settings_save
from lophoc.models import CourseStatus, Session
from tests import builders
from tests.giaoan.helpers import approved_plan, make_topic, review_plan, upload_plan

DAY = datetime.timedelta(days=1)


def test_the_window_is_today_to_today_plus_13(centre, teaching, today):
    course, topic = teaching["course"], teaching["mine"]
    Session.objects.filter(course=course).delete()
    inside = [
        builders.make_session(course, date=today, topic=topic),
        builders.make_session(course, date=today + 13 * DAY, topic=topic),
    ]
    builders.make_session(course, date=today - DAY, topic=topic)
    builders.make_session(course, date=today + 14 * DAY, topic=topic)
    builders.make_session(course, date=today + DAY)  # no topic: nothing to plan
    found = missing_sessions(Session.objects.filter(course=course), today)
    assert [s.pk for s in found] == [s.pk for s in inside]


def test_an_approved_plan_covers_its_sessions_a_returned_one_does_not(
    lecturer, leader, teaching, today
):
    sessions = Session.objects.filter(course=teaching["course"])
    version = upload_plan(teaching["mine"], lecturer)
    assert len(missing_sessions(sessions, today)) == 2
    review_plan(version, leader, approve=False, comment="Sửa lại")
    assert len(missing_sessions(sessions, today)) == 2
    review_plan(upload_plan(teaching["mine"], lecturer), leader, approve=True)
    assert [s.topic for s in missing_sessions(sessions, today)] == [teaching["theirs"]]


def test_cancelled_classes_are_ignored(centre, teaching, today):
    course = teaching["course"]
    course.status = CourseStatus.CANCELLED
    course.save()
    assert missing_sessions(Session.objects.all(), today) == []


@pytest.fixture
def later(centre, teaching, today):
    """A later class of the same program, with the same topic title spelled a little apart."""
    course = builders.make_course(
        centre,
        program=teaching["course"].program,
        start_date=today + 3 * DAY,
        end_date=today + 9 * DAY,
        status=CourseStatus.ENROLLING,
    )
    topic = make_topic(course, "  chuyên đề 1:  Chủ nghĩa Mác – Lênin ")
    builders.make_session(course, date=today + 4 * DAY, topic=topic)
    return course, topic


def test_reuse_needs_the_centre_setting_and_the_mark(centre, lecturer, leader, teaching, later):
    course, topic = later
    topic.course = course
    plan = approved_plan(teaching["mine"], lecturer, leader, reusable=True).plan
    plan.refresh_from_db()
    assert plan.reusable is False  # the centre has not chosen reuse: the mark is not kept
    assert not topic_coverage([topic])[topic.pk].approved
    settings_save(centre=centre, reuse_approved=True)
    plan_mark_reusable(plan=plan, reusable=True, user=leader)
    cover = topic_coverage([topic])[topic.pk]
    assert cover.approved
    assert cover.status_label == f"Dùng giáo án đã duyệt của lớp {teaching['course'].code}"
    settings_save(centre=centre, reuse_approved=False)
    assert not topic_coverage([topic])[topic.pk].approved


def test_reuse_matches_program_and_title_of_an_earlier_class_only(
    centre, lecturer, leader, teaching, later, today
):
    settings_save(centre=centre, reuse_approved=True)
    course, topic = later
    topic.course = course
    # Approved in the later class: it does not cover the earlier class.
    approved_plan(topic, lecturer, leader, reusable=True)
    earlier_topic = teaching["mine"]
    earlier_topic.course = teaching["course"]
    assert not topic_coverage([earlier_topic])[earlier_topic.pk].approved
    # Another program's class with the same title is not covered either.
    other = builders.make_course(centre, start_date=today + 10 * DAY, end_date=today + 11 * DAY)
    other_topic = make_topic(other, earlier_topic.title)
    other_topic.course = other
    assert not topic_coverage([other_topic])[other_topic.pk].approved


def test_the_class_page_says_which_class_the_plan_comes_from(
    client, centre, staff, lecturer, leader, teaching, later
):
    settings_save(centre=centre, reuse_approved=True)
    approved_plan(teaching["mine"], lecturer, leader, reusable=True)
    client.force_login(staff)
    page = client.get(reverse("giaoan:course_plans", args=[later[0].pk])).content.decode()
    assert f"Dùng giáo án đã duyệt của lớp {teaching['course'].code}" in page


def test_the_timetable_marks_sessions_without_an_approved_plan(client, lecturer, leader, teaching):
    client.force_login(lecturer)
    page = client.get(reverse("lophoc:my_timetable")).content.decode()
    assert page.count("Chưa có giáo án duyệt") == 1  # the lecturer's one session of the window
    review_plan(upload_plan(teaching["mine"], lecturer), leader, approve=True)
    page = client.get(reverse("lophoc:my_timetable")).content.decode()
    assert "Chưa có giáo án duyệt" not in page


def test_the_page_of_a_topic_using_a_reused_plan_does_not_say_it_has_none(
    client, centre, staff, lecturer, leader, teaching, later
):
    course, topic = later
    settings_save(centre=centre, reuse_approved=True)
    plan = approved_plan(teaching["mine"], lecturer, leader, reusable=True).plan
    plan_mark_reusable(plan=plan, reusable=True, user=leader)
    client.force_login(staff)
    page = client.get(reverse("giaoan:course_plans", args=[course.pk])).content.decode()
    assert f"Dùng giáo án đã duyệt của lớp {teaching['course'].code}" in page
    assert "Chưa có giáo án nào được tải lên" not in page
