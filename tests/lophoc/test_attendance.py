"""Attendance service: who may edit, what one save stores, and the stored absence figures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lophoc.attendance import (
    AttendanceEntry,
    allowed_periods,
    attendance_may_edit,
    attendance_refusal,
    attendance_save,
    attendance_taken,
    near_absence_limit,
    untaken_sessions,
)
from lophoc.models import Attendance, CourseStatus, Session
from tests import builders


@pytest.fixture
def course(centre):
    """A class being taught, started a week ago (its sessions default to its first day)."""
    return builders.make_course(
        centre,
        status=CourseStatus.IN_PROGRESS,
        start_date=timezone.localdate() - datetime.timedelta(days=7),
    )


@pytest.mark.django_db
def test_who_may_edit(course, staff, admin_user, official, lecturer, centre):
    session = builders.make_session(course, lecturer=lecturer.lecturer)
    unassigned = builders.make_session(course, part="afternoon")
    assert attendance_may_edit(staff, session) and attendance_may_edit(admin_user, unassigned)
    assert attendance_may_edit(lecturer, session)
    assert not attendance_may_edit(lecturer, unassigned)
    assert not attendance_may_edit(official, session)


@pytest.mark.django_db
def test_save_creates_then_updates_and_refreshes_absence(course, staff):
    session = builders.make_session(course, periods=4)
    builders.make_session(course, part="afternoon", periods=4)
    enrolment = builders.make_enrolment(course)
    created = attendance_save(
        session=session, entries=[AttendanceEntry(enrolment.pk, "excused")], user=staff
    )
    assert created == (1, 0)
    enrolment.refresh_from_db()
    assert (enrolment.scheduled_periods, enrolment.absent_periods) == (8, 4)
    assert enrolment.excused_periods == 4
    changed = attendance_save(
        session=session, entries=[AttendanceEntry(enrolment.pk, "excused", made_up=True)]
    )
    assert changed == (0, 1)
    enrolment.refresh_from_db()
    assert enrolment.absent_periods == 0  # made up
    record = Attendance.objects.get()
    assert (record.status, record.made_up) == ("present", True)  # học bù counts as attended
    assert attendance_save(
        session=session, entries=[AttendanceEntry(enrolment.pk, "excused", made_up=True)]
    ) == (0, 0)  # nothing changed, nothing written


@pytest.mark.django_db
def test_a_bad_status_writes_nothing(course):
    session = builders.make_session(course)
    first, second = builders.make_enrolment(course), builders.make_enrolment(course)
    with pytest.raises(ValidationError):
        attendance_save(
            session=session,
            entries=[AttendanceEntry(first.pk, "present"), AttendanceEntry(second.pk, "tron")],
        )
    assert not Attendance.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CourseStatus.CLOSED, CourseStatus.CANCELLED])
def test_closed_and_cancelled_classes_refuse(course, status):
    session = builders.make_session(course)
    enrolment = builders.make_enrolment(course)
    course.status = status
    course.save()
    with pytest.raises(ValidationError):
        attendance_save(session=session, entries=[AttendanceEntry(enrolment.pk, "present")])
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_enrolments_of_another_class_are_ignored(course, centre):
    session = builders.make_session(course)
    stranger = builders.make_enrolment(builders.make_course(centre))
    attendance_save(session=session, entries=[AttendanceEntry(stranger.pk, "unexcused")])
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_database_refuses_an_absence_marked_made_up(course):
    """One meaning of học bù (DESIGN §8): made up is attended, never "absent and made up"."""
    session = builders.make_session(course)
    enrolment = builders.make_enrolment(course)
    for status in ("excused", "unexcused"):
        with transaction.atomic(), pytest.raises(IntegrityError):
            Attendance.objects.create(
                session=session, enrolment=enrolment, status=status, made_up=True
            )
    Attendance.objects.create(session=session, enrolment=enrolment, status="present", made_up=True)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Attendance.objects.filter(enrolment=enrolment).update(status="unexcused")
    assert Attendance.objects.get().status == "present"


@pytest.mark.django_db
def test_a_form_that_marks_an_absence_made_up_is_told_why_in_vietnamese(course):
    record = Attendance(
        session=builders.make_session(course),
        enrolment=builders.make_enrolment(course),
        status="unexcused",
        made_up=True,
    )
    with pytest.raises(ValidationError, match="Buổi đã học bù được ghi là có mặt"):
        record.full_clean()


# --- when attendance may be taken (issue 14 item 9) -------------------------------------------

DAY = datetime.date(2026, 3, 4)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (CourseStatus.PLANNED, "chưa bắt đầu học (trạng thái «Kế hoạch»)"),
        (CourseStatus.ENROLLING, "chưa bắt đầu học (trạng thái «Đang chiêu sinh»)"),
        (CourseStatus.CLOSED, "Lớp đã kết thúc"),
        (CourseStatus.CANCELLED, "Lớp đã hủy"),
        (CourseStatus.IN_PROGRESS, None),
        (CourseStatus.GRADING, None),
    ],
)
def test_attendance_is_taken_from_the_start_of_the_class_until_it_closes(centre, status, expected):
    course = builders.make_course(centre, status=status, start_date=DAY)
    session = builders.make_session(course)
    refusal = attendance_refusal(course, session, today=DAY)
    if expected is None:
        assert refusal is None
    else:
        assert expected in refusal


@pytest.mark.django_db
def test_a_session_is_taken_from_its_own_day_never_before(centre):
    course = builders.make_course(centre, status=CourseStatus.IN_PROGRESS, start_date=DAY)
    session = builders.make_session(course, date=DAY)
    assert attendance_refusal(course, session, today=DAY) is None
    assert attendance_refusal(course, session, today=DAY + datetime.timedelta(days=30)) is None
    refusal = attendance_refusal(course, session, today=DAY - datetime.timedelta(days=1))
    assert refusal == (
        "Buổi học ngày 04/03/2026 chưa diễn ra: chỉ điểm danh được từ ngày học đó trở đi."
    )
    # Without a session the class alone is judged.
    assert attendance_refusal(course, today=DAY - datetime.timedelta(days=1)) is None


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CourseStatus.PLANNED, CourseStatus.ENROLLING])
def test_a_class_not_started_refuses_and_writes_nothing(centre, status):
    course = builders.make_course(
        centre, status=status, start_date=timezone.localdate() - datetime.timedelta(days=7)
    )
    session = builders.make_session(course)
    enrolment = builders.make_enrolment(course)
    with pytest.raises(ValidationError, match="chưa bắt đầu học"):
        attendance_save(session=session, entries=[AttendanceEntry(enrolment.pk, "unexcused")])
    assert not Attendance.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.absent_periods == 0


@pytest.mark.django_db
def test_a_session_still_to_come_refuses_and_writes_nothing(course):
    tomorrow = builders.make_session(course, date=timezone.localdate() + datetime.timedelta(days=1))
    today = builders.make_session(course, date=timezone.localdate())
    enrolment = builders.make_enrolment(course)
    with pytest.raises(ValidationError, match="chưa diễn ra"):
        attendance_save(session=tomorrow, entries=[AttendanceEntry(enrolment.pk, "excused")])
    assert not Attendance.objects.exists()
    assert attendance_save(session=today, entries=[AttendanceEntry(enrolment.pk, "present")]) == (
        1,
        0,
    )


# --- "attendance taken" (issue 14 item 7) -----------------------------------------------------


@pytest.mark.django_db
def test_a_session_is_taken_once_it_has_attendance_rows(course):
    first = builders.make_session(course, part="morning")
    afternoon = builders.make_session(course, part="afternoon")
    evening = builders.make_session(course, part="evening")
    later = builders.make_session(course, date=course.start_date + datetime.timedelta(days=1))
    enrolment = builders.make_enrolment(course)
    builders.make_enrolment(course, status="withdrawn")
    Attendance.objects.create(session=first, enrolment=enrolment, status="unexcused")

    # Timetable order: sáng → chiều → tối, then the next day.
    assert untaken_sessions(course) == [afternoon, evening, later]
    assert not Session.objects.filter(pk=first.pk).exclude(attendance_taken()).exists()


@pytest.mark.django_db
def test_a_class_with_nobody_to_take_attendance_of_has_no_untaken_session(course):
    builders.make_session(course)
    assert untaken_sessions(course) == []
    builders.make_enrolment(course, status="withdrawn")
    assert untaken_sessions(course) == []


@pytest.mark.parametrize(
    "absent, scheduled, limit, over",
    [(8, 40, "20", False), (9, 40, "20", True), (0, 0, "0", False), (1, 3, "33.33", True)],
)
def test_one_absence_limit_for_the_flag_and_the_result(absent, scheduled, limit, over):
    # The class page's flag, the attendance page's flag and eligibility read one rule.
    from decimal import Decimal as D

    from lophoc.attendance import absence_over_limit, over_absence_limit
    from lophoc.models import Enrolment
    from lophoc.results import is_eligible

    enrolment = Enrolment(absent_periods=absent, scheduled_periods=scheduled)
    figures = {"absent_periods": absent, "scheduled_periods": scheduled, "limit_percent": D(limit)}
    assert over_absence_limit(**figures) is over
    assert absence_over_limit(enrolment, D(limit)) is over
    assert is_eligible(**figures) is not over


@pytest.mark.parametrize(
    "absent, limit, warned",
    [(5, "20", False), (6, "20", True), (8, "20", True), (0, "0", False), (1, "0", True)],
)
def test_the_warning_comes_at_75_percent_of_the_absence_limit(absent, limit, warned):
    figures = {"absent_periods": absent, "scheduled_periods": 40, "limit_percent": limit}
    assert near_absence_limit(**figures) is warned


def test_the_periods_one_may_miss_are_not_rounded():
    assert str(allowed_periods(scheduled_periods=36, limit_percent=20)) == "7.2"
    assert near_absence_limit(absent_periods=3, scheduled_periods=0, limit_percent=20) is False
