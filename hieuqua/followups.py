"""The follow-up's rules: when a class's follow-up is due, who is asked, what they answered.

A follow-up concerns a CLOSED class (a cancelled one never) and is due on its end date plus the
centre's delay in months (3 to 6, default 3). The people asked about are the class's active
enrolments (status "Đang học": they stayed to the end) that name a sending unit; each answer is
given by that unit (the enrolment's unit at the time), or typed by staff from its letter. A unit
changes its answer until staff close the follow-up of the class; staff may reopen it.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from hieuqua.models import (
    DEFAULT_DELAY_MONTHS,
    MAX_DELAY_MONTHS,
    MIN_DELAY_MONTHS,
    FollowUpAnswer,
    FollowUpClosure,
    FollowUpSetting,
    Rating,
)
from lophoc.models import Course, CourseStatus, Enrolment, EnrolmentStatus
from trungtam.models import Centre, User

# The enrolments a follow-up asks about, as a filter on Enrolment.
ASKED = Q(status=EnrolmentStatus.ACTIVE, unit__isnull=False)


def _asked_through(prefix: str) -> Q:
    """ASKED, seen from a model that reaches the enrolments through `prefix` ("enrolments")."""
    return Q(**{f"{prefix}__status": EnrolmentStatus.ACTIVE, f"{prefix}__unit__isnull": False})


# --- the delay ---------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it is shorter (31/8 + 6 → 28/2)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def subtract_months(day: datetime.date, months: int) -> datetime.date:
    """The latest end date whose follow-up is due on `day` (the inverse of add_months)."""
    index = day.month - 1 - months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        # The month's last day: every later day of the earlier month lands on it too.
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(day.day, last))


def delay_months(centre: Centre | int) -> int:
    """The centre's delay: one query, none for a centre loaded with
    `select_related("followup_setting")` (the unit's page does, to keep its query budget)."""
    if isinstance(centre, Centre):
        try:
            return centre.followup_setting.delay_months
        except FollowUpSetting.DoesNotExist:
            return DEFAULT_DELAY_MONTHS
    centre_id = centre
    found = (
        FollowUpSetting.objects.filter(centre_id=centre_id)
        .values_list("delay_months", flat=True)
        .first()
    )
    return found or DEFAULT_DELAY_MONTHS


def delays(centre_ids) -> dict[int, int]:
    """{centre id: delay} for the centres that changed the default (one query)."""
    return dict(
        FollowUpSetting.objects.filter(centre_id__in=list(centre_ids)).values_list(
            "centre_id", "delay_months"
        )
    )


def due_date(course: Course, delay: int) -> datetime.date:
    return add_months(course.end_date, delay)


def is_due(course: Course, delay: int, today: datetime.date) -> bool:
    return course.status == CourseStatus.CLOSED and due_date(course, delay) <= today


def due_filter(centre_ids, today: datetime.date, prefix: str = "", known=None) -> Q:
    """A Course filter (or through `prefix`, e.g. "course__") for closed classes of these centres
    whose follow-up is due on `today`: one clause per delay in use, so one query whatever the
    number of centres (the settings are read in one more, unless `known` gives them)."""
    centre_ids = list(centre_ids)
    by_centre = delays(centre_ids) if known is None else known
    grouped: dict[int, list[int]] = {}
    for centre_id in centre_ids:
        grouped.setdefault(by_centre.get(centre_id, DEFAULT_DELAY_MONTHS), []).append(centre_id)
    clauses = Q(pk__in=[])
    for delay, ids in grouped.items():
        clauses |= Q(
            **{
                f"{prefix}centre_id__in": ids,
                f"{prefix}end_date__lte": subtract_months(today, delay),
            }
        )
    return Q(**{f"{prefix}status": CourseStatus.CLOSED}) & clauses


@transaction.atomic
def setting_save(*, centre: Centre, delay: int) -> FollowUpSetting:
    if not MIN_DELAY_MONTHS <= delay <= MAX_DELAY_MONTHS:
        raise ValidationError(
            {
                "delay_months": (
                    f"Thời gian chờ phải từ {MIN_DELAY_MONTHS} đến {MAX_DELAY_MONTHS} tháng sau "
                    f"khi lớp kết thúc (đã nhập {delay})."
                )
            }
        )
    setting, _ = FollowUpSetting.objects.get_or_create(centre=centre)
    if setting.delay_months != delay:
        setting.delay_months = delay
        setting.full_clean()
        setting.save()
    return setting


# --- one class -----------------------------------------------------------------------------------


@dataclass
class Tally:
    asked: int = 0
    answered: int = 0
    good: int = 0
    fair: int = 0
    unclear: int = 0

    @property
    def complete(self) -> bool:
        return self.asked > 0 and self.answered >= self.asked

    @property
    def waiting(self) -> int:
        return self.asked - self.answered


@dataclass
class UnitStatus:
    unit_id: int
    unit_name: str
    tally: Tally


@dataclass
class CourseFollowUp:
    course: Course
    delay: int
    due_on: datetime.date
    due: bool
    closure: FollowUpClosure | None
    units: list[UnitStatus] = field(default_factory=list)
    totals: Tally = field(default_factory=Tally)

    @property
    def closed(self) -> bool:
        return self.closure is not None

    @property
    def units_answered(self) -> int:
        return sum(1 for row in self.units if row.tally.complete)


def _tally_annotations(prefix: str = "") -> dict:
    answer = f"{prefix}followup_answer"
    return {
        "asked": Count(f"{prefix}pk" if prefix else "pk"),
        "answered": Count(answer),
        "good": Count(answer, filter=Q(**{f"{answer}__rating": Rating.GOOD})),
        "fair": Count(answer, filter=Q(**{f"{answer}__rating": Rating.FAIR})),
        "unclear": Count(answer, filter=Q(**{f"{answer}__rating": Rating.UNCLEAR})),
    }


def _tally(row: dict) -> Tally:
    return Tally(*(row[name] for name in ("asked", "answered", "good", "fair", "unclear")))


def course_followup(course: Course, today: datetime.date | None = None) -> CourseFollowUp:
    """The class's follow-up, per unit and in total (three queries)."""
    today = today or timezone.localdate()
    delay = delay_months(course.centre_id)
    closure = FollowUpClosure.objects.filter(course=course).select_related("closed_by").first()
    rows = (
        Enrolment.objects.filter(ASKED, course=course)
        .values("unit_id", "unit__name", "unit__search_key")
        .annotate(**_tally_annotations())
        .order_by("unit__search_key", "unit_id")
    )
    result = CourseFollowUp(
        course=course,
        delay=delay,
        due_on=due_date(course, delay),
        due=is_due(course, delay, today),
        closure=closure,
    )
    for row in rows:
        tally = _tally(row)
        result.units.append(UnitStatus(row["unit_id"], row["unit__name"], tally))
        for name in ("asked", "answered", "good", "fair", "unclear"):
            setattr(result.totals, name, getattr(result.totals, name) + getattr(tally, name))
    return result


def due_courses(courses: QuerySet, centre_ids, today: datetime.date) -> QuerySet:
    """The classes among `courses` whose follow-up is due, each with its figures: trainees asked
    and answered, units asked and units still to answer (one with anyone unanswered)."""
    asked = _asked_through("enrolments")
    return (
        courses.filter(due_filter(centre_ids, today))
        .annotate(
            asked=Count("enrolments", filter=asked, distinct=True),
            answered=Count("enrolments__followup_answer", filter=asked, distinct=True),
            units_asked=Count("enrolments__unit", filter=asked, distinct=True),
            units_waiting=Count(
                "enrolments__unit",
                filter=asked & Q(enrolments__followup_answer__isnull=True),
                distinct=True,
            ),
        )
        .annotate(units_answered=F("units_asked") - F("units_waiting"))
        .filter(asked__gt=0)
        .select_related("program", "centre", "followup_closure")
    )


# --- a unit's answer -----------------------------------------------------------------------------


def answer_refusal(follow_up: CourseFollowUp) -> str | None:
    """Why nobody may answer now, or None."""
    course = follow_up.course
    if course.status == CourseStatus.CANCELLED:
        return f"Lớp {course.code} đã hủy nên không đánh giá hiệu quả sau đào tạo."
    if course.status != CourseStatus.CLOSED:
        return f"Lớp {course.code} chưa kết thúc nên chưa đánh giá hiệu quả sau đào tạo."
    if not follow_up.due:
        return (
            f"Chưa đến hạn đánh giá hiệu quả sau đào tạo của lớp {course.code}: đơn vị trả lời từ "
            f"ngày {follow_up.due_on:%d/%m/%Y} ({follow_up.delay} tháng sau khi lớp kết thúc)."
        )
    if follow_up.closed:
        return (
            f"Trung tâm đã đóng đợt đánh giá hiệu quả sau đào tạo của lớp {course.code} nên không "
            "sửa được nữa. Cần sửa, hãy liên hệ cán bộ trung tâm."
        )
    return None


@dataclass(frozen=True)
class AnswerInput:
    enrolment_id: int
    rating: str
    note: str = ""


@transaction.atomic
def answers_save(
    *,
    enrolments: list[Enrolment],
    answers: list[AnswerInput],
    user: User,
    from_letter: bool,
) -> int:
    """Write a unit's answers for the enrolments it was asked about (`enrolments`, found by the
    view in the user's scope). An answer for any other enrolment refuses the whole lot; nothing
    is written. Returns the number of answers written or changed."""
    by_id = {e.pk: e for e in enrolments}
    foreign = [a.enrolment_id for a in answers if a.enrolment_id not in by_id]
    if foreign:
        raise ValidationError(
            "Phiếu có học viên không thuộc đơn vị hoặc lớp này; không lưu gì. Hãy tải lại trang."
        )
    bad = [a for a in answers if a.rating not in Rating.values]
    if bad:
        raise ValidationError("Mức vận dụng chỉ có thể là Tốt, Khá hoặc Chưa rõ; không lưu gì.")
    existing = {
        a.enrolment_id: a
        for a in FollowUpAnswer.objects.select_for_update().filter(enrolment_id__in=list(by_id))
    }
    now = timezone.now()
    changed = 0
    for item in answers:
        note = item.note.strip()
        current = existing.get(item.enrolment_id)
        if current is None:
            current = FollowUpAnswer(enrolment=by_id[item.enrolment_id])
        elif (current.rating, current.note, current.from_letter) == (
            item.rating,
            note,
            from_letter,
        ):
            continue
        current.rating, current.note, current.from_letter = item.rating, note, from_letter
        current.answered_at, current.answered_by = now, user
        current.full_clean(exclude=["enrolment"])
        current.save()
        changed += 1
    return changed


@transaction.atomic
def followup_close(*, course: Course, user: User) -> FollowUpClosure:
    closure, _ = FollowUpClosure.objects.get_or_create(
        course=course, defaults={"closed_at": timezone.now(), "closed_by": user}
    )
    return closure


@transaction.atomic
def followup_reopen(*, course: Course) -> bool:
    closure = FollowUpClosure.objects.filter(course=course).first()
    if closure is None:
        return False
    closure.delete()
    return True


# --- the unit's page -----------------------------------------------------------------------------


@dataclass
class UnitFollowUp:
    course_id: int
    code: str
    name: str
    end_date: datetime.date
    due_on: datetime.date
    unit_id: int
    unit_name: str
    tally: Tally
    closed: bool


def unit_followups(units: QuerySet, centre: Centre, today: datetime.date) -> list[UnitFollowUp]:
    """The follow-ups due for these units (a queryset of units, all of `centre`): one row per
    class and unit, newest first (one query, two unless the centre was loaded with its
    `followup_setting`)."""
    delay = delay_months(centre)
    rows = (
        Enrolment.objects.filter(ASKED, unit__in=units)
        .filter(due_filter([centre.pk], today, prefix="course__", known={centre.pk: delay}))
        .values(
            "course_id",
            "course__code",
            "course__name",
            "course__end_date",
            "course__followup_closure",
            "unit_id",
            "unit__name",
        )
        .annotate(**_tally_annotations())
        .order_by("-course__end_date", "course_id", "unit__search_key", "unit_id")
    )
    return [
        UnitFollowUp(
            course_id=row["course_id"],
            code=row["course__code"],
            name=row["course__name"],
            end_date=row["course__end_date"],
            due_on=add_months(row["course__end_date"], delay),
            unit_id=row["unit_id"],
            unit_name=row["unit__name"],
            tally=_tally(row),
            closed=row["course__followup_closure"] is not None,
        )
        for row in rows
    ]
