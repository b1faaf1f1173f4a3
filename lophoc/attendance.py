"""Attendance figures stored on each enrolment and kept current (DESIGN §3, §8)."""

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Sum, Value, When
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lophoc.models import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from trungtam.scoping import Right, has_right
from trungtam.text import normalize_text


def absence_figures(
    course: Course, *, scheduled: int | None = None
) -> tuple[int, dict[int, int], dict[int, int]]:
    """(scheduled periods, absent periods per enrolment id, excused periods per enrolment id).

    A made-up absence (học bù) no longer counts. Two queries whatever the class size (one when
    the caller already knows the class's scheduled periods).
    """
    if scheduled is None:
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


# --- the attendance grid of one session -------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    enrolment_id: int
    status: str
    made_up: bool = False
    note: str = ""


def attendance_refusal(course: Course) -> str | None:
    """Why the class's attendance may not change now."""
    if course.status == CourseStatus.CLOSED:
        return "Lớp đã kết thúc: điểm danh chỉ còn để xem, không thay đổi được."
    if course.status == CourseStatus.CANCELLED:
        return "Lớp đã hủy: không điểm danh được."
    return None


def attendance_may_edit(user, session: Session) -> bool:
    """Staff and admins of the class's centre, and the session's own lecturer (DESIGN §7).

    Call after the session was found in the user's scope.
    """
    if has_right(user, Right.MANAGE):
        return True
    return (
        has_right(user, Right.ATTENDANCE)
        and session.lecturer is not None
        and session.lecturer.user_id is not None
        and session.lecturer.user_id == user.pk
    )


def absence_over_limit(enrolment: Enrolment, limit_percent) -> bool:
    """More of the class's periods missed than the limit allows (DESIGN §8), from stored figures."""
    percent = enrolment.absence_percent
    return percent is not None and percent > limit_percent


def attendance_rows(session: Session):
    """The class's enrolments for the grid: active ones first, then in Vietnamese name order."""
    withdrawn_last = Case(
        When(status=EnrolmentStatus.WITHDRAWN, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        Enrolment.objects.filter(course_id=session.course_id)
        .select_related("trainee", "unit")
        .annotate(withdrawn_last=withdrawn_last)
        .order_by("withdrawn_last", "trainee__sort_key", "id")
    )


@transaction.atomic
def attendance_save(*, session: Session, entries, user=None) -> tuple[int, int]:
    """Store the whole grid of one session at once, with history; (created, changed).

    Withdrawn trainees are not changed. A make-up (học bù) only means something for an absence.
    The class's absence figures are recomputed afterwards.
    """
    course = session.course
    refusal = attendance_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    # Two people saving the same grid at once: the second waits, then updates what the first
    # created instead of failing on the one-record-per-session constraint.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    editable = set(
        Enrolment.objects.filter(course=course)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .values_list("pk", flat=True)
    )
    existing = {
        record.enrolment_id: record
        for record in Attendance.objects.select_for_update().filter(session=session)
    }
    to_create, to_update = [], []
    for entry in entries:
        if entry.enrolment_id not in editable:
            continue
        if entry.status not in AttendanceStatus.values:
            raise ValidationError(f"Tình trạng điểm danh không hợp lệ: {entry.status}.")
        made_up = bool(entry.made_up) and entry.status != AttendanceStatus.PRESENT
        note = normalize_text(entry.note or "")
        record = existing.get(entry.enrolment_id)
        if record is None:
            to_create.append(
                Attendance(
                    session=session,
                    enrolment_id=entry.enrolment_id,
                    status=entry.status,
                    made_up=made_up,
                    note=note,
                )
            )
        elif (record.status, record.made_up, record.note) != (entry.status, made_up, note):
            record.status, record.made_up, record.note = entry.status, made_up, note
            to_update.append(record)
    if to_create:
        bulk_create_with_history(to_create, Attendance, batch_size=500, default_user=user)
    if to_update:
        bulk_update_with_history(
            to_update, Attendance, ["status", "made_up", "note"], batch_size=500, default_user=user
        )
    absence_refresh(course=course)
    return len(to_create), len(to_update)
