"""Layer 4: the annual plan. Refers to programs by name only, so the package never imports lophoc."""

from django.db import models
from simple_history.models import HistoricalRecords

from .normalized import NormalizedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    APPROVED = "approved", "Đã phê duyệt"


class AnnualPlan(NormalizedModel):
    """Kế hoạch năm: how many classes and trainees the centre plans, per program."""

    centre = models.ForeignKey(
        "trungtam.Centre", on_delete=models.PROTECT, related_name="plans", verbose_name="Trung tâm"
    )
    year = models.PositiveSmallIntegerField("Năm")
    status = models.CharField(
        "Trạng thái", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        "trungtam.User",
        verbose_name="Người phê duyệt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("Thời điểm phê duyệt", null=True, blank=True)
    revision = models.PositiveSmallIntegerField(
        "Lần điều chỉnh", default=0, help_text="0: kế hoạch ban đầu; tăng mỗi lần điều chỉnh"
    )
    amendment_reason = models.CharField("Lý do điều chỉnh", max_length=300, blank=True)
    number = models.CharField("Số văn bản", max_length=20, blank=True)
    issued_on = models.DateField("Ngày ban hành", null=True, blank=True)
    notes = models.TextField("Ghi chú", blank=True)
    # The parts of the plan's text (DESIGN §6): empty = the sentence written from the data is
    # printed; staff edit them on the plan's text page. Part III is the targets table.
    purpose_text = models.TextField("I. Mục đích – yêu cầu", blank=True)
    participants_text = models.TextField("II. Đối tượng", blank=True)
    schedule_text = models.TextField("IV. Thời gian", blank=True)
    funding_text = models.TextField("V. Kinh phí", blank=True)
    organisation_text = models.TextField("VI. Tổ chức thực hiện", blank=True)

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "kế hoạch năm"
        verbose_name_plural = "kế hoạch năm"
        ordering = ["-year", "centre"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="plan_unique_per_centre_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100), name="plan_year_sensible"
            ),
        ]

    def __str__(self):
        return f"Kế hoạch năm {self.year} – {self.centre}"


class PlanTarget(NormalizedModel):
    """Chỉ tiêu: planned classes and trainees for one program in one plan."""

    plan = models.ForeignKey(
        AnnualPlan, on_delete=models.CASCADE, related_name="targets", verbose_name="Kế hoạch"
    )
    program = models.ForeignKey(
        "lophoc.Program", verbose_name="Chương trình", on_delete=models.PROTECT, related_name="+"
    )
    planned_classes = models.PositiveSmallIntegerField("Số lớp kế hoạch", default=0)
    planned_trainees = models.PositiveIntegerField("Số học viên kế hoạch", default=0)
    notes = models.CharField("Ghi chú", max_length=300, blank=True)

    history = HistoricalRecords()
    centre_lookup = "plan__centre"

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["plan", "program__name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "program"], name="target_unique_per_program"),
            models.CheckConstraint(
                condition=models.Q(planned_classes__gte=0, planned_trainees__gte=0),
                name="target_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.planned_classes} lớp, {self.planned_trainees} học viên"
