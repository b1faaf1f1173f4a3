from django.apps import AppConfig


class GiangvienConfig(AppConfig):
    name = "giangvien"
    verbose_name = "Giảng viên"
