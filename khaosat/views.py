"""Needs survey pages: staff prepare, send, follow and close a survey (Right.MANAGE); a unit's
liaison answers it for its unit (Right.UNIT), and staff type a unit's paper form on the same page.

Another centre's survey, or one that does not ask any of a liaison's units, does not exist for
that user (404); inside the scope without the right the answer is 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from hocvien.models import Unit
from khaosat import documents, surveys
from khaosat.forms import AnswerForm, SurveyForm
from khaosat.models import Survey, SurveyAnswer, SurveyStatus, SurveyUnit
from trungtam.documents.downloads import file_download
from trungtam.documents.numbers import format_number
from trungtam.forms import add_refusal
from trungtam.listing import paginate, parse_id
from trungtam.scoping import Right, centres_for, get_visible_or_404, require, visible

LIST_URL = "khaosat:survey_list"
UNIT_KEY = "don_vi"


def _survey(request, pk) -> Survey:
    """The survey in the user's scope, for those who manage (403 first, then 404 outside)."""
    require(request.user, Right.MANAGE)
    return get_visible_or_404(
        request.user, Survey.objects.select_related("centre", "created_by"), pk=pk
    )


def _detail_url(survey: Survey) -> str:
    return reverse("khaosat:survey_detail", args=[survey.pk])


def _crumbs(survey: Survey | None = None, *tail):
    crumbs = [("Khảo sát nhu cầu", reverse(LIST_URL))]
    if survey is not None:
        crumbs.append((f"Năm {survey.year}", _detail_url(survey) if tail else None))
    return crumbs + list(tail)


# --- staff: the list, open, change ---------------------------------------------------------------


