"""A unit's answer to a call: its people picked from the registry, typed in, or read from its
Excel list; at most its quota; changed until the deadline or until the centre accepts it.

Every write locks the call's row, checks again, and writes all or nothing (issue 16 item 2).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallQuota, CallStatus
from hocvien.models import Trainee, Unit
from hocvien.units import unit_family
from lophoc.models import Enrolment
from lophoc.nominee_import import NomineeRow, Problem, mask_national_id
from lophoc.nominee_import.planning import unit_key

OTHER_UNIT_PERSON = (
    "người này không có trong hồ sơ của đơn vị (hoặc các đơn vị trực thuộc). Đơn vị chỉ cử "
    "người của mình; nếu người này đã chuyển về đơn vị, hãy liên hệ trung tâm để cập nhật hồ sơ."
)


def answer_refusal(call: Call, answer: CallAnswer | None, today=None) -> str | None:
    """Why the unit's list cannot be changed now, or None."""
    if answer is not None and answer.accepted_at:
        return (
            f"Trung tâm đã nhận danh sách của đơn vị ngày {timezone.localtime(answer.accepted_at):%d/%m/%Y}"
            "; danh sách không sửa được nữa. Cần thay đổi, hãy liên hệ trung tâm."
        )
    if call.status == CallStatus.CLOSED:
        return "Trung tâm đã đóng thông báo chiêu sinh này; danh sách không sửa được nữa."
    if call.status != CallStatus.PUBLISHED:
        return "Thông báo chiêu sinh này chưa được gửi các đơn vị."
    if call.is_past_deadline(today):
        return (
            f"Đã quá hạn gửi danh sách ({call.deadline:%d/%m/%Y}); danh sách không sửa được nữa. "
            "Cần cử thêm người, hãy liên hệ trung tâm."
        )
    return None


def _locked(quota: CallQuota, today=None) -> tuple[Call, CallAnswer]:
    """The call locked, then the unit's answer (made when missing); refused when closed to it."""
    call = Call.objects.select_for_update().select_related("course").get(pk=quota.call_id)
    answer = CallAnswer.objects.filter(call=call, unit_id=quota.unit_id).first()
    refusal = answer_refusal(call, answer, today)
    if refusal:
        raise ValidationError(refusal)
    if answer is None:
        answer = CallAnswer.objects.create(call=call, unit_id=quota.unit_id)
    return call, answer


def _room_refusal(quota: CallQuota, answer: CallAnswer, adding: int) -> str | None:
    count = answer.lines.count()
    if count + adding > quota.quota:
        return (
            f"Chỉ tiêu của đơn vị là {quota.quota} người; danh sách đã có {count} người, không "
            f"thêm được {adding} người nữa. Hãy bỏ bớt người trước khi thêm."
        )
    return None


def _touched(answer: CallAnswer, user) -> None:
    """A list already sent stays sent: its time says when it was last changed."""
    if answer.submitted_at:
        answer.submitted_at = timezone.now()
        answer.submitted_by = user
        answer.save(update_fields=["submitted_at", "submitted_by"])


@transaction.atomic
def line_add_trainee(*, quota: CallQuota, trainee_id, user, today=None) -> CallAnswerLine:
    """Put a person of the registry on the unit's list: only people of the unit or the units
    under it, each once, not someone already in the class."""
    call, answer = _locked(quota, today)
    trainee = (
        Trainee.objects.filter(
            pk=trainee_id, centre_id=call.centre_id, unit__in=unit_family(quota.unit)
        )
        .select_related("unit")
        .first()
    )
    if trainee is None:
        raise ValidationError(f"Không thêm được: {OTHER_UNIT_PERSON}")
    if answer.lines.filter(trainee=trainee).exists():
        raise ValidationError(f"{trainee.full_name} đã có trong danh sách của đơn vị.")
    if Enrolment.objects.filter(course_id=call.course_id, trainee=trainee).exists():
        raise ValidationError(f"{trainee.full_name} đã có trong lớp {call.course.code}.")
    refusal = _room_refusal(quota, answer, 1)
    if refusal:
        raise ValidationError(refusal)
    line = CallAnswerLine.objects.create(
        answer=answer, trainee=trainee, unit=trainee.unit, position=trainee.position
    )
    _touched(answer, user)
    return line


NEW_PERSON_FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "national_id",
    "ethnicity",
    "position",
    "phone",
    "is_party_member",
)


def _new_line(answer: CallAnswer, unit: Unit, values: dict) -> CallAnswerLine:
    line = CallAnswerLine(answer=answer, unit=unit)
    for name in NEW_PERSON_FIELDS:
        value = values.get(name)
        if value is None and name not in ("national_id", "date_of_birth"):
            value = False if name == "is_party_member" else ""
        setattr(line, name, value)
    return line


def _national_id_refusal(answer: CallAnswer, quota: CallQuota, national_id, call: Call):
    if not national_id:
        return None
    if answer.lines.filter(
        Q(national_id=national_id) | Q(trainee__national_id=national_id)
    ).exists():
        return f"Số CCCD {mask_national_id(national_id)} đã có trong danh sách của đơn vị."
    # Only the unit's own people are looked up: a CCCD of another unit's person is taken as a new
    # person, exactly like an unknown one, so that the answer never tells that the person exists.
    # Accepting the list matches it by CCCD like any import.
    holder = Trainee.objects.filter(
        centre_id=call.centre_id, national_id=national_id, unit__in=unit_family(quota.unit)
    ).first()
    if holder is None:
        return None
    return (
        f"Số CCCD {mask_national_id(national_id)} là của {holder.full_name}, đã có hồ sơ: "
        "hãy chọn người này trong danh sách người của đơn vị thay vì nhập mới."
    )


