"""Teaching materials, the public class link and the schedule letter (issue 17)."""

from django.urls import path

from tailieu import views

app_name = "tailieu"

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("chuong-trinh/<int:pk>/", views.program_materials, name="program_materials"),
    path("<int:pk>/", views.material_detail, name="material_detail"),
    path("<int:pk>/phien-ban-moi/", views.material_version, name="material_version"),
    path("<int:pk>/xoa/", views.material_delete, name="material_delete"),
    path("<int:pk>/tai-ve/", views.material_download, name="material_download"),
    path("phien-ban/<int:pk>/tai-ve/", views.version_download, name="version_download"),
    path("phien-ban/<int:pk>/xoa/", views.version_delete, name="version_delete"),
    path("lop/<int:pk>/doi-duong-dan/", views.link_renew, name="link_renew"),
    path("lop/<slug:token>/", views.public_class, name="public_class"),
    path("lop/<slug:token>/<int:pk>/", views.public_download, name="public_download"),
    path("lich-giang/", views.letter_page, name="letter_page"),
    path("lich-giang/<int:pk>/giay-moi.pdf", views.letter_pdf, name="letter_pdf"),
    path("lich-giang/gui/", views.letter_send, name="letter_send"),
]