@login_required
def survey_list(request):
    require(request.user, Right.MANAGE)
    records = (
        visible(request.user, Survey.objects.all())
        .select_related("centre")
        .annotate(
            asked_count=Count("asked", distinct=True),
            answered_count=Count("answers", distinct=True),
        )
        .order_by("-year", "centre__name", "pk")
    )
    return render(
        request,
        "khaosat/survey_list.html",
        {
            "page_obj": paginate(request, records),
            "all_centres": request.user.sees_all_centres,
            "next_year": timezone.localdate().year + 1,
            "crumbs": [("Khảo sát nhu cầu", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request):
    user = request.user
    require(user, Right.MANAGE)
    centre = user.centre
    if centre is None:
        # One who sees several centres chooses it; the units offered are those of every centre
        # in scope, checked against the chosen centre by the service.
        units = Unit.objects.filter(
            centre__in=centres_for(user), active=True, merged_into__isnull=True
        ).select_related("centre")
        initial = Unit.objects.none()
    else:
        units = surveys.askable_units(centre)
        initial = surveys.default_units(centre)
    form = SurveyForm(
        request.POST or None, user=user, units=units, initial_units=initial, creating=True
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("centre") or centre
        try:
            survey = surveys.survey_create(
                centre=chosen,
                year=form.cleaned_data["year"],
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
                units=form.cleaned_data["units"],
                user=user,
            )
        except surveys.SurveyExists as refusal:
            existing = refusal.survey
            add_refusal(form, refusal)
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(
                request,
                f"Đã lập khảo sát nhu cầu năm {survey.year}, hỏi "
                f"{format_number(survey.asked.count())} đơn vị. Khảo sát chưa được gửi: hãy "
                "kiểm tra rồi bấm «Gửi các đơn vị».",
            )
            return redirect(_detail_url(survey))
    return render(
        request,
        "khaosat/survey_form.html",
        {
            "form": form,
            "existing": existing,
            "creating": True,
            "crumbs": _crumbs(None, ("Mở khảo sát", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = _survey(request, pk)
    if survey.status == SurveyStatus.CLOSED:
        messages.error(request, f"Khảo sát nhu cầu năm {survey.year} đã đóng: không sửa được nữa.")
        return redirect(_detail_url(survey))
    asked = SurveyUnit.objects.filter(survey=survey).select_related("unit")
    current = [row.unit for row in asked]
    units = surveys.askable_units(survey.centre) | survey.centre.units.filter(
        pk__in=[u.pk for u in current]
    )
    form = SurveyForm(
        request.POST or None,
        user=request.user,
        units=units.distinct(),
        initial_units=current,
        creating=False,
        initial={"deadline": survey.deadline, "note": survey.note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = surveys.survey_update(
                survey=survey,
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
                units=form.cleaned_data["units"],
            )
        except ValidationError as refusal:
            add_refusal(form, refusal)
        else:
            text = f"Đã lưu khảo sát nhu cầu năm {survey.year}"
            if result.added or result.removed:
                text += f": thêm {result.added}, bớt {result.removed} đơn vị"
            if result.notified:
                text += f"; đã thông báo cho {result.notified} đơn vị mới"
            messages.success(request, text + ".")
            return redirect(_detail_url(survey))
    return render(
        request,
        "khaosat/survey_form.html",
        {
            "form": form,
            "survey": survey,
            "creating": False,
            "crumbs": _crumbs(survey, ("Sửa", None)),
        },
    )


# --- staff: the survey's page ------------------------------------------------------------------


@login_required
def survey_detail(request, pk):
    survey = _survey(request, pk)
    asked_count, answered_count = surveys.answer_counts(survey)
    page_obj = paginate(
        request,
        SurveyUnit.objects.filter(survey=survey)
        .select_related("unit")
        .order_by("unit__search_key", "unit_id"),
    )
    totals = surveys.survey_totals(survey)
    return render(
        request,
        "khaosat/survey_detail.html",
        {
            "survey": survey,
            "page_obj": page_obj,
            "statuses": surveys.unit_statuses(survey, list(page_obj.object_list)),
            "asked_count": asked_count,
            "answered_count": answered_count,
            "totals": totals,
            "total_expected": sum(t.expected for t in totals),
            "past_deadline": survey.deadline < timezone.localdate(),
            "crumbs": _crumbs(survey),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_publish(request, pk):
    survey = _survey(request, pk)
    if survey.status != SurveyStatus.DRAFT:
        messages.info(request, f"Khảo sát nhu cầu năm {survey.year} đã được gửi rồi.")
        return redirect(_detail_url(survey))
    if request.method == "POST":
        try:
            notified = surveys.survey_publish(survey=survey)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                f"Đã gửi khảo sát nhu cầu năm {survey.year}: {format_number(notified)} đơn vị "
                "nhận được thông báo trên trang đơn vị.",
            )
        return redirect(_detail_url(survey))
    asked_count, _ = surveys.answer_counts(survey)
    return render(
        request,
        "khaosat/survey_confirm.html",
        {
            "survey": survey,
            "action": "publish",
            "asked_count": asked_count,
            "crumbs": _crumbs(survey, ("Gửi các đơn vị", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_close(request, pk):
    survey = _survey(request, pk)
    if survey.status != SurveyStatus.OPEN:
        messages.info(
            request,
            f"Khảo sát nhu cầu năm {survey.year} "
            + ("đã đóng rồi." if survey.status == SurveyStatus.CLOSED else "chưa được gửi."),
        )
        return redirect(_detail_url(survey))
    if request.method == "POST":
        try:
            surveys.survey_close(survey=survey)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                f"Đã đóng khảo sát nhu cầu năm {survey.year}: các đơn vị không sửa phiếu được nữa.",
            )
        return redirect(_detail_url(survey))
    asked_count, answered_count = surveys.answer_counts(survey)
    return render(
        request,
        "khaosat/survey_confirm.html",
        {
            "survey": survey,
            "action": "close",
            "asked_count": asked_count,
            "answered_count": answered_count,
            "crumbs": _crumbs(survey, ("Đóng khảo sát", None)),
        },
    )


@login_required
def survey_xlsx(request, pk):
    survey = _survey(request, pk)
    return file_download(documents.survey_xlsx(survey), documents.filename(survey))


# --- the answer: a unit's liaison, or staff typing a paper form ---------------------------------


def _answer_units(request, pk) -> list[SurveyUnit]:
    """The units of the survey this user may answer for: 403 without the right, 404 when there
    are none (another centre's survey, one that asks none of a liaison's units, or — for a
    liaison — one not sent yet)."""
    user = request.user
    require(user, Right.UNIT)
    asked = visible(user, SurveyUnit.objects.filter(survey_id=pk)).select_related(
        "unit", "survey", "survey__centre"
    )
    if user.is_unit_liaison:
        asked = asked.exclude(survey__status=SurveyStatus.DRAFT)
    found = list(asked.order_by("unit__search_key", "unit_id"))
    if not found:
        raise Http404("Không tìm thấy.")
    return found


def _chosen(request, asked: list[SurveyUnit], value) -> SurveyUnit | None:
    """The unit named by ?don_vi= (404 when it is not one the user may answer for); without one,
    a liaison's own unit (or the first it answers for), staff none."""
    by_unit = {row.unit_id: row for row in asked}
    if value not in (None, ""):
        unit_id = parse_id(value)
        if unit_id not in by_unit:
            raise Http404("Không tìm thấy.")
        return by_unit[unit_id]
    if not request.user.is_unit_liaison:
        return None
    own = getattr(getattr(request.user, "unit_account", None), "unit_id", None)
    return by_unit.get(own, asked[0])


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk):
    user = request.user
    asked = _answer_units(request, pk)
    survey = asked[0].survey
    on_paper = not user.is_unit_liaison
    value = request.POST.get(UNIT_KEY) if request.method == "POST" else request.GET.get(UNIT_KEY)
    chosen = _chosen(request, asked, value)
    if chosen is None:
        messages.info(request, "Hãy chọn đơn vị để nhập phiếu khảo sát giấy.")
        return redirect(_detail_url(survey))
    unit = chosen.unit
    current = (
        SurveyAnswer.objects.filter(survey=survey, unit=unit).prefetch_related("lines").first()
    )
    refusal = surveys.answer_refusal(survey, on_paper=on_paper)
    programs = surveys.survey_programs(survey, current)
    form = AnswerForm(
        request.POST if request.method == "POST" and not refusal else None,
        programs=programs,
        answer=current,
    )
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect(_answer_url(survey, unit, len(asked) > 1 or on_paper))
        if form.is_valid():
            try:
                saved = surveys.answer_save(
                    survey=survey,
                    unit=unit,
                    lines=form.lines(),
                    note=form.cleaned_data["note"],
                    user=user,
                    on_paper=on_paper,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                total = sum(line.expected for line in form.lines())
                messages.success(
                    request,
                    f"Đã {'cập nhật' if current else 'gửi'} phiếu khảo sát nhu cầu năm "
                    f"{survey.year} của {unit.name}: {format_number(total)} học viên dự kiến"
                    f" ({saved.lines.count()} chương trình)."
                    + ("" if on_paper else f" Có thể sửa đến hết ngày {survey.deadline:%d/%m/%Y}."),
                )
                if on_paper:
                    return redirect(_detail_url(survey))
                return redirect(_answer_url(survey, unit, len(asked) > 1))
    return render(
        request,
        "khaosat/answer.html",
        {
            "survey": survey,
            "unit": unit,
            "asked": asked if len(asked) > 1 and not on_paper else [],
            "answer": current,
            "form": form,
            "rows": form.rows(),
            "refusal": refusal,
            "on_paper": on_paper,
            "unit_key": UNIT_KEY,
            "crumbs": (
                _crumbs(survey, (f"Phiếu của {unit.name}", None))
                if on_paper
                else [(f"Khảo sát nhu cầu năm {survey.year}", None)]
            ),
        },
    )


def _answer_url(survey: Survey, unit, with_unit: bool) -> str:
    url = reverse("khaosat:answer", args=[survey.pk])
    return f"{url}?{UNIT_KEY}={unit.pk}" if with_unit else url