@transaction.atomic
def line_add_new(*, quota: CallQuota, unit: Unit, values: dict, user, today=None):
    """Put a person without a record on the list (checked by the form with the importer's rules;
    recorded as a trainee when the centre accepts the list)."""
    call, answer = _locked(quota, today)
    if not unit_family(quota.unit).filter(pk=unit.pk).exists():
        raise ValidationError("Hãy chọn đơn vị công tác là đơn vị mình hoặc đơn vị trực thuộc.")
    refusal = _national_id_refusal(answer, quota, values.get("national_id"), call)
    refusal = refusal or _room_refusal(quota, answer, 1)
    if refusal:
        raise ValidationError(refusal)
    line = _new_line(answer, unit, values)
    line.full_clean(exclude=["answer", "unit", "trainee"])
    line.save()
    _touched(answer, user)
    return line


@transaction.atomic
def line_remove(*, quota: CallQuota, line_id, user, today=None) -> None:
    _call, answer = _locked(quota, today)
    deleted, _ = answer.lines.filter(pk=line_id).delete()
    if not deleted:
        raise ValidationError("Người này không còn trong danh sách của đơn vị; hãy tải lại trang.")
    _touched(answer, user)


@transaction.atomic
def answer_submit(*, quota: CallQuota, user, today=None) -> CallAnswer:
    """Send the list to the centre (it can still be changed until the deadline)."""
    _call, answer = _locked(quota, today)
    count = answer.lines.count()
    if count > quota.quota:
        raise ValidationError(
            f"Danh sách có {count} người, vượt chỉ tiêu {quota.quota} người; hãy bỏ bớt."
        )
    answer.submitted_at = timezone.now()
    answer.submitted_by = user
    answer.save(update_fields=["submitted_at", "submitted_by"])
    return answer


# --- the unit's Excel list ------------------------------------------------------------------


@dataclass
class FilePlan:
    """What an Excel list becomes on the unit's answer: each row a known person or a new one."""

    lines: list[CallAnswerLine] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # the file's row of each line
    known: set[int] = field(default_factory=set)  # rows matched to a record of the unit
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def file_plan(
    *, quota: CallQuota, rows: list[NomineeRow], today: datetime.date | None = None
) -> FilePlan:
    """Match an Excel list's rows against the unit's people; a fixed number of queries."""
    plan = FilePlan()
    call = quota.call
    scope = {unit_key(unit.name): unit for unit in unit_family(quota.unit)}
    scope_ids = {unit.pk for unit in scope.values()}
    ids = {row.national_id for row in rows if row.national_id}
    # The unit's own people only: another unit's CCCD reads as a new person, like an unknown one.
    holders = {
        t.national_id: t
        for t in Trainee.objects.filter(
            centre_id=call.centre_id, national_id__in=ids, unit__in=scope_ids
        )
    }
    names = {row.full_name for row in rows}
    twins: dict[tuple, list[Trainee]] = {}
    for trainee in Trainee.objects.filter(
        centre_id=call.centre_id, full_name__in=names, unit__in=scope_ids, national_id__isnull=True
    ):
        twins.setdefault((trainee.full_name.lower(), trainee.date_of_birth), []).append(trainee)
    enrolled = set(
        Enrolment.objects.filter(course_id=call.course_id).values_list("trainee_id", flat=True)
    )
    if len(rows) > quota.quota:
        plan.problems.append(
            Problem(
                f"File có {len(rows)} người, vượt chỉ tiêu {quota.quota} người của đơn vị; hãy "
                "bỏ bớt rồi tải lên lại."
            )
        )
    seen: dict[int, int] = {}
    for row in rows:
        unit = quota.unit
        if row.unit_name:
            unit = scope.get(unit_key(row.unit_name))
            if unit is None:
                plan.problems.append(
                    Problem(
                        "không phải đơn vị mình hay đơn vị trực thuộc; hãy để trống cột này "
                        "hoặc ghi đúng tên đơn vị",
                        row=row.row,
                        column="Đơn vị",
                        value=row.unit_name,
                    )
                )
                continue
        trainee = holders.get(row.national_id) if row.national_id else None
        if trainee is None:
            same = twins.get((row.name_key, row.date_of_birth), [])
            trainee = same[0] if len(same) == 1 else None
        if trainee is not None:
            if trainee.pk in enrolled:
                plan.problems.append(
                    Problem(f"{trainee.full_name} đã có trong lớp {call.course.code}", row=row.row)
                )
                continue
            if trainee.pk in seen:
                plan.problems.append(
                    Problem(f"cùng một người với dòng {seen[trainee.pk]}", row=row.row)
                )
                continue
            seen[trainee.pk] = row.row
            line = CallAnswerLine(trainee=trainee, unit_id=trainee.unit_id, position=row.position)
            plan.known.add(row.row)
        else:
            line = CallAnswerLine(
                unit=unit,
                full_name=row.full_name,
                date_of_birth=row.date_of_birth,
                gender=row.gender,
                national_id=row.national_id,
                ethnicity=row.ethnicity,
                position=row.position,
                phone=row.phone,
                is_party_member=row.is_party_member,
            )
        plan.lines.append(line)
        plan.rows.append(row.row)
    return plan


@transaction.atomic
def answer_replace_from_file(
    *, quota: CallQuota, rows: list[NomineeRow], user, today=None
) -> FilePlan:
    """The unit's list becomes the file's: checked again under the lock, all or nothing."""
    _call, answer = _locked(quota, today)
    plan = file_plan(quota=quota, rows=rows, today=today)
    if not plan.ok:
        raise ValidationError([str(problem) for problem in plan.problems])
    answer.lines.all().delete()
    for line in plan.lines:
        line.answer = answer
    CallAnswerLine.objects.bulk_create(plan.lines)
    _touched(answer, user)
    return plan
