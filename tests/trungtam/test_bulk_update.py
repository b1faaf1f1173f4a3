"""NormalizedQuerySet.bulk_update: one UPDATE … FROM (VALUES …) per batch, same results as
Django's own (normalised text, derived keys, decimals, nulls, foreign keys)."""

import unicodedata
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hocvien.models import Trainee
from lophoc.models import Enrolment
from tests.builders import make_course, make_enrolment, make_trainee, make_unit


@pytest.mark.django_db
def test_names_are_normalised_and_keys_recomputed_in_one_statement(centre):
    trainees = [make_trainee(centre) for _ in range(5)]
    for n, trainee in enumerate(trainees):
        trainee.full_name = unicodedata.normalize("NFD", f"  Lê   Thị  Hồng {n} ")
    with CaptureQueriesContext(connection) as queries:
        Trainee.objects.bulk_update(trainees, ["full_name"])
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    stored = Trainee.objects.order_by("pk").values_list("full_name", "search_key")
    assert list(stored) == [(f"Lê Thị Hồng {n}", f"le thi hong {n}") for n in range(5)]


@pytest.mark.django_db
def test_decimals_nulls_booleans_and_foreign_keys(centre):
    course = make_course(centre)
    first, second = make_enrolment(course), make_enrolment(course)
    unit = make_unit(centre)
    first.final_score, first.passed, first.unit = Decimal("8.5"), True, unit
    second.final_score, second.passed, second.unit = None, None, None
    Enrolment.objects.bulk_update([first, second], ["final_score", "passed", "unit"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.final_score, first.passed, first.unit_id) == (Decimal("8.5"), True, unit.pk)
    assert (second.final_score, second.passed, second.unit_id) == (None, None, None)


@pytest.mark.django_db
def test_batches_split_the_rows_and_count_them(centre):
    trainees = [make_trainee(centre) for _ in range(7)]
    for trainee in trainees:
        trainee.position = "Bí thư chi bộ"
    with CaptureQueriesContext(connection) as queries:
        updated = Trainee.objects.bulk_update(trainees, ["position"], batch_size=3)
    assert updated == 7
    assert sum(q["sql"].startswith("UPDATE") for q in queries.captured_queries) == 3
    assert set(Trainee.objects.values_list("position", flat=True)) == {"Bí thư chi bộ"}
