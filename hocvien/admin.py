"""Admin of units and trainees: searchable without diacritics, CCCD masked in lists."""

from django.contrib import admin

from hocvien.models import Trainee, Unit, UnitAccount
from trungtam.admin_scoping import ScopedHistoryAdmin, ScopedRelatedFilter


@admin.register(Unit)
class UnitAdmin(ScopedHistoryAdmin):
    list_display = ("name", "kind", "is_served_commune", "merged_into", "merged_on", "active")
    list_filter = ("kind", "is_served_commune", "active")
    list_select_related = ("merged_into",)
    search_fields = ("search_key",)
    fieldsets = (
        (None, {"fields": ("centre", "name", "kind", "is_served_commune", "active")}),
        ("Sáp nhập, cấp trên", {"fields": ("merged_into", "merged_on", "parent")}),
        ("Liên hệ, ghi chú", {"fields": ("address", "notes")}),
    )

    def related_queryset(self, request, db_field, queryset, context_obj):
        if db_field.name in ("merged_into", "parent") and context_obj is not None:
            return queryset.exclude(pk=context_obj.pk)
        return queryset


# Sensitive personal data (DESIGN §8b): never a list filter, not even through the address bar.
SENSITIVE_FIELDS = {"ethnicity", "religion", "is_party_member", "party_joined_on"}


@admin.register(Trainee)
class TraineeAdmin(ScopedHistoryAdmin):
    # Ethnicity, religion and Party membership are sensitive (DESIGN §8b): the list does not show
    # them and cannot filter by them; the record shows them to the staff who manage it.
    list_display = (
        "full_name",
        "date_of_birth",
        "gender",
        "cccd",
        "unit",
        "position",
        "political_theory_level",
    )
    list_filter = ("gender", ("unit", ScopedRelatedFilter), "political_theory_level")
    list_select_related = ("unit",)
    search_fields = ("search_key", "=national_id")
    search_help_text = "Tìm theo họ tên (gõ có dấu hoặc không dấu) hoặc số CCCD đủ 12 chữ số."
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (
            "Thông tin cá nhân",
            {
                "fields": (
                    "centre",
                    "full_name",
                    "date_of_birth",
                    "gender",
                    "national_id",
                    "hometown",
                )
            },
        ),
        ("Công tác", {"fields": ("unit", "position", "phone", "email")}),
        ("Trình độ", {"fields": ("education_level", "political_theory_level")}),
        (
            "Thông tin nhạy cảm",
            {
                "classes": ("collapse",),
                "description": "Dữ liệu cá nhân nhạy cảm: chỉ dùng khi văn bản yêu cầu.",
                "fields": ("ethnicity", "religion", "is_party_member", "party_joined_on"),
            },
        ),
        ("Ghi chú", {"fields": ("notes", "created_at", "updated_at")}),
    )

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__")[0] in SENSITIVE_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description="Số CCCD")
    def cccd(self, obj):
        return obj.masked_national_id or "—"


@admin.register(UnitAccount)
class UnitAccountAdmin(ScopedHistoryAdmin):
    """Which login answers for which unit: made, locked and unlocked on the unit's page."""

    read_only = True
    list_display = ("user", "unit", "created_at")
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "unit__search_key")
    fields = ("user", "unit", "created_at")
