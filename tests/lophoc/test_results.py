"""DESIGN §8 rules: weighted average with Decimal, half-up rounding, bands, attendance, pass."""

from decimal import Decimal as D

import pytest

from lophoc.models import Attendance, AttendanceStatus, Classification, EnrolmentStatus
from lophoc.results import classify, course_results_compute, is_eligible, weighted_average
from tests import builders


def test_weighted_average_rounds_half_up_to_one_decimal():
    assert weighted_average([(D(1), D("8.25"))]) == D("8.3")
    assert weighted_average([(D(1), D("8.24"))]) == D("8.2")
    # 7 and 8.5 with weights 1 and 2 → 8.0
    assert weighted_average([(D(1), D(7)), (D(2), D("8.5"))]) == D("8.0")
    # Float arithmetic would give 4.949999…; Decimal keeps 4.95 → 5.0.
    assert weighted_average([(D(1), D("4.9")), (D(1), D("5.0"))]) == D("5.0")


def test_weighted_average_needs_a_positive_weight_and_every_weighted_score():
    assert weighted_average([(D(0), D(8))]) is None
    assert weighted_average([(D(1), D(8)), (D(1), None)]) is None
    assert weighted_average([(D(1), D(8)), (D(0), None)]) == D("8.0")


@pytest.mark.parametrize(
    "score,expected",
    [
        ("9.0", Classification.EXCELLENT),
        ("8.9", Classification.GOOD),
        ("8.0", Classification.GOOD),
        ("7.0", Classification.FAIR),
        ("6.9", Classification.AVERAGE),
        ("5.0", Classification.AVERAGE),
        ("4.9", Classification.FAIL),
    ],
)
def test_bands(score, expected):
    assert classify(D(score)) == expected


def test_attendance_limit_is_more_than_the_percentage():
    assert is_eligible(absent_periods=8, scheduled_periods=40, limit_percent=D(20))
    assert not is_eligible(absent_periods=9, scheduled_periods=40, limit_percent=D(20))
    assert is_eligible(absent_periods=0, scheduled_periods=0, limit_percent=D(0))


@pytest.mark.django_db
def test_course_results_are_computed_and_stored(course):
    sessions = [builders.make_session(course, periods=4) for _ in range(5)]  # 20 periods
    midterm = builders.make_assessment(course, name="Giữa khóa", weight=D(1), is_final=False)
    final = builders.make_assessment(course, name="Thu hoạch", weight=D(2))
    good = builders.make_enrolment(course)
    builders.make_score(good, midterm, "7")
    builders.make_score(good, final, "8.5")
    retaken = builders.make_enrolment(course)
    builders.make_score(retaken, midterm, "6")
    builders.make_score(retaken, final, "3", retake_score=D("6"))
    absent = builders.make_enrolment(course)
    builders.make_score(absent, midterm, "9")
    builders.make_score(absent, final, "9")
    for session in sessions[:2]:  # 8 of 20 periods = 40% > 20%
        Attendance.objects.create(
            session=session, enrolment=absent, status=AttendanceStatus.EXCUSED
        )
    withdrawn = builders.make_enrolment(course, status=EnrolmentStatus.WITHDRAWN)

    assert course_results_compute(course=course) == 4
    for enrolment in (good, retaken, absent, withdrawn):
        enrolment.refresh_from_db()
    assert (good.final_score, good.classification, good.passed) == (D("8.0"), "good", True)
    assert (retaken.final_score, retaken.classification, retaken.passed) == (
        D("6.0"),
        "average",
        True,
    )
    assert (absent.absent_periods, absent.excused_periods, absent.is_eligible) == (8, 8, False)
    assert absent.passed is False and absent.scheduled_periods == 20
    assert withdrawn.passed is False


@pytest.mark.django_db
def test_attendance_only_program_passes_on_eligibility(centre):
    course = builders.make_course(centre, is_assessed=False)
    builders.make_session(course)
    enrolment = builders.make_enrolment(course)
    course_results_compute(course=course)
    enrolment.refresh_from_db()
    assert enrolment.passed is True and enrolment.final_score is None


@pytest.mark.django_db
def test_made_up_absence_does_not_count(course):
    session = builders.make_session(course, periods=4)
    enrolment = builders.make_enrolment(course)
    Attendance.objects.create(
        session=session, enrolment=enrolment, status=AttendanceStatus.UNEXCUSED, made_up=True
    )
    course_results_compute(course=course)
    enrolment.refresh_from_db()
    assert enrolment.absent_periods == 0 and enrolment.is_eligible is True
