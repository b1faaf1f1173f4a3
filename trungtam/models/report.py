"""Layer 4: the yearly report to the supervising committee, with its narrative and, once sent,
the figures frozen as they were printed (DESIGN §9: a sent report reprints identically); the
all-centres report and the province-level body that issues it (DESIGN §8a)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .base import SIGNING_AUTHORITY, DocumentLayout
from .normalized import NormalizedModel, NormalizedQuerySet


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
    data_until = models.DateField(
        "Số liệu tính đến ngày",
        null=True,
        blank=True,
        help_text="Bắt buộc khi gửi báo cáo trước khi hết năm; in dưới tên báo cáo.",
    )
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


# --- the all-centres report (the province roll-up) ---------------------------------------------

# Signing on someone's behalf, as each layout writes it (base.SIGNING_AUTHORITY): a State form in a
# Party document, or the other way round, is refused with the right form named.
_PARTY_FORMS = re.compile(r"(?<![\w/])(K/T|T/M|T/L|T/U)(?![\w/])")
_STATE_FORMS = re.compile(r"(?<![\w/.])(KT|TM|TL|TUQ)\.")


def signing_title_errors(title: str, layout: str) -> list[str]:
    """What is wrong with a signer's title lines for a document of this layout (Vietnamese)."""
    party = layout != DocumentLayout.STATE
    wrong = _STATE_FORMS if party else _PARTY_FORMS
    forms = SIGNING_AUTHORITY[DocumentLayout.PARTY if party else DocumentLayout.STATE]
    other = SIGNING_AUTHORITY[DocumentLayout.STATE if party else DocumentLayout.PARTY]
    errors = []
    for match in wrong.finditer(title or ""):
        written = match.group(0)
        kind = next(k for k, v in other.items() if v.rstrip(".") == written.rstrip("."))
        errors.append(
            f"«{written}» là cách viết của "
            f"{'văn bản hành chính' if party else 'văn bản của Đảng'}; thể thức "
            f"{'của Đảng (Hướng dẫn 36-HD/VPTW)' if party else 'hành chính (Nghị định 30/2020)'}"
            f" viết «{forms[kind]}»."
        )
    return errors


class ReportIssuerQuerySet(NormalizedQuerySet):
    def active(self):
        return self.filter(active=True)


class ReportIssuer(NormalizedModel):
    """The province-level body that reads every centre's figures and issues the all-centres
    report (DESIGN §8a): its header, place, recipients and signer are data, set in the admin by
    those who see every centre. One is in use at a time."""

    name = models.CharField(
        "Tên cơ quan ban hành",
        max_length=200,
        help_text="Ví dụ: Ban Tuyên giáo và Dân vận Tỉnh ủy. In đậm ở góc trên bên trái.",
    )
    parent_body = models.CharField(
        "Cơ quan cấp trên",
        max_length=200,
        blank=True,
        help_text="Ví dụ: Tỉnh ủy Bình Dương. In phía trên tên cơ quan; để trống nếu không có.",
    )
    short_name = models.CharField(
        "Tên viết tắt (dùng trong số văn bản)",
        max_length=20,
        help_text="Ví dụ: BTGDVTU → «Số 12-BC/BTGDVTU» (Đảng), «Số: 12/BC-BTGDVTU» (hành chính).",
    )
    place_name = models.CharField(
        "Địa danh ghi trên văn bản", max_length=100, help_text="Ví dụ: Thủ Dầu Một"
    )
    document_layout = models.CharField(
        "Thể thức văn bản",
        max_length=10,
        choices=DocumentLayout.choices,
        default=DocumentLayout.PARTY,
    )
    addressee = models.CharField(
        "Kính gửi",
        max_length=200,
        blank=True,
        help_text="Ví dụ: Ban Thường vụ Tỉnh ủy. Để trống nếu báo cáo không có dòng «Kính gửi».",
    )
    recipients = models.TextField(
        "Nơi nhận",
        help_text="Mỗi nơi nhận một dòng. Dòng lưu (Lưu Văn phòng / Lưu: VT) được thêm theo thể "
        "thức.",
    )
    signer_title = models.TextField(
        "Chức danh người ký",
        max_length=200,
        help_text="Mỗi dòng một dòng in, ví dụ «K/T TRƯỞNG BAN» rồi «PHÓ TRƯỞNG BAN» (Đảng: "
        "K/T, T/M, T/L, T/U; hành chính: KT., TM., TL., TUQ.).",
    )
    signer_name = models.CharField("Họ tên người ký", max_length=100)
    active = models.BooleanField(
        "Đang dùng",
        default=True,
        help_text="Báo cáo tổng hợp chưa gửi in theo cơ quan đang dùng; chỉ một cơ quan được dùng.",
    )
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects = ReportIssuerQuerySet.as_manager()
    history = HistoricalRecords()
    # Data of no centre: only those who see every centre see it (trungtam.scoping.visible).
    centre_lookup = None

    class Meta:
        verbose_name = "cơ quan ban hành báo cáo tổng hợp"
        verbose_name_plural = "cơ quan ban hành báo cáo tổng hợp"
        ordering = ["-active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(active=True),
                name="report_issuer_one_active",
                violation_error_message=(
                    "Đã có một cơ quan ban hành đang dùng; hãy bỏ đánh dấu «Đang dùng» ở cơ quan "
                    "đó trước."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if title_errors := signing_title_errors(self.signer_title, self.document_layout):
            errors["signer_title"] = title_errors
        if self.short_name and not re.fullmatch(r"[^\W_]+", self.short_name):
            errors["short_name"] = (
                "Tên viết tắt chỉ gồm chữ cái và chữ số, không khoảng trắng hay dấu câu, ví dụ "
                "BTGDVTU."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class AllCentresReport(NormalizedModel):
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
    general_text = models.TextField("Tình hình chung", blank=True)
    assessment_text = models.TextField("Đánh giá, kiến nghị", blank=True)
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
    centre_lookup = None

    class Meta:
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

    @property
    def is_sent(self) -> bool:
        return self.status == ReportStatus.SENT
