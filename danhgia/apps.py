from django.apps import AppConfig


class DanhgiaConfig(AppConfig):
    """The trainees' course evaluation (phiếu đánh giá khóa học): anonymous, one answer per trainee."""

    name = "danhgia"
    verbose_name = "Đánh giá khóa học"

    def ready(self):
        from danhgia import panels
        from giangvien.panels import lecturer_page
        from lophoc.panels import course_page

        course_page.register(panels.course_panel)
        lecturer_page.register(panels.lecturer_panel)
