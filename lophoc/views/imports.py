"""Nominee import from the class page: upload → preview → confirm (DESIGN §5 step 3, §9).

Between preview and confirm the uploaded file waits in the user's session (database-backed, so
nothing lives in process memory) with its SHA-256; confirm parses and checks it again under a lock
on the class, then writes everything in one transaction or nothing.
"""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_POST

from lophoc.import_forms import NomineeUploadForm, confirmed_matches
from lophoc.models import Course
from lophoc.nominee_import import (
    COLUMNS,
    MAX_ROWS,
    TEMPLATE_FILENAME,
    ImportRefused,
    course_refusal,
    nominee_import_apply,
    nominee_import_plan,
    nominee_template_xlsx,
    parse_nominee_file,
)
from trungtam.documents.downloads import CONTENT_TYPES
from trungtam.listing import paginate
from trungtam.pending_upload import Pending, pending_clear, pending_load, pending_store
from trungtam.scoping import Right, get_for_right_or_404, require

SESSION_KEY = "nhap_danh_sach_hoc_vien"
ROWS_PER_PAGE = 50


def _course(request, pk) -> Course:
    return get_for_right_or_404(
        request.user,
        Course.objects.select_related("centre", "program"),
        Right.IMPORT_EXPORT,
        pk=pk,
    )


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _course_url(course: Course) -> str:
    return _url("lophoc:course_detail", course.pk) or reverse(
        "admin:lophoc_course_change", args=[course.pk]
    )


def _crumbs(course: Course, *last) -> list:
    return [("Lớp học", _url("lophoc:course_list")), (course.code, _course_url(course)), *last]


def _pending_store(request, course: Course, filename: str, content: bytes) -> None:
    pending_store(request, SESSION_KEY, course_id=course.pk, filename=filename, content=content)


def _pending_load(request, course: Course) -> Pending | None:
    return pending_load(request, SESSION_KEY, course_id=course.pk)


def _pending_clear(request) -> None:
    pending_clear(request, SESSION_KEY)


@login_required
def import_upload(request, pk):
    course = _course(request, pk)
    refusal = course_refusal(course)
    action = reverse("lophoc:import_upload", args=[course.pk])
    if request.method == "POST" and not refusal:
        form = NomineeUploadForm(request.POST, request.FILES, action=action)
        if form.is_valid():
            _pending_store(request, course, form.cleaned_data["file"].name, form.content)
            return redirect("lophoc:import_preview", pk=course.pk)
    else:
        form = NomineeUploadForm(action=action)
    pending = _pending_load(request, course)
    return render(
        request,
        "lophoc/import_upload.html",
        {
            "course": course,
            "form": form,
            "refusal": refusal,
            "pending_filename": pending.filename if pending else "",
            "columns": COLUMNS,
            "max_rows": MAX_ROWS,
            "course_url": _course_url(course),
            "crumbs": _crumbs(course, ("Nhập danh sách", None)),
        },
    )


@login_required
def import_preview(request, pk):
    course = _course(request, pk)
    pending = _pending_load(request, course)
    if pending is None:
        messages.info(request, "Chưa có file danh sách nào đang chờ xem trước; hãy tải file lên.")
        return redirect("lophoc:import_upload", pk=course.pk)
    parsed = parse_nominee_file(pending.content, pending.filename)
    plan = nominee_import_plan(course=course, parsed=parsed, propose=True)
    return _render_preview(request, course, plan, pending, plan.problems)


def _render_preview(request, course, plan, pending, problems):
    action = reverse("lophoc:import_upload", args=[course.pk])
    return render(
        request,
        "lophoc/import_preview.html",
        {
            "course": course,
            "plan": plan,
            "problems": problems,
            "notes": plan.notes,
            "totals": plan.totals,
            "new_units": list(plan.new_units.values()),
            "proposals": plan.proposals,
            "page_obj": paginate(request, plan.rows, per_page=ROWS_PER_PAGE),
            "pending": pending,
            "form": NomineeUploadForm(action=action),
            "course_url": _course_url(course),
            "crumbs": _crumbs(
                course,
                ("Nhập danh sách", reverse("lophoc:import_upload", args=[course.pk])),
                ("Xem trước", None),
            ),
        },
    )


@login_required
@require_POST
def import_confirm(request, pk):
    course = _course(request, pk)
    pending = _pending_load(request, course)
    if pending is None:
        messages.warning(
            request,
            "Không còn file nào chờ xác nhận (đã ghi, đã hủy hoặc quá hạn 2 giờ); "
            "hãy tải file lên lại.",
        )
        return redirect("lophoc:import_upload", pk=course.pk)
    if request.POST.get("sha256") != pending.sha256:
        messages.warning(
            request,
            "File đang chờ đã thay đổi (có thể bạn vừa tải một file khác ở cửa sổ khác). "
            "Hãy xem lại bản xem trước rồi xác nhận.",
        )
        return redirect("lophoc:import_preview", pk=course.pk)
    parsed = parse_nominee_file(pending.content, pending.filename)
    try:
        result = nominee_import_apply(
            course=course,
            parsed=parsed,
            user=request.user,
            propose=True,
            confirmed=confirmed_matches(request.POST),
        )
    except ImportRefused as refused:
        messages.error(request, "Chưa ghi gì: dữ liệu có lỗi khi kiểm tra lại lúc xác nhận.")
        plan = refused.plan or nominee_import_plan(course=course, parsed=parsed, propose=True)
        return _render_preview(request, course, plan, pending, refused.problems)
    _pending_clear(request)
    messages.success(request, result.summary)
    if result.plan.notes:
        messages.warning(
            request,
            f"{len(result.plan.notes)} lưu ý đã nêu ở bản xem trước (hồ sơ khác với file, đơn vị "
            "đã sáp nhập): hồ sơ học viên được giữ nguyên, hãy sửa hồ sơ nếu file đúng.",
        )
    return redirect(_course_url(course))


@login_required
@require_POST
def import_cancel(request, pk):
    course = _course(request, pk)
    _pending_clear(request)
    messages.info(request, "Đã hủy nhập danh sách; không có gì được ghi.")
    return redirect(_course_url(course))


@login_required
def import_template(request):
    """The blank list: no personal data, so a plain download (not logged as an export)."""
    require(request.user, Right.IMPORT_EXPORT)
    return FileResponse(
        BytesIO(nominee_template_xlsx()),
        as_attachment=True,
        filename=TEMPLATE_FILENAME,
        content_type=CONTENT_TYPES["xlsx"],
    )


urlpatterns = [
    path("<int:pk>/nhap-danh-sach/", import_upload, name="import_upload"),
    path("<int:pk>/nhap-danh-sach/xem-truoc/", import_preview, name="import_preview"),
    path("<int:pk>/nhap-danh-sach/xac-nhan/", import_confirm, name="import_confirm"),
    path("<int:pk>/nhap-danh-sach/huy/", import_cancel, name="import_cancel"),
    path("mau-danh-sach-hoc-vien/", import_template, name="import_template"),
]
