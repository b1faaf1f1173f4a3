"""Notices to units and the mails sent for them: read here (the app writes them)."""

from django.contrib import admin

from thongbao.models import Notification, OutgoingMail
from trungtam.admin_scoping import ScopedModelAdmin


@admin.register(Notification)
class NotificationAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("created_at", "unit", "kind", "title", "read_at")
    list_filter = ("kind",)
    list_select_related = ("unit",)
    fields = ("unit", "kind", "title", "link", "key", "created_at", "read_at")


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ScopedModelAdmin):
    read_only = True
    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    fields = ("to", "subject", "body", "status", "attempts", "last_error", "created_at", "sent_at")
