"""The official signed copy of a document the app produced (issue 18)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import Centre


class SignedKind(models.TextChoices):
    CERTIFICATE = "certificate", "Giấy chứng nhận"
    CLASS_CERTIFICATES = "class_certificates", "Giấy chứng nhận của lớp"
    RESULT_NOTICE = "result_notice", "Thông báo kết quả học tập"
    YEARLY_REPORT = "yearly_report", "Báo cáo năm"
    ALL_CENTRES_REPORT = "all_centres_report", "Báo cáo tổng hợp các trung tâm"
    CERTIFICATE_REGISTER = "certificate_register", "Sổ cấp giấy chứng nhận"


class SignedSource(models.TextChoices):
    SERVER = "server", "Ký trên máy chủ"
    UPLOADED = "uploaded", "Ký ngoài, tải lên"


class SignedDocument(models.Model):
    """The exact signed bytes of one document, kept so every re-download returns them.

        A document is named by its kind and `ref` (the certificate's id, "course id", "centre id:year",
        …, as its owner app writes it) and by the SHA-256 of the unsigned bytes the app produced
        (`original_sha256`): the app prints its final documents byte for byte the same (invariant
        PDFs), so the same content finds the same signed copy, and changed content (a reissued
        certificate in a class's PDF) is a new document. One current copy per document; a replaced copy
    is kept with `superseded_at`. Never otherwise edited; no key material, ever.
    """

    kind = models.CharField("Loại văn bản", max_length=30, choices=SignedKind.choices)
    ref = models.CharField("Văn bản", max_length=100)
    centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Trung tâm",
    )
    original_sha256 = models.CharField("SHA-256 bản chưa ký", max_length=64)
    signed_sha256 = models.CharField("SHA-256 bản đã ký", max_length=64, db_index=True)
    data = models.BinaryField("Bản đã ký")
    size = models.PositiveIntegerField("Dung lượng (byte)")
    source = models.CharField("Cách ký", max_length=10, choices=SignedSource.choices)
    signer = models.CharField("Người ký (theo chứng thư)", max_length=300, blank=True)
    signed_at = models.DateTimeField("Thời điểm ký", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người lưu",
    )
    created_at = models.DateTimeField("Thời điểm lưu", default=timezone.now)
    # A copy signed on a leader's PC replaces the server's as the one delivered; the replaced copy
    # stays, so the files already handed out are still found as issued here.
    superseded_at = models.DateTimeField("Thay bằng bản khác lúc", null=True, blank=True)

    centre_lookup = "centre"

    class Meta:
        verbose_name = "văn bản đã ký số"
        verbose_name_plural = "văn bản đã ký số"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "ref", "original_sha256"],
                condition=models.Q(superseded_at__isnull=True),
                name="signed_document_once",
            )
        ]
        indexes = [models.Index(fields=["kind", "ref"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.ref}"
