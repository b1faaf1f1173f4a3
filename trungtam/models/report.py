"""Layer 4: the yearly report to the supervising committee, with its narrative and, once sent,
the figures frozen as they were printed (DESIGN §9: a sent report reprints identically)."""

from django.db import models
from simple_history.models import HistoricalRecords

from .normalized import NormalizedModel


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SENT = "sent", "Đã gửi"


class YearlyReport(NormalizedModel):
    """Báo cáo kết quả công tác đào tạo, bồi dưỡng năm YYYY of one centre."""

    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="yearly_reports",
        verbose_name="Trung tâm",
    )
    year = models.PositiveSmallIntegerField("Năm")
    status = models.CharField(
        "Trạng thái", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.CharField("Số văn bản", max_length=20, blank=True)
    report_date = models.DateField("Ngày báo cáo", null=True, blank=True)
    place = models.CharField("Địa danh", max_length=100, blank=True)
    recipients = models.TextField("Nơi nhận", blank=True, help_text="Mỗi nơi nhận một dòng")
    results_text = models.TextField("Kết quả đạt được", blank=True)
    limitations_text = models.TextField("Hạn chế và nguyên nhân", blank=True)
    direction_text = models.TextField("Phương hướng năm tới", blank=True)
    signer_title = models.CharField("Chức danh người ký", max_length=100, blank=True)
    signer_name = models.CharField("Người ký", max_length=100, blank=True)
    # The figures as printed when the report was sent; None while it is a draft.
    snapshot = models.JSONField("Số liệu đã chốt", null=True, blank=True, editable=False)
    sent_at = models.DateTimeField("Thời điểm gửi", null=True, blank=True)
    sent_by = models.ForeignKey(
        "trungtam.User",
        verbose_name="Người gửi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "báo cáo năm"
        verbose_name_plural = "báo cáo năm"
        ordering = ["-year", "centre"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year"], name="report_unique_per_centre_year"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(snapshot__isnull=False),
                name="report_sent_has_snapshot",
            ),
        ]

    def __str__(self):
        return f"Báo cáo năm {self.year} – {self.centre}"

    @property
    def is_sent(self) -> bool:
        return self.status == ReportStatus.SENT
