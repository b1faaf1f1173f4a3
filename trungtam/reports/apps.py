from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The top layer (DESIGN §3): the annual plan, the dashboard, the yearly reports, lecturer
    hours and the home page's figures. It reads every app; no app imports it."""

    name = "trungtam.reports"
    label = "reports"
    verbose_name = "Kế hoạch và báo cáo"
