"""Tổng quan (issue 6): the year's figures of the user's scope against the plan and last year.

Staff, admins and officials (Right.REPORTS). A user who sees several centres gets one row per
centre and the totals, and drills into a centre with ?trung_tam=<id>; a centre outside the scope
answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from trungtam.listing import year_param
from trungtam.reports.dashboard import available_years, build_dashboard, centres_with_years
from trungtam.reports.home import home_figures
from trungtam.scoping import Right, centres_for, has_right, require


@login_required
def home(request):
    """The start page: this year's figures of the user's scope and the coming week's sessions.
    A unit's liaison has none of these: its start page is its unit's page."""
    if request.user.is_unit_liaison:
        return redirect("donvi:home")
    return render(request, "home.html", {"figures": home_figures(request.user)})


def _link(name: str, *args) -> str | None:
    """The URL of a page another part of the app provides, or None while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _year(request) -> int:
    return year_param(request, timezone.localdate().year)


def _page_url(year: int, centre_id: int | None = None) -> str:
    query = {"nam": year}
    if centre_id:
        query["trung_tam"] = centre_id
    return reverse("reports:dashboard") + "?" + urlencode(query)


@login_required
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    year = _year(request)
    centres = centres_with_years(centres_for(user))
    if centres and not user.sees_all_centres:
        user.centre = centres[0]  # the menu shows the user's centre: no second look-up
    chosen = request.GET.get("trung_tam")
    if chosen:
        try:
            centre = next(c for c in centres if str(c.pk) == chosen.strip())
        except StopIteration:
            raise Http404("Không tìm thấy trung tâm.") from None
        shown = [centre]
    else:
        centre = centres[0] if len(centres) == 1 else None
        shown = centres
    require(user, Right.REPORTS)

    several = len(centres) > 1
    drilled = several and centre is not None
    data = build_dashboard(shown, year, per_centre=several and not drilled)
    for row in data.centre_rows:
        row.url = _page_url(year, row.centre.pk)

    if drilled:
        crumbs = [("Tổng quan", _page_url(year)), (centre.name, None)]
    else:
        crumbs = [("Tổng quan", None)]
    links = {
        "plan_list": _link("reports:plan_list"),
        "yearly_detail": _link("reports:yearly_detail", centre.pk, year) if centre else None,
        "yearly_pdf": _link("reports:yearly_pdf", centre.pk, year) if centre else None,
        "yearly_all_pdf": _link("reports:yearly_all_pdf", year) if several and not centre else None,
        "course_create": _link("lophoc:course_create") if has_right(user, Right.MANAGE) else None,
    }
    return render(
        request,
        "reports/dashboard.html",
        {
            "data": data,
            "year": year,
            "years": available_years(shown, today.year),
            "today": today,
            "centre": centre,
            "several": several,
            "drilled": drilled,
            "links": links,
            "crumbs": crumbs,
        },
    )
