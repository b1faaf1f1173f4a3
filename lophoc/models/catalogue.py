"""Programs: what a class teaches, with its default length, assessments and certificate rules."""

import re
import string
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel


class ProgramSystem(models.TextChoices):
    PARTY = "party", "Đảng"
    STATE = "state", "Nhà nước"
    MASS = "mass", "Đoàn thể"
    PARTNER = "partner", "Phối hợp"
    OTHER = "other", "Khác"


class CertificateIssuer(models.TextChoices):
    CENTRE = "centre", "Trung tâm cấp"
    PARTNER = "partner", "Đơn vị phối hợp cấp"
    NONE = "none", "Không cấp"


DEFAULT_ABSENCE_LIMIT = Decimal("20")

# The certificate's sentence about the course (Program.certificate_wording): what each
# placeholder becomes when a certificate is issued (lophoc.certificates.completion_text).
WORDING_PLACEHOLDERS = {
    "chuong_trinh": "tên chương trình",
    "lop": "tên lớp, đã bắt đầu bằng chữ «lớp»",
    "dia_diem": "địa điểm tổ chức lớp (hoặc tên trung tâm khi lớp chưa ghi địa điểm)",
    "tu_ngay": "ngày khai giảng, dạng dd/mm/yyyy",
    "den_ngay": "ngày bế giảng, dạng dd/mm/yyyy",
}
DEFAULT_CERTIFICATE_WORDING = (
    "Đã hoàn thành {lop} tổ chức tại {dia_diem} từ ngày {tu_ngay} đến ngày {den_ngay}"
)


def _placeholders_text() -> str:
    return "; ".join(f"{{{name}}}: {meaning}" for name, meaning in WORDING_PLACEHOLDERS.items())


def validate_certificate_wording(value: str) -> None:
    """Only the known placeholders, each written plainly as {name}; never «lớp {lop}»."""
    allowed = ", ".join(f"{{{name}}}" for name in WORDING_PLACEHOLDERS)
    try:
        parts = list(string.Formatter().parse(value or ""))
    except ValueError:
        raise ValidationError(
            "Lời văn có dấu ngoặc { } không khớp. Chỉ được dùng các chỗ điền: %(allowed)s; "
            "muốn in dấu ngoặc thì viết hai lần: {{ hoặc }}.",
            params={"allowed": allowed},
            code="braces",
        ) from None
    unknown = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in WORDING_PLACEHOLDERS or spec or conversion:
            unknown.append("{" + name + (f"!{conversion}" if conversion else "") + "}")
    if unknown:
        raise ValidationError(
            "Lời văn có chỗ điền không dùng được: %(unknown)s. Chỉ được dùng: %(allowed)s.",
            params={"unknown": ", ".join(unknown), "allowed": allowed},
            code="placeholder",
        )
    if re.search(r"\blớp\s*\{lop\}", unicodedata.normalize("NFC", value or ""), re.IGNORECASE):
        raise ValidationError(
            "Không viết «lớp» trước {lop}: {lop} đã bắt đầu bằng chữ «lớp» "
            "(ví dụ «lớp bồi dưỡng nhận thức về Đảng khóa 5 năm 2026»).",
            code="double_lop",
        )


class Program(NormalizedModel):
    """Chương trình: what a class teaches, with its default length and rules."""

    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name="Trung tâm",
    )
    code = models.CharField(
        "Mã chương trình", max_length=20, help_text="Dùng trong mã lớp, ví dụ KND"
    )
    name = models.CharField("Tên chương trình", max_length=300)
    system = models.CharField("Hệ", max_length=10, choices=ProgramSystem.choices)
    is_assessed = models.BooleanField(
        "Có kiểm tra, đánh giá", default=True, help_text="Bỏ chọn nếu chỉ xét chuyên cần"
    )
    certificate_issuer = models.CharField(
        "Cấp giấy chứng nhận",
        max_length=10,
        choices=CertificateIssuer.choices,
        default=CertificateIssuer.CENTRE,
    )
    partner_name = models.CharField("Đơn vị phối hợp", max_length=200, blank=True)
    certificate_wording = models.CharField(
        "Lời văn chứng nhận trên giấy chứng nhận",
        max_length=500,
        blank=True,
        validators=[validate_certificate_wording],
        help_text=(
            "Câu ghi trên giấy chứng nhận sau tên học viên. Chỗ điền: "
            + _placeholders_text()
            + ". Để trống để dùng lời văn mặc định của chương trình."
        ),
    )
    default_days = models.PositiveSmallIntegerField("Số ngày học dự kiến", default=5)
    default_periods = models.PositiveSmallIntegerField("Số tiết dự kiến", default=40)
    absence_limit_percent = models.DecimalField(
        "Tỷ lệ vắng tối đa (%)",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_ABSENCE_LIMIT,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    description = models.TextField("Mô tả", blank=True)
    active = models.BooleanField("Đang sử dụng", default=True)

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "chương trình"
        verbose_name_plural = "chương trình"
        ordering = ["system", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code"], name="program_code_unique_per_centre"
            ),
            models.UniqueConstraint(
                fields=["centre", "name"], name="program_name_unique_per_centre"
            ),
            models.CheckConstraint(
                condition=models.Q(absence_limit_percent__gte=0, absence_limit_percent__lte=100),
                name="program_absence_limit_0_100",
            ),
        ]

    def __str__(self):
        return self.name


class ProgramTopic(NormalizedModel):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="topics", verbose_name="Chương trình"
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    title = models.CharField("Chuyên đề", max_length=300)
    periods = models.PositiveSmallIntegerField("Số tiết", default=4)

    centre_lookup = "program__centre"

    class Meta:
        verbose_name = "chuyên đề của chương trình"
        verbose_name_plural = "chuyên đề của chương trình"
        ordering = ["program", "order", "id"]

    def __str__(self):
        return self.title


class ProgramAssessment(NormalizedModel):
    """The assessments a new class of this program starts with."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="assessments", verbose_name="Chương trình"
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    name = models.CharField("Tên bài kiểm tra", max_length=200)
    weight = models.DecimalField("Hệ số", max_digits=5, decimal_places=2, default=Decimal("1"))
    is_final = models.BooleanField("Bài cuối khóa", default=False)

    centre_lookup = "program__centre"

    class Meta:
        verbose_name = "bài kiểm tra mẫu"
        verbose_name_plural = "bài kiểm tra mẫu"
        ordering = ["program", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="program_assessment_weight_not_negative"
            )
        ]

    def __str__(self):
        return self.name
