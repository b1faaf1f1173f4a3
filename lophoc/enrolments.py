"""Enrolling trainees in a class: capacity, duplicates, withdrawal (DESIGN §5 step 3)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from hocvien.models import Trainee, Unit
from lophoc.models import Course, Enrolment, EnrolmentStatus


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


@transaction.atomic
def enrolment_create(
    *, course: Course, trainee: Trainee, unit: Unit | None = None, position: str = ""
) -> Enrolment:
    """Enrol one trainee; refused when the class is full or the trainee is already in it."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if Enrolment.objects.filter(course=course, trainee=trainee).exists():
        raise ValidationError(f"Học viên {trainee.full_name} đã có trong lớp {course.code}.")
    refusal = capacity_refusal(course, 1)
    if refusal:
        raise ValidationError(refusal)
    enrolment = Enrolment(
        course=course,
        trainee=trainee,
        unit=unit if unit is not None else trainee.unit,
        position=position or trainee.position,
    )
    enrolment.full_clean()
    enrolment.save()
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, reason: str) -> Enrolment:
    """Withdrawal is kept, never deleted: the enrolment stays with its reason."""
    if not reason.strip():
        raise ValidationError("Cần ghi rõ lý do thôi học.")
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.status_reason = reason
    enrolment.save(update_fields=["status", "status_reason"])
    return enrolment
