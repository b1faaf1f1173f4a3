"""The rules: when a follow-up is due, the delay setting, who is asked, the saving of answers."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hieuqua import followups
from hieuqua.followups import AnswerInput, add_months
from hieuqua.models import FollowUpAnswer, FollowUpSetting
from lophoc.models import CourseStatus, EnrolmentStatus
from tests.hieuqua.helpers import ENDED, TODAY, closed_class

pytestmark = pytest.mark.django_db


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 3, 15), 3) == datetime.date(2026, 6, 15)
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


@pytest.mark.parametrize(
    ("delay", "today", "due"),
    [
        (3, datetime.date(2026, 11, 6), False),  # the day before end + 3 months
        (3, datetime.date(2026, 11, 7), True),  # the very day
        (4, datetime.date(2026, 12, 7), True),
        (5, datetime.date(2026, 12, 7), False),
        (6, datetime.date(2027, 2, 7), True),
        (6, datetime.date(2027, 2, 6), False),
    ],
)
def test_due_on_end_date_plus_the_centres_delay(centre, ward, delay, today, due):
    FollowUpSetting.objects.create(centre=centre, delay_months=delay)
    course = closed_class(centre, [ward])
    follow_up = followups.course_followup(course, today=today)
    assert follow_up.due is due
    assert follow_up.due_on == add_months(ENDED, delay)
    # The SQL filter agrees with the Python rule.
    found = course.__class__.objects.filter(followups.due_filter([centre.pk], today))
    assert list(found) == ([course] if due else [])


def test_a_cancelled_or_running_class_is_never_due(centre, ward):
    cancelled = closed_class(centre, [ward], status=CourseStatus.CANCELLED)
    grading = closed_class(centre, [ward], status=CourseStatus.GRADING)
    for course in (cancelled, grading):
        assert followups.course_followup(course, today=TODAY).due is False
    refusals = [
        followups.answer_refusal(followups.course_followup(course, today=TODAY))
        for course in (cancelled, grading)
    ]
    assert "đã hủy" in refusals[0] and "chưa kết thúc" in refusals[1]


def test_the_default_delay_is_three_months_and_refused_outside_three_to_six(centre):
    assert followups.delay_months(centre) == 3
    for wrong in (2, 7, 0):
        with pytest.raises(ValidationError) as refused:
            followups.setting_save(centre=centre, delay=wrong)
        assert "từ 3 đến 6 tháng" in str(refused.value)
    assert not FollowUpSetting.objects.exists()
    followups.setting_save(centre=centre, delay=6)
    assert followups.delay_months(centre) == 6


def test_only_active_people_sent_by_a_unit_are_asked(centre, ward, agency):
    course = closed_class(centre, [ward, agency], per_unit=2)
    follow_up = followups.course_followup(course, today=TODAY)
    assert {row.unit_name for row in follow_up.units} == {ward.name, agency.name}
    assert follow_up.totals.asked == 4  # the withdrawn and the unsent are not asked about


def test_answers_save_writes_and_counts_changes(centre, ward, staff):
    course = closed_class(centre, [ward])
    enrolments = list(course.enrolments.filter(unit=ward, status=EnrolmentStatus.ACTIVE))
    answers = [AnswerInput(e.pk, "good", "Tích cực") for e in enrolments]
    assert (
        followups.answers_save(enrolments=enrolments, answers=answers, user=staff, from_letter=True)
        == 2
    )
    assert FollowUpAnswer.objects.filter(from_letter=True, answered_by=staff).count() == 2
    # The same again changes nothing; one changed rating changes one.
    assert (
        followups.answers_save(enrolments=enrolments, answers=answers, user=staff, from_letter=True)
        == 0
    )
    answers[0] = AnswerInput(enrolments[0].pk, "unclear")
    assert (
        followups.answers_save(enrolments=enrolments, answers=answers, user=staff, from_letter=True)
        == 1
    )


def test_an_answer_for_an_enrolment_not_asked_refuses_everything(centre, ward, agency, staff):
    course = closed_class(centre, [ward, agency])
    mine = list(course.enrolments.filter(unit=ward, status=EnrolmentStatus.ACTIVE))
    theirs = course.enrolments.filter(unit=agency).first()
    answers = [AnswerInput(e.pk, "good") for e in mine] + [AnswerInput(theirs.pk, "fair")]
    with pytest.raises(ValidationError):
        followups.answers_save(enrolments=mine, answers=answers, user=staff, from_letter=False)
    assert not FollowUpAnswer.objects.exists()
