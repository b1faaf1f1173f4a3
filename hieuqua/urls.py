"""The follow-up after a class (đánh giá hiệu quả sau đào tạo, issue 17)."""

from django.urls import path

from hieuqua import views

app_name = "hieuqua"

urlpatterns = [
    path("", views.followup_list, name="followup_list"),
    path("cai-dat/", views.settings_page, name="settings"),
    path("lop/<int:pk>/", views.course_page, name="course"),
    path("lop/<int:pk>/dong/", views.course_close, name="course_close"),
    # A unit's answer: its liaison, or staff typing the unit's letter.
    path("lop/<int:pk>/don-vi/<int:unit_id>/", views.unit_answer, name="unit_answer"),
]
