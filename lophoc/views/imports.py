"""Nominee import from the class page: upload → preview → confirm (DESIGN §5 step 3, §9).

Between preview and confirm the uploaded file waits in the user's session (database-backed, so
nothing lives in process memory) with its SHA-256; confirm parses and checks it again under a lock
on the class, then writes everything in one transaction or nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
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
from lophoc.views.lookup import course_or_404
from lophoc.views.upload_flow import UploadFlow
from trungtam.documents.downloads import file_download
from trungtam.listing import paginate
from trungtam.scoping import Right, require

SESSION_KEY = "nhap_danh_sach_hoc_vien"
ROWS_PER_PAGE = 50
UPLOAD = UploadFlow(
    purpose=SESSION_KEY,
    upload_url="lophoc:import_upload",
    preview_url="lophoc:import_preview",
    waiting="file",
    uploaded="file danh sách",
    action="nhập danh sách",
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


@login_required
def import_upload(request, pk):
    course = course_or_404(request, pk, Right.IMPORT_EXPORT)
    refusal = course_refusal(course)
    form, received = UPLOAD.receive(request, course, NomineeUploadForm, refused=bool(refusal))
    if received:
        return received
    pending = UPLOAD.load(request, course)
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
    course = course_or_404(request, pk, Right.IMPORT_EXPORT)
    pending = UPLOAD.load(request, course)
    if pending is None:
        return UPLOAD.nothing_to_preview(request, course)
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
    course = course_or_404(request, pk, Right.IMPORT_EXPORT)
    pending = UPLOAD.load(request, course)
    turned_back = UPLOAD.confirm_refusal(request, course, pending)
    if turned_back:
        return turned_back
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
    UPLOAD.clear(request)
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
    course = course_or_404(request, pk, Right.IMPORT_EXPORT)
    UPLOAD.cancel(request)
    return redirect(_course_url(course))


@login_required
def import_template(request):
    """The blank list: no personal data, so a plain download (not logged as an export)."""
    require(request.user, Right.IMPORT_EXPORT)
    return file_download(nominee_template_xlsx(), TEMPLATE_FILENAME)
