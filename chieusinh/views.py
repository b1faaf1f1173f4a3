"""Screens of the calls for nominees.

Staff (Right.MANAGE): the list of calls, a call with its quota per unit, publishing, the status
per unit, accepting the lists into the class, the call's notice (thông báo chiêu sinh). The unit
(Right.UNIT, scoped by its quotas): its calls, its answer page (pick its people, add a new
person, upload its Excel list), the call's notice.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chieusinh import accepting, answers, calls, summons
from chieusinh.forms import CallForm, NewPersonForm, QuotaFormSet, unit_choices
from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallQuota, CallStatus
from hocvien.models import Trainee, UnitAccount
from hocvien.units import unit_family
from lophoc.course_forms import TraineeSearchForm
from lophoc.import_forms import NomineeUploadForm
from lophoc.models import Course
from lophoc.nominee_import import COLUMNS, parse_nominee_file
from lophoc.views.upload_flow import UploadFlow
from trungtam.documents.downloads import file_download
from trungtam.listing import paginate, parse_id
from trungtam.pending_upload import pending_store
from trungtam.scoping import Right, get_visible_or_404, has_right, require, visible

SEARCH_RESULTS = 20
UPLOAD = UploadFlow(
    purpose="danh_sach_chieu_sinh",
    upload_url="chieusinh:answer",
    preview_url="chieusinh:answer_preview",
    waiting="file",
    uploaded="file danh sách",
    action="tải danh sách của đơn vị",
)


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- staff ---------------------------------------------------------------------------------


def _call_or_404(request, pk) -> Call:
    call = get_visible_or_404(
        request.user,
        Call.objects.select_related("course", "course__program", "centre"),
        pk=pk,
    )
    require(request.user, Right.MANAGE)
    return call


def _crumbs(*tail):
    return [("Chiêu sinh", reverse("chieusinh:call_list")), *tail]


@login_required
def call_list(request):
    require(request.user, Right.MANAGE)
    records = calls.calls_with_counts(visible(request.user, Call.objects.all())).order_by(
        "-deadline", "-id"
    )
    return render(
        request,
        "chieusinh/call_list.html",
        {
            "page_obj": paginate(request, records),
            "crumbs": [("Chiêu sinh", None)],
        },
    )


def _quota_rows(formset) -> list[calls.QuotaRow]:
    return [calls.QuotaRow(row, unit, quota) for row, unit, quota in formset.rows()]


def _call_form_page(request, *, course: Course, call: Call | None):
    user = request.user
    units = unit_choices(user, course.centre_id)
    instance = call or Call(course=course, centre=course.centre)
    initial = (
        [{"unit": q.unit, "quota": q.quota} for q in call.quotas.select_related("unit")]
        if call
        else []
    )
    problems: list[str] = []
    if request.method == "POST":
        form = CallForm(request.POST, instance=instance)
        formset = QuotaFormSet(request.POST, prefix="chi_tieu", units=units)
        if form.is_valid() and formset.is_valid():
            try:
                saved = calls.call_save(call=form.instance, quotas=_quota_rows(formset), user=user)
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    f"Đã lưu thông báo chiêu sinh lớp {course.code} "
                    f"({saved.quotas.count()} đơn vị).",
                )
                return redirect("chieusinh:call_detail", pk=saved.pk)
    else:
        form = CallForm(instance=instance)
        formset = QuotaFormSet(initial=initial, prefix="chi_tieu", units=units)
    title = "Sửa thông báo chiêu sinh" if call else "Thông báo chiêu sinh mới"
    crumbs = _crumbs(
        *(
            [(f"Lớp {course.code}", reverse("chieusinh:call_detail", args=[call.pk]))]
            if call
            else []
        ),
        (title, None),
    )
    return render(
        request,
        "chieusinh/call_form.html",
        {
            "course": course,
            "call": call,
            "form": form,
            "formset": formset,
            "problems": problems,
            "title": title,
            "crumbs": crumbs,
        },
    )


@login_required
def call_create(request):
    require(request.user, Right.MANAGE)
    course_id = parse_id(request.GET.get("lop"))
    if course_id is None:
        courses = (
            visible(request.user, Course.objects.all())
            .filter(status__in=calls.CALLING_STATUSES)
            .exclude(calls__status__in=[CallStatus.DRAFT, CallStatus.PUBLISHED])
            .select_related("program")
            .order_by("start_date", "code")
        )
        return render(
            request,
            "chieusinh/call_choose_course.html",
            {"courses": courses[:200], "crumbs": _crumbs(("Thông báo mới", None))},
        )
    course = get_visible_or_404(
        request.user, Course.objects.select_related("centre", "program"), pk=course_id
    )
    refusal = calls.call_course_refusal(course)
    existing = Call.objects.filter(course=course).exclude(status=CallStatus.CLOSED).first()
    if existing is not None:
        messages.info(
            request, f"Lớp {course.code} đã có thông báo chiêu sinh; đây là thông báo đó."
        )
        return redirect("chieusinh:call_detail", pk=existing.pk)
    if refusal:
        messages.warning(request, refusal)
        return redirect("chieusinh:call_list")
    return _call_form_page(request, course=course, call=None)


@login_required
def call_edit(request, pk):
    call = _call_or_404(request, pk)
    if call.status == CallStatus.CLOSED:
        messages.warning(request, "Thông báo chiêu sinh đã đóng, không sửa được nữa.")
        return redirect("chieusinh:call_detail", pk=call.pk)
    return _call_form_page(request, course=call.course, call=call)


@login_required
def call_detail(request, pk):
    """Where each unit stands, the people on each list, and the actions."""
    call = _call_or_404(request, pk)
    statuses = calls.quota_statuses(call)
    lines_by_answer: dict[int, list[CallAnswerLine]] = {}
    for line in (
        CallAnswerLine.objects.filter(answer__call=call)
        .select_related("trainee", "unit")
        .order_by("id")
    ):
        lines_by_answer.setdefault(line.answer_id, []).append(line)
    rows = [
        (status, lines_by_answer.get(status.answer.pk, []) if status.answer else [])
        for status in statuses
    ]
    waiting = sum(
        1 for s in statuses if s.answer and s.answer.submitted_at and not s.answer.accepted_at
    )
    return render(
        request,
        "chieusinh/call_detail.html",
        {
            "call": call,
            "course": call.course,
            "rows": rows,
            "total_quota": sum(s.quota.quota for s in statuses),
            "total_lines": sum(s.lines for s in statuses),
            "waiting": waiting,
            "crumbs": _crumbs((f"Lớp {call.course.code}", None)),
        },
    )


@login_required
@require_POST
def call_publish(request, pk):
    call = _call_or_404(request, pk)
    try:
        calls.call_publish(call=call, user=request.user)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request,
            f"Đã gửi thông báo chiêu sinh lớp {call.course.code} tới {call.quotas.count()} đơn vị; "
            "mỗi đơn vị thấy thông báo trên trang của mình.",
        )
    return redirect("chieusinh:call_detail", pk=call.pk)


@login_required
@require_POST
def call_close(request, pk):
    call = _call_or_404(request, pk)
    try:
        calls.call_close(call=call)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(
            request, "Đã đóng thông báo chiêu sinh; các đơn vị không sửa danh sách được nữa."
        )
    return redirect("chieusinh:call_detail", pk=call.pk)


@login_required
@require_POST
def call_accept(request, pk):
    call = _call_or_404(request, pk)
    require(request.user, Right.IMPORT_EXPORT)
    try:
        result = accepting.call_accept(call=call, user=request.user)
    except ValidationError as error:
        messages.error(request, f"Chưa ghi gì: {_refusal(error)}")
    else:
        messages.success(request, result.summary)
        for line, reason in result.skipped[:20]:
            messages.warning(
                request, f"{line.person_name} ({line.answer.unit.name}): chưa ghi danh vì {reason}."
            )
    return redirect("chieusinh:call_detail", pk=call.pk)


@login_required
def summons_all(request, pk):
    call = _call_or_404(request, pk)
    if not call.quotas.exists():
        messages.warning(
            request,
            f"Thông báo chiêu sinh lớp {call.course.code} chưa giao số lượng cho đơn vị nào, nên "
            "chưa in được. Hãy thêm đơn vị và số lượng trước.",
        )
        return redirect("chieusinh:call_detail", pk=call.pk)
    return file_download(summons.summons_pdf(call), summons.filename(call))


# --- the unit ------------------------------------------------------------------------------


@login_required
def unit_calls(request):
    """The calls sent to the user's units, open first, with where each list stands."""
    require(request.user, Right.UNIT)
    quotas = (
        calls.quotas_for(request.user)
        .select_related("call", "call__course", "unit")
        .order_by("-call__deadline", "unit__search_key", "id")
    )
    page = paginate(request, quotas)
    keys = [(q.call_id, q.unit_id) for q in page.object_list]
    found = {}
    if keys:
        for answer in CallAnswer.objects.filter(
            call_id__in={k[0] for k in keys}, unit_id__in={k[1] for k in keys}
        ).annotate(line_count=Count("lines")):
            found[(answer.call_id, answer.unit_id)] = answer
    rows = []
    for quota in page.object_list:
        answer = found.get((quota.call_id, quota.unit_id))
        rows.append(
            calls.QuotaStatus(quota=quota, answer=answer, lines=answer.line_count if answer else 0)
        )
    return render(
        request,
        "chieusinh/unit_calls.html",
        {"page_obj": page, "rows": rows, "crumbs": [("Chiêu sinh của đơn vị", None)]},
    )


