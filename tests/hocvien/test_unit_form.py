"""Creating and editing units: kind, served communes, 2025 merges, no new towns (DESIGN §8a)."""

import datetime

import pytest
from django.urls import reverse

from hocvien.models import Unit
from tests import builders

CREATE = reverse("hocvien:unit_create")


def edit_url(unit):
    return reverse("hocvien:unit_edit", args=[unit.pk])


def data(**overrides) -> dict:
    values = {"name": "Phường Phú Lợi", "kind": "ward", "active": "on"}
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def errors(response, field) -> str:
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    assert client.post(CREATE, data())["Location"].startswith(reverse("login"))
    assert not Unit.objects.exists()


@pytest.mark.parametrize("role", ["official", "province_official", "lecturer"])
@pytest.mark.django_db
def test_read_only_roles_get_403(client, request, centre, role):
    unit = builders.make_unit(centre, name="Xã Bình Mỹ")
    client.force_login(request.getfixturevalue(role))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, data()).status_code == 403
    assert client.get(edit_url(unit)).status_code == 403
    assert client.post(edit_url(unit), data(name="Đổi tên")).status_code == 403
    assert list(Unit.objects.values_list("name", flat=True)) == ["Xã Bình Mỹ"]


@pytest.mark.django_db
def test_other_centres_units_are_404(client, other_staff, centre):
    unit = builders.make_unit(centre)
    client.force_login(other_staff)
    assert client.get(edit_url(unit)).status_code == 404
    assert client.post(edit_url(unit), data()).status_code == 404


@pytest.mark.django_db
def test_staff_create_a_unit(client, staff, centre):
    client.force_login(staff)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, data(is_served_commune="on"), follow=True)
    unit = Unit.objects.get()
    assert response.redirect_chain[-1][0] == reverse("hocvien:unit_detail", args=[unit.pk])
    assert "Đã thêm đơn vị Phường Phú Lợi" in response.text
    assert unit.centre == centre and unit.is_served_commune and unit.kind == "ward"
    assert unit.search_key == "phuong phu loi"


@pytest.mark.django_db
def test_a_new_active_town_is_refused(client, staff):
    client.force_login(staff)
    response = client.post(CREATE, data(name="Thị trấn Mới", kind="town"))
    assert "Từ 01/7/2025 không còn thị trấn" in errors(response, "kind")
    assert response.context["form"]["name"].value() == "Thị trấn Mới"
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_an_old_town_can_be_recorded_as_merged(client, staff, centre):
    ward = builders.make_unit(centre, name="Phường Phú Lợi", kind="ward")
    client.force_login(staff)
    response = client.post(
        CREATE,
        data(
            name="Thị trấn Phú Lợi",
            kind="town",
            active=None,
            merged_into=ward.pk,
            merged_on="01/07/2025",
        ),
    )
    assert response.status_code == 302
    town = Unit.objects.get(name="Thị trấn Phú Lợi")
    assert town.merged_into == ward and town.merged_on == datetime.date(2025, 7, 1)
    assert not town.active


@pytest.mark.django_db
def test_a_town_merged_after_july_2025_is_refused(client, staff, centre):
    ward = builders.make_unit(centre, kind="ward")
    client.force_login(staff)
    response = client.post(
        CREATE,
        data(
            name="Thị trấn Cũ",
            kind="town",
            active=None,
            merged_into=ward.pk,
            merged_on="02/07/2025",
        ),
    )
    assert "chấm dứt từ 01/7/2025" in errors(response, "merged_on")


@pytest.mark.django_db
def test_editing_a_legacy_active_town_is_not_blocked(client, staff, centre):
    town = builders.make_unit(centre, name="Thị trấn Cũ", kind="town")
    client.force_login(staff)
    response = client.post(edit_url(town), data(name="Thị trấn Cũ", kind="town", address="Số 1"))
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.address == "Số 1"


@pytest.mark.django_db
def test_a_merged_unit_must_be_inactive(client, staff, centre):
    ward = builders.make_unit(centre, kind="ward")
    client.force_login(staff)
    response = client.post(CREATE, data(name="Xã Cũ", kind="commune", merged_into=ward.pk))
    assert "không còn hoạt động" in errors(response, "active")


@pytest.mark.django_db
def test_merges_cannot_go_round_in_a_circle(client, staff, centre):
    new = builders.make_unit(centre, name="Phường Mới", kind="ward")
    old = builders.make_unit(centre, name="Xã Cũ", merged_into=new, active=False)
    client.force_login(staff)
    page = client.get(edit_url(new))
    assert new not in page.context["form"].fields["merged_into"].queryset
    response = client.post(edit_url(new), data(name="Phường Mới", active=None, merged_into=old.pk))
    assert "Không thể sáp nhập vào Xã Cũ" in errors(response, "merged_into")
    new.refresh_from_db()
    assert new.merged_into is None


@pytest.mark.django_db
def test_a_unit_of_another_centre_is_not_a_merge_target(client, staff, other_centre):
    foreign = builders.make_unit(other_centre)
    client.force_login(staff)
    response = client.post(CREATE, data(name="Xã Cũ", active=None, merged_into=foreign.pk))
    assert errors(response, "merged_into")
    assert not Unit.objects.filter(name="Xã Cũ").exists()


@pytest.mark.django_db
def test_a_name_already_used_points_to_the_existing_unit(client, staff, centre):
    builders.make_unit(centre, name="Phường Phú Lợi")
    client.force_login(staff)
    response = client.post(CREATE, data(name="phường phú lợi"))
    assert "Trung tâm đã có đơn vị «Phường Phú Lợi»" in errors(response, "name")
    assert Unit.objects.count() == 1


@pytest.mark.django_db
def test_a_bad_date_says_what_to_type(client, staff, centre):
    client.force_login(staff)
    response = client.post(CREATE, data(active=None, merged_on="2025/07/01"))
    assert "ngày/tháng/năm" in errors(response, "merged_on")


@pytest.mark.django_db
def test_staff_edit_a_unit_and_the_history_says_who(client, staff, centre):
    unit = builders.make_unit(centre, name="Xã Binh My")
    client.force_login(staff)
    response = client.post(
        edit_url(unit), data(name="Xã Bình Mỹ", kind="commune", is_served_commune="on"), follow=True
    )
    assert "Đã lưu đơn vị Xã Bình Mỹ" in response.text
    unit.refresh_from_db()
    assert unit.name == "Xã Bình Mỹ" and unit.is_served_commune
    assert unit.history.first().history_user == staff


@pytest.mark.django_db
def test_province_wide_admin_chooses_the_centre(client, superuser, other_centre):
    client.force_login(superuser)
    client.post(CREATE, data(centre=other_centre.pk))
    assert Unit.objects.get().centre == other_centre
