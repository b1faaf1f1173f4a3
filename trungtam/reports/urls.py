"""The top layer's pages: the annual plan, the dashboard, the yearly report, lecturer hours."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("ke-hoach/", include("trungtam.reports.plan_urls")),
    path("tong-quan/", include("trungtam.reports.dashboard_urls")),
    path("bao-cao-nam/", include("trungtam.reports.yearly_urls")),
    path("gio-giang/", include("trungtam.reports.hours_urls")),
]