class UnitNotNamed(Exception):
    """A write to a unit's list that does not say which unit, by a user who answers for several."""


def _quota_or_404(request, pk, *, named: bool = False) -> CallQuota:
    """The quota of call `pk` for the unit named by ?don_vi= (default: the login's own unit, then
    the first unit): 404 when the call is not addressed to the user's units, 403 without the
    right to answer. With `named`, a user who answers for several units of the call must name
    one (UnitNotNamed): the steps of a write never guess whose list they change."""
    quotas = calls.quotas_for(request.user).filter(call_id=pk)
    quotas = quotas.select_related(
        "call", "call__course", "call__course__program", "call__centre", "unit"
    )
    unit_id = parse_id(request.GET.get("don_vi") or request.POST.get("don_vi"))
    quota = None
    if unit_id is not None:
        quota = quotas.filter(unit_id=unit_id).first()
    elif named:
        found = list(quotas[:2])
        if len(found) > 1:
            require(request.user, Right.UNIT)
            raise UnitNotNamed(found[0].call.course.code)
        quota = found[0] if found else None
    else:
        own = UnitAccount.objects.filter(user_id=request.user.pk).values("unit_id")
        quota = (
            quotas.filter(unit_id__in=own).first() or quotas.order_by("unit__search_key").first()
        )
    if quota is None:
        raise Http404("Không tìm thấy.")
    require(request.user, Right.UNIT)
    return quota


