"""Lecturers: full-time, part-time and guest; their login and calendar token."""

import secrets

from django.db import models
from simple_history.models import HistoricalRecords

from trungtam.models import NormalizedModel, PersonNameMixin


class LecturerKind(models.TextChoices):
    FULL_TIME = "full_time", "Chuyên trách"
    PART_TIME = "part_time", "Kiêm chức"
    GUEST = "guest", "Thỉnh giảng"


class LecturerPosition(models.TextChoices):
    """Decides the yearly teaching norm (DESIGN §8)."""

    DIRECTOR = "director", "Giám đốc"
    DEPUTY = "deputy", "Phó Giám đốc"
    LECTURER = "lecturer", "Giảng viên"
    LECTURER_ADMIN = "lecturer_admin", "Giảng viên kiêm nhiệm hành chính"
    OTHER = "other", "Khác"


class PoliticalTheoryLevel(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    ADVANCED = "cao_cap", "Cao cấp"
    BACHELOR = "cu_nhan", "Cử nhân"


class ProfessionalLevel(models.TextChoices):
    COLLEGE = "college", "Cao đẳng"
    BACHELOR = "bachelor", "Đại học"
    MASTER = "master", "Thạc sĩ"
    DOCTOR = "doctor", "Tiến sĩ"
    OTHER = "other", "Khác"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Lecturer(PersonNameMixin, NormalizedModel):
    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="lecturers",
        verbose_name="Trung tâm",
    )
    kind = models.CharField("Loại giảng viên", max_length=20, choices=LecturerKind.choices)
    position = models.CharField(
        "Chức vụ",
        max_length=20,
        choices=LecturerPosition.choices,
        default=LecturerPosition.LECTURER,
    )
    title = models.CharField("Học hàm, học vị", max_length=50, blank=True, help_text="Ví dụ: ThS.")
    political_theory_level = models.CharField(
        "Trình độ lý luận chính trị",
        max_length=20,
        choices=PoliticalTheoryLevel.choices,
        blank=True,
        default="",
    )
    professional_level = models.CharField(
        "Trình độ chuyên môn",
        max_length=20,
        choices=ProfessionalLevel.choices,
        default=ProfessionalLevel.BACHELOR,
    )
    qualifications = models.TextField("Chuyên ngành, bằng cấp", blank=True)
    workplace = models.CharField("Nơi công tác", max_length=200, blank=True)
    phone = models.CharField("Điện thoại", max_length=20, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    user = models.OneToOneField(
        "trungtam.User",
        verbose_name="Tài khoản đăng nhập",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lecturer",
    )
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    active = models.BooleanField("Đang giảng dạy", default=True)

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "giảng viên"
        verbose_name_plural = "giảng viên"
        ordering = ["sort_key", "id"]

    def __str__(self):
        return f"{self.title} {self.full_name}".strip()

    def rotate_calendar_token(self) -> None:
        self.calendar_token = new_calendar_token()
        self.save(update_fields=["calendar_token"])
