"""Migration danhgia 0003: a code keeps that it was used, not the day it was used."""

import pytest

from danhgia.models import EvaluationCode
from tests.danhgia.helpers import evaluated_course
from tests.migrating import migrate, table_columns

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("danhgia", "0002_evaluation_tally")]
AFTER = [("danhgia", "0003_code_used_without_date")]


def test_codes_used_on_a_day_become_used_and_the_day_is_gone(centre):
    course = evaluated_course(centre, enrolled=0)
    executor = migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("danhgia", "EvaluationCode")
    old.objects.create(course_id=course.pk, code="AAAAAAAA", used_on="2026-11-02")
    old.objects.create(course_id=course.pk, code="BBBBBBBB", used_on=None)

    migrate(AFTER)

    assert dict(EvaluationCode.objects.values_list("code", "used")) == {
        "AAAAAAAA": True,
        "BBBBBBBB": False,
    }
    assert "used_on" not in table_columns(EvaluationCode._meta.db_table)


def test_going_back_keeps_used_codes_used(centre):
    course = evaluated_course(centre, enrolled=0)
    EvaluationCode.objects.create(course=course, code="CCCCCCCC", used=True)
    EvaluationCode.objects.create(course=course, code="DDDDDDDD", used=False)
    executor = migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("danhgia", "EvaluationCode")
    assert dict(old.objects.values_list("code", "used_on")) == {
        "CCCCCCCC": course.end_date,
        "DDDDDDDD": None,
    }
    migrate(AFTER)
