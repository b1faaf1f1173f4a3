"""URLs of the dashboard pages (included from trungtam/urls.py under the app namespace "reports")."""

from django.urls import path

from trungtam.reports import dashboard_views

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
]
