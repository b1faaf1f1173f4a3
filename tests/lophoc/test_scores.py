from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lophoc.models import CourseStatus
from lophoc.scores import gradable_assessment_ids, grading_refusal, parse_score
from tests import builders


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("8,5", "8.5"),
        ("8.5", "8.5"),
        (" 10 ", "10"),
        ("0", "0"),
        ("7,25", "7.25"),
        (9.5, "9.5"),
        (7, "7"),
    ],
)
def test_accepted_scores(raw, expected):
    assert parse_score(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["", "  ", None])
def test_empty_is_no_score(raw):
    assert parse_score(raw) is None


@pytest.mark.parametrize("raw", ["11", "-1", "7.333", "tám", "10,5", "8,", "1e1", "8.5.1"])
def test_refused_scores_say_why_in_vietnamese(raw):
    with pytest.raises(ValidationError) as error:
        parse_score(raw)
    assert "điểm" in error.value.messages[0].lower() or "0–10" in error.value.messages[0]


@pytest.mark.django_db
def test_grading_only_while_taught_or_graded(centre):
    for status in CourseStatus.values:
        course = builders.make_course(centre, status=status)
        open_now = status in ("in_progress", "grading")
        assert (grading_refusal(course) is None) == open_now


@pytest.mark.django_db
def test_lecturer_grades_assigned_or_all_when_none_assigned(centre, lecturer, staff):
    me = lecturer.lecturer
    course = builders.make_course(centre, status=CourseStatus.GRADING)
    builders.make_session(course, lecturer=me)
    first = builders.make_assessment(course, name="Bài 1")
    second = builders.make_assessment(course, name="Bài 2")
    assessments = [first, second]
    assert gradable_assessment_ids(lecturer, course, assessments) == {first.pk, second.pk}
    second.grader = builders.make_lecturer(centre)
    second.save()
    assert gradable_assessment_ids(lecturer, course, assessments) == set()
    first.grader = me
    first.save()
    assert gradable_assessment_ids(lecturer, course, assessments) == {first.pk}
    assert gradable_assessment_ids(staff, course, assessments) == {first.pk, second.pk}


@pytest.mark.django_db
def test_submitted_assessment_is_read_only_for_the_lecturer(centre, lecturer, official):
    from django.utils import timezone

    course = builders.make_course(centre, status=CourseStatus.GRADING)
    builders.make_session(course, lecturer=lecturer.lecturer)
    assessment = builders.make_assessment(course, submitted_at=timezone.now())
    assert gradable_assessment_ids(lecturer, course, [assessment]) == set()
    assert gradable_assessment_ids(official, course, [assessment]) == set()
