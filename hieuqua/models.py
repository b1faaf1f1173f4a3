"""The follow-up after a class (đánh giá hiệu quả sau đào tạo, issue 17 item 2).

Some months after a class closes (the centre's delay, 3 to 6), each unit that sent people to it
says, for each person it sent (the enrolment's unit at the time), how they apply what they
learned: Tốt / Khá / Chưa rõ, with an optional note. The unit's liaison answers on its unit page,
or staff type the unit's written answer. A unit may change its answer until staff close the
follow-up of the class.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

DEFAULT_DELAY_MONTHS = 3
MIN_DELAY_MONTHS = 3
MAX_DELAY_MONTHS = 6


class FollowUpSetting(models.Model):
    """The centre's delay between a class's end and its follow-up."""

    centre = models.OneToOneField(
        "trungtam.Centre",
        on_delete=models.CASCADE,
        related_name="followup_setting",
        verbose_name="Trung tâm",
    )
    delay_months = models.PositiveSmallIntegerField(
        "Số tháng sau khi lớp kết thúc",
        default=DEFAULT_DELAY_MONTHS,
        validators=[MinValueValidator(MIN_DELAY_MONTHS), MaxValueValidator(MAX_DELAY_MONTHS)],
        help_text="Từ 3 đến 6 tháng.",
    )

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "cài đặt đánh giá hiệu quả"
        verbose_name_plural = "cài đặt đánh giá hiệu quả"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delay_months__gte=MIN_DELAY_MONTHS)
                & models.Q(delay_months__lte=MAX_DELAY_MONTHS),
                name="followup_delay_3_to_6_months",
            )
        ]

    def __str__(self):
        return f"{self.centre}: {self.delay_months} tháng"


class Rating(models.TextChoices):
    GOOD = "good", "Tốt"
    FAIR = "fair", "Khá"
    UNCLEAR = "unclear", "Chưa rõ"


class FollowUpAnswer(models.Model):
    """A unit's answer about one person it sent (one per enrolment)."""

    enrolment = models.OneToOneField(
        "lophoc.Enrolment",
        on_delete=models.CASCADE,
        related_name="followup_answer",
        verbose_name="Ghi danh",
    )
    rating = models.CharField("Vận dụng kiến thức", max_length=10, choices=Rating.choices)
    note = models.CharField("Ghi chú", max_length=500, blank=True)
    answered_at = models.DateTimeField("Trả lời lúc")
    answered_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người nhập",
    )
    # Typed in by the centre's staff from the unit's written answer (văn bản của đơn vị).
    from_letter = models.BooleanField("Nhập từ văn bản của đơn vị", default=False)

    history = HistoricalRecords()
    centre_lookup = "enrolment__course__centre"
    course_lookup = "enrolment__course"
    unit_lookup = "enrolment__unit"

    class Meta:
        verbose_name = "đánh giá hiệu quả sau đào tạo"
        verbose_name_plural = "đánh giá hiệu quả sau đào tạo"
        ordering = ["enrolment"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__in=Rating.values), name="followup_rating_valid"
            )
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.get_rating_display()}"


class FollowUpClosure(models.Model):
    """Staff closed the follow-up of a class: no unit changes its answer any more (staff may
    reopen it, which deletes this row; the history keeps who closed and reopened)."""

    course = models.OneToOneField(
        "lophoc.Course",
        on_delete=models.CASCADE,
        related_name="followup_closure",
        verbose_name="Lớp học",
    )
    closed_at = models.DateTimeField("Đóng lúc")
    closed_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người đóng",
    )

    history = HistoricalRecords()
    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "đóng đánh giá hiệu quả của lớp"
        verbose_name_plural = "đóng đánh giá hiệu quả của lớp"

    def __str__(self):
        return f"{self.course}: đã đóng"
