"""Closing grading and reopening it (DESIGN §5): lophoc.closing services."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lophoc.closing import (
    closing_check,
    course_close,
    course_reopen,
    course_results_context,
    result_history,
)
from lophoc.models import (
    Attendance,
    AttendanceStatus,
    CourseStatus,
    CourseStatusChange,
    Enrolment,
    EnrolmentStatus,
    Score,
    TransitionRefused,
)
from lophoc.scores import grading_refusal
from tests import builders
from tests.lophoc.certificate_helpers import make_certificate

pytestmark = pytest.mark.django_db


def grading_course(centre, **overrides):
    course = builders.make_course(centre, status=CourseStatus.GRADING, **overrides)
    builders.make_session(course, periods=4)
    return course


def close(course, user):
    """Close as staff do from the confirmation page, which names the sessions without attendance
    and has them confirmed «mọi học viên đều có mặt» (the rule itself is tested below)."""
    untaken = [session.pk for session in closing_check(course).untaken]
    return course_close(course=course, user=user, all_present=untaken)


def graded(course, exam, score="8", **overrides):
    enrolment = builders.make_enrolment(course, **overrides)
    builders.make_score(enrolment, exam, score)
    return enrolment


def test_closing_stores_results_with_history_and_closes(centre, staff):
    course = grading_course(centre)
    exam = builders.make_assessment(course)
    good = graded(course, exam, "8.5")
    failed = graded(course, exam, "4.94")

    change = close(course, staff)

    assert course.status == CourseStatus.CLOSED
    course.refresh_from_db()
    assert course.status == CourseStatus.CLOSED
    assert (change.old_status, change.new_status, change.user) == ("grading", "closed", staff)
    good.refresh_from_db()
    failed.refresh_from_db()
    assert (good.final_score, good.classification, good.passed) == (D("8.5"), "good", True)
    assert (failed.final_score, failed.classification, failed.passed) == (D("4.9"), "fail", False)
    assert good.result_computed_at is not None
    record = good.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == staff and record.final_score == D("8.5")
    assert "Kết thúc lớp" in record.history_change_reason


def test_scores_are_locked_once_closed(centre, staff):
    course = grading_course(centre)
    graded(course, builders.make_assessment(course))
    assert grading_refusal(course) is None

    close(course, staff)

    assert "Đã kết thúc" in grading_refusal(course)


@pytest.mark.parametrize("status", ["planned", "enrolling", "in_progress", "closed", "cancelled"])
def test_only_a_class_in_grading_can_be_closed(centre, staff, status):
    course = builders.make_course(centre, status=status)
    with pytest.raises(TransitionRefused):
        close(course, staff)
    course.refresh_from_db()
    assert course.status == status
    assert not CourseStatusChange.objects.exists()


def test_missing_scores_are_refused_naming_the_trainees(centre, staff):
    course = grading_course(centre)
    midterm = builders.make_assessment(course, name="Giữa khóa", is_final=False)
    final = builders.make_assessment(course, name="Thu hoạch")
    complete = builders.make_enrolment(course)
    builders.make_score(complete, midterm, "7")
    builders.make_score(complete, final, "8")
    lan = builders.make_enrolment(
        course, trainee=builders.make_trainee(centre, full_name="Nguyễn Thị Lan")
    )
    builders.make_score(lan, midterm, "7")
    builders.make_score(lan, final, None)  # an emptied cell is no score

    with pytest.raises(TransitionRefused) as refused:
        close(course, staff)

    message = refused.value.messages[0]
    assert "còn 1 học viên chưa có kết quả" in message
    assert "Nguyễn Thị Lan (thiếu: Thu hoạch)" in message
    course.refresh_from_db()
    assert course.status == CourseStatus.GRADING
    assert not Enrolment.objects.filter(result_computed_at__isnull=False).exists()
    assert not CourseStatusChange.objects.exists()


def test_a_long_list_of_missing_trainees_is_cut_at_ten(centre, staff):
    course = grading_course(centre)
    builders.make_assessment(course)
    for _ in range(13):
        builders.make_enrolment(course)

    check = closing_check(course)

    assert len(check.missing) == 13 and len(check.missing_named) == 10
    assert check.missing_more == 3
    assert "còn 13 học viên" in check.refusal and "và 3 học viên khác" in check.refusal


def test_statuses_that_explain_the_absence_of_scores_allow_closing(centre, staff):
    course = grading_course(centre)
    session = course.sessions.get()
    exam = builders.make_assessment(course)
    passed = graded(course, exam, "6")
    withdrawn = builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)
    not_eligible = builders.make_enrolment(course, status=EnrolmentStatus.NOT_ELIGIBLE)
    absent_final = builders.make_enrolment(course, status=EnrolmentStatus.ABSENT_FINAL)
    # Active but absent 4 of 4 periods: not eligible by attendance, no score needed.
    truant = builders.make_enrolment(course)
    Attendance.objects.create(session=session, enrolment=truant, status=AttendanceStatus.UNEXCUSED)

    close(course, staff)

    results = {
        e.pk: (e.is_eligible, e.passed)
        for e in Enrolment.objects.filter(course=course).order_by("pk")
    }
    assert results == {
        passed.pk: (True, True),
        withdrawn.pk: (True, False),
        not_eligible.pk: (False, False),
        absent_final.pk: (True, False),
        truant.pk: (False, False),
    }


def test_an_attendance_only_class_closes_without_assessments(centre, staff):
    course = grading_course(centre, is_assessed=False)
    enrolment = builders.make_enrolment(course)

    close(course, staff)

    enrolment.refresh_from_db()
    assert (enrolment.final_score, enrolment.passed) == (None, True)


def test_an_assessed_class_without_a_positive_weight_is_refused(centre, staff):
    course = grading_course(centre)
    builders.make_assessment(course, weight=D(0))
    builders.make_enrolment(course)

    with pytest.raises(TransitionRefused) as refused:
        close(course, staff)

    assert "chưa có bài kiểm tra nào có hệ số lớn hơn 0" in refused.value.messages[0]


def test_zero_weight_assessments_need_no_score(centre, staff):
    course = grading_course(centre)
    exam = builders.make_assessment(course)
    builders.make_assessment(course, name="Chuyên cần", weight=D(0), is_final=False)
    enrolment = graded(course, exam, "7")

    close(course, staff)

    enrolment.refresh_from_db()
    assert enrolment.final_score == D("7.0")


def test_nothing_is_stored_when_the_status_change_fails(centre, staff, monkeypatch):
    course = grading_course(centre)
    graded(course, builders.make_assessment(course))

    def refuse(self, *args, **kwargs):
        raise TransitionRefused("Bị từ chối")

    monkeypatch.setattr(type(course), "transition_to", refuse)
    with pytest.raises(TransitionRefused):
        close(course, staff)

    assert not Enrolment.objects.filter(result_computed_at__isnull=False).exists()
    assert not Enrolment.history.filter(result_computed_at__isnull=False).exists()


# --- reopening -------------------------------------------------------------------------------


def test_reopening_records_the_reason(centre, staff):
    course = builders.make_course(centre, status=CourseStatus.CLOSED)

    change = course_reopen(course=course, user=staff, reason="  Sửa điểm nhập nhầm ")

    assert course.status == CourseStatus.GRADING
    assert (change.old_status, change.new_status) == ("closed", "grading")
    assert (change.reason, change.user) == ("Sửa điểm nhập nhầm", staff)


def test_reopening_needs_a_reason(centre, staff):
    course = builders.make_course(centre, status=CourseStatus.CLOSED)
    with pytest.raises(TransitionRefused, match="cần ghi rõ lý do"):
        course_reopen(course=course, user=staff, reason="  ")
    course.refresh_from_db()
    assert course.status == CourseStatus.CLOSED


def test_reopening_is_refused_while_a_valid_certificate_exists(centre, staff):
    course = builders.make_course(centre, status=CourseStatus.CLOSED)
    make_certificate(builders.make_enrolment(course), 1)
    with pytest.raises(TransitionRefused, match="thu hồi trước"):
        course_reopen(course=course, user=staff, reason="Sửa điểm")


def test_only_a_closed_class_is_reopened(centre, staff):
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS)
    with pytest.raises(TransitionRefused, match="Chỉ mở lại"):
        course_reopen(course=course, user=staff, reason="Sửa điểm")
    course.refresh_from_db()
    assert course.status == CourseStatus.IN_PROGRESS


def test_closing_again_records_every_changed_result(centre, staff, admin_user):
    course = grading_course(centre)
    exam = builders.make_assessment(course)
    lan = graded(
        course,
        exam,
        "8",
        trainee=builders.make_trainee(centre, full_name="Nguyễn Thị Lan"),
    )
    graded(course, exam, "6")  # unchanged: not a change
    close(course, staff)
    assert result_history(course)[0] == []

    course_reopen(course=course, user=admin_user, reason="Sửa điểm nhập nhầm")
    Score.objects.filter(enrolment=lan).update(score=D("4.5"))
    close(course, admin_user)

    changes, last = result_history(course)
    assert len(changes) == 1
    change = changes[0]
    assert change.trainee == "Nguyễn Thị Lan" and change.user == admin_user.full_name
    assert (change.old_score, change.old_classification, change.old_outcome) == (
        D("8.0"),
        "Giỏi",
        "Hoàn thành",
    )
    assert (change.new_score, change.new_classification, change.new_outcome) == (
        D("4.5"),
        "Không đạt",
        "Không hoàn thành",
    )
    assert last["user"] == admin_user.full_name and last["count"] == 2


# --- the class page's section ----------------------------------------------------------------


def _grow(course, exam, n):
    for _ in range(n):
        unit = builders.make_unit(course.centre)
        enrolment = builders.make_enrolment(course, unit=unit)
        builders.make_score(enrolment, exam, "7.5")


def _queries(course, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        course_results_context(course=course, user=user)
    return len(queries)


@pytest.mark.parametrize("status", ["grading", "closed", "in_progress", "cancelled"])
def test_the_section_runs_a_fixed_number_of_queries(centre, staff, status):
    course = grading_course(centre)
    exam = builders.make_assessment(course)
    _grow(course, exam, 2)
    if status == "closed":
        close(course, staff)
        course_reopen(course=course, user=staff, reason="Sửa")
        close(course, staff)
    else:
        course.status = status
        course.save()
    small = _queries(course, staff)
    _grow(course, exam, 6)
    if status == "closed":
        course_reopen(course=course, user=staff, reason="Sửa")
        Score.objects.update(score=D("9"))
        close(course, staff)
    assert _queries(course, staff) == small


def test_the_section_of_a_closed_class(centre, staff, official):
    course = grading_course(centre)
    exam = builders.make_assessment(course)
    for score in ("9", "8", "8", "4"):
        graded(course, exam, score)
    builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)
    close(course, staff)

    context = course_results_context(course=course, user=official)

    distribution = context["distribution"]
    assert [b.count for b in distribution.bands] == [1, 2, 0, 0, 1]
    assert (distribution.counted, distribution.withdrawn, distribution.passed) == (4, 1, 3)
    assert context["closed"] and not context["can_close"]
    assert not context["can_edit_assessments"]
    assert context["last_computed"]["count"] == 5


def test_the_section_while_grading_previews_and_lists_the_missing(centre, staff, official):
    course = grading_course(centre)
    exam = builders.make_assessment(course)
    graded(course, exam, "9")
    builders.make_enrolment(course)

    staff_context = course_results_context(course=course, user=staff)
    official_context = course_results_context(course=course, user=official)

    assert staff_context["grading"] and staff_context["distribution"].passed == 1
    assert staff_context["distribution"].pending == 1
    assert len(staff_context["check"].missing) == 1
    assert staff_context["can_close"] and staff_context["can_edit_assessments"]
    assert not official_context["can_close"] and not official_context["can_edit_assessments"]
    # The preview stores nothing.
    assert not Enrolment.objects.filter(result_computed_at__isnull=False).exists()


# --- sessions without attendance (issue 14 item 7) --------------------------------------------


def untaken_class(centre):
    """A class in grading, every score in: the morning of 02/03 was taken (one trainee absent),
    the afternoon of 02/03 and the morning of 03/03 were not."""
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    lecturer = builders.make_lecturer(centre, full_name="Lê Thị Hồng")
    topic = course.topics.create(order=1, title="Chủ nghĩa Mác – Lênin", periods=4)
    taken = builders.make_session(course, part="morning", topic=topic, lecturer=lecturer)
    afternoon = builders.make_session(course, part="afternoon", topic=topic, lecturer=lecturer)
    next_day = builders.make_session(
        course, date=course.start_date + datetime.timedelta(days=1), part="morning"
    )
    exam = builders.make_assessment(course)
    present = graded(course, exam, "8")
    absent = graded(course, exam, "7")
    Attendance.objects.create(session=taken, enrolment=present)
    Attendance.objects.create(session=taken, enrolment=absent, status=AttendanceStatus.UNEXCUSED)
    return course, taken, afternoon, next_day


def test_closing_with_sessions_without_attendance_is_refused_naming_them(centre, staff):
    course, taken, afternoon, next_day = untaken_class(centre)

    check = closing_check(course)
    assert check.refusal is None and check.untaken == [afternoon, next_day]
    with pytest.raises(TransitionRefused) as refused:
        course_close(course=course, user=staff)

    message = refused.value.messages[0]
    assert message.startswith("Chưa kết thúc lớp: còn 2 buổi học chưa điểm danh: ")
    assert "chiều 02/03/2026, sáng 03/03/2026." in message
    assert "sáng 02/03/2026" not in message  # taken
    assert "«Tôi xác nhận ở các buổi này mọi học viên đều có mặt»" in message
    course.refresh_from_db()
    assert course.status == CourseStatus.GRADING
    assert not Enrolment.objects.filter(result_computed_at__isnull=False).exists()
    assert not CourseStatusChange.objects.exists()


def test_a_confirmation_must_name_every_session_without_attendance(centre, staff):
    course, taken, afternoon, next_day = untaken_class(centre)

    with pytest.raises(TransitionRefused) as refused:
        course_close(course=course, user=staff, all_present=[afternoon.pk, taken.pk])

    message = refused.value.messages[0]
    assert "còn 1 buổi học chưa điểm danh: sáng 03/03/2026." in message
    course.refresh_from_db()
    assert course.status == CourseStatus.GRADING
    assert not CourseStatusChange.objects.exists()


def test_confirmed_sessions_count_everyone_present_and_are_recorded(centre, staff):
    course, taken, afternoon, next_day = untaken_class(centre)

    change = course_close(course=course, user=staff, all_present=[next_day.pk, afternoon.pk])

    assert course.status == CourseStatus.CLOSED
    assert change.reason == (
        "Xác nhận mọi học viên có mặt ở 2 buổi chưa điểm danh: chiều 02/03/2026, sáng 03/03/2026."
    )
    absences = dict(
        Enrolment.objects.filter(course=course).values_list("absent_periods", "scheduled_periods")
    )
    assert absences == {0: 12, 4: 12}  # only the absence taken counts
    assert not Attendance.objects.filter(session__in=[afternoon, next_day]).exists()


def test_a_class_whose_attendance_was_all_taken_closes_without_confirmation(centre, staff):
    course, taken, afternoon, next_day = untaken_class(centre)
    for session in (afternoon, next_day):
        for enrolment in course.enrolments.all():
            Attendance.objects.create(session=session, enrolment=enrolment)

    change = course_close(course=course, user=staff)

    assert course.status == CourseStatus.CLOSED and change.reason == ""


def test_a_long_list_of_sessions_without_attendance_is_cut_at_ten(centre, staff):
    course = builders.make_course(centre, status=CourseStatus.GRADING, is_assessed=False)
    builders.make_enrolment(course)
    for day in range(12):
        builders.make_session(course, date=course.start_date + datetime.timedelta(days=day))

    with pytest.raises(TransitionRefused) as refused:
        course_close(course=course, user=staff)

    message = refused.value.messages[0]
    assert "còn 12 buổi học chưa điểm danh" in message and "và 2 buổi khác." in message
