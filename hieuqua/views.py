"""Pages of the follow-up after a class (đánh giá hiệu quả sau đào tạo).

Staff (Right.MANAGE) list the classes whose follow-up is due, open a class's follow-up, close or
reopen it and set the centre's delay. A unit's answer page is opened by its liaison (Right.UNIT,
only units of its family: other units do not exist for it) and by staff typing the unit's letter.
Everything is found through `visible()`: another centre's class or unit is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from hieuqua import followups
from hieuqua.forms import AnswerForm, SettingForm
from hocvien.models import Unit
from lophoc.models import Course, Enrolment
from trungtam.documents.numbers import format_number
from trungtam.listing import paginate, parse_year
from trungtam.scoping import (
    Right,
    centre_chosen,
    centres_for,
    get_visible_or_404,
    require,
    visible,
)

LIST_URL = "hieuqua:followup_list"


def _crumbs(*tail) -> list:
    return [("Đánh giá hiệu quả sau đào tạo", reverse(LIST_URL)), *tail]


def _course_url(course) -> str:
    return reverse("hieuqua:course", args=[course.pk])


def _staff_course(request, pk) -> Course:
    require(request.user, Right.MANAGE)
    return get_visible_or_404(
        request.user, Course.objects.select_related("centre", "program"), pk=pk
    )


@login_required
def followup_list(request):
    """The classes whose follow-up is due, newest end first; ?nam= the year they ended."""
    user = request.user
    require(user, Right.MANAGE)
    today = timezone.localdate()
    centre_ids = list(centres_for(user).values_list("pk", flat=True))
    due = followups.due_courses(visible(user, Course.objects.all()), centre_ids, today)
    years = sorted(
        set(
            due.annotate(ended=ExtractYear("end_date"))
            .values_list("ended", flat=True)
            .order_by()
            .distinct()
        ),
        reverse=True,
    )
    year = parse_year(request.GET.get("nam"))
    if year is not None:
        due = due.filter(end_date__year=year)
    return render(
        request,
        "hieuqua/followup_list.html",
        {
            "page_obj": paginate(request, due.order_by("-end_date", "code", "pk")),
            "years": years,
            "year": year,
            "all_centres": user.sees_all_centres,
            "crumbs": [("Đánh giá hiệu quả sau đào tạo", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    user = request.user
    require(user, Right.MANAGE)
    centre, centres = centre_chosen(user, request.GET.get("trung_tam"))
    if centre is None:
        return render(
            request,
            "hieuqua/settings.html",
            {"form": None, "centres": centres, "crumbs": _crumbs(("Cài đặt", None))},
        )
    delay = followups.delay_months(centre)
    form = SettingForm(request.POST or None, initial={"delay_months": delay})
    if request.method == "POST" and form.is_valid():
        try:
            followups.setting_save(centre=centre, delay=form.cleaned_data["delay_months"])
        except ValidationError as refusal:
            form.add_error("delay_months", refusal.messages)
        else:
            messages.success(
                request,
                f"Đã lưu: {centre.name} đánh giá hiệu quả sau đào tạo "
                f"{form.cleaned_data['delay_months']} tháng sau khi lớp kết thúc.",
            )
            return redirect(LIST_URL)
    return render(
        request,
        "hieuqua/settings.html",
        {"form": form, "centre": centre, "crumbs": _crumbs(("Cài đặt", None))},
    )


@login_required
def course_page(request, pk):
    course = _staff_course(request, pk)
    follow_up = followups.course_followup(course)
    return render(
        request,
        "hieuqua/course_followup.html",
        {
            "course": course,
            "follow_up": follow_up,
            "refusal": followups.answer_refusal(follow_up),
            "crumbs": _crumbs((f"Lớp {course.code}", None)),
        },
    )


@login_required
@require_POST
def course_close(request, pk):
    """Close the class's follow-up (?thao_tac=dong) or reopen it (mo)."""
    course = _staff_course(request, pk)
    action = request.POST.get("thao_tac")
    if action == "dong":
        followups.followup_close(course=course, user=request.user)
        messages.success(
            request,
            f"Đã đóng đánh giá hiệu quả sau đào tạo lớp {course.code}: các đơn vị không sửa "
            "phiếu được nữa.",
        )
    elif action == "mo":
        if followups.followup_reopen(course=course):
            messages.success(
                request,
                f"Đã mở lại đánh giá hiệu quả sau đào tạo lớp {course.code}: các đơn vị sửa được "
                "phiếu.",
            )
        else:
            messages.info(request, f"Đánh giá hiệu quả lớp {course.code} đang mở.")
    else:
        messages.error(request, "Không rõ thao tác: hãy bấm «Đóng» hoặc «Mở lại» trên trang.")
    return redirect(_course_url(course))


@login_required
@require_http_methods(["GET", "POST"])
def unit_answer(request, pk, unit_id):
    """A unit's answer for the people it sent to the class: its liaison, or staff typing the
    unit's letter. The enrolments are found in the user's scope: a liaison's unit family only."""
    user = request.user
    require(user, Right.UNIT)
    unit = get_visible_or_404(user, Unit.objects.all(), pk=unit_id)
    enrolments = list(
        visible(user, Enrolment.objects.filter(followups.ASKED, course_id=pk, unit=unit))
        .select_related(
            "trainee", "course", "course__centre", "followup_answer", "followup_answer__answered_by"
        )
        .order_by("trainee__sort_key", "pk")
    )
    if not enrolments:
        raise Http404("Không tìm thấy.")
    course = enrolments[0].course
    follow_up = followups.course_followup(course)
    refusal = followups.answer_refusal(follow_up)
    from_letter = not user.is_unit_liaison
    back = _course_url(course) if from_letter else reverse("donvi:unit_page", args=[unit.pk])
    form = AnswerForm(
        request.POST if request.method == "POST" and not refusal else None,
        enrolments=enrolments,
    )
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect(request.path)
        if form.is_valid():
            try:
                changed = followups.answers_save(
                    enrolments=enrolments,
                    answers=form.answers(),
                    user=user,
                    from_letter=from_letter,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    f"Đã lưu đánh giá hiệu quả sau đào tạo lớp {course.code} của {unit.name}: "
                    f"{format_number(len(enrolments))} học viên"
                    + (
                        f", {format_number(changed)} phiếu thay đổi."
                        if changed
                        else ", không có gì thay đổi."
                    )
                    + (" Đã ghi là nhập từ văn bản của đơn vị." if from_letter else ""),
                )
                return redirect(back)
    answered = [e.followup_answer for e in enrolments if hasattr(e, "followup_answer")]
    return render(
        request,
        "hieuqua/answer.html",
        {
            "course": course,
            "unit": unit,
            "follow_up": follow_up,
            "form": form,
            "rows": form.rows(),
            "refusal": refusal,
            "from_letter": from_letter,
            "answered": answered,
            "back": back,
            "crumbs": (
                _crumbs((f"Lớp {course.code}", _course_url(course)), (unit.name, None))
                if from_letter
                else [("Trang đơn vị", back), (f"Đánh giá hiệu quả lớp {course.code}", None)]
            ),
        },
    )
