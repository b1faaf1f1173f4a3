"""Admin pages of this app: every model has one, scoped (tests/trungtam/test_admin.py).
Materials are written on their own pages (/tai-lieu/); the admin only reads them."""

from django.contrib import admin

from tailieu.models import ClassLink, Material, MaterialVersion, ScheduleLetter
from trungtam.admin_scoping import ScopedHistoryAdmin, ScopedModelAdmin


@admin.register(Material)
class MaterialAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("title", "program", "topic", "for_trainees")
    list_filter = ("for_trainees",)
    list_select_related = ("program", "program__centre", "topic")


@admin.register(MaterialVersion)
class MaterialVersionAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("material", "number", "filename", "size", "uploaded_at")
    list_select_related = ("material", "material__program", "material__program__centre")
    exclude = ("file",)


@admin.register(ClassLink)
class ClassLinkAdmin(ScopedHistoryAdmin):
    read_only = True
    list_display = ("course", "created_at")
    list_select_related = ("course", "course__centre")
    exclude = ("token",)


@admin.register(ScheduleLetter)
class ScheduleLetterAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("lecturer", "date_from", "date_to", "to_address", "sent_at", "ok")
    list_filter = ("ok",)
    list_select_related = ("lecturer", "lecturer__centre")
