"""Calls for nominees: read here, written on their own pages (/chieu-sinh/)."""

from django.contrib import admin

from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallQuota
from trungtam.admin_scoping import ScopedHistoryAdmin, ScopedModelAdmin


@admin.register(Call)
class CallAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("course", "deadline", "status", "published_at")
    list_filter = ("status",)
    list_select_related = ("course",)


@admin.register(CallQuota)
class CallQuotaAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("call", "unit", "quota")
    list_select_related = ("call", "call__course", "unit")


@admin.register(CallAnswer)
class CallAnswerAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("call", "unit", "submitted_at", "accepted_at")
    list_select_related = ("call", "call__course", "unit")


@admin.register(CallAnswerLine)
class CallAnswerLineAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("answer", "person_name")
    list_select_related = (
        "answer",
        "answer__call",
        "answer__call__course",
        "answer__unit",
        "trainee",
    )
