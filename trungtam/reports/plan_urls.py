"""URLs of the plan pages (included from trungtam/urls.py under the app namespace "reports")."""

from django.urls import path

from trungtam.reports import plan_views

urlpatterns = [
    path("", plan_views.plan_list, name="plan_list"),
    path("lap-moi/", plan_views.plan_create_view, name="plan_create"),
    path("<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("<int:pk>/sua/", plan_views.plan_edit, name="plan_edit"),
    path("<int:pk>/noi-dung/", plan_views.plan_texts_edit, name="plan_texts"),
    path("<int:pk>/phe-duyet/", plan_views.plan_approve_view, name="plan_approve"),
    path("<int:pk>/dieu-chinh/", plan_views.plan_amend_view, name="plan_amend"),
    path("<int:pk>/ke-hoach.pdf", plan_views.plan_pdf, name="plan_pdf"),
    path("<int:pk>/ke-hoach.xlsx", plan_views.plan_xlsx, name="plan_xlsx"),
]
