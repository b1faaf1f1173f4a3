"""The top layer's data (DESIGN §3, §9): the annual plan and its targets per program, the yearly
report of a centre and the all-centres report. A sent report keeps the figures, header and text as
printed (`snapshot`), so it reprints byte for byte.

The tables keep the names they had when these models lived in the base app (migration
reports 0001/0002)."""

from django.db import models
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel, ReportIssuer


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

    history = HistoricalRecords(table_name="trungtam_historicalannualplan")
    centre_lookup = "centre"

    class Meta:
        db_table = "trungtam_annualplan"
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

    history = HistoricalRecords(table_name="trungtam_historicalplantarget")
    centre_lookup = "plan__centre"

    class Meta:
        db_table = "trungtam_plantarget"
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


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    SENT = "sent", "Đã gửi"


class SentReport(NormalizedModel):
    """What a centre's yearly report and the all-centres report share: a draft (DỰ THẢO) until
    sent; sending freezes the figures, header and text as printed in `snapshot`."""

    status = models.CharField(
        "Trạng thái", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.CharField("Số văn bản", max_length=20, blank=True)
    report_date = models.DateField("Ngày báo cáo", null=True, blank=True)
    data_until = models.DateField(
        "Số liệu tính đến ngày",
        null=True,
        blank=True,
        help_text="Bắt buộc khi gửi báo cáo trước khi hết năm; in dưới tên báo cáo.",
    )
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

    class Meta:
        abstract = True

    @property
    def is_sent(self) -> bool:
        return self.status == ReportStatus.SENT


class YearlyReport(SentReport):
    """Báo cáo kết quả công tác đào tạo, bồi dưỡng năm YYYY of one centre."""

    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="yearly_reports",
        verbose_name="Trung tâm",
    )
    year = models.PositiveSmallIntegerField("Năm")
    place = models.CharField("Địa danh", max_length=100, blank=True)
    recipients = models.TextField("Nơi nhận", blank=True, help_text="Mỗi nơi nhận một dòng")
    # The narrative (DESIGN §6): what was done, then the assessment, direction, recommendations.
    results_text = models.TextField("Kết quả đạt được", blank=True)
    strengths_text = models.TextField("Ưu điểm", blank=True)
    limitations_text = models.TextField("Hạn chế", blank=True)
    causes_text = models.TextField("Nguyên nhân", blank=True)
    lessons_text = models.TextField("Bài học kinh nghiệm", blank=True)
    direction_text = models.TextField("Phương hướng, nhiệm vụ năm tới", blank=True)
    recommendations_text = models.TextField("Kiến nghị – đề xuất", blank=True)
    # A TextField: the title is one or two printed lines ("K/T GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"), which
    # a CharField's normalisation would run together.
    signer_title = models.TextField("Chức danh người ký", max_length=100, blank=True)
    signer_name = models.CharField("Người ký", max_length=100, blank=True)

    history = HistoricalRecords(table_name="trungtam_historicalyearlyreport")
    centre_lookup = "centre"

    class Meta:
        db_table = "trungtam_yearlyreport"
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


class AllCentresReport(SentReport):
    """Báo cáo tổng hợp kết quả đào tạo, bồi dưỡng năm YYYY of every centre, issued by the
    `ReportIssuer`. Like a centre's report it is a draft (DỰ THẢO) until sent; sending freezes
    its figures, header and text in `snapshot`, from which it reprints byte for byte."""

    issuer = models.ForeignKey(
        ReportIssuer,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name="Cơ quan ban hành",
    )
    year = models.PositiveSmallIntegerField("Năm", unique=True)
    general_text = models.TextField("Tình hình chung", blank=True)
    assessment_text = models.TextField("Đánh giá, kiến nghị", blank=True)

    history = HistoricalRecords(table_name="trungtam_historicalallcentresreport")
    centre_lookup = None

    class Meta:
        db_table = "trungtam_allcentresreport"
        verbose_name = "báo cáo tổng hợp các trung tâm"
        verbose_name_plural = "báo cáo tổng hợp các trung tâm"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(snapshot__isnull=False),
                name="all_centres_report_sent_has_snapshot",
            ),
        ]

    def __str__(self):
        return f"Báo cáo tổng hợp năm {self.year}"