def _unit_not_named(request, refused: UnitNotNamed):
    messages.error(
        request,
        f"Chưa ghi gì: không rõ đây là danh sách của đơn vị nào trong thông báo chiêu sinh lớp "
        f"{refused} (bạn trả lời thông báo này cho nhiều đơn vị). Hãy mở danh sách của đúng đơn "
        "vị trong danh sách dưới đây rồi làm lại.",
    )
    return redirect("chieusinh:unit_calls")


def _step_url(name: str, quota: CallQuota) -> str:
    """A step of the unit's Excel list, for this very unit (?don_vi=)."""
    return f"{reverse(name, args=[quota.call_id])}?don_vi={quota.unit_id}"


def _answer_url(quota: CallQuota) -> str:
    return calls.answer_path(quota.call, quota.unit)


def _back(quota: CallQuota):
    return redirect(_answer_url(quota))


@login_required
def answer(request, pk):
    try:
        quota = _quota_or_404(request, pk, named=request.method == "POST")
    except UnitNotNamed as refused:
        return _unit_not_named(request, refused)
    call, user = quota.call, request.user
    if request.method == "POST":
        action = request.POST.get("hanh_dong", "")
        new_form = None
        try:
            if action == "chon":
                line = answers.line_add_trainee(
                    quota=quota, trainee_id=parse_id(request.POST.get("hoc_vien")), user=user
                )
                messages.success(request, f"Đã thêm {line.person_name} vào danh sách.")
            elif action == "bo":
                answers.line_remove(
                    quota=quota, line_id=parse_id(request.POST.get("dong")), user=user
                )
                messages.success(request, "Đã bỏ người này khỏi danh sách.")
            elif action == "gui":
                answers.answer_submit(quota=quota, user=user)
                messages.success(
                    request,
                    f"Đã gửi danh sách cho trung tâm. Đơn vị vẫn sửa được đến hết ngày "
                    f"{call.deadline:%d/%m/%Y}.",
                )
            elif action == "moi":
                new_form = NewPersonForm(request.POST, user=user, quota=quota)
                if new_form.is_valid():
                    line = answers.line_add_new(
                        quota=quota,
                        unit=new_form.cleaned_data["unit"],
                        values=new_form.person_values(),
                        user=user,
                    )
                    messages.success(request, f"Đã thêm {line.person_name} vào danh sách.")
                    return _back(quota)
                return _answer_page(request, quota, new_form=new_form)
            else:
                messages.error(request, "Thao tác không rõ; hãy thử lại từ trang danh sách.")
        except ValidationError as error:
            messages.error(request, _refusal(error))
            if new_form is not None:
                return _answer_page(request, quota, new_form=new_form)
        return _back(quota)
    return _answer_page(request, quota)


