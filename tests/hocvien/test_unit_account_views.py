"""Logins of a unit's liaison made and locked from the staff unit page (issue 16, item 1), and
the unit above a unit set on the unit form."""

import pytest
from django.urls import reverse

from hocvien.accounts import unit_account_create
from hocvien.models import Unit, UnitAccount
from tests import builders
from trungtam.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(centre):
    return builders.make_unit(centre, name="Phường Phú Lợi", kind="ward")


def create_url(unit):
    return reverse("hocvien:unit_account_create", args=[unit.pk])


def active_url(account):
    return reverse("hocvien:unit_account_active", args=[account.unit_id, account.pk])


def test_staff_create_a_login_and_see_the_password_once(client, staff, unit):
    client.force_login(staff)
    response = client.post(create_url(unit), {"full_name": "Phạm Thị Lan", "username": ""})
    assert response.status_code == 200
    account = UnitAccount.objects.select_related("user").get(unit=unit)
    user = account.user
    assert (user.username, user.role, user.full_name) == ("phuongphuloi", Role.UNIT, "Phạm Thị Lan")
    password = response.context["password"]
    assert user.check_password(password)
    assert password in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")  # never cached
    # The unit page lists the login, never the password.
    page = client.get(reverse("hocvien:unit_detail", args=[unit.pk])).content.decode()
    assert "phuongphuloi" in page and "Phạm Thị Lan" in page and password not in page


def test_a_bad_user_name_is_shown_next_to_the_field_and_nothing_is_made(client, staff, unit):
    client.force_login(staff)
    response = client.post(create_url(unit), {"full_name": "Phạm Thị Lan", "username": "canbo"})
    assert response.status_code == 200
    assert "đã có người dùng" in response.context["form"].errors["username"][0]
    assert 'value="Phạm Thị Lan"' in response.content.decode()  # what was typed stays
    assert not UnitAccount.objects.exists()
    response = client.post(create_url(unit), {"full_name": " ", "username": ""})
    assert response.context["form"].errors["full_name"]
    assert not UnitAccount.objects.exists()


def test_a_merged_unit_gets_no_login(client, centre, staff, unit):
    old = builders.make_unit(centre, name="Thị trấn Cũ", active=False, merged_into=unit)
    client.force_login(staff)
    response = client.post(create_url(old), {"full_name": "Phạm Thị Lan"})
    assert "không còn hoạt động" in response.content.decode()
    assert not UnitAccount.objects.exists()


@pytest.mark.parametrize(
    "role, status", [("other_staff", 404), ("official", 403), ("lecturer", 403)]
)
def test_others_cannot_make_logins(client, request, unit, role, status):
    client.force_login(request.getfixturevalue(role))
    response = client.post(create_url(unit), {"full_name": "Phạm Thị Lan"})
    assert response.status_code == status
    assert not UnitAccount.objects.exists()


def test_a_liaison_cannot_make_logins(client, unit):
    liaison, _ = unit_account_create(unit=unit, full_name="Phạm Thị Lan")
    client.force_login(liaison)
    assert client.post(create_url(unit), {"full_name": "Kẻ Lạ"}).status_code == 403
    assert UnitAccount.objects.count() == 1


def test_lock_asks_first_then_locks_and_unlocks(client, staff, unit):
    user, _ = unit_account_create(unit=unit, full_name="Phạm Thị Lan")
    account = UnitAccount.objects.get(user=user)
    client.force_login(staff)
    response = client.post(active_url(account), {"hanh_dong": "khoa"})
    assert "Khóa tài khoản" in response.content.decode()
    assert User.objects.get(pk=user.pk).is_active
    client.post(active_url(account), {"hanh_dong": "khoa", "xac_nhan": "1"})
    assert not User.objects.get(pk=user.pk).is_active
    response = client.post(active_url(account), {"hanh_dong": "mo"}, follow=True)
    assert User.objects.get(pk=user.pk).is_active
    assert "Đã mở lại tài khoản" in response.content.decode()


def test_another_units_login_is_not_found_from_this_unit(client, centre, staff, unit):
    other = builders.make_unit(centre, name="Xã Bình Mỹ")
    user, _ = unit_account_create(unit=other, full_name="Trần Văn Khác")
    account = UnitAccount.objects.get(user=user)
    client.force_login(staff)
    url = reverse("hocvien:unit_account_active", args=[unit.pk, account.pk])
    response = client.post(url, {"hanh_dong": "khoa", "xac_nhan": "1"}, follow=True)
    assert "Không tìm thấy tài khoản này" in response.content.decode()
    assert User.objects.get(pk=user.pk).is_active


def test_other_centres_staff_cannot_lock(client, other_staff, unit):
    user, _ = unit_account_create(unit=unit, full_name="Phạm Thị Lan")
    account = UnitAccount.objects.get(user=user)
    client.force_login(other_staff)
    response = client.post(active_url(account), {"hanh_dong": "khoa", "xac_nhan": "1"})
    assert response.status_code == 404
    assert User.objects.get(pk=user.pk).is_active


# --- the unit above ----------------------------------------------------------------------------


def unit_data(unit, **changes):
    data = {"name": unit.name, "kind": unit.kind, "active": "on", "address": "", "notes": ""}
    data.update(changes)
    return data


def test_staff_set_the_unit_above(client, centre, staff, unit):
    cell = builders.make_unit(centre, name="Chi bộ khu phố 3", kind="party_org")
    client.force_login(staff)
    response = client.post(
        reverse("hocvien:unit_edit", args=[cell.pk]), unit_data(cell, parent=unit.pk)
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=cell.pk).parent == unit
    page = client.get(reverse("hocvien:unit_detail", args=[unit.pk])).content.decode()
    assert "Đơn vị trực thuộc" in page and "Chi bộ khu phố 3" in page


def test_the_unit_above_is_of_the_same_centre_and_no_loop(
    client, centre, other_centre, staff, unit
):
    cell = builders.make_unit(centre, name="Chi bộ khu phố 3", parent=unit)
    elsewhere = builders.make_unit(other_centre, name="Xã Bình Mỹ")
    client.force_login(staff)
    url = reverse("hocvien:unit_edit", args=[unit.pk])
    response = client.post(url, unit_data(unit, parent=elsewhere.pk))
    assert response.context["form"].errors["parent"]
    response = client.post(url, unit_data(unit, parent=cell.pk))
    assert "không thể là chính nó hay đơn vị trực thuộc" in response.content.decode()
    assert Unit.objects.get(pk=unit.pk).parent is None
