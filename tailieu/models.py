"""Teaching materials (tài liệu) per program and topic, the public class link that lets trainees
download the files marked for them, and the record of schedule letters mailed to lecturers."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel

# secrets.token_urlsafe(18) gives 24 characters of [A-Za-z0-9_-]: 144 random bits.
TOKEN_BYTES = 18


def new_class_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def material_upload_to(version: "MaterialVersion", filename: str) -> str:
    """A random stored name: the file's own name (kept on the row) never reaches the disk."""
    return f"tailieu/{uuid.uuid4().hex}{version.extension}"


class Material(NormalizedModel):
    """Tài liệu: one document of a program (optionally of one of its topics), in versions."""

    program = models.ForeignKey(
        "lophoc.Program",
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name="Chương trình",
    )
    topic = models.ForeignKey(
        "lophoc.ProgramTopic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name="Chuyên đề",
    )
    title = models.CharField("Tên tài liệu", max_length=300)
    note = models.TextField("Ghi chú", blank=True)
    for_trainees = models.BooleanField(
        "Dành cho học viên",
        default=False,
        help_text="Học viên của các lớp thuộc chương trình tải được qua đường dẫn của lớp.",
    )
    # The version in use; older versions stay, downloadable by staff.
    current = models.ForeignKey(
        "tailieu.MaterialVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Phiên bản hiện hành",
    )
    # The last version number given: a removed version's number is never given again.
    last_version = models.PositiveSmallIntegerField("Số phiên bản đã dùng", default=0)
    created_at = models.DateTimeField("Ngày tạo", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người tạo",
    )

    history = HistoricalRecords()
    centre_lookup = "program__centre"

    class Meta:
        verbose_name = "tài liệu"
        verbose_name_plural = "tài liệu"
        ordering = ["program", "topic__order", "title", "id"]

    def __str__(self):
        return self.title


class MaterialVersion(NormalizedModel):
    """One uploaded file of a material. Never changed once stored: who and when are on the row."""

    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="versions", verbose_name="Tài liệu"
    )
    number = models.PositiveSmallIntegerField("Phiên bản")
    file = models.FileField("Tệp", upload_to=material_upload_to, max_length=200)
    filename = models.CharField("Tên tệp", max_length=255)
    kind = models.CharField("Kiểu tệp", max_length=10)
    extension = models.CharField("Đuôi tệp", max_length=10)
    size = models.PositiveIntegerField("Kích thước (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("Thời điểm tải lên", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người tải lên",
    )

    centre_lookup = "material__program__centre"

    class Meta:
        verbose_name = "phiên bản tài liệu"
        verbose_name_plural = "phiên bản tài liệu"
        ordering = ["material", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["material", "number"], name="material_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.material.title} (phiên bản {self.number})"


class ClassLink(NormalizedModel):
    """The secret address of a class's trainee materials; renewing it kills the old one."""

    course = models.OneToOneField(
        "lophoc.Course",
        on_delete=models.CASCADE,
        related_name="material_link",
        verbose_name="Lớp học",
    )
    token = models.CharField("Mã đường dẫn", max_length=64, unique=True, default=new_class_token)
    created_at = models.DateTimeField("Ngày tạo", default=timezone.now)
    renewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người đổi đường dẫn",
    )

    history = HistoricalRecords()
    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "đường dẫn tài liệu của lớp"
        verbose_name_plural = "đường dẫn tài liệu của lớp"

    def __str__(self):
        return f"Tài liệu lớp {self.course.code}"


class ScheduleLetter(NormalizedModel):
    """A schedule letter mailed (or tried) to a lecturer: a log, never edited."""

    lecturer = models.ForeignKey(
        "giangvien.Lecturer",
        on_delete=models.CASCADE,
        related_name="schedule_letters",
        verbose_name="Giảng viên",
    )
    date_from = models.DateField("Từ ngày")
    date_to = models.DateField("Đến ngày")
    to_address = models.EmailField("Gửi tới")
    sent_at = models.DateTimeField("Thời điểm gửi", default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người gửi",
    )
    ok = models.BooleanField("Gửi được", default=True)
    error = models.TextField("Lỗi", blank=True)

    centre_lookup = "lecturer__centre"

    class Meta:
        verbose_name = "thư mời giảng đã gửi"
        verbose_name_plural = "thư mời giảng đã gửi"
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"{self.lecturer} ({self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y})"
