"""Grades of a class: the grid (nhập điểm), submission (nộp điểm), sending back, history, overview.

Staff see and grade every class of their centre; lecturers the classes they teach, writing only
the assessments DESIGN §7 gives them; officials read figures only, never the grid (403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lophoc.filters import GradingOverviewFilterSet
from lophoc.grading import (
    GradeConflict,
    assessment_return,
    assessments_submit,
    grading_overview_courses,
    grading_permission,
    grid_enrolments,
    grid_scores,
    is_late,
    missing_scores,
    return_refusal,
    score_changes,
    score_history,
    scores_save,
    submittable_assessments,
)
from lophoc.grading_forms import GradeGrid, ReturnForm, SubmitForm
from lophoc.models import Assessment, Course
from lophoc.scores import gradable_assessment_ids, grading_refusal
from lophoc.views.lookup import course_or_404
from trungtam.listing import paginate
from trungtam.scoping import Right, get_visible_or_404, has_right, require, visible


def _course_url(course: Course) -> str:
    return reverse("lophoc:course_detail", args=[course.pk]) + "#diem"


def _crumbs(course: Course, label: str, *middle):
    return [
        ("Lớp học", reverse("lophoc:course_list")),
        (course.code, reverse("lophoc:course_detail", args=[course.pk])),
        *middle,
        (label, None),
    ]


def _refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- the grid --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def grade_grid(request, pk):
    user = request.user
    course = course_or_404(request, pk)
    require(user, Right.PEOPLE)  # officials read figures, never the grid of names and scores
    if request.method == "POST":
        require(user, Right.GRADES)
    refusal = grading_refusal(course)
    assessments = list(course.assessments.select_related("grader", "submitted_by"))
    writable = set() if refusal else gradable_assessment_ids(user, course, assessments)
    enrolments = grid_enrolments(course)
    scores = grid_scores(course)
    grid = GradeGrid(
        enrolments=enrolments,
        assessments=assessments,
        scores=scores,
        writable=writable,
        data=request.POST if request.method == "POST" else None,
    )
    if request.method == "POST":
        # A crafted cell of an assessment that was never this user's: refused before anything.
        allowed, submitted = grading_permission(user, course, assessments)
        if grid.posted_assessment_ids() - allowed - submitted:
            raise PermissionDenied("Bạn không được nhập điểm cho bài kiểm tra này.")
        if refusal:
            messages.error(request, f"Chưa lưu điểm. {refusal}")
            return redirect("lophoc:grade_grid", course.pk)
        if not grid.is_valid():
            messages.error(
                request,
                f"Chưa lưu gì: {grid.error_count} ô điểm cần sửa (đánh dấu đỏ, xem thông báo "
                "dưới từng ô).",
            )
        else:
            try:
                changed = scores_save(course=course, user=user, edits=grid.edits())
            except GradeConflict as conflict:
                grid.rebase(scores=grid_scores(course), conflicts=conflict.conflicts)
                messages.warning(
                    request,
                    f"Chưa lưu gì: {len(conflict.conflicts)} ô điểm đã được người khác lưu sau "
                    "khi bạn mở trang (tô vàng). Ở mỗi ô, chọn giữ điểm của bạn hoặc lấy điểm đã "
                    "lưu, rồi lưu lại.",
                )
            except ValidationError as error:
                messages.error(request, _refusal_text(error))
            else:
                if changed:
                    messages.success(request, f"Đã lưu {changed} ô điểm của lớp {course.code}.")
                else:
                    messages.info(request, "Không có ô điểm nào thay đổi.")
                return redirect("lophoc:grade_grid", course.pk)
    can_submit = bool(submittable_assessments(user, course, assessments))
    return render(
        request,
        "lophoc/grade_grid.html",
        {
            "course": course,
            "grid": grid,
            "columns": grid.columns,
            "rows": grid.rows(),
            "assessments": assessments,
            "read_only": refusal,
            "can_write": bool(writable),
            "can_submit": can_submit,
            "course_url": _course_url(course),
            "crumbs": _crumbs(course, "Nhập điểm"),
        },
    )


# --- submission and sending back --------------------------------------------------------------


def _submission(request, pk):
    """The class, and the assessments this user may submit now (a message and None if none)."""
    user = request.user
    course = course_or_404(request, pk)
    require(user, Right.GRADES)
    choices = submittable_assessments(
        user, course, list(course.assessments.select_related("grader"))
    )
    if not choices:
        refusal = grading_refusal(course)
        messages.error(
            request, refusal or "Không có bài kiểm tra nào của bạn đang chờ nộp điểm ở lớp này."
        )
    return course, choices


def _submit_action(course: Course) -> str:
    return reverse("lophoc:grade_submit", args=[course.pk])


def _return_action(assessment: Assessment) -> str:
    return reverse("lophoc:grade_return", args=[assessment.pk])


def _submit_page(request, course, choices, form):
    missing = missing_scores(course, [a.pk for a in choices])
    return render(
        request,
        "lophoc/grade_submit.html",
        {
            "course": course,
            "form": form,
            "choices": [(a, missing[a.pk]) for a in choices],
            "course_url": _course_url(course),
            "crumbs": _crumbs(
                course,
                "Nộp điểm",
                ("Nhập điểm", reverse("lophoc:grade_grid", args=[course.pk])),
            ),
        },
    )


@login_required
@require_GET
def grade_submit_confirm(request, pk):
    """The confirmation step of nộp điểm: what will be submitted and what is still missing."""
    course, choices = _submission(request, pk)
    if not choices:
        return redirect(_course_url(course))
    return _submit_page(
        request, course, choices, SubmitForm(assessments=choices, action=_submit_action(course))
    )


@login_required
@require_POST
def grade_submit(request, pk):
    course, choices = _submission(request, pk)
    if not choices:
        return redirect(_course_url(course))
    form = SubmitForm(request.POST, assessments=choices, action=_submit_action(course))
    if form.is_valid():
        try:
            submitted = assessments_submit(
                course=course, user=request.user, assessment_ids=form.cleaned_data["assessments"]
            )
        except ValidationError as error:
            form.add_error(None, _refusal_text(error))
        else:
            names = ", ".join(f"«{a.name}»" for a in submitted)
            messages.success(
                request,
                f"Đã nộp điểm {names} của lớp {course.code}. Muốn sửa lại, hãy đề nghị cán bộ "
                "trung tâm trả lại bài.",
            )
            return redirect(_course_url(course))
    return _submit_page(request, course, choices, form)


def _returning(request, pk) -> Assessment:
    assessment = get_visible_or_404(
        request.user,
        Assessment.objects.select_related("course__centre", "course__program", "submitted_by"),
        pk=pk,
    )
    require(request.user, Right.CLOSE)
    return assessment


def _return_page(request, assessment, form):
    course = assessment.course
    return render(
        request,
        "lophoc/grade_return.html",
        {
            "course": course,
            "assessment": assessment,
            "form": form,
            "course_url": _course_url(course),
            "crumbs": _crumbs(course, f"Trả lại «{assessment.name}»"),
        },
    )


@login_required
@require_GET
def grade_return_confirm(request, pk):
    """The confirmation step of trả lại, where staff write the reason."""
    assessment = _returning(request, pk)
    refusal = return_refusal(assessment)
    if refusal:
        messages.error(request, refusal)
        return redirect(_course_url(assessment.course))
    return _return_page(request, assessment, ReturnForm(action=_return_action(assessment)))


@login_required
@require_POST
def grade_return(request, pk):
    assessment = _returning(request, pk)
    course = assessment.course
    form = ReturnForm(request.POST, action=_return_action(assessment))
    if form.is_valid():
        try:
            assessment_return(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, _refusal_text(error))
                return redirect(_course_url(course))
            for errors in error.error_dict.values():
                form.add_error("reason", errors)
        else:
            messages.success(
                request,
                f"Đã trả lại bài «{assessment.name}» của lớp {course.code} để giảng viên nhập "
                "tiếp điểm.",
            )
            return redirect(_course_url(course))
    return _return_page(request, assessment, form)


# --- history ---------------------------------------------------------------------------------


@login_required
def grade_history(request, pk):
    course = course_or_404(request, pk)
    require(request.user, Right.PEOPLE)
    page_obj = paginate(request, score_history(course))
    return render(
        request,
        "lophoc/grade_history.html",
        {
            "course": course,
            "page_obj": page_obj,
            "changes": score_changes(page_obj.object_list),
            "course_url": _course_url(course),
            "crumbs": _crumbs(course, "Lịch sử sửa điểm"),
        },
    )


# --- staff overview --------------------------------------------------------------------------


@login_required
def grading_overview(request):
    user = request.user
    require(user, Right.CLOSE)
    today = timezone.localdate()
    filters = GradingOverviewFilterSet(
        request.GET, grading_overview_courses(visible(user, Course.objects.all())), request=request
    )
    page_obj = paginate(request, filters.qs.order_by("end_date", "code", "id"))
    rows = [(course, is_late(course, today)) for course in page_obj.object_list]
    return render(
        request,
        "lophoc/grade_overview.html",
        {
            "form": filters.form,
            "page_obj": page_obj,
            "rows": rows,
            "filtered": filters.filtered,
            "all_centres": user.sees_all_centres,
            "can_manage": has_right(user, Right.MANAGE),
            "today": today,
            "crumbs": [
                ("Lớp học", reverse("lophoc:course_list")),
                ("Theo dõi chấm điểm", None),
            ],
        },
    )
