"""Accepting the units' lists into the class in one step (issue 16 item 2).

The lists become the rows of a nominee list and go through the nominee import's own plan and
writer (lophoc.nominee_import): people recognised by national ID or by the record the unit picked,
new people recorded with the importer's checks, units resolved (merged units lead to the unit they
became), capacity and people already in the class handled there. A row the import would refuse
(already in the class, the same person twice, beyond capacity) is skipped with its reason rather
than refusing every list; the rest is written in one transaction.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from chieusinh.models import Call, CallAnswer, CallAnswerLine, CallStatus
from lophoc.nominee_import import (
    ImportRefused,
    NomineeRow,
    ParsedFile,
    course_refusal,
    nominee_import_apply,
    nominee_import_plan,
)


@dataclass
class AcceptResult:
    answers: int = 0
    enrolled: list[CallAnswerLine] = field(default_factory=list)
    skipped: list[tuple[CallAnswerLine, str]] = field(default_factory=list)
    summary: str = ""


def _row(number: int, line: CallAnswerLine) -> NomineeRow:
    if line.trainee_id:
        person = line.trainee
        return NomineeRow(
            row=number,
            full_name=person.full_name,
            date_of_birth=person.date_of_birth,
            gender=person.gender,
            ethnicity=person.ethnicity,
            national_id=person.national_id,
            position=line.position or person.position,
            unit_name=line.unit.name,
            is_party_member=person.is_party_member,
            phone=person.phone,
        )
    return NomineeRow(
        row=number,
        full_name=line.full_name,
        date_of_birth=line.date_of_birth,
        gender=line.gender,
        ethnicity=line.ethnicity,
        national_id=line.national_id,
        position=line.position,
        unit_name=line.unit.name,
        is_party_member=line.is_party_member,
        phone=line.phone,
    )


def _parsed(rows: list[NomineeRow]) -> ParsedFile:
    return ParsedFile(filename="danh-sach-chieu-sinh", sha256="", kind="chieu-sinh", rows=rows)


def waiting_answers(call: Call):
    return CallAnswer.objects.filter(
        call=call, submitted_at__isnull=False, accepted_at__isnull=True
    )


@transaction.atomic
def call_accept(*, call: Call, user) -> AcceptResult:
    """Enrol the people of every list sent and not yet accepted; say who was skipped and why."""
    call = Call.objects.select_for_update().select_related("course").get(pk=call.pk)
    course = call.course
    if call.status == CallStatus.DRAFT:
        raise ValidationError("Thông báo chiêu sinh chưa được gửi các đơn vị.")
    refusal = course_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    answers = list(waiting_answers(call).select_related("unit"))
    if not answers:
        raise ValidationError("Không có danh sách nào của đơn vị đang chờ trung tâm nhận.")
    lines = list(
        CallAnswerLine.objects.filter(answer__in=answers)
        .select_related("trainee", "unit", "answer__unit")
        .order_by("answer__unit__search_key", "answer_id", "id")
    )
    by_row = {number: line for number, line in enumerate(lines, start=1)}
    rows = [_row(number, line) for number, line in by_row.items()]
    # A person picked from the registry is that record (the plan proposes it by name and date of
    # birth when it has no national ID; the unit's choice confirms it).
    confirmed = {
        number: line.trainee_id
        for number, line in by_row.items()
        if line.trainee_id and not line.trainee.national_id
    }
    result = AcceptResult(answers=len(answers))
    skipped: dict[int, str] = {}
    plan = nominee_import_plan(
        course=course, parsed=_parsed(rows), propose=True, confirmed=confirmed
    )
    for problem in plan.problems:
        if problem.row is not None:
            skipped.setdefault(problem.row, problem.message)
    # Two new people with one national ID: the second waits for the centre to look.
    first_with_id: dict[str, int] = {}
    for row in rows:
        if row.row in skipped or not row.national_id:
            continue
        first = first_with_id.setdefault(row.national_id, row.row)
        if first != row.row:
            skipped[row.row] = "cùng số CCCD với một người khác trong các danh sách"
    kept = [row for row in rows if row.row not in skipped]
    room = max(course.capacity - plan.active_before, 0)
    for row in kept[room:]:
        skipped[row.row] = f"lớp đã đủ sĩ số tối đa ({course.capacity} học viên)"
    kept = kept[:room]
    if kept:
        try:
            imported = nominee_import_apply(
                course=course,
                parsed=_parsed(kept),
                user=user,
                propose=True,
                confirmed={n: t for n, t in confirmed.items() if n not in skipped},
            )
        except ImportRefused as refused:
            raise ValidationError(refused.lines) from None
    now = timezone.now()
    for number, line in by_row.items():
        if number in skipped:
            line.skipped_reason = skipped[number][:500]
            line.enrolled = False
            result.skipped.append((line, line.skipped_reason))
        else:
            line.skipped_reason = ""
            line.enrolled = True
            result.enrolled.append(line)
    CallAnswerLine.objects.bulk_update(lines, ["skipped_reason", "enrolled"])
    CallAnswer.objects.filter(pk__in=[a.pk for a in answers]).update(
        accepted_at=now, accepted_by=user
    )
    parts = [
        f"Đã nhận {len(answers)} danh sách của đơn vị: ghi danh {len(result.enrolled)} học viên "
        f"vào lớp {course.code}"
    ]
    if kept and imported.created:
        parts.append(f"(trong đó {imported.created} hồ sơ mới)")
    if result.skipped:
        parts.append(f"; {len(result.skipped)} người chưa ghi danh, lý do ở từng người bên dưới")
    result.summary = " ".join(parts) + "."
    return result
