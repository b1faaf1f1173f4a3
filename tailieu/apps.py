from django.apps import AppConfig


class TailieuConfig(AppConfig):
    """Teaching materials (tài liệu) per program and topic, and the schedule letter to lecturers."""

    name = "tailieu"
    verbose_name = "Tài liệu giảng dạy"

    def ready(self):
        from giangvien.panels import lecturer_page
        from lophoc.panels import course_page, public_class_links
        from tailieu import materials, panels

        course_page.register(panels.course_panel)
        lecturer_page.register(panels.lecturer_panel)
        public_class_links.register(materials.public_class_links)
