"""Builders for the certificate tests: a closed class with passing and failing trainees."""

import datetime
from decimal import Decimal

from lophoc.models import (
    Certificate,
    Classification,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
)
from lophoc.verification import new_verification_code
from tests import builders
from trungtam.models import Leader, LeaderRole

ISSUED_ON = datetime.date(2026, 4, 10)


def make_leader(centre, role=LeaderRole.DIRECTOR, **overrides) -> Leader:
    values = {"centre": centre, "full_name": "Trần Văn Giám", "role": role}
    values.update(overrides)
    return Leader.objects.create(**values)


def make_certificate(enrolment, sequence, **overrides) -> Certificate:
    """A certificate row written directly, without the issuing rules (for constraints, lists)."""
    values = {
        "centre": enrolment.course.centre,
        "enrolment": enrolment,
        "course": enrolment.course,
        "year": 2026,
        "sequence": sequence,
        "number": f"{sequence}-GCN/TTCT",
        "register_number": str(sequence),
        "issued_on": datetime.date(2026, 3, 10),
        "verification_code": new_verification_code(),
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Nguyễn Văn Giám",
        "full_name": enrolment.trainee.full_name,
        "date_of_birth": enrolment.trainee.date_of_birth,
        "course_code": enrolment.course.code,
        "course_name": enrolment.course.name,
        "program_name": enrolment.course.program.name,
        "course_start": enrolment.course.start_date,
        "course_end": enrolment.course.end_date,
    }
    values.update(overrides)
    return Certificate.objects.create(**values)


def make_checked_certificate(enrolment, sequence, **overrides) -> Certificate:
    """A certificate as the public check pages show it: with the unit, the score and the
    classification printed on it."""
    values = {
        "register_number": f"S{sequence:03d}",
        "unit_name": "Đảng ủy phường Phú Lợi",
        "final_score": Decimal("8.7"),
        "classification": "good",
    }
    values.update(overrides)
    return make_certificate(enrolment, sequence, **values)


def checked_trainees_certificate(course) -> Certificate:
    """The certificate the check pages' tests look up: Trần Thị Ánh Nguyệt's, number 12."""
    trainee = builders.make_trainee(
        course.centre,
        full_name="Trần Thị Ánh Nguyệt",
        date_of_birth=datetime.date(1987, 11, 23),
        national_id="001187009876",
    )
    return make_checked_certificate(builders.make_enrolment(course, trainee), 12)


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
