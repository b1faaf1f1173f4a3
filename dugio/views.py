"""Class observation pages: the list, recording a session, a record, its PDF, the centre's form.

Another centre's record, or — for a lecturer — one neither about them nor written by them, does
not exist (404); officials read the year's figures only (403 on records); see dugio/observations.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dugio import criteria, documents, observations
from dugio.forms import CriteriaForm, ObservationForm
from dugio.models import Observation
from dugio.yearly import observation_year
from giangvien.models import Lecturer
from trungtam.documents.downloads import file_download
from trungtam.listing import paginate, parse_id, year_param
from trungtam.scoping import Right, centre_chosen, centres_for, has_right, require, visible

LIST_URL = "dugio:observation_list"
RECORD = Observation.objects.select_related(
    "session",
    "session__course",
    "session__course__centre",
    "session__topic",
    "lecturer",
    "recorded_by",
)


def _crumbs(*tail):
    return [("Dự giờ", reverse(LIST_URL)), *tail]


def _detail_url(observation: Observation) -> str:
    return reverse("dugio:observation_detail", args=[observation.pk])


def _form_errors(form, error: ValidationError) -> None:
    form.add_error(None, error.messages)


@login_required
def observation_list(request):
    user = request.user
    require(user, Right.VIEW)
    year = year_param(request, timezone.localdate().year)
    if not has_right(user, Right.PEOPLE):
        # Officials read the year's figures per lecturer, never the records.
        summary = observation_year(list(centres_for(user).values_list("pk", flat=True)), year)
        return render(
            request,
            "dugio/observation_summary.html",
            {"summary": summary, "year": year, "crumbs": [("Dự giờ", None)]},
        )
    records = (
        observations.readable(user)
        .in_year(year)
        .select_related("session", "session__course", "session__topic", "lecturer", "recorded_by")
    )
    lecturers = None
    chosen = None
    if not user.is_lecturer:
        lecturers = visible(user, Lecturer.objects.all()).order_by("sort_key", "id")
        chosen = parse_id(request.GET.get("giang_vien"))
        if chosen:
            records = records.filter(lecturer_id=chosen)
    return render(
        request,
        "dugio/observation_list.html",
        {
            "page_obj": paginate(request, records.order_by("-session__date", "-id")),
            "year": year,
            "lecturers": lecturers,
            "chosen": chosen,
            "can_edit_form": has_right(user, Right.MANAGE),
            "crumbs": [("Dự giờ", None)],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def observation_record(request, session_pk):
    user = request.user
    session = observations.session_or_404(user, session_pk)
    observations.require_recorder(user, session)
    existing = Observation.objects.filter(session=session, recorded_by=user).first()
    if existing is not None:
        messages.info(request, "Bạn đã ghi biên bản dự giờ buổi học này; mở lại biên bản đó.")
        return redirect(_detail_url(existing))
    refusal = observations.recording_refusal(user, session)
    if refusal:
        messages.error(request, refusal)
        return redirect(LIST_URL)
    lines = observations.form_lines(session)
    form = ObservationForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            observation = observations.observation_create(
                session=session,
                user=user,
                marks=form.new_marks(),
                strengths=form.cleaned_data["strengths"],
                improvements=form.cleaned_data["improvements"],
                co_observers=form.cleaned_data["co_observers"],
                lecturer_opinion=form.cleaned_data["lecturer_opinion"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã ghi biên bản dự giờ {session.lecturer} ngày {session.date:%d/%m/%Y}: "
                f"{observations.plain_mark(observation.total)}/"
                f"{observations.plain_mark(observation.max_total)} điểm, xếp loại "
                f"{observation.get_classification_display()}. Biên bản còn sửa được cho đến "
                "khi bạn bấm «Chốt biên bản».",
            )
            return redirect(_detail_url(observation))
    return render(
        request,
        "dugio/observation_form.html",
        {
            "form": form,
            "session": session,
            "observation": None,
            "thresholds": criteria.THRESHOLDS_TEXT,
            "crumbs": _crumbs(("Ghi biên bản dự giờ", None)),
        },
    )


@login_required
def observation_detail(request, pk):
    observation = observations.get_readable_or_404(request.user, pk, RECORD)
    return render(
        request,
        "dugio/observation_detail.html",
        {
            "observation": observation,
            "marks": list(observation.marks.order_by("order", "id")),
            "can_edit": observations.edit_refusal(request.user, observation) is None,
            "thresholds": criteria.THRESHOLDS_TEXT,
            "crumbs": _crumbs((f"Biên bản ngày {observation.session.date:%d/%m/%Y}", None)),
        },
    )


def _own_draft(request, pk) -> Observation:
    observation = observations.get_readable_or_404(request.user, pk, RECORD)
    if observation.recorded_by_id != request.user.pk:
        raise PermissionDenied(observations.NOT_YOURS)
    return observation


@login_required
@require_http_methods(["GET", "POST"])
def observation_edit(request, pk):
    observation = _own_draft(request, pk)
    if observation.is_final:
        messages.error(request, observations.FINALISED)
        return redirect(_detail_url(observation))
    marks = list(observation.marks.order_by("order", "id"))
    initial = {
        "co_observers": observation.co_observers,
        "strengths": observation.strengths,
        "improvements": observation.improvements,
        "lecturer_opinion": observation.lecturer_opinion,
    }
    form = ObservationForm(request.POST or None, lines=marks, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            observations.observation_update(
                observation=observation,
                user=request.user,
                marks=form.changed_marks(),
                strengths=form.cleaned_data["strengths"],
                improvements=form.cleaned_data["improvements"],
                co_observers=form.cleaned_data["co_observers"],
                lecturer_opinion=form.cleaned_data["lecturer_opinion"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã lưu biên bản dự giờ: {observations.plain_mark(observation.total)}/"
                f"{observations.plain_mark(observation.max_total)} điểm, xếp loại "
                f"{observation.get_classification_display()}.",
            )
            return redirect(_detail_url(observation))
    return render(
        request,
        "dugio/observation_form.html",
        {
            "form": form,
            "session": observation.session,
            "observation": observation,
            "thresholds": criteria.THRESHOLDS_TEXT,
            "crumbs": _crumbs(
                (f"Biên bản ngày {observation.session.date:%d/%m/%Y}", _detail_url(observation)),
                ("Sửa", None),
            ),
        },
    )


@login_required
@require_POST
def observation_finalise(request, pk):
    observation = _own_draft(request, pk)
    try:
        observations.observation_finalise(observation=observation, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Đã chốt biên bản dự giờ: từ nay biên bản chỉ để xem và in, không sửa được nữa.",
        )
    return redirect(_detail_url(observation))


@login_required
def observation_pdf(request, pk):
    observation = observations.get_readable_or_404(request.user, pk, RECORD)
    return file_download(documents.observation_pdf(observation), documents.filename(observation))


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit(request):
    user = request.user
    require(user, Right.MANAGE)
    centre, centres = centre_chosen(user, request.GET.get("trung_tam"))
    if centre is None:
        return render(
            request,
            "dugio/criteria_form.html",
            {"centres": centres, "form": None, "crumbs": _crumbs(("Mẫu phiếu dự giờ", None))},
        )
    form = CriteriaForm(request.POST or None, criteria=criteria.all_criteria_for(centre))
    if request.method == "POST" and form.is_valid():
        try:
            saved = criteria.criteria_save(centre=centre, lines=form.lines)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            in_use = [c for c in saved if c.active]
            messages.success(
                request,
                f"Đã lưu mẫu phiếu dự giờ của {centre.name}: {len(in_use)} tiêu chí, tổng "
                f"{observations.plain_mark(sum(c.max_mark for c in in_use))} điểm. Các biên bản đã "
                "ghi giữ nguyên tiêu chí lúc ghi.",
            )
            url = reverse("dugio:criteria_edit")
            return redirect(url if user.centre_id else f"{url}?trung_tam={centre.pk}")
    stored = criteria.criteria_for(centre)
    return render(
        request,
        "dugio/criteria_form.html",
        {
            "centre": centre,
            "centres": centres,
            "form": form,
            "is_standard": all(c.pk is None for c in stored),
            "maximum": sum(c.max_mark for c in stored),
            "thresholds": criteria.THRESHOLDS_TEXT,
            "crumbs": _crumbs(("Mẫu phiếu dự giờ", None)),
        },
    )
