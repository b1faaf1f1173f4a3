from django.apps import AppConfig


class GiaoanConfig(AppConfig):
    """Lesson plans (giáo án): uploaded per topic of a class, approved or returned before the session."""

    name = "giaoan"
    verbose_name = "Giáo án"
