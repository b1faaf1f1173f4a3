from django.apps import AppConfig


class DugioConfig(AppConfig):
    """Class observation (dự giờ): a leader's or colleague's record of a session, with marks and a classification."""

    name = "dugio"
    verbose_name = "Dự giờ"

    def ready(self):
        from dugio import panels
        from giangvien.panels import lecturer_page
        from lophoc.panels import course_page

        course_page.register(panels.course_panel)
        lecturer_page.register(panels.lecturer_panel)
