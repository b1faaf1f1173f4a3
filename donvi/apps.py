from django.apps import AppConfig


class DonviConfig(AppConfig):
    """The sending unit's own pages: its people, their classes and results, its notices."""

    name = "donvi"
    verbose_name = "Trang đơn vị"
