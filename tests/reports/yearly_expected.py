"""The year's figures recomputed the plain way — Python loops over ORM rows, DESIGN §9's words
turned into code again — to check what the report prints against."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from giangvien.models import Lecturer, LecturerKind, LecturerPosition
from lophoc.models import (
    Attendance,
    Certificate,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionKind,
)
from trungtam.models import Centre
from trungtam.reports.models import PlanTarget

OPENED = {
    CourseStatus.ENROLLING,
    CourseStatus.IN_PROGRESS,
    CourseStatus.GRADING,
    CourseStatus.CLOSED,
}
BAND_NAMES = {
    "excellent": "excellent",
    "good": "good",
    "fair": "fair",
    "average": "average",
    "fail": "fail",
}
COEFFICIENTS = {
    SessionKind.LECTURE: Decimal("1"),
    SessionKind.DISCUSSION: Decimal("0.5"),
    SessionKind.FIELD_TRIP: Decimal("0.5"),
    SessionKind.EXAM: Decimal("0.3"),
    SessionKind.CEREMONY: Decimal("0"),
}


def share(part, whole) -> Decimal | None:
    """part ÷ whole in percent, one decimal, half up."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def blank() -> dict:
    return defaultdict(int)


def courses_of(centre_ids, year) -> list[Course]:
    return [c for c in Course.objects.filter(centre_id__in=centre_ids) if c.start_date.year == year]


def programs(centre_ids, year, *, from_attendance=False) -> dict[int, dict]:
    """Per program id: planned, classes, enrolments, results, certificates.

    With `from_attendance`, periods come from the sessions and attendance rows themselves
    instead of the figures stored on each enrolment (the two must agree).
    """
    result: dict[int, dict] = defaultdict(blank)
    for target in PlanTarget.objects.filter(plan__centre_id__in=centre_ids):
        if target.plan.year == year:
            result[target.program_id]["planned_classes"] += target.planned_classes
            result[target.program_id]["planned_trainees"] += target.planned_trainees
    courses = courses_of(centre_ids, year)
    opened = {c.pk: c for c in courses if c.status in OPENED}
    for course in courses:
        row = result[course.program_id]
        if course.status != CourseStatus.CANCELLED:
            row["classes"] += 1
        if course.status in OPENED:
            row["opened"] += 1
        if course.status == CourseStatus.CLOSED:
            row["finished"] += 1
        if course.status == CourseStatus.CANCELLED:
            row["cancelled"] += 1
    scheduled_by_course = defaultdict(int)
    for session in Session.objects.all():
        scheduled_by_course[session.course_id] += session.periods
    absent_by_enrolment = defaultdict(int)
    for mark in Attendance.objects.select_related("session"):
        if mark.status != "present" and not mark.made_up:
            absent_by_enrolment[mark.enrolment_id] += mark.session.periods
    for enrolment in Enrolment.objects.all():
        course = opened.get(enrolment.course_id)
        if course is None:
            continue
        row = result[course.program_id]
        row["enrolled"] += 1
        if enrolment.status == EnrolmentStatus.WITHDRAWN:
            row["withdrawn"] += 1
            continue
        if from_attendance:
            row["scheduled_periods"] += scheduled_by_course[course.pk]
            row["absent_periods"] += absent_by_enrolment[enrolment.pk]
        else:
            row["scheduled_periods"] += enrolment.scheduled_periods
            row["absent_periods"] += enrolment.absent_periods
        if course.status != CourseStatus.CLOSED:
            continue
        row["closed_enrolments"] += 1
        if enrolment.passed:
            row["completed"] += 1
        if course.is_assessed:
            row["assessed"] += 1
            row[BAND_NAMES.get(enrolment.classification, "fail")] += 1
    for certificate in Certificate.objects.select_related("enrolment"):
        course = opened.get(certificate.enrolment.course_id)
        if course is not None and certificate.status == "valid":
            result[course.program_id]["certified"] += 1
    return result


def total(rows) -> dict:
    summed = defaultdict(int)
    for row in rows:
        for key, value in row.items():
            summed[key] += value
    return summed


def people(centre_ids, year) -> int:
    opened = {c.pk for c in courses_of(centre_ids, year) if c.status in OPENED}
    return len({e.trainee_id for e in Enrolment.objects.all() if e.course_id in opened})


def lecturers(centre_ids, year) -> list[dict]:
    """Active lecturers plus anyone who taught in the year, with periods and standard hours."""
    periods = defaultdict(lambda: defaultdict(int))
    for session in Session.objects.select_related("course"):
        if (
            session.lecturer_id
            and session.course.centre_id in centre_ids
            and session.date.year == year
            and session.course.status != CourseStatus.CANCELLED
        ):
            periods[session.lecturer_id][session.kind] += session.periods
    centres = {c.pk: c for c in Centre.objects.all()}
    rows = []
    for lecturer in Lecturer.objects.all():
        if not ((lecturer.centre_id in centre_ids and lecturer.active) or lecturer.pk in periods):
            continue
        by_kind = periods[lecturer.pk]
        hours = sum(
            (Decimal(n) * COEFFICIENTS[kind] for kind, n in by_kind.items()), Decimal("0")
        ).quantize(Decimal("0.1"))
        centre = centres[lecturer.centre_id]
        norm = None
        if lecturer.kind == LecturerKind.FULL_TIME:
            norm = {
                LecturerPosition.DIRECTOR: centre.norm_director,
                LecturerPosition.DEPUTY: centre.norm_deputy,
                LecturerPosition.LECTURER: centre.norm_lecturer,
                LecturerPosition.LECTURER_ADMIN: centre.norm_lecturer_admin,
            }.get(lecturer.position)
        rows.append(
            {
                "centre_id": lecturer.centre_id,
                "kind": lecturer.kind,
                "position": lecturer.position,
                "political": lecturer.political_theory_level,
                "professional": lecturer.professional_level,
                "periods": sum(by_kind.values()),
                "hours": hours,
                "norm": norm,
            }
        )
    return rows
