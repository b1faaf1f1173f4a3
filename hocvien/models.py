"""Units that send trainees, and the trainees themselves (kept once per centre)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hocvien.rules import birth_date_problem
from trungtam.listing import name_search
from trungtam.models import NormalizedModel, NormalizedQuerySet, PersonNameMixin
from trungtam.text import search_key

national_id_validator = RegexValidator(
    r"^[0-9]{12}$", "Số CCCD phải gồm đúng 12 chữ số (ví dụ 001203004567)."
)


class UnitKind(models.TextChoices):
    COMMUNE = "commune", "Xã"
    WARD = "ward", "Phường"
    SPECIAL_ZONE = "special_zone", "Đặc khu"
    TOWN = "town", "Thị trấn (trước 01/7/2025)"
    PARTY_ORG = "party_org", "Tổ chức cơ sở đảng"
    AGENCY = "agency", "Cơ quan, đơn vị"
    SCHOOL = "school", "Trường học"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    MASS_ORG = "mass_org", "Mặt trận, đoàn thể"
    ARMED = "armed", "Lực lượng vũ trang"
    OTHER = "other", "Khác"


class Unit(NormalizedModel):
    """Đơn vị / cơ sở that sends trainees. A unit merged in 2025 points to the unit it became."""

    centre = models.ForeignKey(
        "trungtam.Centre", on_delete=models.PROTECT, related_name="units", verbose_name="Trung tâm"
    )
    name = models.CharField("Tên đơn vị", max_length=200)
    kind = models.CharField("Loại", max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    is_served_commune = models.BooleanField("Xã, phường do trung tâm phụ trách", default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="Sáp nhập vào",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
    )
    merged_on = models.DateField("Ngày sáp nhập", null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="Đơn vị cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="Ví dụ: chi bộ, cơ quan thuộc Đảng ủy xã. Cán bộ của đơn vị cấp trên xem được "
        "học viên của các đơn vị trực thuộc.",
    )
    active = models.BooleanField("Còn hoạt động", default=True)
    address = models.CharField("Địa chỉ", max_length=300, blank=True)
    notes = models.TextField("Ghi chú", blank=True)
    search_key = models.CharField(max_length=200, editable=False, db_index=True, default="")

    history = HistoricalRecords()
    centre_lookup = "centre"
    unit_lookup = "pk"

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["search_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="unit_name_unique_per_centre"),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="unit_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return self.name

    def compute_derived_fields(self):
        self.search_key = search_key(self.name or "")

    @classmethod
    def derived_fields(cls, source_fields):
        return ["search_key"] if "name" in source_fields else []

    def clean(self):
        if self.merged_into_id and self.merged_into.centre_id != self.centre_id:
            raise ValidationError({"merged_into": "Đơn vị sáp nhập phải cùng trung tâm."})
        if self.merged_into_id and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": "Một đơn vị không thể sáp nhập vào chính nó."})
        if self.parent_id:
            if self.parent.centre_id != self.centre_id:
                raise ValidationError({"parent": "Đơn vị cấp trên phải cùng trung tâm."})
            if self.parent_id == self.pk or (self.pk and self.parent.parent_id == self.pk):
                raise ValidationError(
                    {"parent": "Đơn vị cấp trên không thể là chính nó hay đơn vị trực thuộc nó."}
                )

    @property
    def current(self) -> "Unit":
        """The unit this one became after merges (itself if it was never merged)."""
        unit, seen = self, set()
        while unit.merged_into_id and unit.pk not in seen:
            seen.add(unit.pk)
            unit = unit.merged_into
        return unit


class Gender(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class TrainingLevel(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so_cap", "Sơ cấp"
    INTERMEDIATE = "trung_cap", "Trung cấp"
    ADVANCED = "cao_cap", "Cao cấp"
    BACHELOR = "cu_nhan", "Cử nhân"


class TraineeQuerySet(NormalizedQuerySet):
    def search(self, text: str):
        """Diacritic-insensitive: 'nguyen van an' finds 'Nguyễn Văn An'; digits search the CCCD."""
        key = search_key(text)
        if not key:
            return self
        if key.isdigit():
            return self.filter(national_id__contains=key)
        return name_search(self, key)


class Trainee(PersonNameMixin, NormalizedModel):
    """A person, kept once per centre across every class and year (DESIGN §4)."""

    centre = models.ForeignKey(
        "trungtam.Centre",
        on_delete=models.PROTECT,
        related_name="trainees",
        verbose_name="Trung tâm",
    )
    date_of_birth = models.DateField("Ngày sinh")
    gender = models.CharField("Giới tính", max_length=1, choices=Gender.choices)
    ethnicity = models.CharField("Dân tộc", max_length=50, blank=True, default="Kinh")
    religion = models.CharField("Tôn giáo", max_length=50, blank=True)
    national_id = models.CharField(
        "Số CCCD",
        max_length=12,
        null=True,
        blank=True,
        validators=[national_id_validator],
        help_text="12 chữ số; để trống nếu chưa có",
    )
    is_party_member = models.BooleanField("Đảng viên", default=False)
    party_joined_on = models.DateField("Ngày vào Đảng", null=True, blank=True)
    position = models.CharField("Chức vụ", max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name="Đơn vị công tác",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainees",
    )
    phone = models.CharField("Điện thoại", max_length=20, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    hometown = models.CharField("Quê quán", max_length=200, blank=True)
    education_level = models.CharField("Trình độ chuyên môn", max_length=100, blank=True)
    political_theory_level = models.CharField(
        "Trình độ lý luận chính trị",
        max_length=20,
        choices=TrainingLevel.choices,
        blank=True,
        default="",
    )
    notes = models.TextField("Ghi chú", blank=True)
    created_at = models.DateTimeField("Ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    objects = TraineeQuerySet.as_manager()
    history = HistoricalRecords()
    centre_lookup = "centre"
    unit_lookup = "unit"

    class Meta:
        verbose_name = "học viên"
        verbose_name_plural = "học viên"
        ordering = ["sort_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "national_id"],
                condition=models.Q(national_id__isnull=False),
                name="trainee_national_id_unique_per_centre",
            ),
            models.CheckConstraint(
                condition=models.Q(national_id__isnull=True)
                | models.Q(national_id__regex=r"^[0-9]{12}$"),
                name="trainee_national_id_12_digits",
            ),
            models.CheckConstraint(
                condition=models.Q(gender__in=["M", "F"]), name="trainee_gender_valid"
            ),
        ]

    def __str__(self):
        return self.full_name

    def normalize(self):
        super().normalize()
        if self.national_id is not None:
            self.national_id = self.national_id.replace(" ", "") or None

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.date_of_birth:
            wrong = birth_date_problem(self.date_of_birth, today)
            if wrong:
                errors["date_of_birth"] = f"Ngày sinh {wrong}."
        if (
            self.party_joined_on
            and self.date_of_birth
            and self.party_joined_on < self.date_of_birth
        ):
            errors["party_joined_on"] = "Ngày vào Đảng không thể trước ngày sinh."
        if self.unit_id and self.centre_id and self.unit.centre_id != self.centre_id:
            errors["unit"] = "Đơn vị phải thuộc cùng trung tâm với học viên."
        if errors:
            raise ValidationError(errors)

    @property
    def masked_national_id(self) -> str:
        """CCCD as lists show it: only the last three digits (DESIGN §8b)."""
        if not self.national_id:
            return ""
        return "•" * 9 + self.national_id[-3:]


class UnitAccount(models.Model):
    """The login of a unit's liaison (cán bộ đơn vị): one login answers for one unit, and sees
    that unit's people and those of the units under it (DESIGN §7)."""

    user = models.OneToOneField(
        "trungtam.User",
        on_delete=models.CASCADE,
        related_name="unit_account",
        verbose_name="Tài khoản",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="accounts", verbose_name="Đơn vị"
    )
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)

    # Which login answers for which unit decides who reads whose people: kept with its history.
    history = HistoricalRecords()
    centre_lookup = "unit__centre"
    unit_lookup = "unit"

    class Meta:
        verbose_name = "tài khoản đơn vị"
        verbose_name_plural = "tài khoản đơn vị"
        ordering = ["unit", "user"]

    def __str__(self):
        return f"{self.user.username} – {self.unit}"
