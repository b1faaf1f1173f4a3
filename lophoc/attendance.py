"""Attendance figures stored on each enrolment and kept current (DESIGN §3, §8)."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Sum

from lophoc.models import Attendance, AttendanceStatus, Course, Enrolment


def absence_figures(course: Course) -> tuple[int, dict[int, int], dict[int, int]]:
    """(scheduled periods, absent periods per enrolment id, excused periods per enrolment id).

    A made-up absence (học bù) no longer counts. Two queries whatever the class size.
    """
    scheduled = course.sessions.aggregate(total=Sum("periods"))["total"] or 0
    absent: dict[int, int] = defaultdict(int)
    excused: dict[int, int] = defaultdict(int)
    rows = (
        Attendance.objects.filter(session__course=course, made_up=False)
        .exclude(status=AttendanceStatus.PRESENT)
        .values_list("enrolment_id", "status", "session__periods")
    )
    for enrolment_id, status, periods in rows:
        absent[enrolment_id] += periods
        if status == AttendanceStatus.EXCUSED:
            excused[enrolment_id] += periods
    return scheduled, absent, excused


@transaction.atomic
def absence_refresh(*, course: Course) -> list[Enrolment]:
    """Recompute and store every enrolment's scheduled, absent and excused periods.

    Call after any change to the class's sessions or attendance.
    """
    scheduled, absent, excused = absence_figures(course)
    enrolments = list(course.enrolments.all())
    for enrolment in enrolments:
        enrolment.scheduled_periods = scheduled
        enrolment.absent_periods = absent[enrolment.pk]
        enrolment.excused_periods = excused[enrolment.pk]
    Enrolment.objects.bulk_update(
        enrolments, ["scheduled_periods", "absent_periods", "excused_periods"], batch_size=500
    )
    return enrolments
