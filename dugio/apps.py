from django.apps import AppConfig


class DugioConfig(AppConfig):
    """Class observation (dự giờ): a leader's or colleague's record of a session, with marks and a classification."""

    name = "dugio"
    verbose_name = "Dự giờ"
