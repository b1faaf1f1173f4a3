"""Migration trungtam 0004 backward: one copy per document again, the replaced copies dropped."""

import pytest
from django.utils import timezone

from tests import builders
from tests.migrating import migrate
from trungtam.models import SignedDocument, SignedKind

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("trungtam", "0003_signed_document")]
AFTER = [("trungtam", "0004_signed_copy_superseded")]


def copy(centre, source, superseded_at=None):
    return SignedDocument.objects.create(
        kind=SignedKind.YEARLY_REPORT, ref=f"{centre.pk}:2026", centre=centre,
        original_sha256="a" * 64, signed_sha256=source[0] * 64, data=b"%PDF", size=4,
        source=source, superseded_at=superseded_at,
    )  # fmt: skip


def test_going_back_keeps_the_current_copy_of_each_document():
    centre = builders.make_centre()
    copy(centre, "server", superseded_at=timezone.now())
    kept = copy(centre, "uploaded")
    executor = migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("trungtam", "SignedDocument")
    assert list(old.objects.values_list("pk", flat=True)) == [kept.pk]
    migrate(AFTER)
