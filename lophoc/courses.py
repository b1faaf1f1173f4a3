"""Opening and editing classes (DESIGN §5 step 2): code pattern, rules copied from the program;
changing a class's status."""

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from lophoc.closing import course_close, course_reopen
from lophoc.models import (
    Assessment,
    Course,
    CourseStatus,
    CourseStatusChange,
    EnrolmentStatus,
    Program,
    Topic,
)
from trungtam.models import Centre
from trungtam.scoping import Right, has_right

DEFAULT_CODE_PATTERN = "{program}-{seq:02d}/{year}"

# What a class takes from its program when it is opened; each stays editable on the class.
RULE_FIELDS = ("is_assessed", "certificate_issuer", "absence_limit_percent", "partner_name")

# What the class form may change; the program and centre are fixed once the class exists.
EDITABLE_FIELDS = (
    "code",
    "name",
    "start_date",
    "end_date",
    "venue",
    "capacity",
    *RULE_FIELDS,
    "notes",
)


def _format_code(pattern: str, *, program: Program, seq: int, year: int) -> str:
    try:
        return pattern.format(program=program.code, seq=seq, year=year)
    except (KeyError, IndexError, ValueError):
        # A pattern the centre mistyped must not stop anyone opening a class.
        return DEFAULT_CODE_PATTERN.format(program=program.code, seq=seq, year=year)


def course_code_suggest(*, centre: Centre, program: Program, start_date: datetime.date) -> str:
    """The next code from the centre's pattern, e.g. 'KND-03/2026'.

    The sequence is 1 + the number of this program's classes starting that year in the centre;
    when that code is already taken (a class renamed by hand), the next free number is used.
    """
    year = start_date.year
    seq = Course.objects.filter(centre=centre, program=program, start_date__year=year).count() + 1
    pattern = centre.course_code_pattern or DEFAULT_CODE_PATTERN
    candidates = [
        _format_code(pattern, program=program, seq=n, year=year) for n in range(seq, seq + 50)
    ]
    taken = set(
        Course.objects.filter(centre=centre, code__in=candidates).values_list("code", flat=True)
    )
    for code in candidates:
        if code not in taken:
            return code
    return candidates[0]


def default_end_date(*, program: Program, start_date: datetime.date) -> datetime.date:
    """The program's usual length, counted from the first day (a 5-day class ends on day 5)."""
    return start_date + datetime.timedelta(days=max(program.default_days, 1) - 1)


def default_course_name(program: Program) -> str:
    name = program.name
    return f"Lớp {name[:1].lower()}{name[1:]}" if name else "Lớp học"


def code_taken_message(*, centre: Centre, code: str, exclude_pk=None) -> str | None:
    """Why `code` cannot be used in this centre, or None (a code names one class per centre)."""
    others = Course.objects.filter(centre=centre, code=code)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.first()
    if other is None:
        return None
    return (
        f"Mã lớp «{code}» đã dùng cho lớp «{other.name}» (khai giảng "
        f"{other.start_date:%d/%m/%Y}). Hãy đổi số thứ tự trong mã, mỗi lớp một mã riêng."
    )


def _check(course: Course) -> None:
    errors: dict[str, list[str]] = {}
    if course.code:
        taken = code_taken_message(centre=course.centre, code=course.code, exclude_pk=course.pk)
        if taken:
            errors.setdefault("code", []).append(taken)
    if course.capacity is not None and course.capacity < 1:
        errors.setdefault("capacity", []).append("Sĩ số tối đa phải lớn hơn 0.")
    if errors:
        raise ValidationError(errors)
    # The model's own checks (dates in order, program of the same centre) and constraints.
    course.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def course_create(*, centre: Centre, program: Program, user=None, **fields) -> Course:
    """Open a class from a program: rules, topics and assessments are copied from it.

    `fields` may set anything of EDITABLE_FIELDS; a blank code is generated from the centre's
    pattern and a missing end date follows the program's usual length.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"course_create() got unexpected fields: {sorted(unknown)}")
    if program.centre_id != centre.pk:
        raise ValidationError({"program": "Chương trình phải thuộc cùng trung tâm với lớp."})
    values = {name: getattr(program, name) for name in RULE_FIELDS}
    values.update({name: value for name, value in fields.items() if value is not None})
    start_date = values.get("start_date")
    if start_date is None:
        raise ValidationError({"start_date": "Hãy nhập ngày khai giảng, ví dụ 02/03/2026."})
    if not values.get("end_date"):
        values["end_date"] = default_end_date(program=program, start_date=start_date)
    if not (values.get("code") or "").strip():
        values["code"] = course_code_suggest(centre=centre, program=program, start_date=start_date)
    if not (values.get("name") or "").strip():
        values["name"] = default_course_name(program)
    course = Course(centre=centre, program=program, status=CourseStatus.PLANNED, **values)
    _check(course)
    if user is not None:
        course._history_user = user
    course.save()
    Topic.objects.bulk_create(
        Topic(course=course, order=topic.order, title=topic.title, periods=topic.periods)
        for topic in program.topics.all()
    )
    Assessment.objects.bulk_create(
        Assessment(
            course=course,
            order=assessment.order,
            name=assessment.name,
            weight=assessment.weight,
            is_final=assessment.is_final,
        )
        for assessment in program.assessments.all()
    )
    return course


def course_edit_refusal(course: Course) -> str | None:
    """Why the class may not be edited now, or None."""
    if course.status == CourseStatus.CLOSED:
        return (
            "Lớp đã kết thúc nên không sửa được thông tin và quy định của lớp. Nếu cần sửa, "
            "hãy mở lại việc chấm điểm (ghi rõ lý do) rồi sửa."
        )
    if course.status == CourseStatus.CANCELLED:
        return "Lớp đã hủy nên không sửa được nữa."
    return None


@transaction.atomic
def course_update(*, course: Course, user=None, **fields) -> Course:
    """Change a class's details and rules; what the class already holds must still fit."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"course_update() got unexpected fields: {sorted(unknown)}")
    course = (
        Course.objects.select_for_update().select_related("centre", "program").get(pk=course.pk)
    )
    refusal = course_edit_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    for name, value in fields.items():
        setattr(course, name, value)
    _check(course)
    errors: dict[str, str] = {}
    active = course.enrolments.filter(status=EnrolmentStatus.ACTIVE).count()
    if course.capacity < active:
        errors["capacity"] = (
            f"Lớp đang có {active} học viên đang học: sĩ số tối đa không được nhỏ hơn {active}."
        )
    outside = course.sessions.filter(
        Q(date__lt=course.start_date) | Q(date__gt=course.end_date)
    ).order_by("date")
    first_outside = outside.first()
    if first_outside is not None:
        errors["start_date" if first_outside.date < course.start_date else "end_date"] = (
            f"Lớp có {outside.count()} buổi học ngoài khoảng ngày mới (sớm nhất ngày "
            f"{first_outside.date:%d/%m/%Y}). Hãy dời hoặc xóa các buổi đó trong thời khóa biểu "
            "trước khi đổi ngày."
        )
    if errors:
        raise ValidationError(errors)
    if user is not None:
        course._history_user = user
    course.save()
    return course


