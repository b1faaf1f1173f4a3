from django.apps import AppConfig


class TailieuConfig(AppConfig):
    """Teaching materials (tài liệu) per program and topic, and the schedule letter to lecturers."""

    name = "tailieu"
    verbose_name = "Tài liệu giảng dạy"
