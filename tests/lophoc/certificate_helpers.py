"""Builders for the certificate tests: a closed class with passing and failing trainees."""

import datetime
from decimal import Decimal

from lophoc.models import Classification, CourseStatus, Enrolment, EnrolmentStatus
from tests import builders
from trungtam.models import Leader, LeaderRole

ISSUED_ON = datetime.date(2026, 4, 10)


def make_leader(centre, role=LeaderRole.DIRECTOR, **overrides) -> Leader:
    values = {"centre": centre, "full_name": "Trần Văn Giám", "role": role}
    values.update(overrides)
    return Leader.objects.create(**values)


def closed_course(centre, *, passing=2, failing=1, not_eligible=1, **overrides):
    """A closed class whose results are stored: `passing` pass, the others do not."""
    course = builders.make_course(centre, status=CourseStatus.CLOSED, **overrides)
    unit = builders.make_unit(centre)
    for _ in range(passing):
        builders.make_enrolment(
            course,
            unit=unit,
            final_score=Decimal("8.5"),
            classification=Classification.GOOD,
            is_eligible=True,
            passed=True,
        )
    for _ in range(failing):
        builders.make_enrolment(
            course,
            final_score=Decimal("4.0"),
            classification=Classification.FAIL,
            is_eligible=True,
            passed=False,
        )
    for _ in range(not_eligible):
        builders.make_enrolment(
            course, status=EnrolmentStatus.NOT_ELIGIBLE, is_eligible=False, passed=False
        )
    return course


def passing(course) -> list[Enrolment]:
    return list(course.enrolments.filter(passed=True).order_by("trainee__sort_key", "id"))
