"""The sending unit's own pages (issue 16, items 4 and 6), at /trang-don-vi/.

A unit's liaison (Right.UNIT) opens its unit's page and those of the units under it; other
units do not exist for it (404). Centre staff and admins hold the right too and open any unit of
their centre from the unit registry, to see what the unit sees; everyone else gets 403. Every
object is found through `visible()`; every download of people's data is logged.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from chieusinh.calls import open_calls_for
from chieusinh.models import CallAnswer
from donvi import documents, party, people
from hieuqua.followups import unit_followups
from hocvien.models import Unit, UnitAccount
from hocvien.units import unit_family
from khaosat.surveys import open_survey_for
from lophoc.attendance import WARNING_SHARE
from lophoc.documents import DocumentRefused
from lophoc.models import Course, CourseStatus
from lophoc.notice_signing import notices_delivered
from thongbao.models import Notification
from trungtam.documents.downloads import personal_data_download
from trungtam.listing import parse_id, parse_year, year_param
from trungtam.scoping import Right, get_visible_or_404, require, visible
from trungtam.signing import SigningRefused

NOTIFICATIONS_SHOWN = 20
FORMATS = ("pdf", "xlsx")


def _unit_or_404(request, pk) -> Unit:
    """The unit, for those with the unit right (403 without it), in their scope (else 404)."""
    require(request.user, Right.UNIT)
    # The centre's follow-up delay comes along: the unit's page lists the follow-ups due.
    units = Unit.objects.select_related("centre", "centre__followup_setting", "parent")
    return get_visible_or_404(request.user, units, pk=pk)


def _crumbs(unit: Unit, *more) -> list:
    return [("Trang đơn vị", reverse("donvi:unit_page", args=[unit.pk])), *more]


@login_required
def home(request):
    """A liaison goes to its unit's page; staff choose a unit in the registry."""
    require(request.user, Right.UNIT)
    if not request.user.is_unit_liaison:
        return redirect("hocvien:unit_list")
    account = UnitAccount.objects.filter(user=request.user).first()
    if account is None:
        raise Http404("Tài khoản chưa gắn với đơn vị nào.")
    return redirect("donvi:unit_page", pk=account.unit_id)


@login_required
def unit_page(request, pk):
    unit = _unit_or_404(request, pk)
    years = people.unit_years(request.user, unit)
    year = year_param(request, people.default_year(years))
    data = people.unit_year(request.user, unit, year, years=years)
    notifications = list(
        visible(request.user, Notification.objects.all()).filter(
            unit__in=unit_family(unit).values("pk")
        )[:NOTIFICATIONS_SHOWN]
    )
    sub_units = list(
        visible(request.user, Unit.objects.all())
        .filter(Q(parent=unit.pk) | Q(parent__parent=unit.pk))
        .order_by("search_key", "id")
    )
    # What the unit must answer now: open calls for this unit or those under it, and the survey.
    # A call stays a task until the centre has accepted this unit's list.
    open_calls = list(
        open_calls_for(request.user)
        .filter(quotas__unit__in=unit_family(unit).values("pk"))
        .exclude(
            pk__in=CallAnswer.objects.filter(unit=unit, accepted_at__isnull=False).values("call_id")
        )
        .distinct()
    )
    survey = open_survey_for(request.user) if request.user.is_unit_liaison else None
    # The follow-ups after a class due for this unit's family (two queries, hieuqua).
    follow_ups = unit_followups(unit_family(unit), unit.centre, timezone.localdate())
    return render(
        request,
        "donvi/unit_page.html",
        {
            "unit": unit,
            "data": data,
            "year": year,
            "today": timezone.localdate(),
            "notifications": notifications,
            "unread": sum(1 for n in notifications if n.read_at is None),
            "sub_units": sub_units,
            "open_calls": open_calls,
            "survey": survey,
            "follow_ups_waiting": [f for f in follow_ups if not f.tally.complete and not f.closed],
            "follow_ups_answered": [f for f in follow_ups if f.tally.complete or f.closed],
            "has_pipeline": party.has_pipeline(unit),
            "is_liaison": request.user.is_unit_liaison,
            "warning_percent": int(WARNING_SHARE * 100),
            "crumbs": [(unit.name, None)],
        },
    )