def _answer_page(request, quota: CallQuota, *, new_form=None, upload_form=None):
    call, user = quota.call, request.user
    answer_row = CallAnswer.objects.filter(call=call, unit=quota.unit).first()
    refusal = answers.answer_refusal(call, answer_row)
    lines = (
        list(answer_row.lines.select_related("trainee", "unit").order_by("id"))
        if answer_row
        else []
    )
    search = TraineeSearchForm(request.GET or None)
    found = []
    if not refusal and search.is_valid() and search.cleaned_data.get("q"):
        chosen = {line.trainee_id for line in lines}
        found = [
            trainee
            for trainee in visible(user, Trainee.objects.all())
            .filter(centre_id=call.centre_id, unit__in=unit_family(quota.unit))
            .search(search.cleaned_data["q"])
            .select_related("unit")[:SEARCH_RESULTS]
            if trainee.pk not in chosen
        ]
    action = _answer_url(quota)
    if new_form is None and not refusal:
        new_form = NewPersonForm(user=user, quota=quota)
    if new_form is not None:
        new_form.helper.form_action = action
    if upload_form is None and not refusal:
        upload_form = NomineeUploadForm(action=_step_url("chieusinh:answer_upload", quota))
    other_units = list(
        calls.quotas_for(user)
        .filter(call=call)
        .exclude(pk=quota.pk)
        .select_related("unit")
        .order_by("unit__search_key")
    )
    return render(
        request,
        "chieusinh/answer.html",
        {
            "quota": quota,
            "call": call,
            "course": call.course,
            "answer": answer_row,
            "lines": lines,
            "refusal": refusal,
            "room": quota.quota - len(lines),
            "search": search,
            "found": found,
            "new_form": new_form,
            "upload_form": upload_form,
            "columns": COLUMNS,
            "other_units": other_units,
            "crumbs": [
                ("Chiêu sinh của đơn vị", reverse("chieusinh:unit_calls")),
                (f"Lớp {call.course.code} – {quota.unit.name}", None),
            ],
        },
    )


@login_required
@require_POST
def answer_upload(request, pk):
    try:
        quota = _quota_or_404(request, pk, named=True)
    except UnitNotNamed as refused:
        return _unit_not_named(request, refused)
    refusal = answers.answer_refusal(
        quota.call, CallAnswer.objects.filter(call=quota.call, unit=quota.unit).first()
    )
    if refusal:
        messages.error(request, refusal)
        return _back(quota)
    form = NomineeUploadForm(
        request.POST,
        request.FILES,
        action=_step_url("chieusinh:answer_upload", quota),
    )
    if not form.is_valid():
        return _answer_page(request, quota, upload_form=form)
    pending_store(
        request,
        UPLOAD.purpose,
        course_id=quota.pk,
        filename=form.cleaned_data["file"].name,
        content=form.content,
    )
    return redirect(_step_url("chieusinh:answer_preview", quota))


