"""Layer 1: centres, users and roles, the export log. Knows no other app of the project."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from simple_history.models import HistoricalRecords

from .normalized import NormalizedModel, NormalizedQuerySet


class DocumentLayout(models.TextChoices):
    PARTY = "party", "Thể thức văn bản của Đảng (Hướng dẫn 36-HD/VPTW)"
    STATE = "state", "Thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP)"


class CentreLevel(models.TextChoices):
    DISTRICT = "district", "Cấp huyện (trước 01/7/2025)"
    COMMUNE = "commune", "Cấp xã, phường, đặc khu"
    PROVINCE = "province", "Cấp tỉnh"


class Centre(NormalizedModel):
    """A training centre. Everything it prints about itself is data here, never code."""

    code = models.CharField("Mã", max_length=20, unique=True)
    name = models.CharField("Tên trung tâm", max_length=200)
    short_name = models.CharField(
        "Tên viết tắt (dùng trong số văn bản)", max_length=20, default="TTCT"
    )
    level = models.CharField(
        "Cấp", max_length=20, choices=CentreLevel.choices, default=CentreLevel.COMMUNE
    )
    parent_body = models.CharField(
        "Cơ quan chủ quản", max_length=200, help_text="Ví dụ: Đảng ủy phường Phú Lợi"
    )
    supervising_committee = models.CharField(
        "Cấp ủy nhận báo cáo", max_length=200, help_text="Ví dụ: Ban Thường vụ Đảng ủy phường"
    )
    place_name = models.CharField(
        "Địa danh ghi trên văn bản", max_length=100, help_text="Ví dụ: Phú Lợi"
    )
    address = models.CharField("Địa chỉ", max_length=300, blank=True)
    phone = models.CharField("Điện thoại", max_length=30, blank=True)
    email = models.EmailField("Thư điện tử", blank=True)
    document_layout = models.CharField(
        "Thể thức văn bản",
        max_length=10,
        choices=DocumentLayout.choices,
        default=DocumentLayout.PARTY,
    )
    reorganised_on = models.DateField(
        "Ngày sắp xếp lại", null=True, blank=True, help_text="Ngày chuyển sang mô hình mới, nếu có"
    )
    active = models.BooleanField("Đang hoạt động", default=True)

    # Settings (DESIGN §8: defaults the centre can change).
    course_code_pattern = models.CharField(
        "Mẫu mã lớp",
        max_length=50,
        default="{program}-{seq:02d}/{year}",
        help_text="{program}: mã chương trình, {seq}: số thứ tự lớp trong năm, {year}: năm",
    )
    certificate_number_pattern = models.CharField(
        "Mẫu số giấy chứng nhận",
        max_length=50,
        blank=True,
        help_text="Để trống để theo thể thức: Đảng «12-GCN/TTCT», nhà nước «12/GCN-TTCT»",
    )
    grading_late_days = models.PositiveSmallIntegerField(
        "Số ngày sau khi kết thúc lớp phải nộp điểm", default=7
    )
    guest_rate_per_period = models.PositiveIntegerField(
        "Thù lao giảng viên thỉnh giảng, kiêm chức (đồng/tiết)", default=150000
    )
    norm_director = models.PositiveSmallIntegerField("Định mức Giám đốc (giờ chuẩn)", default=40)
    norm_director_lecturing = models.PositiveSmallIntegerField(
        "…trong đó giảng dạy (Giám đốc)", default=30
    )
    norm_deputy = models.PositiveSmallIntegerField("Định mức Phó Giám đốc (giờ chuẩn)", default=60)
    norm_deputy_lecturing = models.PositiveSmallIntegerField(
        "…trong đó giảng dạy (Phó Giám đốc)", default=40
    )
    norm_lecturer = models.PositiveSmallIntegerField(
        "Định mức giảng viên chuyên trách (giờ chuẩn)", default=120
    )
    norm_lecturer_lecturing = models.PositiveSmallIntegerField(
        "…trong đó giảng dạy (giảng viên)", default=90
    )
    norm_lecturer_admin = models.PositiveSmallIntegerField(
        "Định mức giảng viên kiêm nhiệm hành chính (giờ chuẩn)", default=90
    )
    norm_lecturer_admin_lecturing = models.PositiveSmallIntegerField(
        "…trong đó giảng dạy (giảng viên kiêm hành chính)", default=45
    )

    certificate_page_size = models.CharField(
        "Khổ giấy chứng nhận",
        max_length=10,
        choices=[("a4", "A4 ngang"), ("a5", "A5 ngang")],
        default="a4",
    )
    certificate_blank_positions = models.JSONField(
        "Vị trí in trên phôi (mm)",
        default=dict,
        blank=True,
        help_text="Vị trí từng trường khi in trên phôi in sẵn, tính bằng mm từ góc trên bên trái",
    )
    certificate_layout_version = models.PositiveSmallIntegerField(
        "Phiên bản mẫu giấy chứng nhận", default=1
    )
    standard_hour_coefficients = models.JSONField(
        "Hệ số quy đổi giờ chuẩn theo hình thức buổi học",
        default=dict,
        blank=True,
        help_text="Để trống để dùng hệ số mặc định (giảng lý thuyết 1; thảo luận 0,5; …)",
    )

    history = HistoricalRecords()
    centre_lookup = "pk"

    class Meta:
        verbose_name = "trung tâm"
        verbose_name_plural = "trung tâm"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def director(self):
        return self.leaders.filter(active=True, role=LeaderRole.DIRECTOR).first()


class LeaderRole(models.TextChoices):
    DIRECTOR = "director", "Giám đốc"
    ACTING_DIRECTOR = "acting", "Quyền Giám đốc"
    DEPUTY_IN_CHARGE = "deputy_in_charge", "Phó Giám đốc phụ trách"
    DEPUTY = "deputy", "Phó Giám đốc"


# Signing for someone else, by layout. Party documents (Hướng dẫn 36-HD/VPTW, mục 1.7.1): a
# deputy of a body set up by a Party organisation signs «ký thay», K/T; also T/M (thay mặt a
# collective), T/L (thừa lệnh), T/U (thừa ủy quyền). State documents (Nghị định 30/2020/NĐ-CP,
# Phụ lục I): KT., TM., TL., TUQ.
SIGNING_AUTHORITY = {
    DocumentLayout.PARTY: {
        "ky_thay": "K/T",
        "thay_mat": "T/M",
        "thua_lenh": "T/L",
        "thua_uy_quyen": "T/U",
    },
    DocumentLayout.STATE: {
        "ky_thay": "KT.",
        "thay_mat": "TM.",
        "thua_lenh": "TL.",
        "thua_uy_quyen": "TUQ.",
    },
}
# How each leader signs (DESIGN §8): the title lines printed above the signature; {ky_thay} is
# the layout's «ký thay» form. Q. GIÁM ĐỐC and PHÓ GIÁM ĐỐC PHỤ TRÁCH read the same in both.
SIGNING_TITLES = {
    LeaderRole.DIRECTOR: "GIÁM ĐỐC",
    LeaderRole.ACTING_DIRECTOR: "Q. GIÁM ĐỐC",
    LeaderRole.DEPUTY_IN_CHARGE: "PHÓ GIÁM ĐỐC PHỤ TRÁCH",
    LeaderRole.DEPUTY: "{ky_thay} GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
}


def signing_title(role: str, layout: str) -> str:
    """The title lines a leader of this role signs under in a document of this layout, e.g.
    «K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC» (Party) or «KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC» (State)."""
    forms = SIGNING_AUTHORITY.get(layout, SIGNING_AUTHORITY[DocumentLayout.PARTY])
    return SIGNING_TITLES[LeaderRole(role)].format(**forms)


class Leader(NormalizedModel):
    """The director and deputies of a centre: who may sign, and how."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="leaders", verbose_name="Trung tâm"
    )
    full_name = models.CharField("Họ và tên", max_length=100)
    role = models.CharField("Chức vụ", max_length=20, choices=LeaderRole.choices)
    active = models.BooleanField("Đương nhiệm", default=True)

    history = HistoricalRecords()
    centre_lookup = "centre"

    class Meta:
        verbose_name = "lãnh đạo trung tâm"
        verbose_name_plural = "lãnh đạo trung tâm"
        ordering = ["centre", "role", "full_name"]

    def __str__(self):
        return f"{self.get_role_display()} {self.full_name}"

    @property
    def signing_title(self) -> str:
        """The title lines in the layout of the leader's centre."""
        return signing_title(self.role, self.centre.document_layout)


