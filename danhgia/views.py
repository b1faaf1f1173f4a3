"""Evaluation pages.

Public (no login): the form a trainee opens with a code. Every miss — a malformed, unknown or
used code — gets the same answer, is recorded against the address like a failed certificate check
(lophoc.verification), and too many misses answer 429 without a look-up.

Signed in: the class's results (staff all; officials aggregates; the class's lecturers the
class-level groups and their own block; nobody but staff reads comments; fewer than 5 answers:
counts only), the slips PDF and the paper forms (staff), the centre's questions (staff).
"""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from danhgia import evaluations, results, slips
from danhgia.forms import AnswerForm, CodeForm, NewQuestionForm, QuestionEditForm
from danhgia.models import GROUP_ORDER, MARK_LABELS, QuestionGroup
from giangvien.models import Lecturer
from lophoc.models import Course, CourseStatus
from lophoc.verification import verification_failure_record, verification_throttled
from lophoc.views.lookup import course_or_404
from lophoc.views.verification import public_name
from trungtam.documents.downloads import file_download
from trungtam.listing import paginate, year_param
from trungtam.models import Centre
from trungtam.scoping import Right, centre_chosen, has_right, require, visible

NOT_FOUND = (
    "Mã phiếu không dùng được: mã không đúng hoặc đã được dùng. Hãy kiểm tra lại mã in trên "
    "phiếu (8 ký tự); mỗi mã chỉ dùng được một lần."
)
EMPTY_CODE = "Hãy nhập mã phiếu in trên phiếu đánh giá (8 ký tự), rồi bấm «Mở phiếu đánh giá»."


# --- public ----------------------------------------------------------------------------------


def _public(request, template, context, status=200):
    course = context.get("course")
    context["public_name"] = course.centre.name if course else public_name()
    response = render(request, template, context, status=status)
    # Not for search engines, not cached; the code in the address never leaves the site as a
    # referrer. "same-origin", not "no-referrer": under "no-referrer" a browser sends
    # "Origin: null" with the form's POST and Django's CSRF check refuses it.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _code_page(request, not_found: str = ""):
    # A fresh box: a typed code is never written back.
    form = CodeForm()
    return _public(request, "danhgia/public_code.html", {"form": form, "not_found": not_found})


def _miss(request, address, typed: str):
    """The same answer for any miss; only a guess counts against the address."""
    if not typed.strip():
        return _code_page(request, EMPTY_CODE)
    if evaluations.is_guess(typed):
        verification_failure_record(address=address)
    return _code_page(request, NOT_FOUND)


@require_http_methods(["GET", "POST"])
def public_form(request):
    """GET without a code: the code box. GET ?ma=…: the form of the code's class. POST: store."""
    typed = (request.POST if request.method == "POST" else request.GET).get("ma")
    if typed is None:
        return _code_page(request)
    address = get_client_ip_address(request)
    if verification_throttled(address=address):
        return _public(request, "danhgia/public_throttled.html", {}, status=429)
    course = evaluations.code_course(typed)
    if course is None:
        return _miss(request, address, typed)
    refusal = evaluations.answer_refusal(course)
    if refusal:
        return _public(
            request, "danhgia/public_closed.html", {"course": course, "refusal": refusal}
        )
    content = evaluations.form_content(course)
    form = AnswerForm(request.POST if request.method == "POST" else None, content=content)
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.answer_submit(
                code=typed, marks=form.marks(), comments=form.cleaned_data["comments"]
            )
        except evaluations.CodeRefused:
            return _miss(request, address, typed)
        except evaluations.EvaluationRefused as refused:
            form.add_error(None, refused.messages)
        else:
            return _public(
                request,
                "danhgia/public_thanks.html",
                {"course": course, "links": slips.class_links(course)},
            )
    return _public(
        request,
        "danhgia/public_form.html",
        {"course": course, "form": form, "code": evaluations.normalize_code(typed)},
    )


# --- the class ----------------------------------------------------------------------------------


def _results_url(course: Course) -> str:
    return reverse("danhgia:course_results", args=[course.pk])


def _crumbs(course: Course, *tail):
    return [
        ("Lớp học", reverse("lophoc:course_list")),
        (course.code, reverse("lophoc:course_detail", args=[course.pk])),
        ("Đánh giá khóa học", _results_url(course) if tail else None),
        *tail,
    ]


@login_required
def course_list(request):
    """The classes of a year (?nam=, by their start) with their answers and overall mark: where
    staff, officials and lecturers (their own classes) find the evaluations."""
    user = request.user
    require(user, Right.VIEW)
    year = year_param(request, timezone.localdate().year)
    courses = (
        visible(user, Course.objects.filter(start_date__year=year))
        .exclude(status__in=[CourseStatus.PLANNED, CourseStatus.CANCELLED])
        .select_related("centre")
        .order_by("-start_date", "code", "pk")
    )
    page_obj = paginate(request, courses)
    return render(
        request,
        "danhgia/course_list.html",
        {
            "page_obj": page_obj,
            "lines": results.class_lines(list(page_obj.object_list)),
            "year": year,
            "all_centres": user.sees_all_centres,
            "min_answers": results.MIN_ANSWERS,
            "crumbs": [("Đánh giá khóa học", None)],
        },
    )


