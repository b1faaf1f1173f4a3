from django.urls import path

from chieusinh import views

app_name = "chieusinh"

urlpatterns = [
    # staff
    path("", views.call_list, name="call_list"),
    path("moi/", views.call_create, name="call_create"),
    path("<int:pk>/", views.call_detail, name="call_detail"),
    path("<int:pk>/sua/", views.call_edit, name="call_edit"),
    path("<int:pk>/gui/", views.call_publish, name="call_publish"),
    path("<int:pk>/dong/", views.call_close, name="call_close"),
    path("<int:pk>/nhan-danh-sach/", views.call_accept, name="call_accept"),
    path("<int:pk>/giay-trieu-tap.pdf", views.summons_all, name="summons_all"),
    path("<int:pk>/giay-trieu-tap/<int:unit_id>.pdf", views.summons_unit, name="summons_unit"),
    # the unit
    path("don-vi/", views.unit_calls, name="unit_calls"),
    path("<int:pk>/tra-loi/", views.answer, name="answer"),
    path("<int:pk>/tra-loi/tai-file/", views.answer_upload, name="answer_upload"),
    path("<int:pk>/tra-loi/xem-truoc/", views.answer_preview, name="answer_preview"),
    path("<int:pk>/tra-loi/xac-nhan/", views.answer_confirm, name="answer_confirm"),
]
