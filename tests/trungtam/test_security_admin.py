"""Login lock-outs in the admin: admins see them (their centre's user names, or all of them when
they see every centre) and unlock with «Mở khóa»; nobody else sees them."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib import admin
from django.urls import reverse

from tests import builders
from trungtam import admin_security
from trungtam.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"
ATTEMPTS = reverse("admin:axes_accessattempt_changelist")
LOGINS = reverse("admin:axes_accesslog_changelist")


def login(client, username, password=PASSWORD, address="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def lock_out(client, username, address="10.1.1.1"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, username, "sai-mat-khau", address)
    assert login(client, username, address=address).status_code == 429


@pytest.fixture
def province_admin(db):
    return builders.make_user(role=Role.ADMIN, centre=None, username="quantri_tinh")


def test_the_admin_pages_of_django_axes_are_ours():
    # trungtam/admin.py imports trungtam.admin_security, which replaces django-axes's pages.
    assert isinstance(admin.site._registry[AccessAttempt], admin_security.AccessAttemptAdmin)
    assert isinstance(admin.site._registry[AccessLog], admin_security.AccessLogAdmin)


def test_an_admin_sees_who_is_locked_out_and_unlocks(client, staff, admin_user):
    lock_out(client, "canbo", "10.1.1.1")
    client.force_login(admin_user)
    page = client.get(ATTEMPTS)
    assert page.status_code == 200
    text = page.text
    assert "canbo" in text and "10.1.1.1" in text
    assert "Mở khóa: xóa các lần đăng nhập sai đã chọn" in text
    assert "Đang bị khóa" in text
    locked = client.get(ATTEMPTS, {"dang_khoa": "co"})
    assert list(locked.context["cl"].result_list) == list(AccessAttempt.objects.all())

    attempt = AccessAttempt.objects.get(username="canbo")
    response = client.post(
        ATTEMPTS, {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True
    )
    assert "Đã mở khóa canbo (10.1.1.1)" in response.text
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert login(client, "canbo", address="10.1.1.1").status_code == 302


def test_a_centre_admin_sees_only_the_user_names_of_their_centre(
    client, staff, other_staff, admin_user
):
    lock_out(client, "canbo", "10.1.1.1")
    lock_out(client, other_staff.username, "10.2.2.2")
    lock_out(client, "khong_co_ai", "10.3.3.3")  # a user name that does not exist
    client.force_login(admin_user)
    shown = client.get(ATTEMPTS).context["cl"].result_list
    assert [a.username for a in shown] == ["canbo"]
    other = AccessAttempt.objects.get(username=other_staff.username)
    page = reverse("admin:axes_accessattempt_change", args=[other.pk])
    assert client.get(page).status_code == 302  # the admin's "does not exist" answer
    # A crafted unlock of another centre's attempt changes nothing.
    client.post(ATTEMPTS, {"action": "unlock", "_selected_action": [other.pk]})
    assert AccessAttempt.objects.filter(pk=other.pk).exists()


def test_an_admin_of_every_centre_sees_every_attempt(client, staff, other_staff, province_admin):
    lock_out(client, "canbo", "10.1.1.1")
    lock_out(client, "khong_co_ai", "10.3.3.3")
    client.force_login(province_admin)
    shown = {a.username for a in client.get(ATTEMPTS).context["cl"].result_list}
    assert shown == {"canbo", "khong_co_ai"}


def test_one_attempt_can_be_unlocked_from_its_own_page(client, staff, admin_user):
    lock_out(client, "canbo")
    attempt = AccessAttempt.objects.get()
    client.force_login(admin_user)
    page = client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk]))
    assert page.status_code == 200 and "canbo" in page.text
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_staff_lecturers_and_officials_never_see_login_records(
    client, staff, admin_user, lecturer, official
):
    lock_out(client, "canbo")
    client.force_login(staff)
    assert client.get(ATTEMPTS).status_code == 403
    assert client.get(LOGINS).status_code == 403
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200 and ATTEMPTS not in index.text
    attempt = AccessAttempt.objects.get()
    client.post(ATTEMPTS, {"action": "unlock", "_selected_action": [attempt.pk]})
    assert AccessAttempt.objects.exists()
    for user in (lecturer, official):
        client.force_login(user)
        response = client.get(ATTEMPTS)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_the_admin_index_shows_the_login_section_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    text = client.get(reverse("admin:index")).text
    assert "Đăng nhập sai, tạm khóa" in text and "Nhật ký đăng nhập" in text
    assert ATTEMPTS in text and LOGINS in text


def test_the_login_log_is_read_only(client, staff, admin_user):
    assert login(client, "canbo").status_code == 302
    client.logout()
    client.force_login(admin_user)
    page = client.get(LOGINS)
    assert page.status_code == 200 and "canbo" in page.text
    entry = AccessLog.objects.get(username="canbo")
    assert client.get(reverse("admin:axes_accesslog_delete", args=[entry.pk])).status_code == 403
    assert client.get(reverse("admin:axes_accesslog_add")).status_code == 403
