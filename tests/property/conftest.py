"""A small world for the property tests: a centre with a class being taught and a closed class."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from lophoc.certificates import certificates_issue
from lophoc.models import Certificate, Course, CourseStatus, Session
from tests import builders
from tests.lophoc.certificate_helpers import ISSUED_ON, closed_course, make_leader
from trungtam.models import Role


@dataclass
class World:
    centre: object
    staff: object
    lecturer: object
    course: Course  # in progress: trainees, a session taught by the lecturer, two assessments
    session: Session
    enrolling: Course  # taking nominees
    closed: Course  # closed, with certificates
    certificate: Certificate
    trainee: object
    unit: object


@pytest.fixture
def world(centre, staff):
    user = builders.make_user(role=Role.LECTURER, centre=centre, username="giangvien")
    lecturer = builders.make_lecturer(centre, user=user, full_name="Lê Thị Hồng")
    unit = builders.make_unit(centre, name="Xã Phú Lợi")
    course = builders.make_course(
        centre,
        status=CourseStatus.IN_PROGRESS,
        start_date=datetime.date(2026, 3, 2),
    )
    session = builders.make_session(course, lecturer=lecturer)
    trainees = [
        builders.make_trainee(centre, full_name=name, unit=unit)
        for name in ("Trần Văn An", "Bùi Thị Ánh", "Lê Văn Công")
    ]
    for trainee in trainees:
        builders.make_enrolment(course, trainee, unit=unit)
    builders.make_assessment(course, name="Kiểm tra giữa khóa", weight=Decimal("1"), order=1)
    builders.make_assessment(
        course, name="Bài thu hoạch", weight=Decimal("2"), has_retake=True, order=2
    )
    enrolling = builders.make_course(
        centre, program=course.program, status=CourseStatus.ENROLLING, capacity=5
    )
    closed = closed_course(centre, passing=2, failing=0, not_eligible=0)
    leader = make_leader(centre)
    certificates = certificates_issue(course=closed, user=staff, signer=leader, issued_on=ISSUED_ON)
    return World(
        centre=centre,
        staff=staff,
        lecturer=user,
        course=course,
        session=session,
        enrolling=enrolling,
        closed=closed,
        certificate=certificates[0],
        trainee=trainees[0],
        unit=unit,
    )
