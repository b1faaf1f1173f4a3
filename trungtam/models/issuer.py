"""The province-level body that issues the all-centres report (DESIGN §8a), and the check of a
signer's title lines against the document's layout. The reports themselves are data of the top
layer (trungtam.reports.models)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .base import SIGNING_AUTHORITY, DocumentLayout
from .normalized import NormalizedModel, NormalizedQuerySet

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
