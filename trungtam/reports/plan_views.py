"""Kế hoạch năm pages: the list, create (or copy last year's), the plan page with planned vs
opened, the targets table, approve, amend, PDF and XLSX.

Viewing needs Right.REPORTS (staff, admins, officials; lecturers get 403), changing needs
Right.MANAGE (officials get 403), approving and amending needs `user.approves_for_centre`
(admins, centre leaders). Another centre's plan does not exist for you (404).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from khaosat.surveys import demand_by_program
from trungtam.documents.downloads import file_download
from trungtam.documents.numbers import format_number
from trungtam.listing import paginate, parse_year
from trungtam.reports import plan as plans
from trungtam.reports import plan_documents, plan_survey, plan_text
from trungtam.reports.models import AnnualPlan, PlanStatus
from trungtam.reports.plan import (
    APPROVER_ONLY,
    PlanExists,
    PlanLocked,
    approved_versions,
    edit_refusal,
    plan_programs,
    plan_save,
    plan_table,
    with_totals,
)
from trungtam.reports.plan_forms import (
    PlanAmendForm,
    PlanApproveForm,
    PlanCreateForm,
    PlanFilterForm,
    PlanTargetsForm,
    PlanTextsForm,
)
from trungtam.reports.plan_text import PARTS, plan_texts_save
from trungtam.scoping import Right, centres_for, get_visible_or_404, has_right, visible

NO_REPORTS = (
    "Kế hoạch năm dành cho cán bộ, lãnh đạo trung tâm và cán bộ cấp ủy theo dõi; tài khoản của "
    "bạn không xem được trang này."
)
READ_ONLY = (
    "Tài khoản của bạn chỉ được xem kế hoạch năm và tải văn bản (PDF, Excel). Việc lập, sửa, "
    "phê duyệt kế hoạch do cán bộ trung tâm thực hiện."
)
LIST_URL = "reports:plan_list"


def plan_page(view):
    """Login required; a refusal inside the scope answers 403 with the reason, in Vietnamese."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return render(
                request,
                "reports/plan_forbidden.html",
                {"message": str(refusal) or NO_REPORTS, "crumbs": [("Kế hoạch năm", None)]},
                status=403,
            )

    return wrapped


def _require(user, right: Right, message: str) -> None:
    if not has_right(user, right):
        raise PermissionDenied(message)


def _plan(request, pk: int, *, manage: bool = False, approve: bool = False) -> AnnualPlan:
    """The plan in the user's scope (404 outside it); 403 without the right to do what is asked."""
    user = request.user
    _require(user, Right.REPORTS, NO_REPORTS)
    plan = get_visible_or_404(
        user, AnnualPlan.objects.select_related("centre", "approved_by"), pk=pk
    )
    if manage or approve:
        _require(user, Right.MANAGE, READ_ONLY)
    if approve and not user.approves_for_centre:
        raise PermissionDenied(APPROVER_ONLY)
    return plan


def _detail_url(plan: AnnualPlan) -> str:
    return reverse("reports:plan_detail", args=[plan.pk])


def _crumbs(plan: AnnualPlan | None = None, *tail):
    crumbs = [("Kế hoạch năm", reverse(LIST_URL))]
    if plan is not None:
        crumbs.append((_plan_name(plan), _detail_url(plan) if tail else None))
    return crumbs + list(tail)


def _plan_name(plan: AnnualPlan) -> str:
    return f"Năm {plan.year} – {plan.centre.name}"


# --- list -------------------------------------------------------------------------------------


@plan_page
def plan_list(request):
    user = request.user
    _require(user, Right.REPORTS, NO_REPORTS)
    plans = visible(user, AnnualPlan.objects.all())
    years = list(plans.order_by().values_list("year", flat=True).distinct())
    requested = parse_year(request.GET.get("nam"))
    if requested is not None:
        years.append(requested)
    form = PlanFilterForm(request.GET or None, user=user, years=years)
    year, centre, filtered = None, None, False
    if form.is_bound and form.is_valid():
        year = form.year()
        centre = form.cleaned_data.get("trung_tam")
        if year is not None:
            plans = plans.filter(year=year)
        if centre is not None:
            plans = plans.filter(centre=centre)
        filtered = year is not None or centre is not None
    page_obj = paginate(request, with_totals(plans).order_by("-year", "centre__name", "pk"))
    can_manage = has_right(user, Right.MANAGE)
    return render(
        request,
        "reports/plan_list.html",
        {
            "page_obj": page_obj,
            "form": form,
            "year": year,
            "filtered": filtered,
            "can_manage": can_manage,
            "all_centres": user.sees_all_centres,
            "suggestion": _suggestion(user, year) if can_manage else None,
            "crumbs": [("Kế hoạch năm", None)],
        },
    )


# From October on, centres prepare next year's plan.
PLANNING_MONTH = 10


