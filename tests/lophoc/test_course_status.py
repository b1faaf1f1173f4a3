"""The class flow of DESIGN §5: every allowed transition works, every other one is refused."""

import itertools

import pytest

from lophoc.models import (
    COURSE_TRANSITIONS,
    Certificate,
    CourseStatus,
    CourseStatusChange,
    EnrolmentStatus,
    TransitionRefused,
)
from tests import builders
from tests.lophoc.certificate_helpers import make_certificate

ALLOWED = {
    ("planned", "enrolling"),
    ("planned", "cancelled"),
    ("enrolling", "in_progress"),
    ("enrolling", "cancelled"),
    ("in_progress", "grading"),
    ("grading", "closed"),
    ("closed", "grading"),
}
ALL_PAIRS = [(a, b) for a, b in itertools.product(CourseStatus.values, repeat=2)]


def test_the_table_is_the_design():
    table = {(a, b) for a, targets in COURSE_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


def ready_course(centre, status):
    """A class in `status` that meets every guard for its allowed transitions."""
    course = builders.make_course(centre, status=status)
    builders.make_session(course)
    return course


@pytest.mark.django_db
@pytest.mark.parametrize("old,new", sorted(ALLOWED))
def test_allowed_transition_is_recorded(centre, staff, old, new):
    course = ready_course(centre, old)
    reason = "Sửa điểm bài thu hoạch" if old == "closed" else ""
    change = course.transition_to(new, user=staff, reason=reason)
    course.refresh_from_db()
    assert course.status == new
    assert (change.old_status, change.new_status, change.user, change.reason) == (
        old,
        new,
        staff,
        reason,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("old,new", [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_other_transitions_are_refused(centre, old, new):
    course = ready_course(centre, old)
    with pytest.raises(TransitionRefused) as refusal:
        course.transition_to(new, reason="lý do")
    course.refresh_from_db()
    assert course.status == old
    assert not CourseStatusChange.objects.filter(course=course).exists()
    assert "Không thể" in refusal.value.message


@pytest.mark.django_db
def test_cancelling_a_started_class_says_why(course):
    course.status = CourseStatus.IN_PROGRESS
    course.save()
    with pytest.raises(TransitionRefused, match="chỉ hủy được lớp chưa học"):
        course.transition_to(CourseStatus.CANCELLED)


@pytest.mark.django_db
def test_cannot_start_without_sessions(centre):
    course = builders.make_course(centre, status=CourseStatus.ENROLLING)
    with pytest.raises(TransitionRefused, match="chưa có buổi học"):
        course.transition_to(CourseStatus.IN_PROGRESS)


@pytest.mark.django_db
def test_cannot_close_while_an_active_enrolment_has_no_result(centre):
    course = ready_course(centre, CourseStatus.GRADING)
    waiting = builders.make_enrolment(course)
    builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)
    with pytest.raises(TransitionRefused, match="còn 1 học viên chưa có kết quả"):
        course.transition_to(CourseStatus.CLOSED)
    waiting.passed = True
    waiting.save()
    course.transition_to(CourseStatus.CLOSED)
    assert course.status == CourseStatus.CLOSED


@pytest.mark.django_db
def test_reopen_needs_a_reason(centre):
    course = ready_course(centre, CourseStatus.CLOSED)
    with pytest.raises(TransitionRefused, match="lý do"):
        course.transition_to(CourseStatus.GRADING, reason="   ")


@pytest.mark.django_db
def test_reopen_refused_while_a_valid_certificate_exists(centre):
    course = ready_course(centre, CourseStatus.CLOSED)
    certificate = make_certificate(builders.make_enrolment(course, passed=True), 1)
    with pytest.raises(TransitionRefused, match="giấy chứng nhận"):
        course.transition_to(CourseStatus.GRADING, reason="Sửa điểm")
    Certificate.objects.filter(pk=certificate.pk).update(status="voided", void_reason="Sai điểm")
    course.transition_to(CourseStatus.GRADING, reason="Sửa điểm")
    assert course.status == CourseStatus.GRADING


@pytest.mark.django_db
def test_transition_reads_the_current_status_from_the_database(centre):
    stale = ready_course(centre, CourseStatus.PLANNED)
    fresh = type(stale).objects.get(pk=stale.pk)
    fresh.transition_to(CourseStatus.CANCELLED)
    with pytest.raises(TransitionRefused):
        stale.transition_to(CourseStatus.ENROLLING)
