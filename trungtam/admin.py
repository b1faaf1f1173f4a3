"""Admin of centres, their leaders and holidays, users, the export log, pending uploads and the
issuer of the all-centres report. The plans and reports have theirs in trungtam.reports.admin."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import (
    ReadOnlyPasswordHashField,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
    UserCreationForm,
)
from django.contrib.auth.models import Group
from django.db import models

from trungtam.admin_scoping import (
    ScopedHistoryAdmin,
    ScopedModelAdmin,
    ScopedRelatedFilter,
    ScopedTabularInline,
)
from trungtam.models import (
    Centre,
    ExportLog,
    Holiday,
    Leader,
    PendingUpload,
    ReportIssuer,
    SignedDocument,
    User,
)
from trungtam.scoping import Right

# Roles and centres decide what a user may do (trungtam.scoping); Django groups are not used.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


# --- centres ---------------------------------------------------------------------------------


class LeaderInline(ScopedTabularInline):
    model = Leader
    manage_right = Right.USERS
    fields = ("full_name", "role", "active")


class HolidayInline(ScopedTabularInline):
    model = Holiday
    fields = ("date", "name")


@admin.register(Centre)
class CentreAdmin(ScopedHistoryAdmin):
    manage_right = Right.USERS
    inlines = [LeaderInline, HolidayInline]
    list_display = ("name", "code", "level", "place_name", "document_layout", "active")
    list_filter = ("level", "document_layout", "active")
    list_select_related = ()
    search_fields = ("name", "code", "place_name")
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "level", "active", "reorganised_on")}),
        (
            "Cơ quan chủ quản và văn bản",
            {
                "fields": (
                    "parent_body",
                    "supervising_committee",
                    "place_name",
                    "document_layout",
                    "address",
                    "phone",
                    "email",
                )
            },
        ),
        (
            "Mã lớp, số giấy chứng nhận, hạn nộp điểm",
            {
                "fields": (
                    "course_code_pattern",
                    "certificate_number_pattern",
                    "grading_late_days",
                    "guest_rate_per_period",
                )
            },
        ),
        (
            "Định mức giờ chuẩn giảng dạy trong năm",
            {
                "classes": ("collapse",),
                "fields": (
                    ("norm_director", "norm_director_lecturing"),
                    ("norm_deputy", "norm_deputy_lecturing"),
                    ("norm_lecturer", "norm_lecturer_lecturing"),
                    ("norm_lecturer_admin", "norm_lecturer_admin_lecturing"),
                ),
            },
        ),
    )

    def _sees_all(self, request) -> bool:
        return request.user.sees_all_centres

    # A centre's admin manages their own centre; creating or removing a centre is for
    # those who see every centre of the installation.
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._sees_all(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._sees_all(request)


@admin.register(Leader)
class LeaderAdmin(ScopedHistoryAdmin):
    manage_right = Right.USERS
    list_display = ("full_name", "role", "active")
    list_filter = ("role", "active")
    list_select_related = ()
    search_fields = ("full_name",)
    fields = ("centre", "full_name", "role", "active")


@admin.register(Holiday)
class HolidayAdmin(ScopedModelAdmin):
    list_display = ("date", "name")
    list_select_related = ()
    search_fields = ("name",)
    date_hierarchy = "date"
    fields = ("centre", "date", "name")


# --- users -----------------------------------------------------------------------------------


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    # Django 5.1+ strings the Vietnamese locale does not translate yet.
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["button_label"] = "Đặt mật khẩu mới"
        return context


class UserEditForm(UserChangeForm):
    password = ReadOnlyPasswordHashField(
        label="Mật khẩu",
        widget=PasswordHashWidget,
        help_text="Mật khẩu không được lưu ở dạng đọc được, nên không ai xem được mật khẩu.",
    )


class UserAddForm(UserCreationForm):
    """A new user always gets a password (no password-less accounts in this product)."""


@admin.register(User)
class UserAdmin(ScopedHistoryAdmin, DjangoUserAdmin):
    """Users of the user's own centre only (all of them for those who see every centre)."""

    form = UserEditForm
    add_form = UserAddForm
    # The plain form page: auth's add page says (in English) that other fields come later.
    add_form_template = "admin/change_form.html"
    view_right = Right.USERS
    manage_right = Right.USERS
    centre_fixed_on_change = False
    list_display = ("username", "full_name", "role", "email", "is_active", "last_login")
    list_filter = ("role", "is_active")
    list_select_related = ()
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    filter_horizontal = ()
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "email")}),
        ("Vai trò và phạm vi", {"fields": ("role", "centre", "is_active")}),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldset = ("Toàn quyền hệ thống", {"fields": ("is_superuser",)})
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2"),
            },
        ),
        ("Thông tin cá nhân", {"fields": ("full_name", "email")}),
        ("Vai trò và phạm vi", {"fields": ("role", "centre")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            # Nobody but a superuser sees (and could reset the password of) a superuser.
            queryset = queryset.filter(is_superuser=False)
        return queryset

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            fieldsets = (*fieldsets, self.superuser_fieldset)
        return fieldsets


# --- export log ------------------------------------------------------------------------------


@admin.register(ExportLog)
class ExportLogAdmin(ScopedModelAdmin):
    """Who downloaded which personal data, when — and which records were deleted (DESIGN §8b).

    Written by the exports and the deletion of a trainee only; read by the admins (of their centre,
    or of every centre), never edited or deleted here.
    """

    read_only = True
    view_right = Right.USERS
    list_display = ("created_at", "username", "description", "filename", "rows", "address")
    list_filter = (("user", ScopedRelatedFilter), ("created_at", admin.DateFieldListFilter))
    list_select_related = ()
    search_fields = ("username", "description", "filename")
    date_hierarchy = "created_at"
    fields = ("created_at", "username", "centre", "description", "filename", "rows", "address")


@admin.register(PendingUpload)
class PendingUploadAdmin(ScopedModelAdmin):
    """View-only, for those who see every centre: files waiting between preview and confirm
    (they expire after two hours; the content itself is never shown)."""

    read_only = True
    list_display = ("created_at", "owner", "purpose", "filename", "size")
    list_filter = ("purpose",)
    date_hierarchy = "created_at"
    fields = ("owner", "purpose", "scope_id", "filename", "size", "sha256", "created_at")

    def _may_open(self, request) -> bool:
        return super()._may_open(request) and request.user.sees_all_centres


# --- the issuer of the all-centres report (data of no centre) ---------------------------------


def _named_by_protected_rows(obj) -> bool:
    """Whether rows of any app point at `obj` with on_delete=PROTECT (so it cannot be deleted),
    asked without naming the apps above."""
    return any(
        relation.on_delete is models.PROTECT
        and relation.one_to_many
        and getattr(obj, relation.get_accessor_name()).exists()
        for relation in obj._meta.related_objects
    )


class ProvinceOnlyMixin:
    """Pages only for those who see every centre (the province level): the admin of one centre
    neither sees nor edits them."""

    def _may_open(self, request) -> bool:
        return super()._may_open(request) and request.user.sees_all_centres


@admin.register(ReportIssuer)
class ReportIssuerAdmin(ProvinceOnlyMixin, ScopedHistoryAdmin):
    """The province-level body that issues the all-centres report: its header, place, "Kính
    gửi", "Nơi nhận" and signer (DESIGN §8a). A sent report keeps what it printed."""

    view_right = Right.USERS
    manage_right = Right.USERS
    list_display = ("name", "parent_body", "short_name", "document_layout", "signer_name", "active")
    list_filter = ("active", "document_layout")
    list_select_related = ()
    search_fields = ("name", "parent_body", "short_name")
    fieldsets = (
        (None, {"fields": ("name", "parent_body", "short_name", "place_name", "document_layout")}),
        ("Gửi và ký", {"fields": ("addressee", "recipients", "signer_title", "signer_name")}),
        (None, {"fields": ("active",)}),
    )

    def has_delete_permission(self, request, obj=None):
        # A body that issued a report stays: the report names it (on_delete=PROTECT).
        if obj is not None and _named_by_protected_rows(obj):
            return False
        return super().has_delete_permission(request, obj)


import trungtam.admin_security  # noqa: E402, F401  (the lock-out admin: axes attempts with unlock)


@admin.register(SignedDocument)
class SignedDocumentAdmin(ScopedModelAdmin):
    """View-only: the signed copies kept (issue 18); the bytes are downloaded where each document
    lives, never shown here."""

    read_only = True
    list_display = (
        "created_at", "kind", "ref", "centre", "source", "signer", "signed_at", "superseded_at",
        "size",
    )  # fmt: skip
    list_filter = ("kind", "source")
    list_select_related = ("centre",)
    date_hierarchy = "created_at"
    fields = (
        "kind",
        "ref",
        "centre",
        "source",
        "signer",
        "signed_at",
        "original_sha256",
        "signed_sha256",
        "size",
        "superseded_at",
        "created_by",
        "created_at",
    )
