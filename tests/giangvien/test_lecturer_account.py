"""A lecturer's login: created by staff with a one-time password, locked and unlocked."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from giangvien.accounts import lecturer_account_create, lecturer_account_disable
from giangvien.models import LecturerKind
from tests import builders
from trungtam.accounts import suggested_username, temporary_password
from trungtam.models import Role, User


def account_url(lecturer):
    return reverse("giangvien:lecturer_account", args=[lecturer.pk])


def signs_in(client, username, password) -> bool:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


@pytest.fixture
def guest(centre):
    return builders.make_lecturer(centre, full_name="Lê Thị Hồng", kind=LecturerKind.GUEST)


# --- service --------------------------------------------------------------------------------


def test_temporary_passwords_are_random_and_readable():
    first, second = temporary_password(), temporary_password()
    assert first != second
    assert re.fullmatch(r"[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}", first)
    assert not set(first) & set("0O1lI")


@pytest.mark.django_db
def test_the_username_is_the_folded_name_numbered_when_taken(centre):
    assert suggested_username("Lê Thị Hồng") == "lethihong"
    assert suggested_username("Đặng Văn Đức") == "dangvanduc"
    builders.make_user(centre=centre, username="lethihong")
    assert suggested_username("Lê Thị Hồng") == "lethihong2"
    builders.make_user(centre=centre, username="lethihong2")
    assert suggested_username("Lê Thị Hồng") == "lethihong3"


@pytest.mark.django_db
def test_creating_the_login(guest, staff):
    user, password = lecturer_account_create(lecturer=guest, created_by=staff)
    guest.refresh_from_db()
    assert guest.user == user
    assert user.username == "lethihong" and user.full_name == "Lê Thị Hồng"
    assert user.role == Role.LECTURER and user.centre == guest.centre
    assert user.is_active and not user.is_staff and not user.is_superuser
    assert user.check_password(password)
    assert user.history.first().history_user == staff
    with pytest.raises(ValidationError):
        lecturer_account_create(lecturer=guest, created_by=staff)
    assert User.objects.filter(role=Role.LECTURER).count() == 1


@pytest.mark.django_db
def test_a_staff_account_linked_to_a_lecturer_is_left_to_the_administrator(centre, staff):
    director = builders.make_lecturer(centre, user=staff)
    with pytest.raises(ValidationError) as refused:
        lecturer_account_disable(lecturer=director, changed_by=staff)
    assert "chỉ quản trị viên" in refused.value.messages[0]
    staff.refresh_from_db()
    assert staff.is_active


# --- view -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, guest):
    response = client.post(account_url(guest), {"hanh_dong": "tao"})
    assert response["Location"].startswith(reverse("login"))
    assert not User.objects.filter(role=Role.LECTURER).exists()


@pytest.mark.django_db
def test_get_is_refused(client, staff, guest):
    client.force_login(staff)
    assert client.get(account_url(guest), {"hanh_dong": "tao"}).status_code == 405
    guest.refresh_from_db()
    assert guest.user is None


@pytest.mark.parametrize(
    "role, status",
    [("official", 403), ("province_official", 403), ("lecturer", 404), ("other_staff", 404)],
)
@pytest.mark.django_db
def test_only_staff_of_the_centre_manage_logins(client, request, guest, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.post(account_url(guest), {"hanh_dong": "tao"}).status_code == status
    guest.refresh_from_db()
    assert guest.user is None


@pytest.mark.django_db
def test_a_lecturer_cannot_lock_or_unlock_their_own_login(client, lecturer):
    client.force_login(lecturer)
    response = client.post(account_url(lecturer.lecturer), {"hanh_dong": "khoa", "xac_nhan": "1"})
    assert response.status_code == 403
    lecturer.refresh_from_db()
    assert lecturer.is_active


@pytest.mark.django_db
def test_staff_create_a_login_and_see_the_password_once(client, staff, guest):
    client.force_login(staff)
    response = client.post(account_url(guest), {"hanh_dong": "tao"})
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    password = response.context["password"]
    messages = [str(m) for m in response.context["messages"]]
    assert any("tên đăng nhập lethihong" in m and password in m for m in messages)
    user = User.objects.get(username="lethihong")
    assert user.check_password(password)
    guest.refresh_from_db()
    assert guest.user == user
    # The password is not kept anywhere: the next page does not show it again.
    page = client.get(reverse("giangvien:lecturer_detail", args=[guest.pk]))
    assert password not in page.text
    assert "lethihong" in page.text and "Đang hoạt động" in page.text
    # And the new login works.
    client.logout()
    assert signs_in(client, "lethihong", password)


@pytest.mark.django_db
def test_creating_a_second_login_is_refused_with_a_message(client, staff, lecturer):
    client.force_login(staff)
    response = client.post(account_url(lecturer.lecturer), {"hanh_dong": "tao"}, follow=True)
    assert "đã có tài khoản giangvien" in response.text
    assert User.objects.filter(role=Role.LECTURER).count() == 1


@pytest.mark.django_db
def test_locking_asks_for_confirmation_first(client, staff, lecturer):
    client.force_login(staff)
    confirm = client.post(account_url(lecturer.lecturer), {"hanh_dong": "khoa"})
    assert confirm.status_code == 200
    assert "Khóa tài khoản của Lê Thị Hồng?" in confirm.text
    assert 'name="xac_nhan" value="1"' in confirm.text
    lecturer.refresh_from_db()
    assert lecturer.is_active

    done = client.post(
        account_url(lecturer.lecturer), {"hanh_dong": "khoa", "xac_nhan": "1"}, follow=True
    )
    assert "Đã khóa tài khoản giangvien" in done.text
    lecturer.refresh_from_db()
    assert not lecturer.is_active
    assert lecturer.history.first().history_user == staff
    assert "Mở lại tài khoản" in done.text


@pytest.mark.django_db
def test_a_locked_login_cannot_sign_in_and_can_be_unlocked(client, staff, lecturer):
    lecturer.is_active = False
    lecturer.save()
    assert not signs_in(client, "giangvien", "mat-khau-thu-nghiem")
    client.force_login(staff)
    response = client.post(account_url(lecturer.lecturer), {"hanh_dong": "mo"}, follow=True)
    assert "Đã mở lại tài khoản giangvien" in response.text
    lecturer.refresh_from_db()
    assert lecturer.is_active
    client.logout()
    assert signs_in(client, "giangvien", "mat-khau-thu-nghiem")


@pytest.mark.django_db
def test_an_unknown_action_changes_nothing(client, staff, guest):
    client.force_login(staff)
    response = client.post(account_url(guest), {"hanh_dong": "xoa"}, follow=True)
    assert "Thao tác không hợp lệ" in response.text
    guest.refresh_from_db()
    assert guest.user is None
