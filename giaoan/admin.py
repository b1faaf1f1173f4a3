"""Admin pages of this app: every model has one, scoped (tests/trungtam/test_admin.py). Plans are
written on their own pages (/giao-an/); here they are read."""

from django.contrib import admin

from giaoan.models import LessonPlan, LessonPlanSettings, LessonPlanVersion
from trungtam.admin_scoping import ScopedHistoryAdmin


@admin.register(LessonPlanSettings)
class LessonPlanSettingsAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("centre", "reuse_approved")
    list_select_related = ("centre",)


@admin.register(LessonPlan)
class LessonPlanAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("topic", "status", "latest_number", "reusable", "submitted_at")
    list_filter = ("status", "reusable")
    list_select_related = ("topic", "topic__course")


@admin.register(LessonPlanVersion)
class LessonPlanVersionAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("plan", "number", "status", "kind", "size", "uploaded_at", "reviewed_at")
    list_filter = ("status", "kind")
    list_select_related = ("plan", "plan__topic", "plan__topic__course")
