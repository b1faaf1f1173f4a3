"""Assessments of one class (bài kiểm tra / thu hoạch): copied from the program when the class is
opened (lophoc.courses), editable by staff until grading is closed (DESIGN §5, §8)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from lophoc.models import Assessment, Course, CourseStatus, Score

# Names, weights and graders may change until grading is closed.
ASSESSMENT_EDIT_STATUSES = (
    CourseStatus.PLANNED,
    CourseStatus.ENROLLING,
    CourseStatus.IN_PROGRESS,
    CourseStatus.GRADING,
)


def assessments_refusal(course: Course) -> str | None:
    """Why the class's assessments may not be edited now, or None."""
    if not course.is_assessed:
        return (
            "Lớp chỉ xét chuyên cần (không kiểm tra, đánh giá) nên không có bài kiểm tra: học viên "
            "đủ điều kiện chuyên cần là hoàn thành. Nếu lớp có kiểm tra, hãy sửa thông tin lớp và "
            "chọn «Có kiểm tra, đánh giá» trước."
        )
    if course.status not in ASSESSMENT_EDIT_STATUSES:
        return (
            f"Lớp đang ở trạng thái «{course.get_status_display()}» nên không sửa được bài kiểm "
            "tra. Nếu cần sửa, hãy mở lại việc chấm điểm (ghi rõ lý do) trước."
        )
    return None


@transaction.atomic
def course_assessments_save(
    *, course: Course, assessments: list[Assessment], deleted: list[Assessment], user=None
) -> None:
    """Store the class's edited assessment list, with history.

    Refused (nothing written) when an assessment to delete already has scores, when no assessment
    would keep a positive weight, when more than one is marked final, or when a grader is not a
    lecturer of the class's centre.
    """
    course = Course.objects.select_for_update().get(pk=course.pk)
    refusal = assessments_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    for assessment in [*assessments, *deleted]:
        if assessment.pk and assessment.course_id != course.pk:
            raise ValidationError("Bài kiểm tra không thuộc lớp này.")
    for assessment in deleted:
        scored = (
            Score.objects.filter(assessment=assessment)
            .exclude(score__isnull=True, retake_score__isnull=True)
            .count()
        )
        if scored:
            raise ValidationError(
                f"Bài kiểm tra «{assessment.name}» đã có điểm của {scored} học viên nên không xóa "
                "được. Hãy xóa các điểm đó trong bảng điểm trước, hoặc đặt hệ số 0 nếu bài này "
                "không tính vào điểm tổng kết."
            )
    for assessment in assessments:
        if assessment.grader_id and assessment.grader.centre_id != course.centre_id:
            raise ValidationError(
                f"Giảng viên chấm bài «{assessment.name}» phải thuộc trung tâm của lớp."
            )

    deleted_pks = {a.pk for a in deleted}
    edited = {a.pk: a for a in assessments if a.pk}
    final_list = [
        edited.get(a.pk, a) for a in course.assessments.all() if a.pk not in deleted_pks
    ] + [a for a in assessments if not a.pk]
    if not any(a.weight > 0 for a in final_list):
        raise ValidationError(
            "Lớp có kiểm tra, đánh giá cần ít nhất một bài kiểm tra có hệ số lớn hơn 0 (điểm "
            "tổng kết là trung bình có trọng số của các bài)."
        )
    finals = [a.name for a in final_list if a.is_final]
    if len(finals) > 1:
        raise ValidationError(
            "Chỉ một bài được đánh dấu là bài cuối khóa; đang đánh dấu: "
            + ", ".join(f"«{name}»" for name in finals)
            + "."
        )

    for assessment in deleted:
        # Rows that only ever held an emptied cell; their history stays.
        for empty in Score.objects.filter(assessment=assessment):
            if user is not None:
                empty._history_user = user
            empty.delete()
        if user is not None:
            assessment._history_user = user
        assessment.delete()
    for assessment in assessments:
        assessment.course = course
        assessment.full_clean(validate_unique=False)
        if user is not None:
            assessment._history_user = user
        assessment.save()
