"""The unit's page lists what the unit must answer now: its open calls and the open survey."""

import pytest
from django.urls import reverse

from chieusinh import answers
from chieusinh.accepting import call_accept
from chieusinh.models import CallQuota
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


def test_a_call_whose_list_the_centre_accepted_is_no_longer_a_task(
    client, centre, commune, liaison, staff
):
    call = make_call(future_course(centre, name="Bồi dưỡng đảng viên mới"), [(commune, 3)])
    person = builders.make_trainee(centre, unit=commune, full_name="Lê Văn Một")
    quota = CallQuota.objects.get(call=call, unit=commune)
    answers.line_add_trainee(quota=quota, trainee_id=person.pk, user=liaison)
    answers.answer_submit(quota=quota, user=liaison)
    client.force_login(liaison)
    url = reverse("donvi:unit_page", args=[commune.pk])
    assert "Gửi danh sách cử đi học lớp Bồi dưỡng" in client.get(url).content.decode()

    call_accept(call=call, user=staff)

    page = client.get(url).content.decode()
    assert "Gửi danh sách cử đi học lớp Bồi dưỡng" not in page
    assert "Việc cần làm" not in page
