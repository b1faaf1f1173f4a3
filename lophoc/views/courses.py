"""Class screens for the centre's staff: list, class page (the hub), open/edit, status, enrolment.

Lecturers open the pages of the classes they teach (read-only here); officials read the classes of
their scope as figures, never a list of people; only staff and admins change anything (DESIGN §7).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from giangvien.models import Lecturer
from hocvien.models import Trainee
from lophoc import courses, enrolments, panels
from lophoc.assessments import assessments_refusal, course_assessments_save
from lophoc.attendance import absence_over_limit
from lophoc.certificates import course_certificates_context
from lophoc.closing import ALL_PRESENT_CONFIRMATION, closing_check, course_results_context
from lophoc.course_forms import (
    AssessmentFormSet,
    AssessmentFormSetHelper,
    CourseCentreForm,
    CourseForm,
    CourseStartForm,
    EnrolExistingForm,
    NewTraineeForm,
    TopicFormSet,
    TopicFormSetHelper,
    TraineeSearchForm,
    TransitionForm,
    WithdrawForm,
)
from lophoc.course_summary import course_summary
from lophoc.courses import (
    EDITABLE_FIELDS,
    course_code_suggest,
    course_edit_refusal,
    course_status_change,
    course_topics_save,
    course_update,
    default_course_name,
    default_end_date,
    transition_actions,
    transition_label,
    transition_needs_confirmation,
    transition_right,
)
from lophoc.enrolments import (
    ENROLLING_STATUSES,
    WITHDRAWING_STATUSES,
    enrolling_refusal,
    enrolment_create,
    enrolment_create_with_trainee,
    withdrawal_refusal,
)
from lophoc.filters import CourseFilterSet
from lophoc.grading import course_grades_context
from lophoc.models import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    TransitionRefused,
)
from lophoc.results import LoadedClass, Outcome, OutcomeCounts, outcome, stored_distribution
from lophoc.timetable import sessions_in_order
from lophoc.views.lookup import course_or_404
from trungtam.documents.numbers import format_number, format_percent
from trungtam.forms import add_refusal
from trungtam.listing import ordering, paginate, parse_id
from trungtam.scoping import (
    Right,
    default_centre,
    get_visible_or_404,
    has_right,
    require,
    visible,
)

COURSE_SORTS = {
    "ma": ["code", "id"],
    "ten": ["name", "id"],
    "ngay": ["start_date", "code", "id"],
    "trang_thai": ["status_rank", "start_date", "id"],
    "si_so": ["active_count", "code", "id"],
}

# The flow's order, so that sorting by status reads planned → … → closed, cancelled last.
STATUS_RANK = Case(
    *[When(status=status, then=Value(rank)) for rank, status in enumerate(CourseStatus.values)],
    output_field=IntegerField(),
)

# The closing confirmation's fields: the box «mọi học viên đều có mặt» and the sessions it names.
ALL_PRESENT_FIELD = "xac_nhan_co_mat"
UNTAKEN_FIELD = "buoi_chua_diem_danh"


def _detail_url(course: Course, section: str = "") -> str:
    url = reverse("lophoc:course_detail", args=[course.pk])
    return f"{url}#{section}" if section else url


def _crumbs(course: Course | None = None, *tail):
    crumbs = [("Lớp học", reverse("lophoc:course_list"))]
    if course is not None:
        crumbs.append((course.code, _detail_url(course) if tail else None))
    return crumbs + list(tail)


def _refusal_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- list ------------------------------------------------------------------------------------


@login_required
def course_list(request):
    user = request.user
    require(user, Right.VIEW)  # a unit's liaison has its own pages, not the centre's list
    filters = CourseFilterSet(request.GET, visible(user, Course.objects.all()), request=request)
    sort, order_by = ordering(request, COURSE_SORTS, "-ngay")
    records = (
        filters.qs.select_related("program", "centre")
        .annotate(
            active_count=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ACTIVE)),
            status_rank=STATUS_RANK,
        )
        .order_by(*order_by)
    )
    return render(
        request,
        "lophoc/course_list.html",
        {
            "page_obj": paginate(request, records),
            "form": filters.form,
            "sort": sort,
            "year": filters.year,
            "filtered": filters.filtered,
            "can_manage": has_right(user, Right.MANAGE),
            "all_centres": user.sees_all_centres,
            "crumbs": [("Lớp học", None)],
        },
    )


# --- the class page --------------------------------------------------------------------------


@dataclass
class TraineeRow:
    enrolment: Enrolment
    over_limit: bool
    outcome: Outcome | None = None  # a closed class: its stored result in words


@login_required
def course_detail(request, pk):
    user = request.user
    course = course_or_404(request, pk)
    if not has_right(user, Right.PEOPLE):
        return _course_figures(request, course)
    course_enrolments = list(
        course.enrolments.select_related("trainee", "unit").order_by("trainee__sort_key", "id")
    )
    closed = course.status == CourseStatus.CLOSED
    rows = [
        TraineeRow(
            enrolment=e,
            over_limit=absence_over_limit(e, course.absence_limit_percent),
            outcome=outcome(e) if closed else None,
        )
        for e in course_enrolments
    ]
    sessions = list(sessions_in_order(course.sessions.select_related("topic", "lecturer")))
    # Apps above note sessions (say, «Chưa có giáo án duyệt» in the next 14 days).
    notes = panels.notes_for(sessions)
    for session in sessions:
        session.notes = notes.get(session.pk, [])
    can_manage = has_right(user, Right.MANAGE)
    active_count = sum(1 for e in course_enrolments if e.status == EnrolmentStatus.ACTIVE)
    assessments = list(course.assessments.select_related("grader", "submitted_by"))
    # The sections below compute from these rows instead of reading them again.
    loaded = LoadedClass(
        assessments=assessments,
        enrolments=course_enrolments,
        scheduled_periods=sum(s.periods for s in sessions),
    )
    return render(
        request,
        "lophoc/course_detail.html",
        {
            "course": course,
            "rows": rows,
            "active_count": active_count,
            "outcome_counts": OutcomeCounts.of(r.outcome for r in rows) if closed else None,
            "over_limit_count": sum(1 for row in rows if row.over_limit),
            "has_results": any(
                e.final_score is not None or e.classification for e in course_enrolments
            ),
            "sessions": sessions,
            "topics": list(course.topics.all()),
            "assessments": assessments,
            "status_changes": list(course.status_changes.select_related("user")),
            "actions": transition_actions(user, course) if can_manage else [],
            "can_manage": can_manage,
            "can_edit": can_manage and course_edit_refusal(course) is None,
            "can_enrol": can_manage and course.status in ENROLLING_STATUSES,
            "can_withdraw": can_manage and course.status in WITHDRAWING_STATUSES,
            "can_import": has_right(user, Right.IMPORT_EXPORT),
            "can_attendance": has_right(user, Right.ATTENDANCE),
            "all_centres": user.sees_all_centres,
            "crumbs": _crumbs(course),
            "grades": course_grades_context(
                course=course, user=user, assessments=assessments, active_count=active_count
            ),
            "results": course_results_context(course=course, user=user, loaded=loaded),
            "certificates": course_certificates_context(
                course=course, user=user, enrolments=course_enrolments
            ),
        },
    )


@login_required
def course_quality(request, pk):
    """The quality of teaching in one class: what the apps above add (evaluation, lesson plans,
    observations, materials, follow-up), each section deciding what this user may see."""
    course = course_or_404(request, pk)
    require(request.user, Right.VIEW)
    return render(
        request,
        "lophoc/course_quality.html",
        {
            "course": course,
            "panels": panels.course_page(request, course),
            "crumbs": _crumbs(course, ("Chất lượng giảng dạy", None)),
        },
    )


def _course_figures(request, course: Course):
    """The class page for those who read aggregates only: the class and its figures, no names."""
    course_enrolments = list(
        course.enrolments.only(
            "id",
            "course_id",
            "status",
            "scheduled_periods",
            "absent_periods",
            "passed",
            "classification",
        )
    )
    sessions = list(course.sessions.only("id", "course_id", "periods"))
    return render(
        request,
        "lophoc/course_figures.html",
        {
            "course": course,
            "summary": course_summary(course_enrolments),
            "session_count": len(sessions),
            "scheduled_periods": sum(s.periods for s in sessions),
            "all_centres": request.user.sees_all_centres,
            "crumbs": _crumbs(course),
        },
    )


# --- opening and editing ---------------------------------------------------------------------


def _form_page(request, context):
    return render(request, "lophoc/course_form.html", context)


@login_required
def course_create(request):
    user = request.user
    require(user, Right.MANAGE)
    crumbs = _crumbs(None, ("Mở lớp mới", None))
    centre = default_centre(user)
    chosen_centre = centre is None  # province-wide users pick the centre first
    if chosen_centre:
        centre_form = CourseCentreForm(
            request.GET if CourseCentreForm.keys["centre"] in request.GET else None, user=user
        )
        if not centre_form.is_valid():
            return _form_page(request, {"step": "centre", "form": centre_form, "crumbs": crumbs})
        centre = centre_form.cleaned_data["centre"]
    start_form = CourseStartForm(
        request.GET if CourseStartForm.keys["program"] in request.GET else None,
        user=user,
        centre=centre,
        carry_centre=chosen_centre,
    )
    if not start_form.is_valid() or (request.method == "GET" and "doi" in request.GET):
        return _form_page(
            request, {"step": "start", "form": start_form, "centre": centre, "crumbs": crumbs}
        )
    program = start_form.cleaned_data["program"]
    start_date = start_form.cleaned_data["start_date"]
    if request.method == "POST":
        form = CourseForm(request.POST, centre=centre, program=program, submit_label="Mở lớp")
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
            try:
                course = courses.course_create(centre=centre, program=program, user=user, **values)
            except ValidationError as error:
                add_refusal(form, error)
            else:
                topics = course.topics.count()
                messages.success(
                    request,
                    f"Đã mở lớp {course.code} – {course.name} với {topics} chuyên đề lấy từ "
                    "chương trình. Bước tiếp theo: xếp thời khóa biểu và ghi danh học viên.",
                )
                return redirect(_detail_url(course))
    else:
        form = CourseForm(
            initial={
                "code": course_code_suggest(centre=centre, program=program, start_date=start_date),
                "name": default_course_name(program),
                "start_date": start_date,
                "end_date": default_end_date(program=program, start_date=start_date),
                "is_assessed": program.is_assessed,
                "certificate_issuer": program.certificate_issuer,
                "absence_limit_percent": program.absence_limit_percent,
                "partner_name": program.partner_name,
            },
            centre=centre,
            program=program,
            submit_label="Mở lớp",
        )
    return _form_page(
        request,
        {
            "step": "details",
            "form": form,
            "centre": centre,
            "program": program,
            "topics": list(program.topics.all()),
            "back_query": request.GET.urlencode(),
            "crumbs": crumbs,
        },
    )


@login_required
def course_edit(request, pk):
    course = course_or_404(request, pk, Right.MANAGE)
    refusal = course_edit_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(course))
    form = CourseForm(
        request.POST or None, instance=course, centre=course.centre, program=course.program
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        try:
            course = course_update(course=course, user=request.user, **values)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(request, f"Đã lưu thông tin lớp {course.code}.")
            return redirect(_detail_url(course))
    return _form_page(
        request,
        {
            "step": "edit",
            "form": form,
            "course": course,
            "program": course.program,
            "crumbs": _crumbs(course, ("Sửa thông tin", None)),
        },
    )


@login_required
def course_topics(request, pk):
    course = course_or_404(request, pk, Right.MANAGE)
    refusal = course_edit_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(course, "thong-tin"))
    topics = list(course.topics.all())
    next_order = max((topic.order for topic in topics), default=0) + 1
    formset = TopicFormSet(
        request.POST or None,
        queryset=course.topics.all(),
        # Blank rows for new topics continue the numbering; untouched ones are ignored.
        initial=[{"order": next_order + n, "periods": 4} for n in range(TopicFormSet.extra)],
    )
    if request.method == "POST" and formset.is_valid():
        topics = formset.save(commit=False)
        try:
            course_topics_save(course=course, topics=topics, deleted=formset.deleted_objects)
        except ValidationError as error:
            messages.error(request, _refusal_text(error))
        else:
            messages.success(request, f"Đã lưu danh sách chuyên đề của lớp {course.code}.")
            return redirect(_detail_url(course, "thong-tin"))
    return render(
        request,
        "lophoc/course_topics.html",
        {
            "course": course,
            "formset": formset,
            "helper": TopicFormSetHelper(),
            "crumbs": _crumbs(course, ("Chuyên đề", None)),
        },
    )


# --- status ----------------------------------------------------------------------------------


def _transition_page(request, course, form, target, status=200, check=None, untaken_error=""):
    return render(
        request,
        "lophoc/course_transition.html",
        {
            "course": course,
            "form": form,
            "target": target,
            "target_label": CourseStatus(target).label,
            "action_label": transition_label(course.status, target),
            "reopen": course.status == CourseStatus.CLOSED,
            "closing": target == CourseStatus.CLOSED,
            "check": check,
            "all_present_label": ALL_PRESENT_CONFIRMATION,
            "untaken_error": untaken_error,
            "crumbs": _crumbs(course, (transition_label(course.status, target), None)),
        },
        status=status,
    )


def _all_present(post) -> list[int]:
    """The sessions without attendance the person ticked «mọi học viên đều có mặt» for: those
    the confirmation page listed, only when the box is ticked."""
    if not post.get(ALL_PRESENT_FIELD):
        return []
    return [pk for pk in map(parse_id, post.getlist(UNTAKEN_FIELD)) if pk is not None]


@login_required
def course_transition_confirm(request, pk, target):
    """The confirmation step before cancelling, closing (with the results it will store) or
    reopening grading."""
    course = course_or_404(request, pk)
    if target not in CourseStatus.values:
        raise Http404("Không có trạng thái này.")
    require(request.user, transition_right(course.status, target))
    check = None
    if target == CourseStatus.CLOSED:
        check = closing_check(course)
        refusal = check.refusal
    else:
        refusal = course.transition_refusal(target, reason="-")
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(course, "ket-qua" if check else ""))
    form = TransitionForm(initial={"status": target})
    return _transition_page(request, course, form, target, check=check)


def _closed_message(course: Course) -> str:
    distribution = stored_distribution(course)
    text = (
        f"Lớp {course.code} đã kết thúc: đã tính và lưu kết quả của "
        f"{format_number(distribution.counted)} học viên"
    )
    if distribution.counted:
        text += (
            f", {format_number(distribution.passed)} hoàn thành "
            f"({format_percent(distribution.pass_rate)})"
        )
    return text + ". Điểm của lớp đã được khóa."


@login_required
@require_POST
def course_transition(request, pk):
    course = course_or_404(request, pk, Right.MANAGE)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy chọn một trạng thái mới của lớp trong các nút ở trang lớp.")
        return redirect(_detail_url(course))
    target = form.cleaned_data["status"]
    reason = form.cleaned_data["reason"]
    require(request.user, transition_right(course.status, target))
    closing = target == CourseStatus.CLOSED
    confirm = transition_needs_confirmation(course.status, target)
    if confirm and not request.POST.get("xac_nhan"):
        if closing:
            refusal = closing_check(course).refusal
            if refusal:
                messages.error(request, refusal)
                return redirect(_detail_url(course, "ket-qua"))
        return redirect("lophoc:course_transition_confirm", pk=course.pk, target=target)
    old_label = course.get_status_display()
    try:
        course_status_change(
            course=course,
            target=target,
            user=request.user,
            reason=reason,
            all_present=_all_present(request.POST),
        )
    except TransitionRefused as refusal:
        course.refresh_from_db()
        if closing and course.status == CourseStatus.GRADING:
            check = closing_check(course)
            if check.refusal is None and check.untaken:
                # Only the sessions without attendance stand in the way: back to the
                # confirmation, the refusal beside the box to tick.
                return _transition_page(
                    request, course, form, target, check=check, untaken_error=_refusal_text(refusal)
                )
        messages.error(request, _refusal_text(refusal))
        if confirm and not closing and target in course.allowed_transitions():
            # Back to the confirmation step with what was typed (e.g. the missing reason).
            return _transition_page(request, course, form, target)
        return redirect(_detail_url(course, "ket-qua" if closing else ""))
    if closing:
        messages.success(request, _closed_message(course))
        return redirect(_detail_url(course, "ket-qua"))
    messages.success(
        request,
        f"Lớp {course.code} đã chuyển từ «{old_label}» sang «{course.get_status_display()}».",
    )
    return redirect(_detail_url(course))


# --- assessments -----------------------------------------------------------------------------


@login_required
def course_assessments(request, pk):
    """Staff edit the class's assessments (name, weight, final, retake, grader) until closing."""
    course = course_or_404(request, pk, Right.MANAGE)
    refusal = assessments_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(course, "ket-qua"))
    current = list(course.assessments.all())
    next_order = max((a.order for a in current), default=0) + 1
    lecturers = (
        visible(request.user, Lecturer.objects.all())
        .filter(centre=course.centre_id)
        .filter(Q(active=True) | Q(pk__in=[a.grader_id for a in current if a.grader_id]))
        .order_by("sort_key", "id")
    )
    formset = AssessmentFormSet(
        request.POST or None,
        queryset=course.assessments.select_related("grader"),
        initial=[
            {"order": next_order + n, "weight": Decimal("1")}
            for n in range(AssessmentFormSet.extra)
        ],
        form_kwargs={"lecturers": lecturers},
    )
    if request.method == "POST" and formset.is_valid():
        assessments = formset.save(commit=False)
        try:
            course_assessments_save(
                course=course,
                assessments=assessments,
                deleted=formset.deleted_objects,
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, _refusal_text(error))
        else:
            messages.success(request, f"Đã lưu bài kiểm tra và hệ số của lớp {course.code}.")
            return redirect(_detail_url(course, "ket-qua"))
    return render(
        request,
        "lophoc/assessment_edit.html",
        {
            "course": course,
            "formset": formset,
            "helper": AssessmentFormSetHelper(),
            "crumbs": _crumbs(course, ("Bài kiểm tra", None)),
        },
    )


