"""Admin pages of this app: every model has one, scoped (tests/trungtam/test_admin.py).
Read only: the follow-up is written on its own pages (/hieu-qua/)."""

from django.contrib import admin

from hieuqua.models import FollowUpAnswer, FollowUpClosure, FollowUpSetting
from trungtam.admin_scoping import ScopedHistoryAdmin


@admin.register(FollowUpSetting)
class FollowUpSettingAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("centre", "delay_months")
    list_select_related = ("centre",)


@admin.register(FollowUpAnswer)
class FollowUpAnswerAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("enrolment", "rating", "from_letter", "answered_at")
    list_filter = ("rating", "from_letter")
    list_select_related = ("enrolment", "enrolment__trainee", "enrolment__course")


@admin.register(FollowUpClosure)
class FollowUpClosureAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("course", "closed_at", "closed_by")
    list_select_related = ("course", "closed_by")
