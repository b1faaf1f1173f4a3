"""Assessments of a class and the scores given in them."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel

from .course import Course
from .enrolment import Enrolment

SCORE_VALIDATORS = [
    MinValueValidator(Decimal("0"), "Điểm phải từ 0 đến 10."),
    MaxValueValidator(Decimal("10"), "Điểm phải từ 0 đến 10."),
]


class Assessment(NormalizedModel):
    """Bài kiểm tra / thu hoạch of one class, with its weight and optional grader."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="assessments", verbose_name="Lớp học"
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    name = models.CharField("Tên bài kiểm tra", max_length=200)
    weight = models.DecimalField("Hệ số", max_digits=5, decimal_places=2, default=Decimal("1"))
    is_final = models.BooleanField("Bài cuối khóa", default=False)
    has_retake = models.BooleanField("Có thi lại", default=False)
    grader = models.ForeignKey(
        "giangvien.Lecturer",
        verbose_name="Giảng viên chấm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="graded_assessments",
    )
    # Nộp điểm: a submitted assessment is read-only for lecturers until staff send it back.
    submitted_at = models.DateTimeField("Thời điểm nộp điểm", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "trungtam.User",
        verbose_name="Người nộp điểm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField("Thời điểm trả lại", null=True, blank=True)
    returned_reason = models.CharField("Lý do trả lại", max_length=300, blank=True)

    history = HistoricalRecords()
    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "bài kiểm tra"
        verbose_name_plural = "bài kiểm tra"
        ordering = ["course", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="assessment_weight_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.course.code})"


class Score(NormalizedModel):
    """Điểm: one enrolment's score for one assessment, with an optional retake (thi lại)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="scores", verbose_name="Ghi danh"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="scores", verbose_name="Bài kiểm tra"
    )
    score = models.DecimalField(
        "Điểm", max_digits=4, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    retake_score = models.DecimalField(
        "Điểm thi lại",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    version = models.PositiveIntegerField("Phiên bản", default=0, editable=False)
    updated_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người cập nhật",
    )
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    history = HistoricalRecords()
    centre_lookup = "enrolment__course__centre"
    course_lookup = "enrolment__course"
    unit_lookup = "enrolment__unit"

    class Meta:
        verbose_name = "điểm"
        verbose_name_plural = "điểm"
        ordering = ["enrolment", "assessment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assessment"], name="score_once_per_assessment"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=10),
                name="score_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(retake_score__isnull=True)
                | models.Q(retake_score__gte=0, retake_score__lte=10),
                name="score_retake_0_10",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.assessment.name} = {self.score}"

    @property
    def effective_score(self) -> Decimal | None:
        """A retake replaces the original for this assessment (DESIGN §8)."""
        return self.retake_score if self.retake_score is not None else self.score
