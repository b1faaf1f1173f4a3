"""Login lock-outs in the admin (/quan-tri/): who is locked out, and the action «Mở khóa».

django-axes counts failed logins per user name and address (settings AXES_*) and locks that
pair out for AXES_COOLOFF_TIME. Its own admin pages follow Django model permissions, which the
project does not use, so they are replaced here by pages for those with the right to manage
users (admins): an admin of one centre sees the attempts on the user names of that centre, an
admin of every centre sees them all. Imported from trungtam/admin.py.
"""

from axes.conf import settings as axes_settings
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin, messages
from django.db.models import Q
from django.utils import timezone

from trungtam.models import User
from trungtam.scoping import Right, has_right

# Display names only: the models' Meta (and so their migrations) stay django-axes's own.
apps.get_app_config("axes").verbose_name = "Đăng nhập"
AccessAttempt._meta.verbose_name = "lần đăng nhập sai"
AccessAttempt._meta.verbose_name_plural = "đăng nhập sai, tạm khóa"
AccessLog._meta.verbose_name = "lượt đăng nhập"
AccessLog._meta.verbose_name_plural = "nhật ký đăng nhập"

for model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def _cool_off_start():
    cool_off = get_cool_off()
    return timezone.now() - cool_off if cool_off else None


def _local_time(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S")


def locked_out_filter() -> Q:
    """Attempts that lock their user name and address out right now."""
    locked = Q(failures_since_start__gte=axes_settings.AXES_FAILURE_LIMIT)
    start = _cool_off_start()
    return locked & Q(attempt_time__gte=start) if start else locked


class LockedOutFilter(admin.SimpleListFilter):
    title = "đang bị khóa"
    parameter_name = "dang_khoa"

    def lookups(self, request, model_admin):
        return (("co", "Có"), ("khong", "Không"))

    def queryset(self, request, queryset):
        if self.value() == "co":
            return queryset.filter(locked_out_filter())
        if self.value() == "khong":
            return queryset.exclude(locked_out_filter())
        return queryset


class LoginRecordAdmin(admin.ModelAdmin):
    """Read-only pages for admins; attempts on other centres' user names do not exist here."""

    list_per_page = 50
    search_fields = ("username", "ip_address")
    date_hierarchy = None

    def _allowed(self, request) -> bool:
        return has_right(request.user, Right.USERS)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if user.sees_all_centres:
            return queryset
        if not user.centre_id:
            return queryset.none()
        names = User.objects.filter(centre_id=user.centre_id).values("username")
        return queryset.filter(username__in=names)

    # Columns both pages show.
    @admin.display(description="Tên đăng nhập", ordering="username")
    def username_display(self, obj):
        return obj.username

    @admin.display(description="Địa chỉ IP", ordering="ip_address")
    def ip_address_display(self, obj):
        return obj.ip_address

    @admin.display(description="Trình duyệt")
    def user_agent_display(self, obj):
        return obj.user_agent


@admin.register(AccessAttempt)
class AccessAttemptAdmin(LoginRecordAdmin):
    list_display = (
        "username_display",
        "ip_address_display",
        "failures_display",
        "locked_display",
        "attempt_time_display",
        "user_agent_display",
    )
    list_filter = (LockedOutFilter,)
    ordering = ("-attempt_time",)
    actions = ["unlock"]
    fields = (
        "username_display",
        "ip_address_display",
        "failures_display",
        "locked_display",
        "attempt_time_display",
        "user_agent_display",
    )
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        # Deleting the attempts is what unlocks; the page for one attempt offers it too.
        return self._allowed(request)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # «Mở khóa» does the same, said plainly
        return actions

    @admin.display(description="Số lần sai", ordering="failures_since_start")
    def failures_display(self, obj):
        return obj.failures_since_start

    @admin.display(description="Đang bị khóa", boolean=True)
    def locked_display(self, obj):
        if obj.failures_since_start < axes_settings.AXES_FAILURE_LIMIT:
            return False
        start = _cool_off_start()
        return start is None or obj.attempt_time >= start

    @admin.display(description="Lần sai gần nhất", ordering="attempt_time")
    def attempt_time_display(self, obj):
        return _local_time(obj.attempt_time)

    @admin.action(description="Mở khóa: xóa các lần đăng nhập sai đã chọn")
    def unlock(self, request, queryset):
        pairs = sorted({f"{a.username} ({a.ip_address})" for a in queryset})
        deleted = queryset.delete()[0]
        if not deleted:
            messages.info(request, "Không có lần đăng nhập sai nào để mở khóa.")
            return
        messages.success(
            request,
            f"Đã mở khóa {', '.join(pairs)}: có thể đăng nhập lại ngay với mật khẩu đúng.",
        )


@admin.register(AccessLog)
class AccessLogAdmin(LoginRecordAdmin):
    list_display = (
        "username_display",
        "ip_address_display",
        "attempt_time_display",
        "logout_time_display",
        "user_agent_display",
    )
    ordering = ("-attempt_time",)
    fields = list_display
    readonly_fields = list_display

    @admin.display(description="Đăng nhập lúc", ordering="attempt_time")
    def attempt_time_display(self, obj):
        return _local_time(obj.attempt_time)

    @admin.display(description="Đăng xuất lúc", ordering="logout_time")
    def logout_time_display(self, obj):
        if obj.logout_time is None:
            return "–"
        return _local_time(obj.logout_time)
