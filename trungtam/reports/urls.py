"""The top layer's pages: the annual plan, the dashboard, the yearly report, lecturer hours.
The start page (name "home", outside the namespace) is routed from trungtam/urls.py."""

from django.urls import path

from trungtam.reports import dashboard_views, hours_views, plan_views, yearly_views

app_name = "reports"

urlpatterns = [
    # The annual plan.
    path("ke-hoach/", plan_views.plan_list, name="plan_list"),
    path("ke-hoach/lap-moi/", plan_views.plan_create, name="plan_create"),
    path("ke-hoach/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/sua/", plan_views.plan_edit, name="plan_edit"),
    path("ke-hoach/<int:pk>/noi-dung/", plan_views.plan_texts, name="plan_texts"),
    path("ke-hoach/<int:pk>/tu-khao-sat/", plan_views.plan_from_survey, name="plan_from_survey"),
    path("ke-hoach/<int:pk>/phe-duyet/", plan_views.plan_approve, name="plan_approve"),
    path("ke-hoach/<int:pk>/dieu-chinh/", plan_views.plan_amend, name="plan_amend"),
    path("ke-hoach/<int:pk>/ke-hoach.pdf", plan_views.plan_pdf, name="plan_pdf"),
    path("ke-hoach/<int:pk>/ke-hoach.xlsx", plan_views.plan_xlsx, name="plan_xlsx"),
    # The dashboard.
    path("tong-quan/", dashboard_views.dashboard, name="dashboard"),
    # The yearly report of a centre, and the all-centres report.
    path("bao-cao-nam/", yearly_views.yearly_list, name="yearly_list"),
    path(
        "bao-cao-nam/<int:centre_id>/<int:year>/", yearly_views.yearly_detail, name="yearly_detail"
    ),
    path(
        "bao-cao-nam/<int:centre_id>/<int:year>/gui/", yearly_views.yearly_send, name="yearly_send"
    ),
    path("bao-cao-nam/<int:centre_id>/<int:year>/pdf/", yearly_views.yearly_pdf, name="yearly_pdf"),
    path(
        "bao-cao-nam/<int:centre_id>/<int:year>/xlsx/", yearly_views.yearly_xlsx, name="yearly_xlsx"
    ),
    path(
        "bao-cao-nam/<int:centre_id>/<int:year>/ban-da-ky/",
        yearly_views.yearly_signed_upload,
        name="yearly_signed_upload",
    ),
    path(
        "bao-cao-nam/tong-hop/<int:year>/", yearly_views.yearly_all_detail, name="yearly_all_detail"
    ),
    path(
        "bao-cao-nam/tong-hop/<int:year>/gui/", yearly_views.yearly_all_send, name="yearly_all_send"
    ),
    path(
        "bao-cao-nam/tong-hop/<int:year>/pdf/", yearly_views.yearly_all_pdf, name="yearly_all_pdf"
    ),
    path(
        "bao-cao-nam/tong-hop/<int:year>/xlsx/",
        yearly_views.yearly_all_xlsx,
        name="yearly_all_xlsx",
    ),
    path(
        "bao-cao-nam/tong-hop/<int:year>/ban-da-ky/",
        yearly_views.yearly_all_signed_upload,
        name="yearly_all_signed_upload",
    ),
    # Lecturer hours.
    path("gio-giang/", hours_views.hours, name="hours"),
    path("gio-giang/cua-toi/", hours_views.my_hours, name="my_hours"),
    path(
        "gio-giang/<int:centre_id>/<int:year>.pdf",
        hours_views.hours_document,
        {"fmt": "pdf"},
        name="hours_pdf",
    ),
    path(
        "gio-giang/<int:centre_id>/<int:year>.xlsx",
        hours_views.hours_document,
        {"fmt": "xlsx"},
        name="hours_xlsx",
    ),
]