def _suggestion(user, year: int | None) -> dict | None:
    """For staff of one centre: the year's plan is missing — offer to create it, copying last
    year's when there is one (one query). Without a year chosen: this year's, or from October
    next year's."""
    if user.centre_id is None:
        return None
    today = timezone.localdate()
    years = [year] if year else [today.year, today.year + 1]
    found = set(
        AnnualPlan.objects.filter(
            centre_id=user.centre_id, year__in=[y - 1 for y in years] + years
        ).values_list("year", flat=True)
    )
    missing = [y for y in years if y not in found]
    if not missing or (not year and missing[0] > today.year and today.month < PLANNING_MONTH):
        return None
    chosen = missing[0]
    return {"year": chosen, "previous": chosen - 1 if chosen - 1 in found else None}


# --- create -----------------------------------------------------------------------------------


def _default_year(user) -> int:
    """This year, or next year when this year's plan exists already."""
    year = timezone.localdate().year
    if user.centre_id and AnnualPlan.objects.filter(centre_id=user.centre_id, year=year).exists():
        return year + 1
    return year


@plan_page
@require_http_methods(["GET", "POST"])
def plan_create(request):
    user = request.user
    _require(user, Right.REPORTS, NO_REPORTS)
    _require(user, Right.MANAGE, READ_ONLY)
    previous_years = []
    if user.centre_id:
        previous_years = list(
            AnnualPlan.objects.filter(centre_id=user.centre_id)
            .order_by("-year")
            .values_list("year", flat=True)
        )
    default_year = parse_year(request.GET.get("nam")) or _default_year(user)
    form = PlanCreateForm(
        request.POST or None,
        user=user,
        default_year=default_year,
        copy=request.GET.get("sao_chep", "") == "1"
        or (request.GET.get("sao_chep", "") != "0" and default_year - 1 in previous_years),
    )
    existing = None
    if request.method == "POST" and form.is_valid():
        centre = form.cleaned_data.get("centre") or user.centre
        if centre is None or not centres_for(user).filter(pk=centre.pk).exists():
            form.add_error(None, "Tài khoản của bạn chưa gắn với trung tâm nào để lập kế hoạch.")
        else:
            try:
                plan = plans.plan_create(
                    centre=centre,
                    year=form.cleaned_data["year"],
                    copy_from_last_year=form.cleaned_data["copy"],
                    user=user,
                )
            except PlanExists as refusal:
                existing = refusal.plan
                form.add_error("year", refusal.messages[0])
            except ValidationError as refusal:
                for name, errors in refusal.message_dict.items():
                    form.add_error(name if name in ("year", "copy") else None, errors)
            else:
                copied = plan.targets.count()
                text = f"Đã lập dự thảo kế hoạch năm {plan.year} của {centre.name}"
                if form.cleaned_data["copy"]:
                    text += f", sao chép {copied} chỉ tiêu từ kế hoạch năm {plan.year - 1}"
                messages.success(request, text + ". Hãy nhập hoặc kiểm tra chỉ tiêu rồi lưu.")
                return redirect("reports:plan_edit", pk=plan.pk)
    return render(
        request,
        "reports/plan_create.html",
        {
            "form": form,
            "existing": existing,
            "previous_years": previous_years,
            "crumbs": _crumbs(None, ("Lập kế hoạch năm", None)),
        },
    )


# --- the plan page ----------------------------------------------------------------------------


@plan_page
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    user = request.user
    can_manage = has_right(user, Right.MANAGE)
    draft = plan.status == PlanStatus.DRAFT
    table = plan_table(plan, with_progress=True)
    # The needs survey of the plan's year: the demand next to each target (two queries).
    survey = plan_survey.plan_survey(plan)
    if survey is not None:
        plan_survey.attach_demand(table, demand_by_program(plan.centre_id, plan.year))
    return render(
        request,
        "reports/plan_detail.html",
        {
            "plan": plan,
            "table": table,
            "survey": survey,
            "versions": approved_versions(plan),
            "number": plan_documents.number_text(plan).replace("\u00a0", " "),
            "draft": draft,
            "can_edit": can_manage and draft,
            "can_approve": can_manage and draft and user.approves_for_centre,
            "can_amend": can_manage and not draft and user.approves_for_centre,
            "awaits_approval": draft and bool(table.total.planned_classes),
            "this_year": timezone.localdate().year,
            "crumbs": _crumbs(plan),
        },
    )


# --- editing the targets ----------------------------------------------------------------------


