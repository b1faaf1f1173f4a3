"""The offline grade sheet from the class page: download → fill in Excel → upload → preview →
confirm (DESIGN §9 "Grade sheet").

Whoever may enter grades in the grid may use the sheet, with the same limits: staff every
assessment, a lecturer only theirs (lophoc/scores.py). Between preview and confirm the uploaded
file waits in the user's session (database-backed, nothing in process memory) with its SHA-256 and
the old value of every cell the preview showed changing; confirm reads and compares it again under
a lock on the class and writes everything in one transaction, or nothing when someone else has
changed one of those cells in between. A cell changed in the sheet and, since the download, in the
app too is a conflict: the preview shows it with both values, and confirm writes nothing until the
person has chosen for each one (or for all) to keep the app's value or take the sheet's.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.views.decorators.http import require_POST

from lophoc.documents import document_filename
from lophoc.grade_sheet import (
    ACCEPTED_EXTENSIONS,
    FRESH_SHEET,
    KEEP,
    MAX_FILE_BYTES,
    TAKE,
    GradeSheetChoiceNeeded,
    GradeSheetConflict,
    GradeSheetRefused,
    GradeSheetUnreadable,
    grade_sheet_apply,
    grade_sheet_file,
    grade_sheet_plan,
    grade_sheet_refusal,
    read_grade_sheet,
    sheet_assessments,
)
from lophoc.models import Course
from lophoc.nominee_import.reading import too_large
from lophoc.scores import gradable_assessment_ids, grading_refusal
from trungtam.documents.downloads import personal_data_download
from trungtam.listing import paginate
from trungtam.pending_upload import (
    Pending,
    pending_clear,
    pending_load,
    pending_note,
    pending_store,
)
from trungtam.scoping import Right, get_for_right_or_404

SESSION_KEY = "nhap_bang_diem"
CHANGES_PER_PAGE = 100
CHOICE_PREFIX = "chon-"  # chon-<cell key> = keep|sheet for one conflict
CHOICE_ALL = "chon-tat-ca"  # keep|sheet for every conflict without its own choice


class GradeSheetUploadForm(forms.Form):
    file = forms.FileField(
        label="File bảng điểm",
        help_text=(
            "File Excel (.xlsx) đã tải về từ trang này và nhập điểm, tối đa "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Chưa ghi gì cho đến khi bạn xem trước và bấm "
            "xác nhận."
        ),
        error_messages={
            "required": "Hãy chọn file bảng điểm (.xlsx) để tải lên.",
            "empty": "File rỗng (0 byte). Hãy chọn lại đúng file bảng điểm.",
            "invalid": "Không nhận được file; hãy chọn lại file rồi bấm tải lên.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.content = b""
        self.helper = FormHelper()
        if action:
            self.helper.form_action = action
        self.helper.add_input(Submit("submit", "Tải lên và xem trước"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"{too_large(upload.size, MAX_FILE_BYTES, name)} Bảng điểm của một lớp chỉ nặng "
                "vài chục KB: hãy tải bảng điểm mới của lớp và nhập điểm vào đó."
            )
        content = upload.read()
        try:
            read_grade_sheet(content, name)
        except GradeSheetUnreadable as error:
            raise forms.ValidationError(str(error)) from None
        self.content = content
        return upload


def _course(request, pk) -> Course:
    """The class in scope (404 outside it), then the right to enter grades (403 without it)."""
    return get_for_right_or_404(
        request.user, Course.objects.select_related("centre", "program"), Right.GRADES, pk=pk
    )


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _course_url(course: Course) -> str:
    return reverse("lophoc:course_detail", args=[course.pk]) + "#diem"


def _crumbs(course: Course, *last) -> list:
    return [
        ("Lớp học", reverse("lophoc:course_list")),
        (course.code, reverse("lophoc:course_detail", args=[course.pk])),
        *last,
    ]


def _pending_store(request, course: Course, filename: str, content: bytes) -> None:
    pending_store(request, SESSION_KEY, course_id=course.pk, filename=filename, content=content)


def _pending_load(request, course: Course) -> Pending | None:
    return pending_load(request, SESSION_KEY, course_id=course.pk)


def _seen_store(request, pending: Pending, seen: dict) -> None:
    pending_note(request, SESSION_KEY, {"seen": {"sha256": pending.sha256, "cells": seen}})


def _seen_load(request, pending: Pending) -> dict | None:
    seen = pending.notes.get("seen")
    if not seen or seen.get("sha256") != pending.sha256:
        return None
    return seen["cells"]


def _pending_clear(request) -> None:
    pending_clear(request, SESSION_KEY)


def _choices(post) -> tuple[dict[str, str], str | None]:
    """The person's choices for conflicts in the confirm form: ({cell key: keep|sheet}, for all)."""
    chosen = {
        name.removeprefix(CHOICE_PREFIX): value
        for name, value in post.items()
        if name.startswith(CHOICE_PREFIX) and name != CHOICE_ALL and value in (KEEP, TAKE)
    }
    for_all = post.get(CHOICE_ALL)
    return chosen, for_all if for_all in (KEEP, TAKE) else None