class Holiday(NormalizedModel):
    """Days the centre does not teach; bulk timetabling skips them (DESIGN §12)."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="holidays", verbose_name="Trung tâm"
    )
    date = models.DateField("Ngày")
    name = models.CharField("Tên ngày nghỉ", max_length=100)

    centre_lookup = "centre"

    class Meta:
        verbose_name = "ngày nghỉ"
        verbose_name_plural = "ngày nghỉ"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "date"], name="holiday_unique_per_centre")
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.name}"


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị"
    STAFF = "staff", "Cán bộ trung tâm"
    LECTURER = "lecturer", "Giảng viên"
    OFFICIAL = "official", "Cán bộ cấp ủy (chỉ xem)"
    # The liaison of a sending unit (commune, Party organisation, agency): answers for its unit.
    UNIT = "unit", "Cán bộ đơn vị"


class UserQuerySet(NormalizedQuerySet):
    pass


class TrungtamUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(NormalizedModel, AbstractUser):
    """A login. Belongs to one centre; an official or admin without a centre sees every centre."""

    role = models.CharField("Vai trò", max_length=20, choices=Role.choices, default=Role.STAFF)
    centre = models.ForeignKey(
        Centre,
        verbose_name="Trung tâm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Để trống chỉ cho quản trị hoặc cán bộ cấp tỉnh xem mọi trung tâm",
    )
    full_name = models.CharField("Họ và tên", max_length=100, blank=True)
    is_centre_leader = models.BooleanField(
        "Lãnh đạo trung tâm",
        default=False,
        help_text="Giám đốc, phó giám đốc: phê duyệt kế hoạch năm, ký gửi báo cáo năm",
    )

    objects = TrungtamUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    centre_lookup = "centre"

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(centre__isnull=False)
                | models.Q(role__in=["admin", "official"])
                | models.Q(is_superuser=True),
                name="user_centre_required_for_staff_and_lecturers",
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Admins and staff work in the Django admin too; the role decides what they may do there.
        self.is_staff = self.is_superuser or self.role in (Role.ADMIN, Role.STAFF)
        super().save(*args, **kwargs)

    @property
    def sees_all_centres(self) -> bool:
        return self.is_superuser or (
            self.role in (Role.ADMIN, Role.OFFICIAL) and self.centre_id is None
        )

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_lecturer(self) -> bool:
        return self.role == Role.LECTURER

    @property
    def is_unit_liaison(self) -> bool:
        return self.role == Role.UNIT and not self.is_superuser

    @property
    def approves_for_centre(self) -> bool:
        """Approves the annual plan and marks the yearly report sent: admins and centre leaders."""
        return self.is_admin or (self.role == Role.STAFF and self.is_centre_leader)


class ExportLog(models.Model):
    """Every download of personal data: who, when, what (DESIGN §8b). Never edited."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="Người dùng"
    )
    username = models.CharField("Người tải", max_length=150)
    centre = models.ForeignKey(
        Centre, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="Trung tâm"
    )
    created_at = models.DateTimeField("Thời điểm", auto_now_add=True, db_index=True)
    description = models.CharField("Nội dung", max_length=300)
    filename = models.CharField("Tệp", max_length=200)
    rows = models.PositiveIntegerField("Số dòng", null=True, blank=True)
    address = models.GenericIPAddressField("Địa chỉ IP", null=True, blank=True)

    centre_lookup = "centre"

    class Meta:
        verbose_name = "nhật ký xuất dữ liệu cá nhân"
        verbose_name_plural = "nhật ký xuất dữ liệu cá nhân"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.username}: {self.filename}"
