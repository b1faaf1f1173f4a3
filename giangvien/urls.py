from django.urls import path

from giangvien import views

app_name = "giangvien"
urlpatterns = [
    path("", views.lecturer_list, name="lecturer_list"),
    path("them/", views.lecturer_create, name="lecturer_create"),
    path("cua-toi/", views.my_page, name="my_page"),
    path("<int:pk>/", views.lecturer_detail, name="lecturer_detail"),
    path("<int:pk>/sua/", views.lecturer_edit, name="lecturer_edit"),
    path("<int:pk>/tai-khoan/", views.lecturer_account, name="lecturer_account"),
]
