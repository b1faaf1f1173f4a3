"""What is configured and what is missing: signing_enabled, signing_status, settings from env."""

import json
import os
import subprocess
import sys
from pathlib import Path

from trungtam.signing import signing_enabled, signing_status
from trungtam.signing.config import current_config

from .pki import PASSWORD, pkcs12_settings

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_configured_is_off_and_names_what_is_missing(settings):
    settings.SIGNING = {"APPEARANCE": "visible", "TRUST_ROOTS": []}

    status = signing_status()

    assert signing_enabled() is False
    assert not status.enabled and not status.usable
    assert status.message.startswith("Chưa cấu hình ký số: thiếu SIGNING_PKCS12_PATH")
    assert "SIGNING_PKCS11_MODULE" in status.message
    assert "SIGNING_PKCS12_PATH" in status.missing


def test_a_path_without_password_names_the_password(settings, signing_pki):
    settings.SIGNING = {"PKCS12_PATH": str(signing_pki.centre_p12)}

    status = signing_status()

    assert not signing_enabled()
    assert status.message == "Chưa cấu hình ký số: thiếu SIGNING_PKCS12_PASSWORD."


def test_a_token_without_pin_names_the_pin(settings):
    settings.SIGNING = {
        "PKCS11_MODULE": "/usr/lib/softhsm/libsofthsm2.so",
        "PKCS11_TOKEN_LABEL": "ttct",
        "PKCS11_KEY_LABEL": "ky-so",
    }

    status = signing_status()

    assert not status.enabled
    assert status.missing == ("SIGNING_PKCS11_PIN",)


def test_both_ways_at_once_is_not_enabled(settings, signing_pki):
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, PKCS11_MODULE="/x.so")

    assert not signing_enabled()
    assert "không đặt cả hai" in signing_status().message


def test_a_good_key_names_its_holder_and_expiry(centre_key):
    status = signing_status()

    assert status.enabled and status.usable
    expiry = centre_key.centre.certificate.not_valid_after_utc
    assert status.message.startswith(
        f"Đã cấu hình ký bằng tệp PKCS#12 {centre_key.centre_p12}, chứng thư của "
        "«Trung tâm Chính trị phường Phú Lợi, Thành ủy Thủ Dầu Một», hiệu lực đến "
    )
    assert f"{expiry:%d/%m/%Y}" in status.message or status.valid_until == expiry.date()
    assert "PAdES B-B" in status.message


def test_an_expired_key_is_enabled_but_not_usable(settings, signing_pki):
    settings.SIGNING = pkcs12_settings(signing_pki.expired_p12, TSA_URL="http://tsa.example.vn")

    status = signing_status()

    assert signing_enabled() and status.enabled and not status.usable
    assert "đã hết hạn ngày" in status.message
    assert "PAdES B-T" in status.message


def test_a_wrong_password_shows_in_the_status_without_the_password(settings, signing_pki):
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12, PKCS12_PASSWORD="khong-dung-9876")

    status = signing_status()

    assert not status.usable
    assert "sai mật khẩu (SIGNING_PKCS12_PASSWORD)" in status.message
    assert "khong-dung-9876" not in repr(status)


def test_secrets_stay_out_of_the_config_repr(centre_key):
    assert PASSWORD not in repr(current_config())


def settings_in_a_fresh_process(environment: dict) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNING_")}
    # The production settings: the test settings blank SIGNING so no developer key reaches tests.
    env.update(
        environment, DJANGO_SETTINGS_MODULE="trungtam.settings.base", SECRET_KEY="x" * 50, DEBUG="1"
    )
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.SIGNING))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_settings_come_from_the_environment():
    done = settings_in_a_fresh_process(
        {
            "SIGNING_PKCS12_PATH": " /etc/trungtam/ttct.p12 ",
            "SIGNING_PKCS12_PASSWORD": "bi-mat",
            "SIGNING_APPEARANCE": "Invisible",
            "SIGNING_TRUST_ROOTS": "/etc/ca/root.pem::/etc/ca/sub.pem",
            "SIGNING_TSA_URL": "http://tsa.ca.gov.vn",
        }
    )

    assert done.returncode == 0, done.stderr
    signing = json.loads(done.stdout)
    assert signing["PKCS12_PATH"] == "/etc/trungtam/ttct.p12"
    assert signing["PKCS12_PASSWORD"] == "bi-mat"
    assert signing["APPEARANCE"] == "invisible"
    assert signing["TRUST_ROOTS"] == ["/etc/ca/root.pem", "/etc/ca/sub.pem"]
    assert signing["TSA_URL"] == "http://tsa.ca.gov.vn"


def test_a_bad_appearance_is_a_clear_startup_error():
    done = settings_in_a_fresh_process({"SIGNING_APPEARANCE": "hidden"})

    assert done.returncode != 0
    assert "SIGNING_APPEARANCE='hidden': expected visible or invisible" in done.stderr
