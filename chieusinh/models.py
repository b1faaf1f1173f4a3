"""Calls for nominees (chiêu sinh): a class asks each sending unit for up to a quota of people by a
deadline; each unit answers online with a list; staff accept the answers into the class."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hocvien.models import Gender


class CallStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    PUBLISHED = "published", "Đã gửi các đơn vị"
    CLOSED = "closed", "Đã đóng"


class CallQuerySet(models.QuerySet):
    def open_for_answers(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=CallStatus.PUBLISHED, deadline__gte=today)


class Call(models.Model):
    """Thông báo chiêu sinh of one class: a quota per unit (CallQuota) and a deadline."""

    centre = models.ForeignKey(
        "trungtam.Centre", on_delete=models.PROTECT, related_name="calls", verbose_name="Trung tâm"
    )
    course = models.ForeignKey(
        "lophoc.Course", on_delete=models.CASCADE, related_name="calls", verbose_name="Lớp học"
    )
    deadline = models.DateField("Hạn gửi danh sách")
    note = models.TextField("Ghi chú gửi các đơn vị", blank=True)
    number = models.CharField(
        "Số văn bản",
        max_length=20,
        blank=True,
        help_text="Số của thông báo chiêu sinh; để trống để văn thư ghi tay.",
    )
    status = models.CharField(
        "Trạng thái", max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="Người lập",
    )
    created_at = models.DateTimeField("Lập lúc", auto_now_add=True)
    published_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người gửi",
    )
    published_at = models.DateTimeField("Gửi lúc", null=True, blank=True)
    closed_at = models.DateTimeField("Đóng lúc", null=True, blank=True)

    objects = CallQuerySet.as_manager()
    # Its deadline, note and status are edited by staff: kept with their history.
    history = HistoricalRecords()
    centre_lookup = "centre"
    course_lookup = "course"
    # No unit_lookup: a unit's liaison finds the calls addressed to it through its quotas.

    class Meta:
        verbose_name = "thông báo chiêu sinh"
        verbose_name_plural = "thông báo chiêu sinh"
        ordering = ["-deadline", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=~models.Q(status="closed"),
                name="call_one_open_per_course",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CallStatus.values), name="call_status_valid"
            ),
        ]

    def __str__(self):
        return f"Chiêu sinh lớp {self.course.code}"

    def is_past_deadline(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.deadline

    @property
    def accepts_answers(self) -> bool:
        return self.status == CallStatus.PUBLISHED and not self.is_past_deadline()


class CallQuota(models.Model):
    """How many people one unit is asked to send."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="quotas", verbose_name="Thông báo chiêu sinh"
    )
    unit = models.ForeignKey(
        "hocvien.Unit", on_delete=models.PROTECT, related_name="call_quotas", verbose_name="Đơn vị"
    )
    quota = models.PositiveSmallIntegerField(
        "Số lượng", validators=[MinValueValidator(1)], default=1
    )

    centre_lookup = "call__centre"
    course_lookup = "call__course"
    unit_lookup = "unit"

    class Meta:
        verbose_name = "chỉ tiêu của đơn vị"
        verbose_name_plural = "chỉ tiêu của đơn vị"
        ordering = ["unit__search_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "unit"], name="call_quota_unit_once"),
            models.CheckConstraint(condition=models.Q(quota__gte=1), name="call_quota_positive"),
        ]

    def __str__(self):
        return f"{self.unit}: {self.quota}"


class CallAnswer(models.Model):
    """A unit's list for a call: kept as the unit edits it; sent when `submitted_at` is set."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="answers", verbose_name="Thông báo chiêu sinh"
    )
    unit = models.ForeignKey(
        "hocvien.Unit", on_delete=models.PROTECT, related_name="call_answers", verbose_name="Đơn vị"
    )
    submitted_at = models.DateTimeField("Gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người gửi",
    )
    accepted_at = models.DateTimeField("Trung tâm nhận lúc", null=True, blank=True)
    accepted_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người nhận",
    )

    centre_lookup = "call__centre"
    course_lookup = "call__course"
    unit_lookup = "unit"

    class Meta:
        verbose_name = "danh sách đơn vị cử"
        verbose_name_plural = "danh sách đơn vị cử"
        ordering = ["unit__search_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "unit"], name="call_answer_unit_once"),
        ]

    def __str__(self):
        return f"{self.unit} – {self.call}"


class CallAnswerLine(models.Model):
    """One person on a unit's list: a trainee of the registry, or a new person typed by the unit
    (recorded as a trainee only when staff accept the list)."""

    answer = models.ForeignKey(
        CallAnswer, on_delete=models.CASCADE, related_name="lines", verbose_name="Danh sách"
    )
    trainee = models.ForeignKey(
        "hocvien.Trainee",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="call_lines",
        verbose_name="Học viên",
    )
    # The unit the person works in: the answering unit or one under it.
    unit = models.ForeignKey(
        "hocvien.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="Đơn vị công tác"
    )
    full_name = models.CharField("Họ và tên", max_length=100, blank=True)
    date_of_birth = models.DateField("Ngày sinh", null=True, blank=True)
    gender = models.CharField("Giới tính", max_length=1, choices=Gender.choices, blank=True)
    national_id = models.CharField("Số CCCD", max_length=12, null=True, blank=True)
    ethnicity = models.CharField("Dân tộc", max_length=50, blank=True)
    position = models.CharField("Chức vụ", max_length=200, blank=True)
    phone = models.CharField("Điện thoại", max_length=20, blank=True)
    is_party_member = models.BooleanField("Đảng viên", default=False)
    # Filled when staff accept: why the person was not enrolled (already in the class, full…).
    skipped_reason = models.CharField("Lý do chưa ghi danh", max_length=500, blank=True)
    enrolled = models.BooleanField("Đã ghi danh", default=False)

    centre_lookup = "answer__call__centre"
    course_lookup = "answer__call__course"
    unit_lookup = "answer__unit"

    class Meta:
        verbose_name = "người được cử"
        verbose_name_plural = "người được cử"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "trainee"],
                condition=models.Q(trainee__isnull=False),
                name="call_line_trainee_once",
            ),
        ]

    def __str__(self):
        return self.person_name

    @property
    def person_name(self) -> str:
        return self.trainee.full_name if self.trainee_id else self.full_name

    @property
    def person_birth(self):
        return self.trainee.date_of_birth if self.trainee_id else self.date_of_birth