def _writable_names(user, course: Course) -> list[str] | None:
    """Names of the assessments this user may write; None when they may write all of them."""
    assessments = sheet_assessments(course)
    writable = gradable_assessment_ids(user, course, assessments)
    if len(writable) == len(assessments):
        return None
    return [a.name for a in assessments if a.pk in writable]


@login_required
def grade_sheet_download(request, pk):
    """The sheet to fill in; only the cells this user may write are left unlocked."""
    course = _course(request, pk)
    if grading_refusal(course):
        editable = set()  # grades cannot be changed now: every cell locked
    else:
        editable = gradable_assessment_ids(request.user, course, sheet_assessments(course))
    content, rows = grade_sheet_file(course, editable=editable)
    return personal_data_download(
        request,
        content=content,
        filename=document_filename(course, "grades", "xlsx"),
        description=f"Bảng điểm (để nhập điểm) lớp {course.code} (XLSX)",
        centre=course.centre,
        rows=rows,
    )


@login_required
def grade_sheet_upload(request, pk):
    course = _course(request, pk)
    refusal = grade_sheet_refusal(course)
    action = reverse("lophoc:grade_sheet_upload", args=[course.pk])
    if request.method == "POST" and not refusal:
        form = GradeSheetUploadForm(request.POST, request.FILES, action=action)
        if form.is_valid():
            _pending_store(request, course, form.cleaned_data["file"].name, form.content)
            return redirect("lophoc:grade_sheet_preview", pk=course.pk)
    else:
        form = GradeSheetUploadForm(action=action)
    pending = _pending_load(request, course)
    return render(
        request,
        "lophoc/grade_sheet_upload.html",
        {
            "course": course,
            "form": form,
            "refusal": refusal,
            "writable_names": None if refusal else _writable_names(request.user, course),
            "pending_filename": pending.filename if pending else "",
            "grid_url": _url("lophoc:grade_grid", course.pk),
            "course_url": _course_url(course),
            "crumbs": _crumbs(course, ("Nhập điểm từ bảng điểm Excel", None)),
        },
    )


@login_required
def grade_sheet_preview(request, pk):
    course = _course(request, pk)
    pending = _pending_load(request, course)
    if pending is None:
        messages.info(request, "Chưa có bảng điểm nào đang chờ xem trước; hãy tải file lên.")
        return redirect("lophoc:grade_sheet_upload", pk=course.pk)
    try:
        sheet = read_grade_sheet(pending.content, pending.filename)
    except GradeSheetUnreadable as error:
        _pending_clear(request)
        messages.error(request, str(error))
        return redirect("lophoc:grade_sheet_upload", pk=course.pk)
    plan = grade_sheet_plan(course=course, sheet=sheet, editor=request.user)
    _seen_store(request, pending, plan.seen)
    return _render_preview(request, course, plan, pending)


def _render_preview(
    request, course, plan, pending, conflicts=(), *, choices=None, for_all=None, unresolved=()
):
    action = reverse("lophoc:grade_sheet_upload", args=[course.pk])
    choices = choices or {}
    return render(
        request,
        "lophoc/grade_sheet_preview.html",
        {
            "course": course,
            "plan": plan,
            "pending": pending,
            "conflicts": conflicts,
            "conflict_rows": [
                {
                    "change": change,
                    "choice": choices.get(change.key, ""),
                    "unresolved": change.key in unresolved,
                }
                for change in plan.conflicts
            ],
            "choice_for_all": for_all or "",
            "choice_prefix": CHOICE_PREFIX,
            "choice_all": CHOICE_ALL,
            "keep": KEEP,
            "take": TAKE,
            "fresh_sheet": FRESH_SHEET if plan.needs_fresh_sheet else "",
            "page_obj": paginate(request, plan.changes, per_page=CHANGES_PER_PAGE),
            "form": GradeSheetUploadForm(action=action),
            "course_url": _course_url(course),
            "crumbs": _crumbs(
                course,
                ("Nhập điểm từ bảng điểm Excel", action),
                ("Xem trước", None),
            ),
        },
    )


