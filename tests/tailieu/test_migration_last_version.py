"""Migration tailieu 0002: materials made before get the highest number their versions have."""

import pytest

from tailieu.models import Material
from tests import builders
from tests.migrating import migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("tailieu", "0001_initial")]
AFTER = [("tailieu", "0002_material_last_version")]


def test_earlier_materials_count_from_their_highest_version(centre):
    program = builders.make_program(centre)
    executor = migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    old_material = apps.get_model("tailieu", "Material")
    old_version = apps.get_model("tailieu", "MaterialVersion")
    versioned = old_material.objects.create(program_id=program.pk, title="Bài giảng")
    for number in (1, 3):  # version 2 was removed by hand
        old_version.objects.create(
            material=versioned, number=number, file=f"tailieu/{number}.pdf", filename="a.pdf",
            kind="pdf", extension=".pdf", size=1, sha256="0" * 64,
        )  # fmt: skip
    empty = old_material.objects.create(program_id=program.pk, title="Chưa có tệp")
    migrate(AFTER)
    assert Material.objects.get(pk=versioned.pk).last_version == 3
    assert Material.objects.get(pk=empty.pk).last_version == 0
