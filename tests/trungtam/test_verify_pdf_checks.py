"""The signing system checks (issue 18): a half-filled environment, a key that does not open and
a certificate that expired or expires within 30 days are warned about — never with a secret."""

import datetime

import pytest
from django.core.management import call_command

from tests.signing import pki
from tests.signing.pki import PASSWORD, pkcs12_settings
from trungtam.checks import signing_check


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def text(messages) -> str:
    return " ".join(f"{message.msg} {message.hint}" for message in messages)


def test_nothing_configured_is_fine(settings):
    settings.SIGNING = {}
    assert signing_check() == []


def test_a_path_without_its_password_is_warned_about(settings, signing_pki):
    settings.SIGNING = {"PKCS12_PATH": str(signing_pki.centre_p12)}
    messages = signing_check()
    assert ids(messages) == ["trungtam.W020"]
    assert "SIGNING_PKCS12_PASSWORD" in messages[0].msg


def test_a_pin_without_the_token_is_warned_about(settings):
    settings.SIGNING = {"PKCS11_PIN": "123456"}
    messages = signing_check()
    assert ids(messages) == ["trungtam.W020"]
    assert "SIGNING_PKCS11_MODULE" in messages[0].msg
    assert "123456" not in text(messages)


def test_both_ways_at_once_are_warned_about(settings, signing_pki):
    settings.SIGNING = {**pkcs12_settings(signing_pki.centre_p12), "PKCS11_MODULE": "/x.so"}
    messages = signing_check()
    assert ids(messages) == ["trungtam.W020"]
    assert "không đặt cả hai" in messages[0].msg
    assert PASSWORD not in text(messages)


def test_a_working_key_far_from_expiry_is_fine(centre_key):
    assert signing_check() == []


def test_an_expired_certificate_is_warned_about(settings, signing_pki):
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12)
    messages = signing_check()
    assert ids(messages) == ["trungtam.W022"]
    assert "đã hết hạn" in messages[0].msg
    assert PASSWORD not in text(messages)


def test_a_certificate_expiring_within_30_days_is_warned_about(settings, signing_pki, tmp_path):
    now = datetime.datetime.now(datetime.UTC)
    soon = pki.signer(signing_pki.root, "Trung tâm sắp hết hạn", not_after=now + 12 * pki.DAY)
    path = pki.write_pkcs12(tmp_path / "soon.p12", soon, [signing_pki.root], PASSWORD)
    settings.SIGNING = pkcs12_settings(path)
    messages = signing_check()
    assert ids(messages) == ["trungtam.W023"]
    assert "(còn 11 ngày)" in messages[0].msg or "(còn 12 ngày)" in messages[0].msg


def test_a_wrong_password_is_warned_about_without_it(settings, signing_pki):
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, PKCS12_PASSWORD="mat-khau-sai-7")
    messages = signing_check()
    assert ids(messages) == ["trungtam.W021"]
    assert "mat-khau-sai-7" not in text(messages)


def test_a_missing_trust_root_file_is_warned_about(settings, tmp_path):
    settings.SIGNING = {"TRUST_ROOTS": [str(tmp_path / "khong-co.pem")]}
    messages = signing_check()
    assert ids(messages) == ["trungtam.W024"]


@pytest.mark.django_db
def test_manage_py_check_prints_it(settings, signing_pki, capsys):
    settings.SIGNING = {"PKCS12_PATH": str(signing_pki.centre_p12)}
    call_command("check", tags=["signing"])  # the template check trips on pytest-django
    err = capsys.readouterr().err
    assert "trungtam.W020" in err and "SIGNING_PKCS12_PASSWORD" in err
