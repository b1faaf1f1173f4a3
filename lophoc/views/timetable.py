"""Timetable screens: sessions of a class, the bulk timetable, a lecturer's timetable and feed."""

import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from giangvien.models import Lecturer
from lophoc import panels, timetable
from lophoc.calendar import lecturer_calendar
from lophoc.models import Course, CourseStatus, Session
from lophoc.timetable import (
    session_save,
    sessions_in_order,
    timetable_bulk_create,
    timetable_plan,
    timetable_plan_load,
    timetable_refusal,
)
from lophoc.timetable_forms import (
    SessionForm,
    TimetableBulkForm,
    TimetableConfirmForm,
    plan_sign,
    topic_lecturers,
)
from lophoc.views.lookup import course_or_404
from trungtam.documents.downloads import file_download
from trungtam.listing import paginate
from trungtam.scoping import (
    Right,
    get_for_right_or_404,
    get_visible_or_404,
    has_right,
    require,
    visible,
)

FEED_DAYS_BACK = 365  # the feed carries the past year and everything ahead
RECENT_DAYS = 14  # "my timetable" starts two weeks back unless asked otherwise
SESSIONS_PER_PAGE = 40


def _course_url(course: Course) -> str:
    return reverse("lophoc:course_detail", args=[course.pk]) + "#thoi-khoa-bieu"


def _crumbs(course: Course, label: str) -> list:
    return [
        ("Lớp học", reverse("lophoc:course_list")),
        (course.code, reverse("lophoc:course_detail", args=[course.pk])),
        (label, None),
    ]


def _editable_session(request, pk) -> Session:
    return get_for_right_or_404(
        request.user,
        Session.objects.select_related("course__centre", "topic", "lecturer"),
        Right.MANAGE,
        pk=pk,
    )


def _save_form(request, form) -> bool:
    if not form.is_valid():
        return False
    try:
        session_save(session=form.save(commit=False))
    except ValidationError as error:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, texts in by_field.items():
            form.add_error(name if name in form.fields else None, texts)
        return False
    return True


# --- one session ------------------------------------------------------------------------------


@login_required
def session_create(request, pk):
    course = course_or_404(request, pk, Right.MANAGE)
    refusal = timetable_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_course_url(course))
    form = SessionForm(
        request.POST or None,
        course=course,
        cancel_url=_course_url(course),
        initial={"date": course.start_date},
    )
    if request.method == "POST" and _save_form(request, form):
        session = form.instance
        messages.success(
            request,
            f"Đã thêm buổi học {session.date:%d/%m/%Y} ({session.get_part_display().lower()}) "
            f"vào lớp {course.code}.",
        )
        if "them_tiep" in request.POST:
            return redirect("lophoc:session_create", course.pk)
        return redirect(_course_url(course))
    return render(
        request,
        "lophoc/session_form.html",
        {"form": form, "course": course, "crumbs": _crumbs(course, "Thêm buổi học")},
    )


@login_required
def session_edit(request, pk):
    session = _editable_session(request, pk)
    course = session.course
    refusal = timetable_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_course_url(course))
    form = SessionForm(
        request.POST or None, instance=session, course=course, cancel_url=_course_url(course)
    )
    if request.method == "POST" and _save_form(request, form):
        messages.success(request, f"Đã lưu buổi học {session.date:%d/%m/%Y} của lớp {course.code}.")
        return redirect(_course_url(course))
    return render(
        request,
        "lophoc/session_form.html",
        {
            "form": form,
            "course": course,
            "session": session,
            "crumbs": _crumbs(course, "Sửa buổi học"),
        },
    )


@login_required
def session_delete(request, pk):
    session = _editable_session(request, pk)
    course = session.course
    refusal = timetable_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_course_url(course))
    if request.method == "POST":
        label = f"{session.date:%d/%m/%Y} ({session.get_part_display().lower()})"
        timetable.session_delete(session=session)
        messages.success(request, f"Đã xóa buổi học {label} của lớp {course.code}.")
        return redirect(_course_url(course))
    return render(
        request,
        "lophoc/session_confirm_delete.html",
        {
            "session": session,
            "course": course,
            "attendance_count": session.attendances.count(),
            "cancel_url": _course_url(course),
            "crumbs": _crumbs(course, "Xóa buổi học"),
        },
    )