@login_required
@require_POST
def grade_sheet_confirm(request, pk):
    course = _course(request, pk)
    pending = _pending_load(request, course)
    if pending is None:
        messages.warning(
            request,
            "Không còn bảng điểm nào chờ xác nhận (đã ghi, đã hủy hoặc quá hạn 2 giờ); "
            "hãy tải bảng điểm lên lại.",
        )
        return redirect("lophoc:grade_sheet_upload", pk=course.pk)
    seen = _seen_load(request, pending)
    if request.POST.get("sha256") != pending.sha256 or seen is None:
        messages.warning(
            request,
            "Bảng điểm đang chờ đã thay đổi (có thể bạn vừa tải một file khác ở cửa sổ khác). "
            "Hãy xem lại bản xem trước rồi xác nhận.",
        )
        return redirect("lophoc:grade_sheet_preview", pk=course.pk)
    choices, for_all = _choices(request.POST)
    try:
        sheet = read_grade_sheet(pending.content, pending.filename)
        plan = grade_sheet_apply(
            course=course,
            sheet=sheet,
            user=request.user,
            editor=request.user,
            seen=seen,
            choices=choices,
            choice_for_all=for_all,
        )
    except GradeSheetUnreadable as error:
        _pending_clear(request)
        messages.error(request, str(error))
        return redirect("lophoc:grade_sheet_upload", pk=course.pk)
    except GradeSheetConflict as conflict:
        messages.error(
            request,
            f"Chưa ghi gì: {len(conflict.conflicts)} ô điểm đã bị người khác sửa sau khi bạn xem "
            "trước. Bản xem trước dưới đây đã cập nhật theo điểm đang lưu; hãy xem lại rồi xác "
            "nhận, hoặc tải bảng điểm mới về để nhập lại.",
        )
        _seen_store(request, pending, conflict.plan.seen)
        moved = {change.key for change in conflict.conflicts}
        return _render_preview(
            request,
            course,
            conflict.plan,
            pending,
            conflict.lines,
            # A choice made against a value that has moved since is asked again.
            choices={key: value for key, value in choices.items() if key not in moved},
        )
    except GradeSheetChoiceNeeded as needed:
        messages.error(
            request,
            f"Chưa ghi gì: còn {len(needed.unresolved)} ô điểm người khác đã sửa sau khi bạn tải "
            "bảng điểm mà bạn chưa chọn giữ điểm đang lưu hay lấy điểm trong bảng điểm. Hãy chọn "
            "cho từng ô (hoặc cho tất cả) rồi xác nhận lại.",
        )
        return _render_preview(
            request,
            course,
            needed.plan,
            pending,
            choices=choices,
            for_all=for_all,
            unresolved={change.key for change in needed.unresolved},
        )
    except GradeSheetRefused as refused:
        messages.error(request, "Chưa ghi gì: bảng điểm không còn hợp lệ khi kiểm tra lại.")
        return _render_preview(request, course, refused.plan, pending)
    _pending_clear(request)
    if plan.changes:
        messages.success(request, plan.summary())
    else:
        messages.info(request, plan.summary())
    return redirect(_url("lophoc:grade_grid", course.pk) or _course_url(course))


@login_required
@require_POST
def grade_sheet_cancel(request, pk):
    course = _course(request, pk)
    _pending_clear(request)
    messages.info(request, "Đã hủy nhập bảng điểm; không có gì được ghi.")
    return redirect(_course_url(course))


urlpatterns = [
    path("<int:pk>/diem/bang-diem.xlsx", grade_sheet_download, name="grade_sheet_download"),
    path("<int:pk>/diem/nhap-bang-diem/", grade_sheet_upload, name="grade_sheet_upload"),
    path(
        "<int:pk>/diem/nhap-bang-diem/xem-truoc/",
        grade_sheet_preview,
        name="grade_sheet_preview",
    ),
    path(
        "<int:pk>/diem/nhap-bang-diem/xac-nhan/",
        grade_sheet_confirm,
        name="grade_sheet_confirm",
    ),
    path("<int:pk>/diem/nhap-bang-diem/huy/", grade_sheet_cancel, name="grade_sheet_cancel"),
]
