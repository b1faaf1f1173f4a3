"""Certificates: the frozen record, its yearly numbering and the public look-up's failures."""

from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel

from .course import Course
from .enrolment import Classification, Enrolment


class CertificateStatus(models.TextChoices):
    VALID = "valid", "Còn hiệu lực"
    VOIDED = "voided", "Đã thu hồi"
    REPLACED = "replaced", "Đã cấp lại"


class Certificate(NormalizedModel):
    """Giấy chứng nhận: a frozen record — what it prints is copied here when it is issued."""

    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="Trung tâm",
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="certificates", verbose_name="Ghi danh"
    )
    # The enrolment's class, kept on the certificate so that the year's figures count
    # certificates per class from an index instead of through every enrolment.
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name="Lớp học",
        db_index=False,  # the index on (course, status) below serves
    )
    year = models.PositiveSmallIntegerField("Năm cấp")
    sequence = models.PositiveIntegerField("Số thứ tự trong năm")
    number = models.CharField("Số giấy chứng nhận", max_length=40)
    register_number = models.CharField("Số vào sổ", max_length=40)
    issued_on = models.DateField("Ngày cấp")
    verification_code = models.CharField("Mã xác thực", max_length=12, unique=True)
    status = models.CharField(
        "Tình trạng",
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    signer_title = models.CharField("Chức danh người ký", max_length=100)
    signer_name = models.CharField("Người ký", max_length=100)
    # Frozen copies (DESIGN §8).
    full_name = models.CharField("Họ và tên", max_length=100)
    date_of_birth = models.DateField("Ngày sinh")
    unit_name = models.CharField("Đơn vị", max_length=200, blank=True)
    course_code = models.CharField("Mã lớp", max_length=40)
    course_name = models.CharField("Tên lớp", max_length=300)
    program_name = models.CharField("Chương trình", max_length=300)
    course_start = models.DateField("Từ ngày")
    course_end = models.DateField("Đến ngày")
    # How the certificate addresses the trainee («Đồng chí», «Ông», «Bà») and its sentence about
    # the course, both written at issue so that a reprint never changes.
    salutation = models.CharField("Danh xưng", max_length=20, blank=True)
    completion_text = models.CharField("Lời văn chứng nhận", max_length=800, blank=True)
    final_score = models.DecimalField("Điểm", max_digits=3, decimal_places=1, null=True, blank=True)
    classification = models.CharField(
        "Xếp loại", max_length=20, choices=Classification.choices, blank=True
    )
    layout_version = models.PositiveSmallIntegerField("Phiên bản mẫu", default=1)
    replaces = models.OneToOneField(
        "self",
        verbose_name="Cấp lại cho",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    reissue_reason = models.CharField("Lý do cấp lại", max_length=300, blank=True)
    void_reason = models.CharField("Lý do thu hồi", max_length=300, blank=True)
    voided_at = models.DateTimeField("Thời điểm thu hồi", null=True, blank=True)
    voided_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người thu hồi",
    )
    issued_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người cấp",
    )
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)

    history = HistoricalRecords()
    centre_lookup = "centre"
    course_lookup = "enrolment__course"
    unit_lookup = "enrolment__unit"

    class Meta:
        verbose_name = "giấy chứng nhận"
        verbose_name_plural = "giấy chứng nhận"
        ordering = ["-year", "-sequence"]
        indexes = [models.Index(fields=["course", "status"], name="certificate_course_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "number"], name="certificate_number_unique_per_centre"
            ),
            models.UniqueConstraint(
                fields=["centre", "year", "sequence"], name="certificate_sequence_unique_per_year"
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(status="valid"),
                name="certificate_one_valid_per_enrolment",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CertificateStatus.values),
                name="certificate_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="voided") | ~models.Q(void_reason=""),
                name="certificate_void_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.number} – {self.full_name}"


class VerificationFailure(models.Model):
    """A failed public certificate look-up, kept to slow down guessing from one address."""

    address = models.GenericIPAddressField("Địa chỉ IP", null=True)
    created_at = models.DateTimeField("Thời điểm", default=timezone.now, db_index=True)

    # Not centre data: the public page writes it, admins only read it.
    centre_lookup = None

    class Meta:
        verbose_name = "tra cứu giấy chứng nhận không thành công"
        verbose_name_plural = "tra cứu giấy chứng nhận không thành công"
        indexes = [models.Index(fields=["address", "created_at"])]

    def __str__(self):
        return f"{self.address} {self.created_at:%d/%m/%Y %H:%M}"


class CertificateCounter(models.Model):
    """The last certificate sequence per centre and year; locked row by row when issuing."""

    centre = models.ForeignKey(
        "trungtam.Centre", on_delete=models.CASCADE, related_name="+", verbose_name="Trung tâm"
    )
    year = models.PositiveSmallIntegerField("Năm")
    last_sequence = models.PositiveIntegerField("Số cuối đã cấp", default=0)

    centre_lookup = "centre"

    class Meta:
        verbose_name = "bộ đếm số giấy chứng nhận"
        verbose_name_plural = "bộ đếm số giấy chứng nhận"
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="certificate_counter_unique")
        ]

    def __str__(self):
        return f"{self.centre} {self.year}: {self.last_sequence}"