# --- enrolment -------------------------------------------------------------------------------


@login_required
def enrolment_add(request, pk):
    user = request.user
    course = course_or_404(request, pk, Right.MANAGE)
    refusal = enrolling_refusal(course)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(course, "hoc-vien"))
    trainees = visible(user, Trainee.objects.all()).filter(centre=course.centre_id)
    search_form = TraineeSearchForm(request.GET or None)
    query = (request.GET.get("q") or "").strip()
    results = None
    if query:
        results = paginate(
            request,
            trainees.search(query)
            .select_related("unit")
            .annotate(
                in_course=Exists(Enrolment.objects.filter(course=course, trainee=OuterRef("pk")))
            )
            .order_by("sort_key", "id"),
            per_page=20,
        )
    picked = None
    picked_id = parse_id(request.POST.get("hoc_vien") or request.GET.get("hoc_vien"))
    if picked_id:
        picked = trainees.select_related("unit").filter(pk=picked_id).first()
    existing_form = EnrolExistingForm(
        request.POST if "ghi_danh" in request.POST else None,
        user=user,
        course=course,
        initial={
            "trainee": picked.pk if picked else None,
            "unit": picked.unit_id if picked else None,
            "position": picked.position if picked else "",
        },
    )
    new_form = NewTraineeForm(
        request.POST if "ghi_danh_moi" in request.POST else None, user=user, course=course
    )
    enrolment = None
    if request.method == "POST":
        if "ghi_danh" in request.POST and existing_form.is_valid():
            data = existing_form.cleaned_data
            try:
                enrolment = enrolment_create(
                    course=course,
                    trainee=data["trainee"],
                    unit=data["unit"],
                    position=data["position"],
                )
            except ValidationError as error:
                add_refusal(existing_form, error)
        elif "ghi_danh_moi" in request.POST and new_form.is_valid():
            trainee = new_form.save(commit=False)
            try:
                enrolment = enrolment_create_with_trainee(
                    course=course, trainee=trainee, unit=trainee.unit, position=trainee.position
                )
            except ValidationError as error:
                add_refusal(new_form, error)
    if enrolment is not None:
        messages.success(
            request,
            f"Đã ghi danh học viên {enrolment.trainee.full_name} vào lớp {course.code}.",
        )
        return redirect(_detail_url(course, "hoc-vien"))
    return render(
        request,
        "lophoc/enrolment_add.html",
        {
            "course": course,
            "search_form": search_form,
            "query": query,
            "page_obj": results,
            "picked": picked,
            "existing_form": existing_form,
            "new_form": new_form,
            "show_new": "ghi_danh_moi" in request.POST,
            "crumbs": _crumbs(course, ("Thêm học viên", None)),
        },
    )


@login_required
def enrolment_withdraw(request, pk):
    enrolment = get_visible_or_404(
        request.user,
        Enrolment.objects.select_related("course", "course__centre", "trainee", "unit"),
        pk=pk,
    )
    require(request.user, Right.MANAGE)
    course = enrolment.course
    refusal = withdrawal_refusal(enrolment)
    if refusal:
        messages.error(request, refusal)
        return redirect(_detail_url(course, "hoc-vien"))
    form = WithdrawForm(request.POST or None, cancel_url=_detail_url(course, "hoc-vien"))
    if request.method == "POST" and form.is_valid():
        try:
            enrolments.enrolment_withdraw(enrolment=enrolment, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                f"Học viên {enrolment.trainee.full_name} đã thôi học lớp {course.code}. "
                "Ghi danh vẫn được giữ lại cùng lý do.",
            )
            return redirect(_detail_url(course, "hoc-vien"))
    return render(
        request,
        "lophoc/enrolment_withdraw.html",
        {
            "course": course,
            "enrolment": enrolment,
            "form": form,
            "crumbs": _crumbs(course, ("Thôi học", None)),
        },
    )
