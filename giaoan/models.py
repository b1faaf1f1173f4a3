"""Lesson plans (giáo án): one per topic of a class, with every uploaded version kept.

A plan's status is the status of its latest version: a new upload puts it back to «chờ duyệt»;
a leader approves the latest version or returns it with a comment. An approved plan marked
«dùng cho các lớp sau» covers the topics of later classes of the same program whose title is the
same (normalised), when the centre has chosen to reuse plans (LessonPlanSettings).
"""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from lophoc.models import topic_key


class PlanStatus(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    RETURNED = "returned", "Trả lại để sửa"


# A topic's title as reuse compares it (lophoc's rule for matching a class's topic).
title_key = topic_key


class LessonPlanSettings(models.Model):
    """The centre's choices about lesson plans (one row per centre, made when first saved)."""

    centre = models.OneToOneField(
        "trungtam.Centre",
        on_delete=models.CASCADE,
        related_name="lesson_plan_settings",
        verbose_name="Trung tâm",
    )
    reuse_approved = models.BooleanField(
        "Dùng lại giáo án đã duyệt cho các lớp sau",
        default=False,
        help_text=(
            "Khi bật, giáo án đã duyệt và được đánh dấu «dùng cho các lớp sau» được tính cho "
            "chuyên đề cùng tên của các lớp sau thuộc cùng chương trình."
        ),
    )

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "cài đặt giáo án"
        verbose_name_plural = "cài đặt giáo án"

    def __str__(self):
        return f"Cài đặt giáo án – {self.centre}"


class LessonPlan(models.Model):
    """Giáo án of one topic of a class: its current status and the latest version's number."""

    topic = models.OneToOneField(
        "lophoc.Topic",
        on_delete=models.CASCADE,
        related_name="lesson_plan",
        verbose_name="Chuyên đề",
    )
    # Copied from the topic's class when the plan is made: reuse matches program + title.
    program = models.ForeignKey(
        "lophoc.Program",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Chương trình",
    )
    title_key = models.CharField("Tên chuyên đề (so khớp)", max_length=300, db_index=True)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.PENDING
    )
    latest_number = models.PositiveIntegerField("Phiên bản mới nhất", default=0)
    submitted_at = models.DateTimeField("Tải lên lần cuối", null=True, blank=True)
    reusable = models.BooleanField("Dùng cho các lớp sau", default=False)
    # The latest version, kept beside its number so a page reads a topic, its plan and the
    # latest version (status, comment, links) in one query.
    latest = models.ForeignKey(
        "LessonPlanVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Phiên bản mới nhất",
    )

    history = HistoricalRecords()
    centre_lookup = "topic__course__centre"
    course_lookup = "topic__course"

    class Meta:
        verbose_name = "giáo án"
        verbose_name_plural = "giáo án"
        ordering = ["topic__course", "topic__order", "topic_id"]
        indexes = [models.Index(fields=["program", "title_key"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values), name="lesson_plan_status_valid"
            ),
        ]

    def __str__(self):
        return f"Giáo án «{self.topic}»"


def version_path(instance: "LessonPlanVersion", filename: str) -> str:
    """Where a version's file is stored: ids and a random part, never a person's name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"giao-an/{instance.plan_id}/v{instance.number}-{uuid.uuid4().hex}.{extension}"


class LessonPlanVersion(models.Model):
    """One uploaded file of a lesson plan, and the leader's decision on it."""

    plan = models.ForeignKey(
        LessonPlan, on_delete=models.CASCADE, related_name="versions", verbose_name="Giáo án"
    )
    number = models.PositiveIntegerField("Phiên bản")
    file = models.FileField("File", upload_to=version_path, max_length=200)
    kind = models.CharField("Kiểu file", max_length=10)
    original_name = models.CharField("Tên file gốc", max_length=255, blank=True)
    size = models.PositiveIntegerField("Dung lượng (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    lecturer = models.ForeignKey(
        "giangvien.Lecturer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Giảng viên",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="Người tải lên",
    )
    uploaded_at = models.DateTimeField("Thời điểm tải lên")
    status = models.CharField(
        "Trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người duyệt",
    )
    reviewed_at = models.DateTimeField("Thời điểm duyệt", null=True, blank=True)
    comment = models.TextField("Ý kiến", blank=True)

    history = HistoricalRecords()
    centre_lookup = "plan__topic__course__centre"
    course_lookup = "plan__topic__course"

    class Meta:
        verbose_name = "phiên bản giáo án"
        verbose_name_plural = "phiên bản giáo án"
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="lesson_plan_version_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values),
                name="lesson_plan_version_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.plan} – phiên bản {self.number}"
