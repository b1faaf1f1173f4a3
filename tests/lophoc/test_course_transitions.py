"""The status-change policy of lophoc.courses: who may make each change, which ones are
confirmed first, and how each is made."""

import pytest

from lophoc.courses import (
    course_status_change,
    transition_actions,
    transition_label,
    transition_needs_confirmation,
    transition_right,
)
from lophoc.models import CourseStatus, CourseStatusChange, TransitionRefused
from tests import builders
from trungtam.models import Role
from trungtam.scoping import Right

S = CourseStatus


@pytest.mark.parametrize(
    "current, target, right",
    [
        (S.PLANNED, S.ENROLLING, Right.MANAGE),
        (S.PLANNED, S.CANCELLED, Right.MANAGE),
        (S.IN_PROGRESS, S.GRADING, Right.MANAGE),
        (S.GRADING, S.CLOSED, Right.CLOSE),
        (S.CLOSED, S.GRADING, Right.CLOSE),
    ],
)
def test_closing_and_reopening_need_the_right_to_close(current, target, right):
    assert transition_right(current, target) == right


@pytest.mark.parametrize(
    "current, target, confirmed",
    [
        (S.PLANNED, S.ENROLLING, False),
        (S.ENROLLING, S.IN_PROGRESS, False),
        (S.IN_PROGRESS, S.GRADING, False),
        (S.ENROLLING, S.CANCELLED, True),
        (S.GRADING, S.CLOSED, True),
        (S.CLOSED, S.GRADING, True),
    ],
)
def test_cancelling_closing_and_reopening_are_confirmed_first(current, target, confirmed):
    assert transition_needs_confirmation(current, target) is confirmed


def test_reopening_has_its_own_label():
    assert transition_label(S.CLOSED, S.GRADING) == "Mở lại chấm điểm"
    assert transition_label(S.IN_PROGRESS, S.GRADING) == "Chuyển sang chấm điểm"


@pytest.mark.django_db
def test_the_class_page_offers_the_flow_s_next_steps(centre, staff):
    course = builders.make_course(centre, status=S.PLANNED)

    actions = transition_actions(staff, course)

    assert [(a["status"], a["confirm"], a["danger"]) for a in actions] == [
        (S.ENROLLING, False, False),
        (S.CANCELLED, True, True),
    ]


@pytest.mark.django_db
def test_a_lecturer_is_offered_no_status_change(centre):
    lecturer = builders.make_user(role=Role.LECTURER, centre=centre, username="gv")
    course = builders.make_course(centre, status=S.PLANNED)

    assert transition_actions(lecturer, course) == []


@pytest.mark.django_db
def test_a_plain_step_is_recorded_with_its_reason(centre, staff):
    course = builders.make_course(centre, status=S.PLANNED)

    change = course_status_change(course=course, target=S.ENROLLING, user=staff, reason="Đủ hồ sơ")

    assert (change.old_status, change.new_status, change.reason) == (
        S.PLANNED,
        S.ENROLLING,
        "Đủ hồ sơ",
    )
    assert course.status == S.ENROLLING


@pytest.mark.django_db
def test_reopening_without_a_reason_is_refused_and_writes_nothing(centre, staff):
    course = builders.make_course(centre, status=S.CLOSED)

    with pytest.raises(TransitionRefused):
        course_status_change(course=course, target=S.GRADING, user=staff, reason="  ")

    course.refresh_from_db()
    assert course.status == S.CLOSED
    assert not CourseStatusChange.objects.filter(course=course).exists()
