"""The trainees' course evaluation (issue 17): /danh-gia/…"""

from django.urls import path

from danhgia import views

app_name = "danhgia"

urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("phieu/", views.public_form, name="public_form"),
    path("mau-phieu/", views.questions, name="questions"),
    path("lop/<int:pk>/", views.course_results, name="course_results"),
    path("lop/<int:pk>/phieu-ma.pdf", views.course_slips, name="course_slips"),
    path("lop/<int:pk>/nhap-phieu/", views.paper_entry, name="paper_entry"),
]