# --- bulk timetable ---------------------------------------------------------------------------


def _bulk_page(request, course, form, plan=None):
    context = {
        "course": course,
        "form": form,
        "plan": plan,
        "crumbs": _crumbs(course, "Lập thời khóa biểu"),
        "topics": course.topics.order_by("order", "id"),
    }
    if plan is not None and plan.sessions:
        context["confirm_form"] = TimetableConfirmForm(initial={"plan": plan_sign(plan.to_data())})
    return render(request, "lophoc/timetable_bulk.html", context)


def _plan_from_form(course, form):
    data = form.cleaned_data
    return timetable_plan(
        course=course,
        start=data["start"],
        end=data["end"],
        parts=data["parts"],
        lecturer=data["lecturer"],
        room=data["room"],
        periods_per_session=data["periods_per_session"],
        kind=data["kind"],
        topic_lecturers=topic_lecturers(form),
    )


@login_required
def timetable_bulk(request, pk):
    """Form → preview (what will be created, what is skipped and why) → confirm."""
    course = course_or_404(request, pk, Right.MANAGE)
    refusal = timetable_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_course_url(course))
    cancel_url = _course_url(course)
    if request.method != "POST":
        return _bulk_page(request, course, TimetableBulkForm(course=course, cancel_url=cancel_url))
    if TimetableConfirmForm.keys["plan"] not in request.POST:
        form = TimetableBulkForm(request.POST, course=course, cancel_url=cancel_url)
        plan = _plan_from_form(course, form) if form.is_valid() else None
        return _bulk_page(request, course, form, plan)

    confirm = TimetableConfirmForm(request.POST)
    if not confirm.is_valid():
        messages.error(request, " ".join(confirm.errors["plan"]))
        return redirect("lophoc:timetable_bulk", course.pk)
    data = confirm.cleaned_data["plan"]
    try:
        plan = timetable_plan_load(course=course, data=data)
        created = timetable_bulk_create(plan=plan, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            "Thời khóa biểu đã thay đổi từ lúc xem trước nên chưa buổi học nào được tạo: "
            + " ".join(error.messages)
            + " Hãy xem lại bản xem trước mới dưới đây rồi xác nhận lại.",
        )
        form = TimetableBulkForm(
            {
                "start": data["start"],
                "end": data["end"],
                "parts": data["parts"],
                "lecturer": data["lecturer"] or "",
                "room": data["room"],
                "periods_per_session": data["periods_per_session"],
                "kind": data["kind"],
            },
            course=course,
            cancel_url=cancel_url,
        )
        plan = _plan_from_form(course, form) if form.is_valid() else None
        return _bulk_page(request, course, form, plan)
    periods = sum(s.periods for s in created)
    messages.success(
        request,
        f"Đã tạo {len(created)} buổi học ({periods} tiết) cho lớp {course.code}.",
    )
    return redirect(_course_url(course))


# --- a lecturer's timetable and calendar feed -------------------------------------------------


def _feed_url(request, lecturer: Lecturer) -> str:
    return request.build_absolute_uri(
        reverse("lophoc:calendar_feed", args=[lecturer.calendar_token])
    )


def _from_date(request) -> datetime.date:
    today = timezone.localdate()
    default = today - datetime.timedelta(days=RECENT_DAYS)
    default -= datetime.timedelta(days=default.weekday())
    text = request.GET.get("tu", "").strip()
    if text:
        try:
            return datetime.datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            messages.warning(
                request, f"«{text}» không phải ngày dạng ngày/tháng/năm; đang xem từ tuần trước."
            )
    return default


