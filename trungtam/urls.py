from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from lophoc.views import verification as verification_views
from trungtam import views
from trungtam.reports import dashboard_views

admin.site.site_header = "trungtam – Quản trị"
admin.site.site_title = "trungtam"
admin.site.index_title = "Quản trị dữ liệu"

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "doi-mat-khau/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html",
            extra_context={"crumbs": [("Đổi mật khẩu", None)]},
        ),
        name="password_change",
    ),
    path(
        "doi-mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    # The public certificate check (no login): the form, and the address the QR code opens.
    path("xac-thuc/", verification_views.verify, name="verify"),
    # …and of a signed PDF (issue 18): the page's second form is sent here.
    path("xac-thuc/tep/", verification_views.verify_pdf, name="verify_pdf"),
    path("xac-thuc/<str:code>/", verification_views.verify_code, name="verify_code"),
    # What signing is configured and what is missing (issue 18), for admins.
    path("ky-so/", views.signing_page, name="signing_status"),
    path("lop/", include("lophoc.urls")),
    path("", include("hocvien.urls")),
    path("giang-vien/", include("giangvien.urls")),
    path("chieu-sinh/", include("chieusinh.urls")),
    path("khao-sat/", include("khaosat.urls")),
    # Quality of teaching (issue 17).
    path("danh-gia/", include("danhgia.urls")),
    path("hieu-qua/", include("hieuqua.urls")),
    path("giao-an/", include("giaoan.urls")),
    path("du-gio/", include("dugio.urls")),
    path("tai-lieu/", include("tailieu.urls")),
    path("trang-don-vi/", include("donvi.urls")),
    path("", include("trungtam.reports.urls")),
    # The plans and reports moved from the base app to trungtam.reports (issue 15): their admin
    # pages' old addresses lead to the new ones.
    re_path(
        r"^quan-tri/trungtam/(?P<rest>(?:annualplan|plantarget|yearlyreport|allcentresreport)/.*)$",
        RedirectView.as_view(url="/quan-tri/reports/%(rest)s", query_string=True, permanent=True),
        name="admin_moved",
    ),
    path("quan-tri/", admin.site.urls),
]

handler403 = "trungtam.views.permission_denied"
handler404 = "trungtam.views.page_not_found"
handler500 = "trungtam.views.server_error"
