"""DESIGN §8 rules: weighted average with Decimal, half-up rounding, bands, attendance, pass."""

from decimal import Decimal as D

import pytest

from lophoc.models import Attendance, AttendanceStatus, Classification, EnrolmentStatus
from lophoc.results import (
    Result,
    classify,
    course_results_compute,
    is_eligible,
    result_distribution,
    result_for,
    weighted_average,
)
from tests import builders
from trungtam.documents.numbers import format_percent


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
        session=session, enrolment=enrolment, status=AttendanceStatus.PRESENT, made_up=True
    )
    course_results_compute(course=course)
    enrolment.refresh_from_db()
    assert enrolment.absent_periods == 0 and enrolment.is_eligible is True


# --- every boundary of DESIGN §8 --------------------------------------------------------------


@pytest.mark.parametrize(
    "pairs,final,band,passed",
    [
        ([(D(1), D("4.95"))], D("5.0"), Classification.AVERAGE, True),  # half up → 5.0: passes
        ([(D(1), D("4.94"))], D("4.9"), Classification.FAIL, False),
        ([(D(1), D("4.99"))], D("5.0"), Classification.AVERAGE, True),
        ([(D(1), D("5.00"))], D("5.0"), Classification.AVERAGE, True),
        ([(D(1), D("6.95"))], D("7.0"), Classification.FAIR, True),
        ([(D(1), D("6.9")), (D(1), D("7.0"))], D("7.0"), Classification.FAIR, True),
        ([(D(1), D("6.94"))], D("6.9"), Classification.AVERAGE, True),
        ([(D(1), D("7.95"))], D("8.0"), Classification.GOOD, True),
        ([(D(1), D("8.94"))], D("8.9"), Classification.GOOD, True),
        ([(D(1), D("8.95"))], D("9.0"), Classification.EXCELLENT, True),
        ([(D(1), D("8.999"))], D("9.0"), Classification.EXCELLENT, True),
        # 9 + 9 + 8.99 = 26.99 / 3 = 8.99666… → 9.0
        ([(D(1), D(9)), (D(1), D(9)), (D(1), D("8.99"))], D("9.0"), Classification.EXCELLENT, True),
        # Thirds: 14.85 / 3 = 4.95 exactly in Decimal → 5.0
        ([(D(1), D(5)), (D(1), D(5)), (D(1), D("4.85"))], D("5.0"), Classification.AVERAGE, True),
        ([(D("1.5"), D(6)), (D("0.5"), D(10))], D("7.0"), Classification.FAIR, True),
        ([(D(1), D(10))], D("10.0"), Classification.EXCELLENT, True),
        ([(D(1), D(0))], D("0.0"), Classification.FAIL, False),
    ],
)
def test_final_score_band_and_pass_use_the_rounded_score(pairs, final, band, passed):
    result = result_for(assessed=True, eligible=True, scores=pairs)
    assert (result.final_score, result.classification, result.passed) == (final, band, passed)


def test_zero_weight_assessments_do_not_count_and_need_no_score():
    assert weighted_average([(D(0), D(2)), (D(1), D(8))]) == D("8.0")
    assert weighted_average([(D(0), None), (D(2), D(6)), (D(1), D(9))]) == D("7.0")
    assert weighted_average([(D(0), D(9)), (D(0), D(9))]) is None
    assert weighted_average([]) is None


def test_no_score_means_no_result_yet():
    result = result_for(assessed=True, eligible=True, scores=[(D(1), None)])
    assert result == Result(None, "", True, None)


def test_not_eligible_never_passes_nor_is_classified():
    result = result_for(assessed=True, eligible=False, scores=[(D(1), D("9.5"))])
    assert result == Result(D("9.5"), "", False, False)
    # Not eligible and not graded (may not sit the final): a result all the same.
    assert result_for(assessed=True, eligible=False, scores=[(D(1), None)]).passed is False


def test_attendance_only_class_passes_on_eligibility_alone():
    assert result_for(assessed=False, eligible=True, scores=[]) == Result(None, "", True, True)
    assert result_for(assessed=False, eligible=False, scores=[]).passed is False


@pytest.mark.parametrize(
    "absent,scheduled,limit,eligible",
    [
        (8, 40, D(20), True),  # exactly at the limit
        (9, 40, D(20), False),  # one period over
        (0, 40, D(0), True),
        (1, 40, D(0), False),  # full attendance required
        (4, 40, D(10), True),
        (5, 40, D(10), False),
        (5, 40, D("12.5"), True),
        (6, 40, D("12.5"), False),
        (40, 40, D(100), True),
    ],
)
def test_attendance_limit_boundaries(absent, scheduled, limit, eligible):
    assert is_eligible(absent_periods=absent, scheduled_periods=scheduled, limit_percent=limit) == (
        eligible
    )


def _absent(enrolment, sessions, *, made_up=False):
    """Absent from `sessions`; made up (học bù) ones are recorded as attendance (DESIGN §8)."""
    status = AttendanceStatus.PRESENT if made_up else AttendanceStatus.UNEXCUSED
    for session in sessions:
        Attendance.objects.create(
            session=session, enrolment=enrolment, status=status, made_up=made_up
        )


