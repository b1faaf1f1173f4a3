from django.apps import AppConfig


class HieuquaConfig(AppConfig):
    """The follow-up after a class (đánh giá hiệu quả sau đào tạo): each sending unit says how its people apply what they learned."""

    name = "hieuqua"
    verbose_name = "Đánh giá hiệu quả sau đào tạo"

    def ready(self):
        from hieuqua.panels import course_panel
        from lophoc.panels import course_page

        course_page.register(course_panel)
