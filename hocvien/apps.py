from django.apps import AppConfig


class HocvienConfig(AppConfig):
    name = "hocvien"
    verbose_name = "Đơn vị và học viên"
