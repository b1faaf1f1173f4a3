from django.urls import path

from khaosat import views

app_name = "khaosat"

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("mo-moi/", views.survey_create, name="survey_create"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/sua/", views.survey_edit, name="survey_edit"),
    path("<int:pk>/gui/", views.survey_publish, name="survey_publish"),
    path("<int:pk>/dong/", views.survey_close, name="survey_close"),
    path("<int:pk>/tong-hop.xlsx", views.survey_xlsx, name="survey_xlsx"),
    # A unit's answer (its liaison), or a unit's paper form typed by staff (?don_vi=).
    path("<int:pk>/tra-loi/", views.answer, name="answer"),
]
