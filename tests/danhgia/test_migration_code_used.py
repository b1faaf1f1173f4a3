"""Migration danhgia 0003: a code keeps that it was used, not the day it was used."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from danhgia.models import EvaluationCode
from tests.danhgia.helpers import evaluated_course

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("danhgia", "0002_evaluation_tally")]
AFTER = [("danhgia", "0003_code_used_without_date")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def test_codes_used_on_a_day_become_used_and_the_day_is_gone(centre):
    course = evaluated_course(centre, enrolled=0)
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("danhgia", "EvaluationCode")
    old.objects.create(course_id=course.pk, code="AAAAAAAA", used_on="2026-11-02")
    old.objects.create(course_id=course.pk, code="BBBBBBBB", used_on=None)

    _migrate(AFTER)

    assert dict(EvaluationCode.objects.values_list("code", "used")) == {
        "AAAAAAAA": True,
        "BBBBBBBB": False,
    }
    columns = {c.name for c in connection.introspection.get_table_description(
        connection.cursor(), EvaluationCode._meta.db_table
    )}  # fmt: skip
    assert "used_on" not in columns
