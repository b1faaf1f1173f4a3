"""The rows of this app (issue 17): lesson plans (giáo án)."""

from django.urls import path

from . import views

app_name = "giaoan"

urlpatterns = [
    path("lop/<int:pk>/", views.course_plans, name="course_plans"),
    path("chuyen-de/<int:pk>/tai-len/", views.upload, name="upload"),
    path("phien-ban/<int:pk>/duyet/", views.review, name="review"),
    path("phien-ban/<int:pk>/tai-ve/", views.download, name="download"),
    path("<int:pk>/dung-lai/", views.reusable, name="reusable"),
    path("cho-duyet/", views.queue, name="queue"),
    path("cai-dat/", views.settings_page, name="settings"),
]
