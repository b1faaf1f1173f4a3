from django.apps import AppConfig


class KhaosatConfig(AppConfig):
    """The needs survey (khảo sát nhu cầu): units' expected numbers per program for next year."""

    name = "khaosat"
    verbose_name = "Khảo sát nhu cầu"

    def ready(self):
        from khaosat import hooks

        hooks.register()
