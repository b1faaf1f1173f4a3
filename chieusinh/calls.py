"""Calls for nominees: saving a call with its quotas, publishing it to the units, closing it, and
where each unit stands (issue 16 item 2)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallQuota, CallStatus
from hocvien.models import Unit
from lophoc.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from thongbao.models import NotificationKind
from thongbao.notify import notify
from trungtam.documents.numbers import format_number
from trungtam.scoping import visible

# A call is opened for a class that has not started yet.
CALLING_STATUSES = (CourseStatus.PLANNED, CourseStatus.ENROLLING)


@dataclass(frozen=True)
class QuotaRow:
    """One row of the quota table as typed: its number on the form, the unit, the quota."""

    row: int
    unit: Unit | None
    quota: int | None


def call_course_refusal(course: Course) -> str | None:
    if course.status not in CALLING_STATUSES:
        return (
            f"Lớp {course.code} đang ở trạng thái «{course.get_status_display()}»: chỉ gửi thông "
            "báo chiêu sinh cho lớp ở trạng thái Kế hoạch hoặc Đang chiêu sinh."
        )
    return None


def deadline_problem(course: Course, deadline: datetime.date, today=None) -> str | None:
    today = today or timezone.localdate()
    if deadline < today:
        return (
            f"Hạn gửi danh sách {deadline:%d/%m/%Y} đã qua; hãy chọn một ngày từ hôm nay "
            f"({today:%d/%m/%Y}) trở đi."
        )
    if deadline >= course.start_date:
        return (
            f"Hạn gửi danh sách phải trước ngày khai giảng của lớp ({course.start_date:%d/%m/%Y}), "
            f"để trung tâm kịp ghi danh."
        )
    return None


def _seats_taken(course: Course, call: Call | None) -> int:
    """People studying in the class, less those this call already put there: its quotas count
    them already."""
    active = Enrolment.objects.filter(course=course, status=EnrolmentStatus.ACTIVE).count()
    if call is None or call.pk is None:
        return active
    from_call = CallAnswerLine.objects.filter(answer__call=call, enrolled=True).count()
    return max(active - from_call, 0)


def quota_problems(course: Course, rows: list[QuotaRow], call: Call | None = None) -> list[str]:
    """Every problem of the quota table, each naming its row."""
    problems = []
    seen: dict[int, int] = {}
    total = 0
    for row in rows:
        if row.unit is None:
            problems.append(f"Dòng {row.row}: hãy chọn đơn vị.")
            continue
        if row.unit.centre_id != course.centre_id:
            problems.append(
                f"Dòng {row.row}: đơn vị «{row.unit.name}» không thuộc trung tâm của lớp; hãy "
                "chọn đơn vị trong danh sách."
            )
        elif not row.unit.active:
            problems.append(
                f"Dòng {row.row}: đơn vị «{row.unit.name}» không còn hoạt động; hãy chọn đơn vị "
                "đang hoạt động."
            )
        if row.unit.pk in seen:
            problems.append(
                f"Dòng {row.row}: đơn vị «{row.unit.name}» đã có ở dòng {seen[row.unit.pk]}; mỗi "
                "đơn vị một dòng."
            )
        else:
            seen[row.unit.pk] = row.row
        if row.quota is None or row.quota < 1:
            problems.append(f"Dòng {row.row}: số lượng phải từ 1 trở lên.")
        else:
            total += row.quota
    if not rows:
        problems.append("Hãy giao chỉ tiêu cho ít nhất một đơn vị.")
    taken = _seats_taken(course, call) if total else 0
    room = max(course.capacity - taken, 0)
    if total > room and taken:
        problems.append(
            f"Tổng chỉ tiêu ({format_number(total)}) vượt số chỗ còn lại của lớp "
            f"({format_number(room)}): sĩ số tối đa {format_number(course.capacity)}, đã có "
            f"{format_number(taken)} học viên đang học; hãy giảm chỉ tiêu hoặc tăng sĩ số của lớp."
        )
    elif total > room:
        problems.append(
            f"Tổng chỉ tiêu ({format_number(total)}) vượt sĩ số tối đa của lớp "
            f"({format_number(course.capacity)}); hãy giảm chỉ tiêu hoặc tăng sĩ số của lớp."
        )
    return problems


def _answered_counts(call: Call) -> dict[int, int]:
    return dict(
        CallAnswer.objects.filter(call=call).annotate(n=Count("lines")).values_list("unit_id", "n")
    )


# What the call's form edits; everything else (status, publishing, closing) has its own service.
EDITED_FIELDS = ("deadline", "number", "note")


@transaction.atomic
def call_save(
    *,
    call: Call,
    quotas: list[QuotaRow],
    user=None,
    today: datetime.date | None = None,
) -> Call:
    """Create or change a call and its quotas; all or nothing, every problem at once.

    A unit that has already sent people keeps its row, with a quota no lower than what it sent.
    A published call tells the units added to it.

    `call` carries the edited fields (EDITED_FIELDS); a saved call is read again under a lock and
    only those fields are written, so a publish or close made meanwhile stands.
    """
    edited = call
    if edited.pk is not None:
        # The call first, then the class: the order accepting takes them.
        call = Call.objects.select_for_update().get(pk=edited.pk)
        for name in EDITED_FIELDS:
            setattr(call, name, getattr(edited, name))
    course = Course.objects.select_for_update().get(pk=call.course_id)
    problems = []
    if call.pk is None:
        refusal = call_course_refusal(course)
        if refusal:
            problems.append(refusal)
        if Call.objects.filter(course=course).exclude(status=CallStatus.CLOSED).exists():
            problems.append(
                f"Lớp {course.code} đã có một thông báo chiêu sinh chưa đóng; hãy sửa thông báo đó."
            )
    elif call.status == CallStatus.CLOSED:
        problems.append("Thông báo chiêu sinh đã đóng, không sửa được nữa.")
    wrong = deadline_problem(course, call.deadline, today)
    if wrong:
        problems.append(wrong)
    problems += quota_problems(course, quotas, call)
    if call.pk is not None:
        answered = _answered_counts(call)
        kept = {row.unit.pk: row for row in quotas if row.unit is not None}
        names = dict(Unit.objects.filter(pk__in=answered).values_list("pk", "name"))
        for unit_id, count in answered.items():
            row = kept.get(unit_id)
            if row is None:
                if count:
                    problems.append(
                        f"Đơn vị «{names[unit_id]}» đã gửi {count} người: không bỏ đơn vị này "
                        "khỏi thông báo được."
                    )
            elif row.quota is not None and row.quota < count:
                problems.append(
                    f"Dòng {row.row}: đơn vị «{names[unit_id]}» đã gửi {count} người; chỉ tiêu "
                    f"không thể thấp hơn {count}."
                )
    if problems:
        raise ValidationError(problems)
    call.centre_id = course.centre_id
    if call.pk is None:
        call.created_by = user
        call.save()
    else:
        call.save(update_fields=[*EDITED_FIELDS, "centre"])
    old = {quota.unit_id: quota for quota in call.quotas.all()}
    new_units = []
    for row in quotas:
        quota = old.pop(row.unit.pk, None)
        if quota is None:
            CallQuota.objects.create(call=call, unit=row.unit, quota=row.quota)
            new_units.append(row.unit)
        elif quota.quota != row.quota:
            quota.quota = row.quota
            quota.save(update_fields=["quota"])
    if old:
        CallAnswer.objects.filter(call=call, unit_id__in=old).delete()
        CallQuota.objects.filter(pk__in=[q.pk for q in old.values()]).delete()
    if call.status == CallStatus.PUBLISHED:
        for unit in new_units:
            _notify_opened(call, unit)
    return call


def answer_path(call: Call, unit: Unit) -> str:
    return f"{reverse('chieusinh:answer', args=[call.pk])}?don_vi={unit.pk}"


def _notify_opened(call: Call, unit: Unit) -> None:
    course = call.course
    notify(
        unit,
        kind=NotificationKind.CALL_OPENED,
        title=(
            f"Thông báo chiêu sinh lớp {course.code} – {course.name}: hạn gửi danh sách "
            f"{call.deadline:%d/%m/%Y}"
        ),
        link=answer_path(call, unit),
        key=f"call:{call.pk}:opened",
    )


@transaction.atomic
def call_publish(*, call: Call, user, today: datetime.date | None = None) -> Call:
    """Send the call to its units: each one is notified, once."""
    call = Call.objects.select_for_update().select_related("course").get(pk=call.pk)
    if call.status != CallStatus.DRAFT:
        raise ValidationError("Thông báo chiêu sinh này đã được gửi các đơn vị từ trước.")
    refusal = call_course_refusal(call.course) or deadline_problem(
        call.course, call.deadline, today
    )
    if refusal:
        raise ValidationError(refusal)
    quotas = list(call.quotas.select_related("unit"))
    if not quotas:
        raise ValidationError("Hãy giao chỉ tiêu cho ít nhất một đơn vị trước khi gửi.")
    call.status = CallStatus.PUBLISHED
    call.published_at = timezone.now()
    call.published_by = user
    call.save(update_fields=["status", "published_at", "published_by"])
    for quota in quotas:
        _notify_opened(call, quota.unit)
    return call


@transaction.atomic
def call_close(*, call: Call) -> Call:
    """No more answers: the units read their lists, the centre keeps them."""
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.status == CallStatus.CLOSED:
        raise ValidationError("Thông báo chiêu sinh này đã đóng từ trước.")
    call.status = CallStatus.CLOSED
    call.closed_at = timezone.now()
    call.save(update_fields=["status", "closed_at"])
    return call


# --- where each unit stands ----------------------------------------------------------------


class UnitStanding:
    NOT_ANSWERED = "Chưa gửi"
    LATE = "Quá hạn, chưa gửi"
    DRAFT = "Đang soạn, chưa gửi"
    ANSWERED = "Đã gửi"
    ACCEPTED = "Trung tâm đã nhận"


@dataclass
class QuotaStatus:
    quota: CallQuota
    answer: CallAnswer | None
    lines: int

    @property
    def unit(self) -> Unit:
        return self.quota.unit

    @property
    def standing(self) -> str:
        answer = self.answer
        if answer is not None and answer.accepted_at:
            return UnitStanding.ACCEPTED
        if answer is not None and answer.submitted_at:
            return UnitStanding.ANSWERED
        if self.quota.call.is_past_deadline():
            return UnitStanding.LATE
        if answer is not None and self.lines:
            return UnitStanding.DRAFT
        return UnitStanding.NOT_ANSWERED

    @property
    def badge(self) -> str:
        return {
            UnitStanding.ACCEPTED: "success",
            UnitStanding.ANSWERED: "primary",
            UnitStanding.LATE: "danger",
            UnitStanding.DRAFT: "warning",
        }.get(self.standing, "secondary")

    @property
    def submitted_late(self) -> bool:
        answer = self.answer
        return bool(
            answer
            and answer.submitted_at
            and timezone.localdate(answer.submitted_at) > self.quota.call.deadline
        )


def quota_statuses(call: Call, quotas: QuerySet[CallQuota] | None = None) -> list[QuotaStatus]:
    """Each unit of the call with its answer and how many people it sent: three queries."""
    quotas = quotas if quotas is not None else call.quotas.all()
    quotas = list(quotas.select_related("unit", "call"))
    answers = {
        answer.unit_id: answer
        for answer in CallAnswer.objects.filter(
            call=call, unit_id__in=[q.unit_id for q in quotas]
        ).annotate(line_count=Count("lines"))
    }
    statuses = []
    for quota in quotas:
        quota.call = call
        answer = answers.get(quota.unit_id)
        statuses.append(
            QuotaStatus(quota=quota, answer=answer, lines=answer.line_count if answer else 0)
        )
    return statuses


def calls_with_counts(queryset: QuerySet[Call]) -> QuerySet[Call]:
    """The list of calls: the class, and per call its units, total quota, answers sent."""
    return queryset.select_related("course", "course__program").annotate(
        unit_count=Count("quotas", distinct=True),
        answered_count=Count(
            "answers", filter=Q(answers__submitted_at__isnull=False), distinct=True
        ),
        accepted_count=Count(
            "answers", filter=Q(answers__accepted_at__isnull=False), distinct=True
        ),
    )


# --- for the unit ---------------------------------------------------------------------------


def quotas_for(user) -> QuerySet[CallQuota]:
    """The quotas of the calls sent to the units the user answers for (a liaison: its unit and
    those under it; staff: every unit of their centre). Drafts are the centre's business."""
    return visible(user, CallQuota.objects.all()).exclude(call__status=CallStatus.DRAFT)


def open_calls_for(user) -> QuerySet[Call]:
    """Calls addressed to the liaison's units that are published and not past their deadline."""
    return (
        Call.objects.open_for_answers()
        .filter(pk__in=quotas_for(user).values("call_id"))
        .select_related("course")
        .order_by("deadline", "id")
    )
