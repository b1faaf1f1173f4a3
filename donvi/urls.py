from django.urls import path

from donvi import views

app_name = "donvi"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.unit_page, name="unit_page"),
    path("<int:pk>/thong-bao/da-doc/", views.notifications_read, name="notifications_read"),
    path(
        "<int:pk>/thong-bao-ket-qua/<int:course_pk>/",
        views.result_notice,
        name="result_notice",
    ),
    path("<int:pk>/tong-hop/<int:year>/<str:fmt>/", views.summary, name="summary"),
    path("<int:pk>/phat-trien-dang-vien/", views.pipeline, name="pipeline"),
    # calls and survey: linked by the lead (chieusinh:unit_calls, khaosat:answer)
]