def _timetable_page(request, lecturer: Lecturer, *, own: bool):
    today = timezone.localdate()
    sessions = visible(request.user, Session.objects.filter(lecturer=lecturer)).exclude(
        course__status=CourseStatus.CANCELLED
    )
    year = sessions.filter(date__year=today.year).aggregate(
        periods=Sum("periods"), count=Count("pk")
    )
    start = _from_date(request)
    page_obj = paginate(
        request,
        sessions_in_order(sessions.filter(date__gte=start).select_related("course", "topic")),
        per_page=SESSIONS_PER_PAGE,
    )
    weeks: list[dict] = []
    # Apps above add notes (say, «Chưa có giáo án duyệt»): a fixed number of queries per page.
    notes = panels.notes_for(list(page_obj))
    for session in page_obj:
        session.notes = notes.get(session.pk, [])
        monday = session.date - datetime.timedelta(days=session.date.weekday())
        if not weeks or weeks[-1]["start"] != monday:
            weeks.append(
                {
                    "start": monday,
                    "end": monday + datetime.timedelta(days=6),
                    "current": monday <= today <= monday + datetime.timedelta(days=6),
                    "sessions": [],
                }
            )
        weeks[-1]["sessions"].append(session)
    show_feed = own or has_right(request.user, Right.MANAGE)
    crumbs = (
        [("Lịch giảng dạy của tôi", None)]
        if own
        else [
            ("Giảng viên", reverse("giangvien:lecturer_list")),
            (lecturer.full_name, reverse("giangvien:lecturer_detail", args=[lecturer.pk])),
            ("Lịch giảng dạy", None),
        ]
    )
    return render(
        request,
        "lophoc/my_timetable.html",
        {
            "lecturer": lecturer,
            "own": own,
            "page_obj": page_obj,
            "weeks": weeks,
            "today": today,
            "from_date": start,
            "year": today.year,
            "year_periods": year["periods"] or 0,
            "year_sessions": year["count"],
            "feed_url": _feed_url(request, lecturer) if show_feed else "",
            "crumbs": crumbs,
        },
    )


@login_required
def my_timetable(request):
    require(request.user, Right.VIEW)
    lecturer = Lecturer.objects.filter(user=request.user).first()
    if lecturer is None:
        return render(
            request,
            "lophoc/my_timetable.html",
            {"lecturer": None, "crumbs": [("Lịch giảng dạy của tôi", None)]},
        )
    return _timetable_page(request, lecturer, own=True)


@login_required
def lecturer_timetable(request, pk):
    lecturer = get_visible_or_404(request.user, Lecturer.objects.all(), pk=pk)
    if lecturer.user_id == request.user.pk:
        return redirect("lophoc:my_timetable")
    if not has_right(request.user, Right.MANAGE):
        raise PermissionDenied("Chỉ cán bộ trung tâm xem được lịch giảng dạy của giảng viên khác.")
    return _timetable_page(request, lecturer, own=False)


@login_required
@require_POST
def calendar_rotate(request, pk):
    """A new secret address for the feed; the old one stops working at once."""
    lecturer = get_visible_or_404(request.user, Lecturer.objects.all(), pk=pk)
    own = lecturer.user_id == request.user.pk
    if not own and not has_right(request.user, Right.MANAGE):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    lecturer.rotate_calendar_token()
    messages.success(
        request,
        "Đã tạo đường dẫn lịch mới; đường dẫn cũ không còn dùng được. "
        "Hãy thêm lại lịch vào điện thoại hoặc ứng dụng lịch.",
    )
    if own:
        return redirect("lophoc:my_timetable")
    return redirect("lophoc:lecturer_timetable", lecturer.pk)


def calendar_feed(request, token):
    """No login: the secret token in the address is the key (DESIGN §12)."""
    lecturer = Lecturer.objects.filter(calendar_token=token, active=True).first()
    if lecturer is None or not secrets.compare_digest(
        lecturer.calendar_token.encode(), token.encode()
    ):
        raise Http404("Không tìm thấy lịch.")
    since = timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    sessions = sessions_in_order(
        Session.objects.filter(lecturer=lecturer, date__gte=since)
        .exclude(course__status=CourseStatus.CANCELLED)
        .select_related("course", "topic")
    )
    host = urlsplit(settings.PUBLIC_BASE_URL).hostname or "trungtam"
    body = lecturer_calendar(name=lecturer.full_name, sessions=sessions, host=host)
    response = file_download(
        body, "lich-giang-day.ics", inline=True, cache_control="private, max-age=300"
    )
    response["X-Robots-Tag"] = "noindex"
    return response