@pytest.mark.django_db
def test_absent_exactly_at_the_limit_passes_one_period_over_does_not(course):
    # 40 periods; the limit is 20% = 8 periods.
    periods = [4, 4, 1, 4, 4, 4, 4, 4, 4, 4, 3]
    sessions = [builders.make_session(course, periods=p) for p in periods]
    final = builders.make_assessment(course)
    at_limit, over, made_up = (builders.make_enrolment(course) for _ in range(3))
    for enrolment in (at_limit, over, made_up):
        builders.make_score(enrolment, final, "8")
    _absent(at_limit, sessions[:2])  # 8 periods
    _absent(over, sessions[:3])  # 9 periods
    _absent(made_up, sessions[:2])
    _absent(made_up, sessions[2:3], made_up=True)  # the 9th period was made up (học bù)

    course_results_compute(course=course)

    for enrolment in (at_limit, over, made_up):
        enrolment.refresh_from_db()
    assert (at_limit.absent_periods, at_limit.is_eligible, at_limit.passed) == (8, True, True)
    assert (over.absent_periods, over.is_eligible, over.passed) == (9, False, False)
    assert over.classification == "" and over.final_score == D("8.0")
    assert (made_up.absent_periods, made_up.is_eligible, made_up.passed) == (8, True, True)


@pytest.mark.django_db
def test_the_class_limit_in_periods_decides(course):
    course.absence_limit_percent = D(10)
    course.save()
    sessions = [builders.make_session(course, periods=p) for p in (4, 1, 5, 10, 10, 10)]
    inside, over = builders.make_enrolment(course), builders.make_enrolment(course)
    _absent(inside, sessions[:1])  # 4 of 40 = 10%
    _absent(over, sessions[:2])  # 5 of 40

    course_results_compute(course=course)

    inside.refresh_from_db()
    over.refresh_from_db()
    assert inside.is_eligible is True and over.is_eligible is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "score,retake,final,passed",
    [
        ("3", "6", D("6.0"), True),  # a higher retake replaces the original
        ("8", "4", D("4.0"), False),  # so does a lower one (DESIGN §8)
        ("4.5", None, D("4.5"), False),
        (None, "7.25", D("7.3"), True),  # a retake without a first score still counts
    ],
)
def test_a_retake_replaces_the_original_for_that_assessment(course, score, retake, final, passed):
    builders.make_session(course)
    exam = builders.make_assessment(course, has_retake=True)
    enrolment = builders.make_enrolment(course)
    builders.make_score(enrolment, exam, score, retake_score=D(retake) if retake else None)

    course_results_compute(course=course)

    enrolment.refresh_from_db()
    assert (enrolment.final_score, enrolment.passed) == (final, passed)


@pytest.mark.django_db
def test_a_retake_only_replaces_its_own_assessment(course):
    builders.make_session(course)
    midterm = builders.make_assessment(course, is_final=False, weight=D(1))
    final = builders.make_assessment(course, weight=D(1), has_retake=True)
    enrolment = builders.make_enrolment(course)
    builders.make_score(enrolment, midterm, "9")
    builders.make_score(enrolment, final, "2", retake_score=D(5))

    course_results_compute(course=course)

    enrolment.refresh_from_db()
    assert enrolment.final_score == D("7.0") and enrolment.classification == "fair"


@pytest.mark.django_db
def test_statuses_that_explain_a_missing_result(course):
    builders.make_session(course)
    exam = builders.make_assessment(course)
    not_eligible = builders.make_enrolment(course, status=EnrolmentStatus.NOT_ELIGIBLE)
    absent_final = builders.make_enrolment(course, status=EnrolmentStatus.ABSENT_FINAL)
    ungraded = builders.make_enrolment(course)
    builders.make_score(not_eligible, exam, "9")

    course_results_compute(course=course)

    for enrolment in (not_eligible, absent_final, ungraded):
        enrolment.refresh_from_db()
    assert (not_eligible.is_eligible, not_eligible.passed, not_eligible.classification) == (
        False,
        False,
        "",
    )
    assert (absent_final.final_score, absent_final.passed) == (None, False)
    assert (ungraded.final_score, ungraded.passed, ungraded.result_computed_at is not None) == (
        None,
        None,
        True,
    )


@pytest.mark.django_db
def test_computing_keeps_history_with_who_and_why(course, staff):
    builders.make_session(course)
    exam = builders.make_assessment(course)
    enrolment = builders.make_enrolment(course)
    builders.make_score(enrolment, exam, "6")

    course_results_compute(course=course, user=staff, reason="Thử")

    record = enrolment.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == staff and record.history_change_reason == "Thử"
    assert record.final_score == D("6.0") and record.classification == "average"


def test_distribution_counts_and_shares():
    rows = [("active", "good", True, True)] * 34 + [
        ("active", "fail", True, False),
        ("not_eligible", "", False, False),
        ("withdrawn", "", True, False),
    ]
    distribution = result_distribution(rows)
    assert (distribution.counted, distribution.withdrawn) == (36, 1)
    assert [b.count for b in distribution.bands] == [0, 34, 0, 0, 1]
    assert distribution.unclassified == 1
    assert (distribution.passed, distribution.not_passed, distribution.not_eligible) == (34, 1, 1)
    assert format_percent(distribution.pass_rate) == "94,4%"
    assert distribution.bands[1].width == 94 and distribution.bands[0].width == 0
    assert result_distribution([]).pass_rate is None
