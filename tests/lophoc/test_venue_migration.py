"""Migration 0010 turns the venues typed on classes into each centre's list of venues."""

import importlib

import pytest
from django.apps import apps

from lophoc.models import Venue
from tests import builders

pytestmark = pytest.mark.django_db


def test_each_centres_typed_venues_become_its_list_once(centre, other_centre):
    builders.make_course(centre, venue="Hội trường A")
    builders.make_course(centre, venue="Hội trường A")
    builders.make_course(centre, venue="Phòng 2")
    builders.make_course(centre, venue="")
    builders.make_course(other_centre, venue="Hội trường A")

    importlib.import_module("lophoc.migrations.0010_venue").venues_from_classes(apps, None)

    assert sorted(Venue.objects.values_list("centre__code", "name")) == [
        (centre.code, "Hội trường A"),
        (centre.code, "Phòng 2"),
        (other_centre.code, "Hội trường A"),
    ]
