"""Giờ giảng (issue 6): the lecturer hours report of a centre for a year, on a page and as PDF or
XLSX; and a lecturer's own hours.

The centre report: staff, admins and officials in scope (Right.REPORTS); lecturers get 403; a
centre outside the scope answers 404. A user who sees several centres picks one with
?trung_tam=<id>. The downloads hold what lecturers are paid, so each is logged
(personal_data_download). A lecturer with a login sees their own hours at /gio-giang/cua-toi/.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from giangvien.models import Lecturer
from trungtam.documents.downloads import personal_data_download
from trungtam.listing import parse_id, year_param
from trungtam.models import Centre
from trungtam.reports import hours_documents
from trungtam.reports.hours import hours_report, hours_years
from trungtam.scoping import Right, centres_for, has_right, require

FORMATS = ("pdf", "xlsx")


def _year(request) -> int:
    return year_param(request, timezone.localdate().year)


def page_url(year: int, centre_id: int | None = None) -> str:
    query = {"nam": year}
    if centre_id:
        query["trung_tam"] = centre_id
    return reverse("reports:hours") + "?" + urlencode(query)


def _centre_in_scope(user, centre_id) -> Centre:
    """The centre if the user's scope covers it, else 404 (before any check of the right)."""
    centre = centres_for(user).filter(pk=centre_id).first()
    if centre is None:
        raise Http404("Không tìm thấy trung tâm.")
    return centre


@login_required
def hours(request):
    user = request.user
    year = _year(request)
    chosen = (request.GET.get("trung_tam") or "").strip()
    if chosen:
        if parse_id(chosen) is None:
            raise Http404("Không tìm thấy trung tâm.")
        centre = _centre_in_scope(user, parse_id(chosen))
        centres = None
    else:
        centres = list(centres_for(user).order_by("name", "pk"))
        centre = centres[0] if len(centres) == 1 else None
    require(user, Right.REPORTS)
    several = user.sees_all_centres or (centres is not None and len(centres) > 1)

    if centre is None:
        # Several centres (or none): choose one first.
        return render(
            request,
            "reports/hours_choose.html",
            {
                "year": year,
                "centres": [(c, page_url(year, c.pk)) for c in centres or []],
                "crumbs": [("Giờ giảng", None)],
            },
        )

    report = hours_report(centre, year)
    crumbs = [("Giờ giảng", None)]
    if several:
        crumbs = [("Giờ giảng", page_url(year)), (centre.name, None)]
    return render(
        request,
        "reports/hours.html",
        {
            "report": report,
            "year": year,
            "years": hours_years(centre, timezone.localdate().year, year),
            "centre": centre,
            "several": several,
            "own": False,
            "can_manage": has_right(user, Right.MANAGE),
            "downloads": {
                "pdf": reverse("reports:hours_pdf", args=[centre.pk, year]),
                "xlsx": reverse("reports:hours_xlsx", args=[centre.pk, year]),
            },
            "crumbs": crumbs,
        },
    )


@login_required
def hours_document(request, centre_id: int, year: int, fmt: str):
    centre = _centre_in_scope(request.user, centre_id)
    require(request.user, Right.REPORTS)
    if fmt not in FORMATS or not 2000 <= year <= 2100:
        raise Http404("Không có tài liệu này.")
    content, rows = hours_documents.build(centre, year, fmt, maker_name=request.user.full_name)
    return personal_data_download(
        request,
        content=content,
        filename=hours_documents.filename(centre, year, fmt),
        description=hours_documents.description(centre, year, fmt),
        centre=centre,
        rows=rows,
    )


@login_required
def my_hours(request):
    """A lecturer's own hours (any login linked to a lecturer record)."""
    lecturer = Lecturer.objects.select_related("centre").filter(user=request.user).first()
    if lecturer is None:
        raise Http404("Tài khoản của bạn không gắn với giảng viên nào.")
    year = _year(request)
    report = hours_report(lecturer.centre, year, lecturer=lecturer)
    return render(
        request,
        "reports/hours.html",
        {
            "report": report,
            "year": year,
            "years": hours_years(lecturer.centre, timezone.localdate().year, year),
            "centre": lecturer.centre,
            "several": False,
            "own": True,
            "can_manage": False,
            "downloads": {},
            "crumbs": [("Giờ giảng của tôi", None)],
        },
    )
