"""Programs, classes and everything that happens in them."""

import datetime
import re
import string
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel, NormalizedQuerySet


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


SCORE_VALIDATORS = [
    MinValueValidator(Decimal("0"), "Điểm phải từ 0 đến 10."),
    MaxValueValidator(Decimal("10"), "Điểm phải từ 0 đến 10."),
]
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

    def not_cancelled(self):
        return self.exclude(status=CourseStatus.CANCELLED)

    def taught_by(self, lecturer):
        return self.filter(
            models.Q(sessions__lecturer=lecturer) | models.Q(assessments__grader=lecturer)
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


class Topic(NormalizedModel):
    """Chuyên đề of one class (copied from the program, editable)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="topics", verbose_name="Lớp học"
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    title = models.CharField("Chuyên đề", max_length=300)
    periods = models.PositiveSmallIntegerField("Số tiết", default=4)

    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "chuyên đề"
        verbose_name_plural = "chuyên đề"
        ordering = ["course", "order", "id"]

    def __str__(self):
        return self.title


class SessionPart(models.TextChoices):
    MORNING = "morning", "Sáng"
    AFTERNOON = "afternoon", "Chiều"
    EVENING = "evening", "Tối"


class SessionKind(models.TextChoices):
    LECTURE = "lecture", "Giảng lý thuyết"
    DISCUSSION = "discussion", "Thảo luận"
    FIELD_TRIP = "field_trip", "Tham quan thực tế"
    EXAM = "exam", "Kiểm tra, viết thu hoạch"
    CEREMONY = "ceremony", "Khai giảng, bế giảng"


class Session(NormalizedModel):
    """Buổi học: a half-day slot of a class."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name="Lớp học"
    )
    date = models.DateField("Ngày")
    part = models.CharField("Buổi", max_length=10, choices=SessionPart.choices)
    start_time = models.TimeField("Giờ bắt đầu", null=True, blank=True)
    end_time = models.TimeField("Giờ kết thúc", null=True, blank=True)
    topic = models.ForeignKey(
        Topic, verbose_name="Chuyên đề", on_delete=models.SET_NULL, null=True, blank=True
    )
    lecturer = models.ForeignKey(
        "giangvien.Lecturer",
        verbose_name="Giảng viên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    room = models.CharField("Phòng học", max_length=100, blank=True)
    periods = models.PositiveSmallIntegerField("Số tiết", default=4)
    kind = models.CharField(
        "Hình thức", max_length=20, choices=SessionKind.choices, default=SessionKind.LECTURE
    )

    history = HistoricalRecords()
    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "buổi học"
        verbose_name_plural = "buổi học"
        ordering = ["date", "part", "start_time", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(periods__gte=1, periods__lte=12), name="session_periods_1_12"
            ),
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True)
                | models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="session_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["date", "part"]),
            models.Index(fields=["lecturer", "date"]),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_part_display()} – {self.course.code}"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Đang học"
    WITHDRAWN = "withdrawn", "Thôi học"
    NOT_ELIGIBLE = "not_eligible", "Không đủ điều kiện dự kiểm tra"
    ABSENT_FINAL = "absent_final", "Vắng kiểm tra cuối khóa"


class Classification(models.TextChoices):
    EXCELLENT = "excellent", "Xuất sắc"
    GOOD = "good", "Giỏi"
    FAIR = "fair", "Khá"
    AVERAGE = "average", "Trung bình"
    FAIL = "fail", "Không đạt"


