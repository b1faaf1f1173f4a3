from django.apps import AppConfig


class LophocConfig(AppConfig):
    name = "lophoc"
    verbose_name = "Lớp học"

    def ready(self):
        from lophoc import hooks

        hooks.register()
