from django.apps import AppConfig


class TrungtamConfig(AppConfig):
    name = "trungtam"
    verbose_name = "Trung tâm và người dùng"
