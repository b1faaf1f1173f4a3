"""URLs of the hours pages (included from trungtam/urls.py under the app namespace "reports")."""

from django.urls import path

from trungtam.reports import hours_views

urlpatterns = [
    path("", hours_views.hours, name="hours"),
    path("cua-toi/", hours_views.my_hours, name="my_hours"),
    path(
        "<int:centre_id>/<int:year>.pdf",
        hours_views.hours_document,
        {"fmt": "pdf"},
        name="hours_pdf",
    ),
    path(
        "<int:centre_id>/<int:year>.xlsx",
        hours_views.hours_document,
        {"fmt": "xlsx"},
        name="hours_xlsx",
    ),
]
