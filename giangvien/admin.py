"""Admin of lecturers."""

from django.contrib import admin

from giangvien.models import Lecturer
from trungtam.admin_scoping import ScopedHistoryAdmin


@admin.register(Lecturer)
class LecturerAdmin(ScopedHistoryAdmin):
    list_display = (
        "full_name",
        "title",
        "kind",
        "position",
        "political_theory_level",
        "phone",
        "user",
        "active",
    )
    list_filter = ("kind", "position", "political_theory_level", "active")
    list_select_related = ("user",)
    search_fields = ("search_key", "phone", "email")
    search_help_text = "Tìm theo họ tên (gõ có dấu hoặc không dấu), điện thoại hoặc thư điện tử."
    fieldsets = (
        (None, {"fields": ("centre", "full_name", "title", "kind", "position", "active")}),
        (
            "Trình độ",
            {"fields": ("political_theory_level", "professional_level", "qualifications")},
        ),
        ("Liên hệ", {"fields": ("workplace", "phone", "email")}),
        (
            "Tài khoản",
            {
                "description": "Tài khoản đăng nhập để giảng viên xem lịch, điểm danh và nhập điểm.",
                "fields": ("user",),
            },
        ),
    )

    def related_queryset(self, request, db_field, queryset, context_obj):
        if db_field.name == "user":
            return queryset.filter(is_superuser=False)
        return queryset
