"""URLs of the yearly pages (included from trungtam/urls.py under the app namespace "reports")."""

from django.urls import path

from . import yearly_views as views

urlpatterns = [
    path("", views.yearly_list, name="yearly_list"),
    path("<int:centre_id>/<int:year>/", views.yearly_detail, name="yearly_detail"),
    path("<int:centre_id>/<int:year>/gui/", views.yearly_send, name="yearly_send"),
    path("<int:centre_id>/<int:year>/pdf/", views.yearly_pdf, name="yearly_pdf"),
    path("<int:centre_id>/<int:year>/xlsx/", views.yearly_xlsx, name="yearly_xlsx"),
    path("tong-hop/<int:year>/", views.yearly_all_detail, name="yearly_all_detail"),
    path("tong-hop/<int:year>/gui/", views.yearly_all_send, name="yearly_all_send"),
    path("tong-hop/<int:year>/pdf/", views.yearly_all_pdf, name="yearly_all_pdf"),
    path("tong-hop/<int:year>/xlsx/", views.yearly_all_xlsx, name="yearly_all_xlsx"),
]
