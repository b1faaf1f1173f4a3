"""Accounts: Argon2 hashing, Vietnamese password rules, login throttling keyed on user name and
address together, and sessions that end after a period of inactivity."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests import builders
from trungtam import password_validation as ours
from trungtam.models import User
from trungtam.settings import base

PASSWORD = "mat-khau-thu-nghiem"


def login(client, username, password=PASSWORD, address="10.1.1.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username, address, times=1):
    for _ in range(times):
        assert login(client, username, "sai-mat-khau", address).status_code == 200


def lock_out(client, username, address="10.1.1.1"):
    """AXES_FAILURE_LIMIT wrong passwords: the last one already answers with the lock page."""
    fail(client, username, address, times=settings.AXES_FAILURE_LIMIT - 1)
    locked = login(client, username, "sai-mat-khau", address)
    assert locked.status_code == 429
    return locked


# --- hashing -------------------------------------------------------------------------------------


def test_production_hashes_with_argon2_first():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hashed = make_password("Hoa-sen-no-2026", hasher=Argon2PasswordHasher())
    assert hashed.startswith("argon2$argon2id$")


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_a_new_password_is_stored_as_argon2(staff):
    staff.set_password("Hoa-sen-no-2026")
    staff.save()
    staff.refresh_from_db()
    assert staff.password.startswith("argon2$")
    assert staff.check_password("Hoa-sen-no-2026")


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)
def test_an_older_hash_is_upgraded_to_argon2_at_the_next_login(client, centre):
    user = builders.make_user(centre=centre, username="cu")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert login(client, "cu").status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


# --- password rules ------------------------------------------------------------------------------


def test_every_configured_validator_is_one_with_vietnamese_messages():
    validators = password_validation.get_default_password_validators()
    assert [type(v) for v in validators] == [
        ours.UserAttributeSimilarityValidator,
        ours.MinimumLengthValidator,
        ours.CommonPasswordValidator,
        ours.NumericPasswordValidator,
    ]


def messages_for(password, user=None) -> list[str]:
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password(password, user)
    return error.value.messages


def test_too_short():
    assert messages_for("Ab-3") == ["Mật khẩu quá ngắn: cần ít nhất 8 ký tự."]


def test_too_common():
    assert messages_for("password1") == [
        "Mật khẩu này quá phổ biến, dễ bị đoán ra; hãy chọn mật khẩu khác."
    ]


def test_only_digits():
    assert "Mật khẩu không được chỉ gồm chữ số; hãy thêm chữ cái." in messages_for("4938271650")


def test_too_close_to_the_user_name():
    user = User(username="canbo_phuloi", full_name="Trần Thị Bích")
    assert messages_for("canbo_phuloi1", user) == [
        "Mật khẩu quá giống tên đăng nhập của bạn; hãy chọn mật khẩu khác hẳn."
    ]


def test_too_close_to_the_full_name_even_without_diacritics():
    user = User(username="tb01", full_name="Trần Thị Bích")
    expected = ["Mật khẩu quá giống họ và tên của bạn; hãy chọn mật khẩu khác hẳn."]
    assert messages_for("tranthibich", user) == expected
    assert messages_for("TrầnThịBích", user) == expected


def test_a_good_password_passes():
    user = User(username="tb01", full_name="Trần Thị Bích", email="bich@example.vn")
    # validate_password raises a ValidationError with the reasons, or returns None.
    assert password_validation.validate_password("Hoa-sen-no-2026", user) is None


def test_help_texts_are_vietnamese():
    texts = password_validation.password_validators_help_texts()
    assert texts == [
        "Mật khẩu không được giống tên đăng nhập, họ và tên hay địa chỉ email của bạn.",
        "Mật khẩu phải có ít nhất 8 ký tự.",
        "Mật khẩu không được là một mật khẩu phổ biến (như 12345678, password).",
        "Mật khẩu không được chỉ gồm chữ số.",
    ]


@pytest.mark.django_db
def test_the_password_change_page_says_what_is_wrong_in_vietnamese(client, staff):
    client.force_login(staff)
    page = client.get(reverse("password_change")).text
    assert "Mật khẩu phải có ít nhất 8 ký tự." in page
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    text = response.text
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in text
    assert "Mật khẩu không được chỉ gồm chữ số; hãy thêm chữ cái." in text
    assert "password is too" not in text and "entirely numeric" not in text
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)


# --- login throttling ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_is_locked_out_after_repeated_failures_from_one_address(client, staff):
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, "canbo", "10.1.1.1", times=limit - 1)
    fail(client, "canbo", "10.1.1.2", times=limit - 1)  # the count is per address
    assert login(client, "canbo", address="10.1.1.1").status_code == 302  # not yet
    client.post(reverse("logout"))
    locked = lock_out(client, "canbo", "10.1.1.1")
    assert "Tạm khóa đăng nhập" in locked.text
    # Even the right password is refused from that address while the lock lasts.
    assert login(client, "canbo", address="10.1.1.1").status_code == 429


@pytest.mark.django_db
def test_the_lock_does_not_spill_over_to_colleagues_or_other_addresses(client, staff, centre):
    colleague = builders.make_user(centre=centre, username="canbo_ban_ben")
    lock_out(client, "canbo", "10.1.1.1")
    assert login(client, "canbo", address="10.1.1.1").status_code == 429
    # Another person behind the same shared office address logs in.
    assert login(client, colleague.username, address="10.1.1.1").status_code == 302
    client.post(reverse("logout"))
    # The same person from another address (e.g. at home) logs in.
    assert login(client, "canbo", address="192.0.2.44").status_code == 302


@pytest.mark.django_db
@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_lock_keys_on_the_forwarded_address(client, staff):
    def attempt(password, forwarded):
        return client.post(
            reverse("login"),
            {"username": "canbo", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("sai-mat-khau", "198.51.100.7")
    assert attempt(PASSWORD, "198.51.100.7").status_code == 429
    # The proxy's own address is not what is locked: another office still gets in...
    assert attempt(PASSWORD, "203.0.113.80").status_code == 302
    client.post(reverse("logout"))
    # ...and a forged header in front of the proxy's entry does not dodge the lock.
    assert attempt(PASSWORD, "1.2.3.4, 198.51.100.7").status_code == 429


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, staff):
    from axes.models import AccessAttempt

    lock_out(client, "canbo")
    assert login(client, "canbo").status_code == 429
    earlier = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=earlier)
    assert login(client, "canbo").status_code == 302


# --- sessions ------------------------------------------------------------------------------------


def session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


@pytest.mark.django_db
def test_each_request_keeps_the_session_alive_for_the_configured_time(client, staff):
    age = settings.SESSION_COOKIE_AGE
    assert login(client, "canbo").status_code == 302
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=30))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == age
    remaining = (session_row(client).expire_date - timezone.now()).total_seconds()
    assert age - 60 < remaining <= age


@pytest.mark.django_db
def test_an_idle_session_expires(client, staff):
    assert login(client, "canbo").status_code == 302
    assert client.get(reverse("home")).status_code == 200
    # Nothing happened for longer than SESSION_COOKIE_AGE: the session has ended.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_inactivity_limit_is_a_working_day():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 30 * 60 <= settings.SESSION_COOKIE_AGE <= 8 * 3600


# --- demo accounts -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_database_has_no_accounts_at_all():
    # Migrations create no logins: the demo accounts exist only where seed_demo ran (README).
    from trungtam.devtools.demo.accounts import DEMO_ACCOUNTS

    assert DEMO_ACCOUNTS
    assert not User.objects.exists()