@login_required
@require_POST
def notifications_read(request, pk):
    """Mark one notice (?thong_bao=<id>) or every notice of the unit as read: the liaison's act
    (staff previewing the page only look, 403)."""
    unit = _unit_or_404(request, pk)
    if not request.user.is_unit_liaison:
        raise PermissionDenied("Chỉ cán bộ của đơn vị đánh dấu thông báo của đơn vị là đã đọc.")
    notices = visible(request.user, Notification.objects.all()).filter(
        unit__in=unit_family(unit).values("pk"), read_at__isnull=True
    )
    one = parse_id(request.POST.get("thong_bao"))
    if request.POST.get("thong_bao") is not None:
        if one is None or not notices.filter(pk=one).exists():
            messages.error(request, "Không tìm thấy thông báo chưa đọc này; hãy tải lại trang.")
            return redirect("donvi:unit_page", pk=unit.pk)
        notices = notices.filter(pk=one)
    count = notices.update(read_at=timezone.now())
    if count:
        messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    else:
        messages.info(request, "Không còn thông báo nào chưa đọc.")
    return redirect("donvi:unit_page", pk=unit.pk)


@login_required
def result_notice(request, pk, course_pk):
    """The unit's own letters of a closed class's result notice (PDF), logged."""
    unit = _unit_or_404(request, pk)
    sent = people.family_enrolments(request.user, unit).filter(course_id=course_pk)
    course = (
        Course.objects.filter(pk=course_pk, pk__in=sent.values("course_id"))
        .select_related("centre", "program")
        .first()
    )
    if course is None:
        raise Http404("Không tìm thấy lớp.")
    back = f"{reverse('donvi:unit_page', args=[unit.pk])}?{urlencode({'nam': course.year})}"
    if course.status != CourseStatus.CLOSED:
        messages.error(
            request,
            f"Lớp {course.code} chưa kết thúc nên chưa có thông báo kết quả. Thông báo có khi "
            "trung tâm kết thúc lớp.",
        )
        return redirect(back)
    try:
        document = documents.unit_result_notice(request.user, unit, course)
    except DocumentRefused as refused:
        messages.error(request, str(refused))
        return redirect(back)
    # The same signed copy for the liaison and for staff opening the unit's page.
    try:
        content = notices_delivered(
            course=course, content=document.content, unit=unit, user=request.user
        )
    except SigningRefused as refused:
        messages.error(
            request,
            f"Chưa ký số được thông báo kết quả: {refused.message} Hãy báo trung tâm để quản "
            "trị hệ thống xử lý.",
        )
        return redirect(back)
    return personal_data_download(
        request,
        content=content,
        filename=document.filename,
        description=document.description,
        centre=unit.centre,
        rows=document.rows,
    )


@login_required
def summary(request, pk, year, fmt):
    """The yearly summary of the unit's people (PDF or XLSX), logged."""
    unit = _unit_or_404(request, pk)
    if fmt not in FORMATS or parse_year(year) is None:
        raise Http404("Không có tài liệu này.")
    maker = "" if request.user.is_unit_liaison else request.user.full_name
    document = documents.unit_summary(request.user, unit, year, fmt, maker_name=maker)
    return personal_data_download(
        request,
        content=document.content,
        filename=document.filename,
        description=document.description,
        centre=unit.centre,
        rows=document.rows,
    )


@login_required
def pipeline(request, pk):
    """Đối tượng kết nạp Đảng and new members still to take the new members' course: only
    Party organisations and communes, wards, special zones have the list (others: 404)."""
    unit = _unit_or_404(request, pk)
    if not party.has_pipeline(unit):
        raise Http404("Danh sách này chỉ dành cho tổ chức đảng và xã, phường, đặc khu.")
    data = party.unit_pipeline(request.user, unit)
    return render(
        request,
        "donvi/pipeline.html",
        {
            "unit": unit,
            "data": data,
            "ahead_months": party.AHEAD_MONTHS,
            "overdue_months": party.OVERDUE_MONTHS,
            "crumbs": _crumbs(unit, ("Phát triển đảng viên", None)),
        },
    )
