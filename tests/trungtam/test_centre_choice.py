"""Per-centre setting pages opened by one who sees every centre (the installation's admin, who
belongs to no centre): a list of centres to choose from, then the chosen centre's setting
(scoping.centre_chosen). A centre's own staff never see the list."""

import pytest
from django.urls import reverse

from dugio.models import ObservationCriterion
from giaoan.models import LessonPlanSettings
from hieuqua.models import FollowUpSetting
from tests import builders
from trungtam.models import Role

pytestmark = pytest.mark.django_db

PAGES = ["hieuqua:settings", "giaoan:settings", "dugio:criteria_edit"]


@pytest.fixture
def centres():
    return [
        builders.make_centre(code="PL", name="Trung tâm Chính trị phường Phú Lợi"),
        builders.make_centre(code="BM", name="Trung tâm Chính trị xã Bình Mỹ"),
    ]


@pytest.fixture
def admin(client):
    user = builders.make_user(role=Role.ADMIN, centre=None, username="quantri")
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", PAGES)
def test_without_a_choice_the_admin_gets_the_centres_to_choose_from(client, centres, admin, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Chọn trung tâm cần xem và sửa" in text
    for centre in centres:
        assert f'href="?trung_tam={centre.pk}"' in text and centre.name in text


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("chosen", ["999999", "abc", "-1", "9" * 40, "²", "0"])
def test_an_unknown_or_malformed_choice_shows_the_list_again(client, centres, admin, name, chosen):
    response = client.get(reverse(name), {"trung_tam": chosen})
    assert response.status_code == 200
    assert "Chọn trung tâm cần xem và sửa" in response.content.decode()


def test_the_admin_sets_the_follow_up_delay_of_the_chosen_centre(client, centres, admin):
    url = reverse("hieuqua:settings") + f"?trung_tam={centres[1].pk}"
    page = client.get(url).content.decode()
    assert centres[1].name in page and "Chọn trung tâm" not in page
    assert client.post(url, {"so_thang": "5"}).status_code == 302
    setting = FollowUpSetting.objects.get()
    assert (setting.centre, setting.delay_months) == (centres[1], 5)


def test_the_admin_sets_lesson_plan_reuse_for_the_chosen_centre(client, centres, admin):
    url = reverse("giaoan:settings") + f"?trung_tam={centres[0].pk}"
    response = client.post(url, {"dung_lai_giao_an": "on"})
    assert response.status_code == 302 and response["Location"] == url
    setting = LessonPlanSettings.objects.get()
    assert (setting.centre, setting.reuse_approved) == (centres[0], True)


def test_a_post_without_a_chosen_centre_saves_nothing(client, centres, admin):
    assert client.post(reverse("hieuqua:settings"), {"so_thang": "5"}).status_code == 200
    assert client.post(reverse("giaoan:settings"), {"dung_lai_giao_an": "on"}).status_code == 200
    assert client.post(reverse("dugio:criteria_edit"), {}).status_code == 200
    assert not FollowUpSetting.objects.exists() and not LessonPlanSettings.objects.exists()
    assert not ObservationCriterion.objects.exists()


@pytest.mark.parametrize("name", PAGES)
def test_a_centres_staff_work_on_their_own_centre_whatever_the_query(client, centres, name):
    client.force_login(builders.make_user(centre=centres[0]))
    text = client.get(reverse(name), {"trung_tam": centres[1].pk}).content.decode()
    assert "Chọn trung tâm" not in text
    assert centres[0].name in text and centres[1].name not in text
