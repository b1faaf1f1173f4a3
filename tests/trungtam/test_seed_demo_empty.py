"""seed_demo and demo_accounts on a database without the demo (the rest: test_seed_demo.py, which
seeds the demo once for its whole module)."""

import pytest
from django.core.management import CommandError, call_command

from tests import builders
from tests.trungtam.seed_demo_helpers import run, snapshot
from trungtam.models import Centre

pytestmark = pytest.mark.django_db


def test_if_empty_does_nothing_when_a_centre_exists():
    builders.make_centre(code="KHAC")
    before = snapshot()

    output = run("seed_demo", "--scale", "small", "--if-empty")

    assert snapshot() == before
    assert not Centre.objects.filter(code__in=["PL", "BM"]).exists()
    assert "không tạo dữ liệu mẫu" in output


def test_if_empty_seeds_an_empty_database():
    run("seed_demo", "--scale", "small", "--if-empty")

    assert Centre.objects.filter(code__in=["PL", "BM"]).count() == 2


def test_a_wrong_scale_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "huge")
    assert not Centre.objects.exists()


def test_demo_accounts_says_so_when_there_are_none():
    output = run("demo_accounts")

    assert "Không có tài khoản mẫu" in output