class Enrolment(NormalizedModel):
    """Ghi danh: a trainee in a class, with the unit that sent them at that time."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments", verbose_name="Lớp học"
    )
    trainee = models.ForeignKey(
        "hocvien.Trainee",
        verbose_name="Học viên",
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    unit = models.ForeignKey(
        "hocvien.Unit",
        verbose_name="Đơn vị cử đi học",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    position = models.CharField("Chức vụ khi học", max_length=200, blank=True)
    status = models.CharField(
        "Tình trạng", max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    status_reason = models.CharField("Lý do", max_length=300, blank=True)
    enrolled_at = models.DateTimeField("Ngày ghi danh", default=timezone.now)

    # Stored figures, computed in Python by lophoc services (DESIGN §3).
    scheduled_periods = models.PositiveIntegerField("Số tiết theo kế hoạch", default=0)
    absent_periods = models.PositiveIntegerField("Số tiết vắng", default=0)
    excused_periods = models.PositiveIntegerField("Trong đó vắng có phép", default=0)
    final_score = models.DecimalField(
        "Điểm tổng kết", max_digits=3, decimal_places=1, null=True, blank=True
    )
    classification = models.CharField(
        "Xếp loại", max_length=20, choices=Classification.choices, blank=True
    )
    is_eligible = models.BooleanField("Đủ điều kiện chuyên cần", null=True, blank=True)
    passed = models.BooleanField("Hoàn thành", null=True, blank=True)
    result_computed_at = models.DateTimeField("Thời điểm tính kết quả", null=True, blank=True)

    history = HistoricalRecords()
    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "ghi danh"
        verbose_name_plural = "ghi danh"
        ordering = ["course", "trainee__sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "trainee"], name="enrolment_once_per_course"),
            models.CheckConstraint(
                condition=models.Q(final_score__isnull=True)
                | models.Q(final_score__gte=0, final_score__lte=10),
                name="enrolment_final_score_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(absent_periods__gte=models.F("excused_periods")),
                name="enrolment_excused_within_absent",
            ),
        ]

    def __str__(self):
        return f"{self.trainee} – {self.course.code}"

    def clean(self):
        if self.course_id and self.trainee_id and self.course.centre_id != self.trainee.centre_id:
            raise ValidationError({"trainee": "Học viên phải thuộc cùng trung tâm với lớp."})
        if self.unit_id and self.course_id and self.unit.centre_id != self.course.centre_id:
            raise ValidationError({"unit": "Đơn vị phải thuộc cùng trung tâm với lớp."})

    @property
    def absence_percent(self) -> Decimal | None:
        if not self.scheduled_periods:
            return None
        return Decimal(self.absent_periods) * 100 / Decimal(self.scheduled_periods)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Có mặt"
    EXCUSED = "excused", "Vắng có phép"
    UNEXCUSED = "unexcused", "Vắng không phép"


class Attendance(NormalizedModel):
    """Điểm danh: one enrolment at one session.

    A made-up absence (học bù) is recorded as attendance (DESIGN §8): status "present" with
    `made_up` set, printed B on the attendance sheet; an absence is never also "made up".
    """

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name="Buổi học"
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendances", verbose_name="Ghi danh"
    )
    status = models.CharField(
        "Điểm danh",
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    made_up = models.BooleanField("Đã học bù", default=False)
    note = models.CharField("Ghi chú", max_length=200, blank=True)

    history = HistoricalRecords()
    centre_lookup = "session__course__centre"
    course_lookup = "session__course"

    class Meta:
        verbose_name = "điểm danh"
        verbose_name_plural = "điểm danh"
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_once_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AttendanceStatus.values),
                name="attendance_status_valid",
            ),
            # One meaning of học bù: a made-up session counts as attended.
            models.CheckConstraint(
                condition=models.Q(made_up=False) | models.Q(status=AttendanceStatus.PRESENT),
                name="attendance_made_up_is_present",
                violation_error_message=(
                    "Buổi đã học bù được ghi là có mặt: chọn «Có mặt» khi đánh dấu «Đã học bù»."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.session}: {self.get_status_display()}"


class Assessment(NormalizedModel):
    """Bài kiểm tra / thu hoạch of one class, with its weight and optional grader."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="assessments", verbose_name="Lớp học"
    )
    order = models.PositiveSmallIntegerField("Thứ tự", default=1)
    name = models.CharField("Tên bài kiểm tra", max_length=200)
    weight = models.DecimalField("Hệ số", max_digits=5, decimal_places=2, default=Decimal("1"))
    is_final = models.BooleanField("Bài cuối khóa", default=False)
    has_retake = models.BooleanField("Có thi lại", default=False)
    grader = models.ForeignKey(
        "giangvien.Lecturer",
        verbose_name="Giảng viên chấm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="graded_assessments",
    )
    # Nộp điểm: a submitted assessment is read-only for lecturers until staff send it back.
    submitted_at = models.DateTimeField("Thời điểm nộp điểm", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "trungtam.User",
        verbose_name="Người nộp điểm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    returned_at = models.DateTimeField("Thời điểm trả lại", null=True, blank=True)
    returned_reason = models.CharField("Lý do trả lại", max_length=300, blank=True)

    history = HistoricalRecords()
    centre_lookup = "course__centre"
    course_lookup = "course"

    class Meta:
        verbose_name = "bài kiểm tra"
        verbose_name_plural = "bài kiểm tra"
        ordering = ["course", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=0), name="assessment_weight_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.course.code})"


class Score(NormalizedModel):
    """Điểm: one enrolment's score for one assessment, with an optional retake (thi lại)."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, related_name="scores", verbose_name="Ghi danh"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="scores", verbose_name="Bài kiểm tra"
    )
    score = models.DecimalField(
        "Điểm", max_digits=4, decimal_places=2, null=True, blank=True, validators=SCORE_VALIDATORS
    )
    retake_score = models.DecimalField(
        "Điểm thi lại",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    version = models.PositiveIntegerField("Phiên bản", default=0, editable=False)
    updated_by = models.ForeignKey(
        "trungtam.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người cập nhật",
    )
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    history = HistoricalRecords()
    centre_lookup = "enrolment__course__centre"
    course_lookup = "enrolment__course"

    class Meta:
        verbose_name = "điểm"
        verbose_name_plural = "điểm"
        ordering = ["enrolment", "assessment"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "assessment"], name="score_once_per_assessment"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=10),
                name="score_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(retake_score__isnull=True)
                | models.Q(retake_score__gte=0, retake_score__lte=10),
                name="score_retake_0_10",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.assessment.name} = {self.score}"

    @property
    def effective_score(self) -> Decimal | None:
        """A retake replaces the original for this assessment (DESIGN §8)."""
        return self.retake_score if self.retake_score is not None else self.score


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


def today() -> datetime.date:
    return timezone.localdate()
