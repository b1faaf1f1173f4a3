"""The migrations that recompute stored sort keys put keys written by the old rule right."""

import importlib

import pytest
from django.apps import apps

from giangvien.models import Lecturer
from hocvien.models import Trainee
from tests import builders
from trungtam.text import sort_key

pytestmark = pytest.mark.django_db

MIGRATIONS = {
    Trainee: "hocvien.migrations.0005_recompute_sort_keys",
    Lecturer: "giangvien.migrations.0004_recompute_sort_keys",
}


@pytest.mark.parametrize("model", [Trainee, Lecturer], ids=["trainee", "lecturer"])
def test_stale_keys_are_recomputed_and_the_order_follows_the_given_name(centre, model):
    names = ["Nguyễn Văn Ánh", "Trần Thị Anh", "Lê Anh"]
    make = builders.make_trainee if model is Trainee else builders.make_lecturer
    people = [make(centre, full_name=name) for name in names]
    # Keys as an older rule stored them: here, simply the names in the wrong order.
    for index, person in enumerate(people):
        model.objects.filter(pk=person.pk).update(sort_key=f"stale{index}")
    assert list(model.objects.order_by("sort_key").values_list("full_name", flat=True)) == names

    importlib.import_module(MIGRATIONS[model]).recompute(apps, None)

    ordered = list(model.objects.order_by("sort_key", "id").values_list("full_name", flat=True))
    assert ordered == ["Lê Anh", "Trần Thị Anh", "Nguyễn Văn Ánh"]
    assert all(p.sort_key == sort_key(p.full_name) for p in model.objects.all())
