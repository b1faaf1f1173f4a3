"""Class observation (dự giờ): the centre's form (criteria with a maximum mark each) and the
record a leader, staff member or colleague lecturer makes of one session.

A record copies each criterion's wording and maximum onto its marks, so changing the centre's
form later never changes a record already made. The total and the classification are computed
once (dugio/criteria.py) and stored.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel, NormalizedQuerySet

MARK_DIGITS = {"max_digits": 5, "decimal_places": 1}


class Classification(models.TextChoices):
    EXCELLENT = "gioi", "Giỏi"
    GOOD = "kha", "Khá"
    PASS = "dat", "Đạt"
    FAIL = "chua_dat", "Chưa đạt"


class ObservationCriterion(NormalizedModel):
    """One line of the centre's observation form (phiếu đánh giá giờ giảng)."""

    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.CASCADE,
        related_name="observation_criteria",
        verbose_name="Trung tâm",
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    text = models.CharField("Tiêu chí", max_length=300)
    max_mark = models.DecimalField(
        "Điểm tối đa",
        **MARK_DIGITS,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
    )
    active = models.BooleanField("Đang dùng", default=True)

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "tiêu chí dự giờ"
        verbose_name_plural = "tiêu chí dự giờ"
        ordering = ["centre", "order", "id"]

    def __str__(self):
        return f"{self.text} ({self.max_mark} điểm)"


class ObservationQuerySet(NormalizedQuerySet):
    def finalised(self):
        return self.filter(finalised_at__isnull=False)

    def in_year(self, year: int):
        """An observation counts in the year of the session observed."""
        return self.filter(session__date__year=year)


class Observation(NormalizedModel):
    """Biên bản dự giờ: one observer's record of one session."""

    session = models.ForeignKey(
        "lophoc.Session",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name="Buổi học",
    )
    lecturer = models.ForeignKey(
        "giangvien.Lecturer",
        on_delete=models.PROTECT,
        related_name="observations",
        verbose_name="Giảng viên được dự giờ",
    )
    recorded_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.PROTECT,
        related_name="observations_recorded",
        verbose_name="Người dự giờ",
    )
    co_observers = models.CharField(
        "Cùng dự giờ",
        max_length=300,
        blank=True,
        help_text="Những người cùng dự giờ, mỗi người một dòng hoặc cách nhau bởi dấu chấm phẩy.",
    )
    strengths = models.TextField("Ưu điểm")
    improvements = models.TextField("Những điểm cần khắc phục")
    lecturer_opinion = models.TextField("Ý kiến của giảng viên", blank=True)
    total = models.DecimalField("Tổng điểm", **MARK_DIGITS, default=Decimal("0"))
    max_total = models.DecimalField("Điểm tối đa", **MARK_DIGITS, default=Decimal("0"))
    classification = models.CharField(
        "Xếp loại", max_length=10, choices=Classification.choices, default=Classification.FAIL
    )
    finalised_at = models.DateTimeField("Thời điểm chốt", null=True, blank=True)
    created_at = models.DateTimeField("Ngày lập", default=timezone.now)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords()
    centre_lookup = "session__course__centre"

    class Meta:
        verbose_name = "biên bản dự giờ"
        verbose_name_plural = "biên bản dự giờ"
        ordering = ["-session__date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "recorded_by"], name="observation_one_per_observer"
            ),
            models.CheckConstraint(
                condition=models.Q(classification__in=Classification.values),
                name="observation_classification_valid",
            ),
        ]
        indexes = [models.Index(fields=["lecturer", "finalised_at"])]

    def __str__(self):
        return f"Dự giờ {self.session} – {self.lecturer}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    def co_observer_names(self) -> list[str]:
        parts = self.co_observers.replace("\n", ";").split(";")
        return [part.strip() for part in parts if part.strip()]


class ObservationMark(NormalizedModel):
    """The mark given for one criterion, with the criterion's wording and maximum as they were."""

    observation = models.ForeignKey(
        Observation, on_delete=models.CASCADE, related_name="marks", verbose_name="Biên bản"
    )
    criterion = models.ForeignKey(
        ObservationCriterion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Tiêu chí trong mẫu phiếu",
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    text = models.CharField("Tiêu chí", max_length=300)
    max_mark = models.DecimalField("Điểm tối đa", **MARK_DIGITS)
    mark = models.DecimalField("Điểm", **MARK_DIGITS)

    history = HistoricalRecords()
    centre_lookup = "observation__session__course__centre"

    class Meta:
        verbose_name = "điểm tiêu chí dự giờ"
        verbose_name_plural = "điểm tiêu chí dự giờ"
        ordering = ["observation", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mark__gte=0, mark__lte=models.F("max_mark")),
                name="observation_mark_in_range",
            )
        ]

    def __str__(self):
        return f"{self.text}: {self.mark}/{self.max_mark}"