@login_required
def answer_preview(request, pk):
    try:
        quota = _quota_or_404(request, pk, named=True)
    except UnitNotNamed as refused:
        return _unit_not_named(request, refused)
    pending = UPLOAD.load(request, quota)
    if pending is None:
        messages.info(request, "Chưa có file danh sách nào đang chờ xem trước; hãy tải file lên.")
        return _back(quota)
    return _preview_page(request, quota, pending)


def _preview_page(request, quota, pending, extra_problems=()):
    parsed = parse_nominee_file(pending.content, pending.filename)
    plan = answers.file_plan(quota=quota, rows=[] if parsed.fatal else parsed.rows)
    problems = [str(p) for p in parsed.problems] + [str(p) for p in plan.problems]
    problems += list(extra_problems)
    return render(
        request,
        "chieusinh/answer_preview.html",
        {
            "quota": quota,
            "call": quota.call,
            "pending": pending,
            "plan": plan,
            "rows": list(zip(plan.rows, plan.lines, strict=True)),
            "problems": problems,
            "confirm_url": _step_url("chieusinh:answer_confirm", quota),
            "crumbs": [
                ("Chiêu sinh của đơn vị", reverse("chieusinh:unit_calls")),
                (f"Lớp {quota.call.course.code} – {quota.unit.name}", _answer_url(quota)),
                ("Xem trước file", None),
            ],
        },
    )


@login_required
@require_POST
def answer_confirm(request, pk):
    try:
        quota = _quota_or_404(request, pk, named=True)
    except UnitNotNamed as refused:
        return _unit_not_named(request, refused)
    if "huy" in request.POST:
        UPLOAD.cancel(request)
        return _back(quota)
    pending = UPLOAD.load(request, quota)
    if pending is None or request.POST.get("sha256") != pending.sha256:
        messages.warning(
            request,
            "File đang chờ không còn hoặc đã thay đổi (đã ghi, đã hủy, quá hạn hoặc vừa tải file "
            "khác); hãy tải file lên lại.",
        )
        return _back(quota)
    parsed = parse_nominee_file(pending.content, pending.filename)
    if parsed.problems:
        return _preview_page(request, quota, pending)
    try:
        plan = answers.answer_replace_from_file(quota=quota, rows=parsed.rows, user=request.user)
    except ValidationError as error:
        messages.error(request, "Chưa ghi gì: danh sách có lỗi khi kiểm tra lại lúc xác nhận.")
        return _preview_page(request, quota, pending, error.messages)
    UPLOAD.clear(request)
    messages.success(
        request,
        f"Danh sách của đơn vị nay là {len(plan.lines)} người theo file «{pending.filename}». "
        "Hãy xem lại rồi bấm «Gửi danh sách cho trung tâm».",
    )
    return _back(quota)


@login_required
def summons_unit(request, pk, unit_id):
    """The call's notice from a unit's line: the same document as `summons_all` (one number,
    every unit in its table); staff for any unit of the call, the unit for its own."""
    quota = (
        calls.quotas_for(request.user)
        .filter(call_id=pk, unit_id=unit_id)
        .select_related("call", "call__course", "call__course__program", "call__centre", "unit")
        .first()
    )
    if quota is None and has_right(request.user, Right.MANAGE):
        # Staff print the letters of a call not yet sent, too.
        quota = (
            CallQuota.objects.filter(
                call__in=visible(request.user, Call.objects.all()), call_id=pk, unit_id=unit_id
            )
            .select_related("call", "call__course", "call__course__program", "call__centre", "unit")
            .first()
        )
    if quota is None:
        raise Http404("Không tìm thấy.")
    if not (has_right(request.user, Right.UNIT) or has_right(request.user, Right.MANAGE)):
        require(request.user, Right.UNIT)
    return file_download(summons.summons_pdf(quota.call), summons.filename(quota.call))
