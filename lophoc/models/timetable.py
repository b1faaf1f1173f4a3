"""The timetable: a class's topics and its half-day sessions."""

from django.db import models
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel
from trungtam.text import normalize_text

from .course import Course


def topic_key(title: str) -> str:
    """A topic's title as a class's topic and its program's are matched (a class copies the
    program's topics and may edit them): whitespace collapsed, case ignored, diacritics kept
    («Lê» is not «Lệ»)."""
    return normalize_text(title or "").casefold()


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
