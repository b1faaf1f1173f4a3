"""Classes: the course itself, its status flow and its venues."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel, NormalizedQuerySet

from .catalogue import DEFAULT_ABSENCE_LIMIT, CertificateIssuer, Program


class CourseStatus(models.TextChoices):
    PLANNED = "planned", "Kế hoạch"
    ENROLLING = "enrolling", "Đang chiêu sinh"
    IN_PROGRESS = "in_progress", "Đang học"
    GRADING = "grading", "Đang chấm điểm"
    CLOSED = "closed", "Đã kết thúc"
    CANCELLED = "cancelled", "Đã hủy"


# The only place the class flow of DESIGN §5 is written down.
COURSE_TRANSITIONS: dict[str, set[str]] = {
    CourseStatus.PLANNED: {CourseStatus.ENROLLING, CourseStatus.CANCELLED},
    CourseStatus.ENROLLING: {CourseStatus.IN_PROGRESS, CourseStatus.CANCELLED},
    CourseStatus.IN_PROGRESS: {CourseStatus.GRADING},
    CourseStatus.GRADING: {CourseStatus.CLOSED},
    CourseStatus.CLOSED: {CourseStatus.GRADING},
    CourseStatus.CANCELLED: set(),
}


class TransitionRefused(ValidationError):
    """A status change the class flow does not allow, with the reason in Vietnamese."""


class Venue(NormalizedModel):
    """Địa điểm học: a place the centre holds classes, kept in one list by staff, so that a class's
    venue is chosen rather than typed (no "Hội trường B" beside "Trung tâm … – Hội trường B")."""

    centre = models.ForeignKey(
        "trungtam.Centre", on_delete=models.CASCADE, related_name="venues", verbose_name="Trung tâm"
    )
    name = models.CharField(
        "Tên địa điểm",
        max_length=200,
        help_text="Như sẽ in trên giấy tờ, ví dụ «Hội trường A, Trung tâm Chính trị phường Phú Lợi».",
    )
    active = models.BooleanField(
        "Đang dùng", default=True, help_text="Bỏ chọn để không còn hiện khi mở lớp mới."
    )

    centre_lookup = "centre"

    class Meta:
        verbose_name = "địa điểm học"
        verbose_name_plural = "địa điểm học"
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="venue_unique_per_centre")
        ]

    def __str__(self):
        return self.name


class CourseQuerySet(NormalizedQuerySet):
    def in_year(self, year: int):
        """A class counts in the year it starts (DESIGN §9)."""
        return self.filter(start_date__year=year)

    def taught_by(self, user):
        """The classes a lecturer (given as their user) teaches a session of or grades an
        assessment of: the classes a lecturer sees (trungtam.scoping asks through its hook)."""
        return self.filter(
            models.Q(sessions__lecturer__user=user) | models.Q(assessments__grader__user=user)
        ).distinct()


class Course(NormalizedModel):
    """Lớp học: one run of a program."""

    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name="Trung tâm",
    )
    program = models.ForeignKey(
        Program, verbose_name="Chương trình", on_delete=models.PROTECT, related_name="courses"
    )
    code = models.CharField("Mã lớp", max_length=40)
    name = models.CharField("Tên lớp", max_length=300)
    start_date = models.DateField("Ngày khai giảng")
    end_date = models.DateField("Ngày bế giảng")
    venue = models.CharField("Địa điểm", max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField("Sĩ số tối đa", default=80)
    status = models.CharField(
        "Trạng thái", max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    partner_name = models.CharField("Đơn vị phối hợp", max_length=200, blank=True)
    is_assessed = models.BooleanField("Có kiểm tra, đánh giá", default=True)
    certificate_issuer = models.CharField(
        "Cấp giấy chứng nhận",
        max_length=10,
        choices=CertificateIssuer.choices,
        default=CertificateIssuer.CENTRE,
    )
    absence_limit_percent = models.DecimalField(
        "Tỷ lệ vắng tối đa (%)",
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_ABSENCE_LIMIT,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    notes = models.TextField("Ghi chú", blank=True)
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)

    objects = CourseQuerySet.as_manager()
    history = HistoricalRecords()
    centre_lookup = "centre"
    course_lookup = "pk"

    class Meta:
        verbose_name = "lớp học"
        verbose_name_plural = "lớp học"
        ordering = ["-start_date", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code"], name="course_code_unique_per_centre"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="course_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="course_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CourseStatus.values), name="course_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(absence_limit_percent__gte=0, absence_limit_percent__lte=100),
                name="course_absence_limit_0_100",
            ),
        ]
        indexes = [models.Index(fields=["centre", "start_date"])]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày bế giảng không được trước ngày khai giảng."})
        if self.program_id and self.centre_id and self.program.centre_id != self.centre_id:
            raise ValidationError({"program": "Chương trình phải thuộc cùng trung tâm với lớp."})

    @property
    def year(self) -> int:
        return self.start_date.year

    @property
    def file_code(self) -> str:
        """The code as it appears in file names: '/' becomes '-' (DESIGN §10)."""
        return self.code.replace("/", "-")

    # --- status machine (DESIGN §5) ---

    def allowed_transitions(self) -> set[str]:
        return COURSE_TRANSITIONS[CourseStatus(self.status)]

    def transition_refusal(self, new_status: str, reason: str = "") -> str | None:
        """Why the class may not move to `new_status` now, or None when it may."""
        # Imported here: those modules import Course for their foreign keys.
        from .certificate import Certificate, CertificateStatus
        from .enrolment import EnrolmentStatus

        current = CourseStatus(self.status)
        target = CourseStatus(new_status)
        if target not in COURSE_TRANSITIONS[current]:
            if target == CourseStatus.CANCELLED:
                return f"Không thể hủy lớp đang ở trạng thái «{current.label}»: chỉ hủy được lớp chưa học."
            return f"Không thể chuyển lớp từ «{current.label}» sang «{target.label}»."
        if target == CourseStatus.IN_PROGRESS and not self.sessions.exists():
            return "Không thể bắt đầu lớp chưa có buổi học nào trong thời khóa biểu."
        if target == CourseStatus.CLOSED:
            waiting = self.enrolments.filter(
                status=EnrolmentStatus.ACTIVE, passed__isnull=True
            ).count()
            if waiting:
                return (
                    f"Không thể kết thúc lớp: còn {waiting} học viên chưa có kết quả "
                    "hoặc lý do (thôi học, không đủ điều kiện, vắng thi cuối khóa)."
                )
        if current == CourseStatus.CLOSED and target == CourseStatus.GRADING:
            if not reason.strip():
                return "Mở lại việc chấm điểm cần ghi rõ lý do."
            if Certificate.objects.filter(
                enrolment__course=self, status=CertificateStatus.VALID
            ).exists():
                return (
                    "Không thể mở lại lớp đã cấp giấy chứng nhận còn hiệu lực; hãy thu hồi trước."
                )
        return None

    @transaction.atomic
    def transition_to(
        self, new_status: str, *, user=None, reason: str = ""
    ) -> "CourseStatusChange":
        """Move the class to `new_status` or raise TransitionRefused; every change is recorded."""
        locked = type(self).objects.select_for_update().get(pk=self.pk)
        self.status = locked.status
        refusal = self.transition_refusal(new_status, reason)
        if refusal:
            raise TransitionRefused(refusal)
        old_status = self.status
        self.status = new_status
        self.save(update_fields=["status"])
        return CourseStatusChange.objects.create(
            course=self, old_status=old_status, new_status=new_status, reason=reason, user=user
        )


class CourseStatusChange(NormalizedModel):
    """Every status change of a class, with who, when and why. Never edited."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="status_changes", verbose_name="Lớp học"
    )
    old_status = models.CharField("Từ", max_length=20, choices=CourseStatus.choices)
    new_status = models.CharField("Sang", max_length=20, choices=CourseStatus.choices)
    reason = models.TextField("Lý do", blank=True)
    user = models.ForeignKey(
        "trungtam.User", verbose_name="Người thực hiện", on_delete=models.SET_NULL, null=True
    )
    created_at = models.DateTimeField("Thời điểm", default=timezone.now)

    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "thay đổi trạng thái lớp"
        verbose_name_plural = "thay đổi trạng thái lớp"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return (
            f"{self.course.code}: {self.get_old_status_display()} → {self.get_new_status_display()}"
        )
