"""Attendance service: who may edit, what one save stores, and the stored absence figures."""

import pytest
from django.core.exceptions import ValidationError

from lophoc.attendance import AttendanceEntry, attendance_may_edit, attendance_save
from lophoc.models import Attendance, CourseStatus
from tests import builders


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
