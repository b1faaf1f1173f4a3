from django.urls import path

from hocvien import views

app_name = "hocvien"
urlpatterns = [
    # Trainees
    path("hoc-vien/", views.trainee_list, name="trainee_list"),
    path("hoc-vien/them/", views.trainee_create, name="trainee_create"),
    path("hoc-vien/<int:pk>/", views.trainee_detail, name="trainee_detail"),
    path("hoc-vien/<int:pk>/sua/", views.trainee_edit, name="trainee_edit"),
    path("hoc-vien/<int:pk>/gop/", views.trainee_merge, name="trainee_merge"),
    path("hoc-vien/<int:pk>/du-lieu-ca-nhan.xlsx", views.trainee_export, name="trainee_export"),
    path("hoc-vien/<int:pk>/xoa/", views.trainee_delete, name="trainee_delete"),
    # Units
    path("don-vi/", views.unit_list, name="unit_list"),
    path("don-vi/them/", views.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/sua/", views.unit_edit, name="unit_edit"),
    path("don-vi/<int:pk>/gop/", views.unit_merge, name="unit_merge"),
    path("don-vi/<int:pk>/tai-khoan/them/", views.unit_account_create, name="unit_account_create"),
    path(
        "don-vi/<int:pk>/tai-khoan/<int:account_pk>/",
        views.unit_account_active,
        name="unit_account_active",
    ),
]
