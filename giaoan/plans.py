"""Writing lesson plans: upload a version, review the latest one, mark an approved plan for reuse,
and the centre's reuse setting. Views call these; every write is one transaction."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from giangvien.models import Lecturer
from lophoc.models import CourseStatus, Session, Topic
from trungtam.document_files import (
    LESSON_PLAN_KINDS,
    MAX_DOCUMENT_BYTES,
    DocumentRefused,
    document_kind,
)
from trungtam.models import Centre, User
from trungtam.scoping import Right, has_right

from .models import LessonPlan, LessonPlanSettings, LessonPlanVersion, PlanStatus, title_key

# Under the request limit (REQUEST_MAX_BODY_SIZE, 6 MB), like every upload.
MAX_PLAN_BYTES = MAX_DOCUMENT_BYTES


class ReviewRefused(ValidationError):
    """A review that cannot be recorded (stale, already reviewed, no comment), in Vietnamese."""


def reuse_on(centre: Centre) -> bool:
    return LessonPlanSettings.objects.filter(centre=centre, reuse_approved=True).exists()


@transaction.atomic
def settings_save(*, centre: Centre, reuse_approved: bool) -> LessonPlanSettings:
    row = LessonPlanSettings.objects.select_for_update().filter(centre=centre).first()
    if row is None:
        row = LessonPlanSettings(centre=centre)
    elif row.reuse_approved == reuse_approved:
        return row  # unchanged: no history row for nothing
    row.reuse_approved = reuse_approved
    if row.pk is None and not reuse_approved:
        return row  # «off» is the default: nothing to write
    row.save()
    return row


def topic_lecturers(topic: Topic) -> list[Lecturer]:
    """The lecturers who teach a session of the topic."""
    return list(
        Lecturer.objects.filter(sessions__topic=topic).distinct().order_by("full_name", "pk")
    )


def teaches_topic(user: User, topic: Topic) -> bool:
    return Session.objects.filter(topic=topic, lecturer__user=user).exists()


def may_upload(user: User, topic: Topic) -> bool:
    """Staff (on a lecturer's behalf) or a lecturer who teaches a session of the topic."""
    if has_right(user, Right.MANAGE):
        return True
    return has_right(user, Right.PEOPLE) and teaches_topic(user, topic)


def may_read(user: User, topic: Topic) -> bool:
    return may_upload(user, topic)


def may_review(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.approves_for_centre


def upload_refusal(topic: Topic) -> str | None:
    if topic.course.status == CourseStatus.CANCELLED:
        return f"Lớp {topic.course.code} đã hủy: không tải giáo án lên nữa."
    return None


@transaction.atomic
def version_upload(
    *,
    topic: Topic,
    content: bytes,
    filename: str,
    user: User,
    lecturer: Lecturer | None = None,
) -> LessonPlanVersion:
    """Keep a new version of the topic's plan; the plan goes back to «chờ duyệt». Refused
    (DocumentRefused, nothing stored) when the file is not an accepted document."""
    refusal = upload_refusal(topic)
    if refusal:
        raise DocumentRefused(refusal)
    kind = document_kind(content, filename, kinds=LESSON_PLAN_KINDS, max_bytes=MAX_PLAN_BYTES)
    plan, _ = LessonPlan.objects.select_for_update().get_or_create(
        topic=topic,
        defaults={"program_id": topic.course.program_id, "title_key": title_key(topic.title)},
    )
    now = timezone.now()
    plan.latest_number += 1
    plan.status = PlanStatus.PENDING
    plan.submitted_at = now
    plan.title_key = title_key(topic.title)
    plan.save()
    version = LessonPlanVersion(
        plan=plan,
        number=plan.latest_number,
        kind=kind.code,
        original_name=(filename or "")[:255],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        lecturer=lecturer,
        uploaded_by=user,
        uploaded_at=now,
    )
    version.file.save(f"giao-an{kind.extension}", ContentFile(content), save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    plan.latest = version
    plan.save(update_fields=["latest"])
    return version


@transaction.atomic
def version_review(
    *,
    version: LessonPlanVersion,
    posted_number,
    approve: bool,
    comment: str,
    user: User,
    reusable: bool = False,
) -> LessonPlanVersion:
    """Approve the latest version, or return it with a comment. A review of a version that is no
    longer the latest (someone uploaded meanwhile) or was already reviewed is refused."""
    if not may_review(user):
        raise PermissionDenied("Chỉ lãnh đạo trung tâm duyệt giáo án.")
    plan = (
        LessonPlan.objects.select_for_update()
        .select_related("topic__course")
        .get(pk=version.plan_id)
    )
    version = LessonPlanVersion.objects.select_for_update().get(pk=version.pk)
    if str(posted_number) != str(plan.latest_number) or version.number != plan.latest_number:
        raise ReviewRefused(
            f"Giáo án chuyên đề «{plan.topic.title}» vừa có phiên bản mới "
            f"(phiên bản {plan.latest_number}) trong lúc bạn xem: chưa ghi ý kiến duyệt. "
            "Hãy xem phiên bản mới nhất rồi duyệt lại."
        )
    if version.status != PlanStatus.PENDING:
        raise ReviewRefused(
            f"Phiên bản {version.number} đã được xử lý ({version.get_status_display().lower()}); "
            "chỉ duyệt được phiên bản đang chờ duyệt."
        )
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ReviewRefused(
            {"comment": "Hãy ghi ý kiến góp ý khi trả lại giáo án, để giảng viên biết cần sửa gì."}
        )
    version.status = PlanStatus.APPROVED if approve else PlanStatus.RETURNED
    version.comment = comment
    version.reviewed_by = user
    version.reviewed_at = timezone.now()
    version.save()
    plan.status = version.status
    plan.reusable = bool(approve and reusable and reuse_on(plan.topic.course.centre_id))
    plan.save()
    return version


@transaction.atomic
def plan_mark_reusable(*, plan: LessonPlan, reusable: bool, user: User) -> LessonPlan:
    """Mark an approved plan «dùng cho các lớp sau» (or stop it), when the centre reuses plans."""
    if not may_review(user):
        raise PermissionDenied("Chỉ lãnh đạo trung tâm đánh dấu giáo án dùng cho các lớp sau.")
    plan = LessonPlan.objects.select_for_update().select_related("topic__course").get(pk=plan.pk)
    if reusable:
        if plan.status != PlanStatus.APPROVED:
            raise ValidationError("Chỉ giáo án đã duyệt mới dùng được cho các lớp sau.")
        if not reuse_on(plan.topic.course.centre_id):
            raise ValidationError(
                "Trung tâm chưa bật việc dùng lại giáo án đã duyệt (Giáo án › Cài đặt)."
            )
    if plan.reusable != reusable:
        plan.reusable = reusable
        plan.save()
    return plan
