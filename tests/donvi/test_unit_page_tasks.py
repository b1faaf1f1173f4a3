"""The unit's page lists what the unit must answer now: its open calls and the open survey."""

import pytest
from django.urls import reverse

from tests import builders
from tests.chieusinh.helpers import future_course, make_call
from tests.khaosat.helpers import make_survey

pytestmark = pytest.mark.django_db


def test_a_liaison_sees_its_open_call_and_survey_and_not_others(client, centre, commune, liaison):
    other = builders.make_unit(centre, name="Xã Bình An")
    mine = make_call(future_course(centre, name="Bồi dưỡng đảng viên mới"), [(commune, 3)])
    make_call(future_course(centre, name="Lớp của xã khác"), [(other, 2)])
    survey = make_survey(centre, units=[commune])
    client.force_login(liaison)

    page = client.get(reverse("donvi:unit_page", args=[commune.pk])).content.decode()

    assert reverse("chieusinh:answer", args=[mine.pk]) in page
    assert "Bồi dưỡng đảng viên mới" in page
    assert "Lớp của xã khác" not in page
    assert reverse("khaosat:answer", args=[survey.pk]) in page


def test_nothing_to_do_shows_no_task_list(client, commune, liaison):
    client.force_login(liaison)
    page = client.get(reverse("donvi:unit_page", args=[commune.pk])).content.decode()
    assert "Việc cần làm" not in page
