"""Who may record, read and change an observation, and the writes themselves.

- Record: staff and admins (leaders included) of the session's centre, or a lecturer of that
  centre who is not the lecturer observed; a session that has taken place (date ≤ today), of a
  class that is not cancelled, with a lecturer.
- Read: the lecturer observed reads their own records, a lecturer who observed reads what they
  wrote, staff and admins read every record of their centre; officials read only the yearly
  figures; units' liaisons nothing.
- Change: the observer who recorded it, until it is finalised (chốt); after that nobody.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dugio.criteria import classify, criteria_for, ensure_criteria
from dugio.models import Observation, ObservationCriterion, ObservationMark
from lophoc.models import CourseStatus, Session
from trungtam.documents.numbers import format_score
from trungtam.models import Role, User
from trungtam.scoping import Right, has_right, visible

NOT_YOURS = "Chỉ người lập biên bản dự giờ mới sửa hoặc chốt được biên bản này."
FINALISED = "Biên bản dự giờ đã chốt: không sửa được nữa."


def _is_lecturer(user: User) -> bool:
    return user.is_authenticated and user.role == Role.LECTURER and not user.is_superuser


def readable(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """The observations the user may find at all (others do not exist for them: 404)."""
    queryset = Observation.objects.all() if queryset is None else queryset
    if _is_lecturer(user):
        if not user.is_active or user.centre_id is None:
            return queryset.none()
        return queryset.filter(session__course__centre_id=user.centre_id).filter(
            Q(lecturer__user=user) | Q(recorded_by=user)
        )
    return visible(user, queryset)


def get_readable_or_404(user: User, pk, queryset: QuerySet | None = None) -> Observation:
    """The observation (404 outside what the user may find), then the right to read people's
    records (403: officials read only the yearly figures)."""
    try:
        observation = readable(user, queryset).get(pk=pk)
    except Observation.DoesNotExist:
        raise Http404("Không tìm thấy.") from None
    if not has_right(user, Right.PEOPLE):
        raise PermissionDenied("Cán bộ cấp ủy chỉ xem số liệu tổng hợp dự giờ theo năm.")
    return observation


def session_or_404(user: User, pk) -> Session:
    """A session of a centre the user works in. Lecturers find every session of their centre (a
    colleague observes classes they do not teach); others through the scoping helper."""
    sessions = Session.objects.select_related(
        "course", "course__centre", "topic", "lecturer", "lecturer__user"
    )
    if _is_lecturer(user):
        found = sessions.filter(course__centre_id=user.centre_id) if user.centre_id else None
    else:
        found = visible(user, sessions)
    try:
        if found is None:
            raise Session.DoesNotExist
        return found.get(pk=pk)
    except Session.DoesNotExist:
        raise Http404("Không tìm thấy.") from None


def may_record(user: User) -> bool:
    """May this kind of user record observations at all (the session's rules aside)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    return has_right(user, Right.MANAGE) or user.approves_for_centre or _is_lecturer(user)


def recording_refusal(user: User, session: Session, today=None) -> str | None:
    """Why this user may not record an observation of this session now, or None."""
    today = today or timezone.localdate()
    if not may_record(user):
        return "Bạn không có quyền ghi biên bản dự giờ."
    if session.lecturer_id is None:
        return "Buổi học chưa có giảng viên: không có ai để dự giờ."
    if _is_lecturer(user) and session.lecturer.user_id == user.pk:
        return "Giảng viên không tự dự giờ buổi giảng của mình."
    if session.course.status == CourseStatus.CANCELLED:
        return f"Lớp {session.course.code} đã hủy: không ghi dự giờ được."
    if session.date > today:
        return f"Buổi học ngày {session.date:%d/%m/%Y} chưa diễn ra: chỉ ghi dự giờ từ ngày học đó."
    return None


def require_recorder(user: User, session: Session) -> None:
    """403 when the user may not record on this session for who they are (the observed lecturer,
    an official); a session not held yet or a cancelled class is a message, not a refusal."""
    if not may_record(user):
        raise PermissionDenied("Bạn không có quyền ghi biên bản dự giờ.")
    if _is_lecturer(user) and session.lecturer is not None and session.lecturer.user_id == user.pk:
        raise PermissionDenied("Giảng viên không tự dự giờ buổi giảng của mình.")


def edit_refusal(user: User, observation: Observation) -> str | None:
    if observation.recorded_by_id != user.pk:
        return NOT_YOURS
    if observation.is_final:
        return FINALISED
    return None


@dataclass
class MarkInput:
    """A mark for one line of the form: a stored criterion (new record) or a mark (edit)."""

    order: int
    text: str
    max_mark: Decimal
    mark: Decimal
    criterion: ObservationCriterion | None = None


def check_marks(marks: list[MarkInput]) -> None:
    """Every mark between 0 and its criterion's maximum, with one decimal at most."""
    errors = []
    for line in marks:
        if line.mark is None or not (0 <= line.mark <= line.max_mark):
            errors.append(
                f"Tiêu chí {line.order} «{line.text}»: điểm phải từ 0 đến "
                f"{plain_mark(line.max_mark)}."
            )
    if errors:
        raise ValidationError(errors)


def plain_mark(value: Decimal) -> str:
    """8,5 · 10 · 0,5: a mark as people write it."""
    return format_score(value)


def _totals(marks: list[MarkInput]) -> tuple[Decimal, Decimal, str]:
    total = sum((line.mark for line in marks), Decimal("0"))
    maximum = sum((line.max_mark for line in marks), Decimal("0"))
    return total, maximum, classify(total, maximum)


@transaction.atomic
def observation_create(
    *,
    session: Session,
    user: User,
    marks: list[MarkInput],
    strengths: str,
    improvements: str,
    co_observers: str = "",
    lecturer_opinion: str = "",
) -> Observation:
    refusal = recording_refusal(user, session)
    if refusal:
        raise ValidationError(refusal)
    if Observation.objects.filter(session=session, recorded_by=user).exists():
        raise ValidationError("Bạn đã ghi biên bản dự giờ buổi học này; hãy sửa biên bản đó.")
    check_marks(marks)
    if any(line.criterion is None or line.criterion.pk is None for line in marks):
        # The standard form was shown unsaved: store it now and link the marks to it.
        stored = {c.order: c for c in ensure_criteria(session.course.centre)}
        for line in marks:
            if line.criterion is None or line.criterion.pk is None:
                line.criterion = stored.get(line.order)
    total, maximum, classification = _totals(marks)
    observation = Observation(
        session=session,
        lecturer=session.lecturer,
        recorded_by=user,
        co_observers=co_observers,
        strengths=strengths,
        improvements=improvements,
        lecturer_opinion=lecturer_opinion,
        total=total,
        max_total=maximum,
        classification=classification,
    )
    observation.full_clean()
    observation.save()
    for line in marks:  # one by one, so each mark's history starts with it
        ObservationMark.objects.create(
            observation=observation,
            criterion=line.criterion if line.criterion and line.criterion.pk else None,
            order=line.order,
            text=line.text,
            max_mark=line.max_mark,
            mark=line.mark,
        )
    return observation


def form_lines(session: Session) -> list[MarkInput]:
    """The lines of a new record: the centre's form as it stands (nothing stored here)."""
    return [
        MarkInput(order=index, text=c.text, max_mark=c.max_mark, mark=Decimal("0"), criterion=c)
        for index, c in enumerate(criteria_for(session.course.centre), start=1)
    ]


@transaction.atomic
def observation_update(
    *,
    observation: Observation,
    user: User,
    marks: dict[int, Decimal],
    strengths: str,
    improvements: str,
    co_observers: str = "",
    lecturer_opinion: str = "",
) -> Observation:
    """Change a record not finalised yet: `marks` maps each mark's id to its new value."""
    locked = Observation.objects.select_for_update().get(pk=observation.pk)
    refusal = edit_refusal(user, locked)
    if refusal:
        raise ValidationError(refusal)
    stored = list(locked.marks.order_by("order", "id"))
    lines = [
        MarkInput(order=m.order, text=m.text, max_mark=m.max_mark, mark=marks.get(m.pk))
        for m in stored
    ]
    check_marks(lines)
    for mark, line in zip(stored, lines, strict=True):
        if mark.mark != line.mark:  # saved one by one: the history says which mark changed
            mark.mark = line.mark
            mark.save(update_fields=["mark"])
    total, maximum, classification = _totals(lines)
    for name, value in {
        "co_observers": co_observers,
        "strengths": strengths,
        "improvements": improvements,
        "lecturer_opinion": lecturer_opinion,
        "total": total,
        "max_total": maximum,
        "classification": classification,
    }.items():
        setattr(observation, name, value)
    observation.full_clean()
    observation.save()
    return observation


@transaction.atomic
def observation_finalise(*, observation: Observation, user: User) -> Observation:
    locked = Observation.objects.select_for_update().get(pk=observation.pk)
    refusal = edit_refusal(user, locked)
    if refusal:
        raise ValidationError(refusal)
    observation.finalised_at = timezone.now()
    observation.save(update_fields=["finalised_at", "updated_at"])
    return observation