@transaction.atomic
def course_topics_save(*, course: Course, topics: list[Topic], deleted: list[Topic]) -> None:
    """Store the class's edited topic list; a topic already in the timetable cannot be removed."""
    refusal = course_edit_refusal(course)
    if refusal:
        raise ValidationError(refusal)
    for topic in deleted:
        if topic.course_id != course.pk:
            raise ValidationError("Chuyên đề không thuộc lớp này.")
        used = topic.session_set.count()
        if used:
            raise ValidationError(
                f"Chuyên đề «{topic.title}» đã có {used} buổi học trong thời khóa biểu: hãy đổi "
                "chuyên đề của các buổi đó hoặc xóa các buổi đó trước khi bỏ chuyên đề."
            )
    for topic in deleted:
        topic.delete()
    for topic in topics:
        topic.course = course
        topic.full_clean()
        topic.save()


# --- status changes (DESIGN §5) -----------------------------------------------------------
# The class flow itself (which status may follow which) is COURSE_TRANSITIONS beside the model;
# here: who may make each change, which ones ask for a confirmation first, and how each is made.

TRANSITION_LABELS = {
    CourseStatus.ENROLLING: "Bắt đầu chiêu sinh",
    CourseStatus.IN_PROGRESS: "Bắt đầu học",
    CourseStatus.GRADING: "Chuyển sang chấm điểm",
    CourseStatus.CLOSED: "Kết thúc lớp",
    CourseStatus.CANCELLED: "Hủy lớp",
}
REOPEN_LABEL = "Mở lại chấm điểm"


def is_reopening(current: str, target: str) -> bool:
    """Closed → grading: allowed only with a reason (kept in the status history)."""
    return current == CourseStatus.CLOSED and target == CourseStatus.GRADING


def transition_needs_confirmation(current: str, target: str) -> bool:
    """Cancelling, closing and reopening go through a confirmation page first."""
    return target in (CourseStatus.CANCELLED, CourseStatus.CLOSED) or is_reopening(current, target)


def transition_right(current: str, target: str) -> Right:
    """Closing a class and anything done to a closed class need the right to close."""
    if target == CourseStatus.CLOSED or current == CourseStatus.CLOSED:
        return Right.CLOSE
    return Right.MANAGE


def transition_label(current: str, target: str) -> str:
    if is_reopening(current, target):
        return REOPEN_LABEL
    return TRANSITION_LABELS.get(target, CourseStatus(target).label)


def transition_actions(user, course: Course) -> list[dict]:
    """The status changes this user may make to the class now, as buttons of the class page."""
    actions = []
    for target in CourseStatus.values:
        if target not in course.allowed_transitions():
            continue
        if not has_right(user, transition_right(course.status, target)):
            continue
        actions.append(
            {
                "status": target,
                "label": transition_label(course.status, target),
                "confirm": transition_needs_confirmation(course.status, target),
                "danger": target == CourseStatus.CANCELLED,
            }
        )
    return actions


def course_status_change(
    *, course: Course, target: str, user, reason: str = "", all_present: Collection[int] = ()
) -> CourseStatusChange:
    """Move the class to `target` or raise TransitionRefused (nothing written). Closing computes
    and stores the results (`all_present`: see course_close), reopening needs a reason, every other
    change follows the class flow."""
    if target == CourseStatus.CLOSED:
        return course_close(course=course, user=user, all_present=all_present)
    if is_reopening(course.status, target):
        return course_reopen(course=course, user=user, reason=reason)
    return course.transition_to(target, user=user, reason=reason)