def own_lecturer_ids(user) -> set[int] | None:
    """The lecturer blocks a reader may see: a lecturer their own; everyone else all (None)."""
    if user.is_lecturer and not user.is_superuser:
        return set(Lecturer.objects.filter(user=user).values_list("pk", flat=True))
    return None


@login_required
def course_results(request, pk):
    course = course_or_404(request, pk, Right.VIEW)
    user = request.user
    can_manage = has_right(user, Right.MANAGE)
    figures = results.class_results(
        course, lecturer_ids=own_lecturer_ids(user), with_comments=can_manage
    )
    return render(
        request,
        "danhgia/course_results.html",
        {
            "course": course,
            "figures": figures,
            "can_manage": can_manage,
            "min_answers": results.MIN_ANSWERS,
            "mark_labels": [MARK_LABELS[value] for value in range(5, 0, -1)],
            "crumbs": _crumbs(course),
        },
    )


@login_required
@require_POST
def course_slips(request, pk):
    """POST: codes are made (topped up to the active enrolments), then the PDF of the unused."""
    course = course_or_404(request, pk, Right.MANAGE)
    try:
        codes = evaluations.codes_top_up(course=course)
    except evaluations.EvaluationRefused as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(_results_url(course))
    if not codes:
        messages.warning(
            request,
            f"Mọi mã phiếu của lớp {course.code} đã được dùng: không còn phiếu mã nào để in.",
        )
        return redirect(_results_url(course))
    return file_download(slips.slips_pdf(course, codes), slips.slips_filename(course))


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, pk):
    course = course_or_404(request, pk, Right.MANAGE)
    content = evaluations.form_content(course)
    form = AnswerForm(request.POST or None, content=content)
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.paper_answer_create(
                course=course, marks=form.marks(), comments=form.cleaned_data["comments"]
            )
        except evaluations.EvaluationRefused as refused:
            form.add_error(None, refused.messages)
        else:
            messages.success(request, f"Đã lưu một phiếu giấy của lớp {course.code}.")
            if "nhap_tiep" in request.POST:
                return redirect(reverse("danhgia:paper_entry", args=[course.pk]))
            return redirect(_results_url(course))
    answers, codes = results.class_counts(course)
    return render(
        request,
        "danhgia/paper_entry.html",
        {
            "course": course,
            "form": form,
            "answers": answers,
            "limit": evaluations.answer_limit(course),
            "refusal": evaluations.paper_refusal(course, answers),
            "crumbs": _crumbs(course, ("Nhập phiếu giấy", None)),
        },
    )


# --- the centre's questions -------------------------------------------------------------------


def _questions_centre(request) -> Centre:
    user = request.user
    require(user, Right.MANAGE)
    chosen = request.GET.get("trung_tam") or request.POST.get("trung_tam")
    centre, centres = centre_chosen(user, chosen)
    # One who sees every centre works on the first until they choose another.
    centre = centre or next(iter(centres or []), None)
    if centre is None:
        raise Http404("Không tìm thấy trung tâm.")
    return centre


@login_required
@require_http_methods(["GET", "POST"])
def questions(request):
    centre = _questions_centre(request)
    evaluations.questions_ensure(centre)
    records = list(evaluations.questions_of(centre))
    records.sort(key=lambda q: (GROUP_ORDER.index(q.group), q.order, q.pk))
    posted = request.POST if request.method == "POST" else None
    adding = posted is not None and "them" in posted
    edit_forms = [
        QuestionEditForm(posted if (posted is not None and not adding) else None, instance=q)
        for q in records
    ]
    new_form = NewQuestionForm(posted if adding else None)
    if posted is not None:
        if adding and new_form.is_valid():
            evaluations.question_add(
                centre=centre,
                group=new_form.cleaned_data["group"],
                text=new_form.cleaned_data["text"],
            )
            messages.success(request, "Đã thêm câu hỏi vào phiếu đánh giá.")
            return redirect(request.get_full_path())
        if not adding and all(form.is_valid() for form in edit_forms):
            with transaction.atomic():
                for form in edit_forms:
                    if form.has_changed():
                        form.save()
            messages.success(request, "Đã lưu phiếu đánh giá của trung tâm.")
            return redirect(request.get_full_path())
    groups = [
        (QuestionGroup(group).label, [f for f in edit_forms if f.instance.group == group])
        for group in GROUP_ORDER
    ]
    return render(
        request,
        "danhgia/questions.html",
        {
            "centre": centre,
            "groups": groups,
            "new_form": new_form,
            "crumbs": [("Phiếu đánh giá khóa học", None)],
        },
    )