@plan_page
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    plan = _plan(request, pk, manage=True)
    refusal = edit_refusal(plan)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(plan))
    programs = plan_programs(plan)
    targets = {t.program_id: t for t in plan.targets.all()}
    form = PlanTargetsForm(request.POST or None, plan=plan, programs=programs, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            plan_save(
                plan=plan,
                targets=form.targets(),
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                notes=form.cleaned_data["notes"],
                user=request.user,
            )
        except PlanLocked as refusal:
            messages.error(request, refusal.messages[0])
            return redirect(_detail_url(plan))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            plan.refresh_from_db()
            table = plan_table(plan)
            messages.success(
                request,
                f"Đã lưu kế hoạch năm {plan.year}: {format_number(table.total.planned_classes)} "
                f"lớp, {format_number(table.total.planned_trainees)} học viên "
                f"({len(table.rows)} chương trình).",
            )
            return redirect(_detail_url(plan))
    return render(
        request,
        "reports/plan_edit.html",
        {
            "plan": plan,
            "form": form,
            "rows": form.rows(),
            "row_errors": form.row_errors() if form.is_bound else [],
            "crumbs": _crumbs(plan, ("Nhập chỉ tiêu", None)),
        },
    )


# --- targets from the needs survey ------------------------------------------------------------


@plan_page
@require_http_methods(["GET", "POST"])
def plan_from_survey(request, pk: int):
    """«Lập từ kết quả khảo sát»: the changes the survey's totals make to the draft's targets
    (GET), then made in one step (POST)."""
    plan = _plan(request, pk, manage=True)
    refusal = edit_refusal(plan)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(plan))
    try:
        if request.method == "POST":
            result = plan_survey.plan_from_survey(plan=plan, user=request.user)
            messages.success(request, result.summary())
            return redirect(_detail_url(plan))
        preview = plan_survey.from_survey_preview(plan)
    except PlanLocked as locked:
        messages.error(request, locked.messages[0])
        return redirect(_detail_url(plan))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_detail_url(plan))
    return render(
        request,
        "reports/plan_from_survey.html",
        {
            "plan": plan,
            "preview": preview,
            "default_size": plan_survey.DEFAULT_CLASS_SIZE,
            "crumbs": _crumbs(plan, ("Lập từ kết quả khảo sát", None)),
        },
    )


# --- the text of the plan ---------------------------------------------------------------------


@plan_page
@require_http_methods(["GET", "POST"])
def plan_texts(request, pk: int):
    """The parts of the plan's text (mục đích, đối tượng, thời gian, kinh phí, tổ chức thực
    hiện), pre-filled with what prints; only while the plan is a draft."""
    plan = _plan(request, pk, manage=True)
    refusal = edit_refusal(plan)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(plan))
    table = plan_table(plan)
    form = PlanTextsForm(request.POST or None, texts=plan_text.plan_texts(plan, table))
    if request.method == "POST" and form.is_valid():
        try:
            plan_texts_save(plan=plan, values=form.cleaned_data, user=request.user)
        except PlanLocked as locked:
            messages.error(request, locked.messages[0])
            return redirect(_detail_url(plan))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"Đã lưu nội dung văn bản kế hoạch năm {plan.year}.")
            return redirect(_detail_url(plan))
    return render(
        request,
        "reports/plan_texts.html",
        {
            "plan": plan,
            "form": form,
            "parts": PARTS,
            "crumbs": _crumbs(plan, ("Nội dung văn bản", None)),
        },
    )


# --- approve, amend ---------------------------------------------------------------------------


@plan_page
@require_http_methods(["GET", "POST"])
def plan_approve(request, pk: int):
    plan = _plan(request, pk, approve=True)
    if plan.status == PlanStatus.APPROVED:
        messages.info(request, f"Kế hoạch năm {plan.year} đã được phê duyệt rồi.")
        return redirect(_detail_url(plan))
    form = PlanApproveForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_approve(
                plan=plan,
                user=request.user,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_detail_url(plan))
        messages.success(
            request,
            f"Đã phê duyệt kế hoạch năm {plan.year}. Văn bản in ra không còn chữ «DỰ THẢO».",
        )
        return redirect(_detail_url(plan))
    return render(
        request,
        "reports/plan_approve.html",
        {
            "plan": plan,
            "form": form,
            "table": plan_table(plan),
            "crumbs": _crumbs(plan, ("Phê duyệt", None)),
        },
    )


@plan_page
@require_http_methods(["GET", "POST"])
def plan_amend(request, pk: int):
    plan = _plan(request, pk, approve=True)
    if plan.status != PlanStatus.APPROVED:
        messages.info(
            request, f"Kế hoạch năm {plan.year} đang là dự thảo: cứ sửa chỉ tiêu trực tiếp."
        )
        return redirect(_detail_url(plan))
    form = PlanAmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plans.plan_amend(
                plan=plan, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_detail_url(plan))
        messages.success(
            request,
            f"Kế hoạch năm {plan.year} đã chuyển về dự thảo (điều chỉnh lần {plan.revision}). "
            "Số liệu đã phê duyệt trước đó vẫn được lưu; hãy sửa chỉ tiêu rồi phê duyệt lại.",
        )
        return redirect("reports:plan_edit", pk=plan.pk)
    return render(
        request,
        "reports/plan_amend.html",
        {"plan": plan, "form": form, "crumbs": _crumbs(plan, ("Điều chỉnh", None))},
    )


# --- documents --------------------------------------------------------------------------------


def _download(request, pk: int, fmt: str) -> FileResponse:
    plan = _plan(request, pk)
    build = plan_documents.plan_pdf if fmt == "pdf" else plan_documents.plan_xlsx
    return file_download(build(plan), plan_documents.filename(plan, fmt))


@plan_page
def plan_pdf(request, pk: int):
    return _download(request, pk, "pdf")


@plan_page
def plan_xlsx(request, pk: int):
    return _download(request, pk, "xlsx")
