"""An uploaded file waiting between preview and confirm (trungtam.pending_upload)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingUpload(models.Model):
    """Kept in the database rather than in the session, which is read on every request: the
    session holds only this row's id. One per user and purpose; expired rows are removed
    whenever an upload is stored."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="Người tải lên",
    )
    purpose = models.CharField("Mục đích", max_length=50)
    scope_id = models.PositiveBigIntegerField("Đối tượng")  # e.g. the class the file is for
    filename = models.CharField("Tên tệp", max_length=255)
    content = models.BinaryField("Nội dung")
    size = models.PositiveIntegerField("Kích thước (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    # What the preview showed (e.g. the grade cells it read), checked again on confirm.
    notes = models.JSONField("Ghi chú của bước xem trước", default=dict, blank=True)
    created_at = models.DateTimeField("Thời điểm tải lên", default=timezone.now, db_index=True)

    # Nobody lists or edits these through the scoped pages or the admin.
    centre_lookup = None

    class Meta:
        verbose_name = "tệp tải lên chờ xác nhận"
        verbose_name_plural = "tệp tải lên chờ xác nhận"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "purpose"], name="pending_upload_one_per_purpose"
            )
        ]

    def __str__(self):
        return f"{self.filename} ({self.purpose})"
