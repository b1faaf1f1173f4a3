"""Enrolling trainees in a class: capacity, duplicates, withdrawal (DESIGN §5 step 3)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from hocvien.models import Trainee, Unit
from hocvien.trainees import trainee_create
from lophoc.models import Course, CourseStatus, Enrolment, EnrolmentStatus

# Trainees join a class until it is being graded; after that the list is what was taught.
ENROLLING_STATUSES = (CourseStatus.PLANNED, CourseStatus.ENROLLING, CourseStatus.IN_PROGRESS)
# A withdrawal is still possible while grading (it explains a missing result); not afterwards.
WITHDRAWING_STATUSES = (*ENROLLING_STATUSES, CourseStatus.GRADING)


def capacity_refusal(course: Course, adding: int) -> str | None:
    """Why `adding` more active trainees do not fit in the class, or None (DESIGN §5: capacity)."""
    if adding <= 0 or course is None or course.capacity is None:
        return None
    active = 0
    if course.pk is not None:
        active = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE).count()
    if active + adding > course.capacity:
        return (
            f"Lớp chỉ nhận tối đa {course.capacity} học viên; đã có {active} học viên đang học, "
            f"không thể thêm {adding}. Hãy tăng sĩ số tối đa của lớp hoặc bớt học viên."
        )
    return None


def enrolling_refusal(course: Course) -> str | None:
    """Why trainees cannot be added to the class in its current status, or None."""
    if course.status in ENROLLING_STATUSES:
        return None
    return (
        f"Lớp {course.code} đang ở trạng thái «{course.get_status_display()}»: chỉ ghi danh thêm "
        "học viên khi lớp ở trạng thái kế hoạch, đang chiêu sinh hoặc đang học."
    )


def withdrawal_refusal(enrolment: Enrolment) -> str | None:
    """Why this enrolment cannot be withdrawn now, or None."""
    course = enrolment.course
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return f"Học viên {enrolment.trainee.full_name} đã thôi học từ trước."
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return (
            f"Học viên {enrolment.trainee.full_name} đang ở tình trạng "
            f"«{enrolment.get_status_display()}», không còn là học viên đang học."
        )
    if course.status not in WITHDRAWING_STATUSES:
        return (
            f"Lớp {course.code} đang ở trạng thái «{course.get_status_display()}»: không thể "
            "cho học viên thôi học nữa."
        )
    return None


@transaction.atomic
def enrolment_create(
    *, course: Course, trainee: Trainee, unit: Unit | None = None, position: str = ""
) -> Enrolment:
    """Enrol one trainee; refused when the class is full or the trainee is already in it."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    refusal = enrolling_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    existing = Enrolment.objects.filter(course=course, trainee=trainee).first()
    if existing is not None:
        if existing.status == EnrolmentStatus.WITHDRAWN:
            raise ValidationError(
                f"Học viên {trainee.full_name} đã có trong lớp {course.code} và đã thôi học "
                f"(lý do: {existing.status_reason or 'không ghi'})."
            )
        raise ValidationError(f"Học viên {trainee.full_name} đã có trong lớp {course.code}.")
    refusal = capacity_refusal(course, 1)
    if refusal:
        raise ValidationError(refusal)
    enrolment = Enrolment(
        course=course,
        trainee=trainee,
        unit=unit if unit is not None else trainee.unit,
        position=position or trainee.position,
        # A trainee who joins a running class is counted against its whole timetable.
        scheduled_periods=course.sessions.aggregate(total=Sum("periods"))["total"] or 0,
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_create_with_trainee(
    *, course: Course, trainee: Trainee, unit: Unit | None = None, position: str = ""
) -> Enrolment:
    """Record a new trainee (not yet saved) and enrol them: both, or neither."""
    refusal = enrolling_refusal(course) or capacity_refusal(course, 1)
    if refusal:
        raise ValidationError(refusal)
    trainee.centre = course.centre
    trainee_create(trainee=trainee)
    return enrolment_create(course=course, trainee=trainee, unit=unit, position=position)


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, reason: str) -> Enrolment:
    """Withdrawal is kept, never deleted: the enrolment stays with its reason."""
    if not reason.strip():
        raise ValidationError("Cần ghi rõ lý do thôi học.")
    refusal = withdrawal_refusal(enrolment)
    if refusal:
        raise ValidationError(refusal)
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.status_reason = reason
    enrolment.save(update_fields=["status", "status_reason"])
    return enrolment
