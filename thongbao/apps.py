from django.apps import AppConfig


class ThongbaoConfig(AppConfig):
    """What a sending unit must act on (a call, a deadline, an absence warning, a notice ready):
    shown on the unit's page and, when SMTP is configured, sent by email."""

    name = "thongbao"
    verbose_name = "Thông báo cho đơn vị"

    def ready(self):
        from thongbao import hooks

        hooks.register()
