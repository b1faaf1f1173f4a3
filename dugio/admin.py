"""Admin pages of this app: every model has one, scoped (tests/trungtam/test_admin.py). Records
are written on their own pages (/du-gio/); here they are read."""

from django.contrib import admin

from dugio.models import Observation, ObservationCriterion, ObservationMark
from trungtam.admin_scoping import ScopedHistoryAdmin


@admin.register(ObservationCriterion)
class ObservationCriterionAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("text", "max_mark", "order", "active", "centre")
    list_filter = ("active",)
    list_select_related = ("centre",)


@admin.register(Observation)
class ObservationAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("session", "lecturer", "recorded_by", "total", "classification", "finalised_at")
    list_filter = ("classification",)
    list_select_related = ("session", "session__course", "lecturer", "recorded_by")


@admin.register(ObservationMark)
class ObservationMarkAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("observation", "text", "mark", "max_mark")
    list_select_related = (
        "observation",
        "observation__session",
        "observation__session__course",
        "observation__lecturer",
    )
