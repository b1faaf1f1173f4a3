"""Enrolments (a trainee in a class, with the stored results) and attendance."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel

from .course import Course
from .timetable import Session


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
    unit_lookup = "unit"

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
    unit_lookup = "enrolment__unit"

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
