from django.apps import AppConfig


class DanhgiaConfig(AppConfig):
    """The trainees' course evaluation (phiếu đánh giá khóa học): anonymous, one answer per trainee."""

    name = "danhgia"
    verbose_name = "Đánh giá khóa học"
