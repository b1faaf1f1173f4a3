from django.apps import AppConfig


class GiaoanConfig(AppConfig):
    """Lesson plans (giáo án): uploaded per topic of a class, approved or returned before the session."""

    name = "giaoan"
    verbose_name = "Giáo án"

    def ready(self):
        from giangvien.panels import lecturer_page
        from lophoc.panels import course_page, session_notes

        from . import panels

        course_page.register(panels.course_panel)
        lecturer_page.register(panels.lecturer_panel)
        session_notes.register(panels.session_notes)
