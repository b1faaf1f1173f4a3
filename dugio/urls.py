"""Class observation (dự giờ), issue 17."""

from django.urls import path

from dugio import views

app_name = "dugio"

urlpatterns = [
    path("", views.observation_list, name="observation_list"),
    path("mau-phieu/", views.criteria_edit, name="criteria_edit"),
    path("buoi/<int:session_pk>/ghi/", views.observation_record, name="observation_record"),
    path("<int:pk>/", views.observation_detail, name="observation_detail"),
    path("<int:pk>/sua/", views.observation_edit, name="observation_edit"),
    path("<int:pk>/chot/", views.observation_finalise, name="observation_finalise"),
    path("<int:pk>/bien-ban.pdf", views.observation_pdf, name="observation_pdf"),
]
