"""Lesson plan pages: a class's plans, upload per topic, review per version, download, the
leaders' queue and the centre's setting.

A lecturer reaches only the classes they teach (another class does not exist for them: 404) and,
inside one, only the topics they teach a session of (403 otherwise). Officials read no plans
(403); unit liaisons never reach a class (404) nor the centre's pages (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from giangvien.models import Lecturer
from lophoc.models import Session, Topic
from lophoc.timetable import sessions_in_order
from lophoc.views.lookup import course_or_404
from trungtam.document_files import KINDS, DocumentRefused
from trungtam.documents.downloads import file_download
from trungtam.listing import paginate
from trungtam.scoping import (
    Right,
    centre_chosen,
    get_visible_or_404,
    has_right,
    require,
    visible,
)

from . import coverage, plans
from .forms import ReviewForm, SettingsForm, UploadForm
from .models import LessonPlan, LessonPlanSettings, LessonPlanVersion, PlanStatus


def _course_url(course) -> str:
    return reverse("giaoan:course_plans", args=[course.pk])


def _crumbs(course, *tail) -> list:
    crumbs = [
        ("Lớp học", reverse("lophoc:course_list")),
        (course.code, reverse("lophoc:course_detail", args=[course.pk])),
        ("Giáo án", _course_url(course) if tail else None),
    ]
    return crumbs + list(tail)


def _topic(request, pk) -> Topic:
    """The topic in scope, for one who may upload its plan (404 outside, 403 inside)."""
    topic = get_visible_or_404(
        request.user, Topic.objects.select_related("course__centre", "course__program"), pk=pk
    )
    require(request.user, Right.PEOPLE)
    if not plans.may_upload(request.user, topic):
        raise PermissionDenied("Bạn chỉ tải giáo án lên cho chuyên đề mình giảng.")
    return topic


def _version(request, pk) -> LessonPlanVersion:
    version = get_visible_or_404(
        request.user,
        LessonPlanVersion.objects.select_related(
            "plan__topic__course__centre", "plan__topic__course__program", "lecturer", "uploaded_by"
        ),
        pk=pk,
    )
    require(request.user, Right.PEOPLE)
    return version


# --- a class's plans ---------------------------------------------------------------------------


@login_required
def course_plans(request, pk):
    course = course_or_404(request, pk, Right.PEOPLE)
    user = request.user
    topics = coverage.topics_with_plans(course)
    sessions = list(
        sessions_in_order(
            Session.objects.filter(course=course, topic__isnull=False).select_related("lecturer")
        )
    )
    manage = has_right(user, Right.MANAGE)
    own_topics = {s.topic_id for s in sessions if s.lecturer and s.lecturer.user_id == user.pk}
    if not manage:
        topics = [topic for topic in topics if topic.pk in own_topics]
    cover = coverage.topic_coverage(topics, plans_loaded=True)
    versions: dict[int, list] = {}
    for version in LessonPlanVersion.objects.filter(plan__topic__in=topics).select_related(
        "lecturer", "uploaded_by", "reviewed_by"
    ):
        versions.setdefault(version.plan_id, []).append(version)
    lecturers: dict[int, list] = {}
    for session in sessions:
        if session.lecturer and session.lecturer not in lecturers.get(session.topic_id, []):
            lecturers.setdefault(session.topic_id, []).append(session.lecturer)
    today = timezone.localdate()
    first, last = coverage.window(today)
    rows = []
    for topic in topics:
        cov = cover[topic.pk]
        rows.append(
            {
                "topic": topic,
                "coverage": cov,
                "versions": versions.get(cov.plan.pk, []) if cov.plan else [],
                "lecturers": lecturers.get(topic.pk, []),
                "missing": [
                    s
                    for s in sessions
                    if s.topic_id == topic.pk and first <= s.date <= last and not cov.approved
                ],
            }
        )
    return render(
        request,
        "giaoan/course_plans.html",
        {
            "course": course,
            "rows": rows,
            "can_review": plans.may_review(user),
            "can_upload": course.status != "cancelled",
            "reuse": plans.reuse_on(course.centre),
            "crumbs": _crumbs(course),
        },
    )


# --- upload -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    topic = _topic(request, pk)
    course = topic.course
    user = request.user
    refusal = plans.upload_refusal(topic)
    if refusal:
        messages.error(request, refusal)
        return redirect(_course_url(course))
    on_behalf = has_right(user, Right.MANAGE)
    lecturers = Lecturer.objects.filter(sessions__topic=topic).distinct().order_by("full_name")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        lecturers=lecturers if on_behalf else None,
    )
    if request.method == "POST" and form.is_valid():
        lecturer = form.cleaned_data.get("lecturer") if on_behalf else None
        if lecturer is None and not on_behalf:
            lecturer = Lecturer.objects.filter(user=user, centre=course.centre_id).first()
        try:
            version = plans.version_upload(
                topic=topic,
                content=form.content,
                filename=form.cleaned_data["file"].name,
                user=user,
                lecturer=lecturer,
            )
        except DocumentRefused as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(
                request,
                f"Đã tải lên giáo án chuyên đề «{topic.title}» (phiên bản {version.number}) "
                f"của lớp {course.code}: đang chờ lãnh đạo duyệt.",
            )
            return redirect(_course_url(course))
    plan = LessonPlan.objects.filter(topic=topic).select_related("latest").first()
    latest = plan.latest if plan else None
    return render(
        request,
        "giaoan/upload.html",
        {
            "form": form,
            "topic": topic,
            "course": course,
            "plan": plan,
            "latest": latest,
            "crumbs": _crumbs(course, (f"Tải lên: {topic.title}", None)),
        },
    )


# --- review -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    version = _version(request, pk)
    user = request.user
    if not plans.may_review(user):
        raise PermissionDenied("Chỉ lãnh đạo trung tâm duyệt giáo án.")
    plan = version.plan
    topic = plan.topic
    course = topic.course
    reuse = plans.reuse_on(course.centre)
    form = ReviewForm(request.POST or None, reuse=reuse, initial={"number": plan.latest_number})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plans.version_review(
                version=version,
                posted_number=data["number"],
                approve=data["decision"] == ReviewForm.APPROVE,
                comment=data["comment"],
                user=user,
                reusable=data.get("reusable", False),
            )
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                for name, errors in refused.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.error(request, " ".join(refused.messages))
                return redirect("giaoan:review", _latest_pk(plan))
        else:
            verb = "Đã duyệt" if data["decision"] == ReviewForm.APPROVE else "Đã trả lại"
            messages.success(
                request,
                f"{verb} giáo án chuyên đề «{topic.title}» (phiên bản {version.number}) "
                f"của lớp {course.code}.",
            )
            return redirect("giaoan:queue")
    history = list(
        plan.versions.select_related("lecturer", "uploaded_by", "reviewed_by").order_by("-number")
    )
    return render(
        request,
        "giaoan/review.html",
        {
            "form": form,
            "version": version,
            "plan": plan,
            "topic": topic,
            "course": course,
            "history": history,
            "reviewable": version.number == plan.latest_number
            and version.status == PlanStatus.PENDING,
            "crumbs": _crumbs(course, (f"Duyệt: {topic.title}", None)),
        },
    )


def _latest_pk(plan: LessonPlan) -> int:
    plan.refresh_from_db(fields=["latest"])
    return plan.latest_id


@login_required
@require_POST
def reusable(request, pk):
    plan = get_visible_or_404(
        request.user, LessonPlan.objects.select_related("topic__course"), pk=pk
    )
    require(request.user, Right.PEOPLE)
    if not plans.may_review(request.user):
        raise PermissionDenied("Chỉ lãnh đạo trung tâm đánh dấu giáo án dùng cho các lớp sau.")
    wanted = request.POST.get("dung_lai") == "1"
    try:
        plans.plan_mark_reusable(plan=plan, reusable=wanted, user=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request,
            f"Giáo án chuyên đề «{plan.topic.title}» "
            + ("được dùng cho các lớp sau." if wanted else "không còn dùng cho các lớp sau."),
        )
    return redirect(_course_url(plan.topic.course))


# --- download -----------------------------------------------------------------------------------


@login_required
def download(request, pk):
    version = _version(request, pk)
    topic = version.plan.topic
    if not plans.may_read(request.user, topic):
        raise PermissionDenied("Bạn chỉ xem giáo án của chuyên đề mình giảng.")
    try:
        with version.file.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        raise Http404("Không tìm thấy file giáo án.") from None
    kind = KINDS.get(version.kind)
    extension = kind.extension if kind else ""
    filename = (
        f"{topic.course.file_code}_giao-an_chuyen-de-{topic.order}_phien-ban-{version.number}"
        f"{extension}"
    )
    return file_download(content, filename)


# --- the leaders' queue -------------------------------------------------------------------------


@login_required
def queue(request):
    require(request.user, Right.MANAGE)
    today = timezone.localdate()
    waiting = (
        visible(request.user, LessonPlan.objects.filter(status=PlanStatus.PENDING))
        .select_related("topic__course")
        .annotate(
            next_session=Min("topic__session__date", filter=Q(topic__session__date__gte=today)),
        )
        .order_by("submitted_at", "next_session", "pk")
    )
    return render(
        request,
        "giaoan/queue.html",
        {
            "page_obj": paginate(request, waiting),
            "can_review": plans.may_review(request.user),
            "crumbs": [("Giáo án chờ duyệt", None)],
        },
    )


# --- the centre's setting -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    user = request.user
    require(user, Right.MANAGE)
    crumbs = [("Giáo án chờ duyệt", reverse("giaoan:queue")), ("Cài đặt", None)]
    centre, centres = centre_chosen(user, request.GET.get("trung_tam"))
    if centre is None:
        return render(
            request, "giaoan/settings.html", {"form": None, "centres": centres, "crumbs": crumbs}
        )
    editable = plans.may_review(user)
    if request.method == "POST" and not editable:
        raise PermissionDenied("Chỉ lãnh đạo trung tâm thay đổi cài đặt giáo án.")
    current = LessonPlanSettings.objects.filter(centre=centre).first()
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        editable=editable,
        initial={"reuse_approved": bool(current and current.reuse_approved)},
    )
    if request.method == "POST" and form.is_valid():
        plans.settings_save(centre=centre, reuse_approved=form.cleaned_data["reuse_approved"])
        messages.success(
            request,
            "Đã lưu: "
            + (
                "giáo án đã duyệt được dùng lại cho các lớp sau."
                if form.cleaned_data["reuse_approved"]
                else "không dùng lại giáo án đã duyệt cho các lớp sau."
            ),
        )
        url = reverse("giaoan:settings")
        return redirect(url if user.centre_id else f"{url}?trung_tam={centre.pk}")
    return render(
        request,
        "giaoan/settings.html",
        {
            "form": form,
            "centre": centre,
            "editable": editable,
            "crumbs": crumbs,
        },
    )
