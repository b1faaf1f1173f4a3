from django.apps import AppConfig


class ChieusinhConfig(AppConfig):
    """Calls for nominees (chiêu sinh): a quota per unit and a deadline; units answer online."""

    name = "chieusinh"
    verbose_name = "Chiêu sinh"

    def ready(self):
        from chieusinh import hooks

        hooks.register()
