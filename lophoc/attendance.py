"""Attendance figures stored on each enrolment and kept current (DESIGN §3, §8)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Sum, Value, When
from django.utils import timezone
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

    A made-up absence (học bù) is recorded as attendance, so it no longer counts. Two queries
    whatever the class size (one when the caller already knows the class's scheduled periods).
    """
    if scheduled is None:
        scheduled = course.sessions.aggregate(total=Sum("periods"))["total"] or 0
    absent: dict[int, int] = defaultdict(int)
    excused: dict[int, int] = defaultdict(int)
    rows = (
        Attendance.objects.filter(session__course=course)
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
    """One cell of the grid. `made_up`: the trainee made this session up (học bù) — stored as
    attended whatever `status` says, since a made-up absence is recorded as attendance."""

    enrolment_id: int
    status: str
    made_up: bool = False
    note: str = ""

    def stored(self) -> tuple[str, bool]:
        """(status, made_up) as the database keeps them: one form for học bù."""
        if self.made_up:
            return AttendanceStatus.PRESENT, True
        return self.status, False


# Attendance is taken once the class has started (DESIGN §5 step 4), never before.
NOT_STARTED_STATUSES = (CourseStatus.PLANNED, CourseStatus.ENROLLING)


def attendance_refusal(
    course: Course, session: Session | None = None, *, today: datetime.date | None = None
) -> str | None:
    """Why attendance of the class — of `session`, when given — may not change now.

    A class that has not started (Kế hoạch, Đang chiêu sinh), a closed or cancelled class, and a
    session that has not taken place yet (its date after `today`, by default the local date).
    """
    if course.status == CourseStatus.CLOSED:
        return "Lớp đã kết thúc: điểm danh chỉ còn để xem, không thay đổi được."
    if course.status == CourseStatus.CANCELLED:
        return "Lớp đã hủy: không điểm danh được."
    if course.status in NOT_STARTED_STATUSES:
        return (
            f"Lớp chưa bắt đầu học (trạng thái «{course.get_status_display()}»): chưa điểm danh "
            "được. Điểm danh mở khi cán bộ trung tâm chuyển lớp sang «Đang học» ở trang lớp."
        )
    if session is not None:
        today = today or timezone.localdate()
        if session.date > today:
            return (
                f"Buổi học ngày {session.date:%d/%m/%Y} chưa diễn ra: chỉ điểm danh được từ "
                "ngày học đó trở đi."
            )
    return None


def attendance_taken():
    """The one definition of "attendance taken" for a session, as a query expression: the
    session has attendance rows. The grid stores every trainee of a session at once, so a
    session with one row was taken; a session without any was never taken."""
    return Exists(Attendance.objects.filter(session=OuterRef("pk")))


def untaken_sessions(course: Course) -> list[Session]:
    """The class's sessions whose attendance was never taken, in timetable order (with topic and
    lecturer). None while the class has nobody whose attendance could be taken (every trainee
    withdrawn, or no trainee). Two queries whatever the class size."""
    from lophoc.timetable import sessions_in_order  # lophoc.timetable imports this module

    if not course.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).exists():
        return []
    sessions = course.sessions.filter(~attendance_taken()).select_related("topic", "lecturer")
    return list(sessions_in_order(sessions))


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


def over_absence_limit(*, absent_periods: int, scheduled_periods: int, limit_percent) -> bool:
    """The absence limit, written once (DESIGN §8): absent (excused or not, not made up) for more
    than `limit_percent` of the periods. Compared without rounding (absent × 100 > limit ×
    scheduled), so exactly at the limit is still within it."""
    if not scheduled_periods:
        return False
    return Decimal(absent_periods) * 100 > Decimal(limit_percent) * scheduled_periods


# Someone who has used this share of the absence limit is warned before reaching it (issue 16).
WARNING_SHARE = Decimal("0.75")


def allowed_periods(*, scheduled_periods: int, limit_percent) -> Decimal:
    """The absence limit in periods: `limit_percent` of the scheduled periods, unrounded."""
    return Decimal(limit_percent) * (scheduled_periods or 0) / 100


def near_absence_limit(*, absent_periods: int, scheduled_periods: int, limit_percent) -> bool:
    """Absent (excused or not, not made up) for at least 75 % of what the limit allows: the
    warning given before the limit is reached. Whether the limit is already passed is
    `over_absence_limit`'s answer; the caller says which it shows."""
    if not scheduled_periods or not absent_periods:
        return False
    allowed = allowed_periods(scheduled_periods=scheduled_periods, limit_percent=limit_percent)
    return Decimal(absent_periods) >= WARNING_SHARE * allowed


def absence_over_limit(enrolment: Enrolment, limit_percent) -> bool:
    """The limit applied to an enrolment's stored absence figures."""
    return over_absence_limit(
        absent_periods=enrolment.absent_periods,
        scheduled_periods=enrolment.scheduled_periods,
        limit_percent=limit_percent,
    )


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

    Withdrawn trainees are not changed. A made-up session (học bù) is stored as attended, marked
    made up. The class's absence figures are recomputed afterwards. Refused (ValidationError,
    nothing written) whenever `attendance_refusal` says why: a class not started, closed or
    cancelled, or a session still to come.
    """
    course = session.course
    refusal = attendance_refusal(course, session)
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
        status, made_up = entry.stored()
        note = normalize_text(entry.note or "")
        record = existing.get(entry.enrolment_id)
        if record is None:
            to_create.append(
                Attendance(
                    session=session,
                    enrolment_id=entry.enrolment_id,
                    status=status,
                    made_up=made_up,
                    note=note,
                )
            )
        elif (record.status, record.made_up, record.note) != (status, made_up, note):
            record.status, record.made_up, record.note = status, made_up, note
            to_update.append(record)
    if to_create:
        bulk_create_with_history(to_create, Attendance, batch_size=500, default_user=user)
    if to_update:
        bulk_update_with_history(
            to_update, Attendance, ["status", "made_up", "note"], batch_size=500, default_user=user
        )
    absence_refresh(course=course)
    return len(to_create), len(to_update)
