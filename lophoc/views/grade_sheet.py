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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from lophoc.documents import document_filename
from lophoc.grade_sheet import (
    FRESH_SHEET,
    KEEP,
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
from lophoc.grade_sheet_forms import GradeSheetUploadForm
from lophoc.models import Course
from lophoc.scores import gradable_assessment_ids, grading_refusal
from lophoc.views.lookup import course_or_404
from lophoc.views.upload_flow import UploadFlow
from trungtam.documents.downloads import personal_data_download
from trungtam.listing import paginate
from trungtam.pending_upload import Pending
from trungtam.scoping import Right

SESSION_KEY = "nhap_bang_diem"
UPLOAD = UploadFlow(
    purpose=SESSION_KEY,
    upload_url="lophoc:grade_sheet_upload",
    preview_url="lophoc:grade_sheet_preview",
    waiting="bảng điểm",
    uploaded="bảng điểm",
    action="nhập bảng điểm",
)
CHANGES_PER_PAGE = 100
CHOICE_PREFIX = "chon-"  # chon-<cell key> = keep|sheet for one conflict
CHOICE_ALL = "chon-tat-ca"  # keep|sheet for every conflict without its own choice


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


def _seen_store(request, pending: Pending, seen: dict) -> None:
    UPLOAD.note(request, {"seen": {"sha256": pending.sha256, "cells": seen}})


def _seen_load(request, pending: Pending) -> dict | None:
    seen = pending.notes.get("seen")
    if not seen or seen.get("sha256") != pending.sha256:
        return None
    return seen["cells"]


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
    course = course_or_404(request, pk, Right.GRADES)
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
    course = course_or_404(request, pk, Right.GRADES)
    refusal = grade_sheet_refusal(course)
    form, received = UPLOAD.receive(request, course, GradeSheetUploadForm, refused=bool(refusal))
    if received:
        return received
    pending = UPLOAD.load(request, course)
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
    course = course_or_404(request, pk, Right.GRADES)
    pending = UPLOAD.load(request, course)
    if pending is None:
        return UPLOAD.nothing_to_preview(request, course)
    try:
        sheet = read_grade_sheet(pending.content, pending.filename)
    except GradeSheetUnreadable as error:
        return UPLOAD.discard(request, course, str(error))
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
    course = course_or_404(request, pk, Right.GRADES)
    pending = UPLOAD.load(request, course)
    seen = _seen_load(request, pending) if pending else None
    turned_back = UPLOAD.confirm_refusal(request, course, pending, seen=seen is not None)
    if turned_back:
        return turned_back
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
        return UPLOAD.discard(request, course, str(error))
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
    UPLOAD.clear(request)
    if plan.changes:
        messages.success(request, plan.summary())
    else:
        messages.info(request, plan.summary())
    return redirect(_url("lophoc:grade_grid", course.pk) or _course_url(course))


@login_required
@require_POST
def grade_sheet_cancel(request, pk):
    course = course_or_404(request, pk, Right.GRADES)
    UPLOAD.cancel(request)
    return redirect(_course_url(course))
