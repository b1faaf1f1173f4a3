"""Signing through PKCS#11 with a SoftHSM2 token: the USB-token path proven without hardware.

The token is made once per module in a private token directory (SOFTHSM2_CONF); the test key is
imported with softhsm2-util and its certificate (and the CA's) put on the token with
python-pkcs11's create_object, so pyHanko pulls the certificate from the token by label, as it
does from a real USB token.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from trungtam.signing import SigningRefused, sign_pdf, signing_status, verify_pdf

from . import pki

MODULE_PATHS = [
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
]
MODULE = next((path for path in MODULE_PATHS if Path(path).exists()), None)
pytestmark = pytest.mark.skipif(
    MODULE is None or shutil.which("softhsm2-util") is None,
    reason="SoftHSM2 is not installed (apt-get install softhsm2; scripts/test.sh installs it)",
)

TOKEN = "ttct-token"
KEY_LABEL = "ky-so-trung-tam"
PIN = "246810"
SO_PIN = "13579111"


@pytest.fixture(scope="module")
def token(tmp_path_factory, signing_pki):
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {directory / 'tokens'}\n"
        "objectstore.backend = file\nlog.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    # SoftHSM2 reads it when the module is first initialised in this process.
    os.environ["SOFTHSM2_CONF"] = str(conf)

    def util(*args):
        subprocess.run(["softhsm2-util", *args], check=True, capture_output=True, text=True)

    identity = pki.signer(
        signing_pki.root, "Giám đốc Nguyễn Văn Bình", "Trung tâm Chính trị", key=pki.rsa_key()
    )
    key_file = pki.write_key_pkcs8_pem(directory / "key.p8.pem", identity)
    util("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", SO_PIN)
    util(
        "--import",
        str(key_file),
        "--token",
        TOKEN,
        "--label",
        KEY_LABEL,
        "--id",
        "01",
        "--pin",
        PIN,
    )
    key_file.unlink()

    import pkcs11
    from pkcs11.util.x509 import decode_x509_certificate

    token = pkcs11.lib(MODULE).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        for label, cert_id, der in [
            (KEY_LABEL, b"\x01", identity.der),
            ("ca-goc", b"\x02", signing_pki.root.der),
        ]:
            attributes = decode_x509_certificate(der)
            attributes.update(
                {
                    pkcs11.Attribute.TOKEN: True,
                    pkcs11.Attribute.LABEL: label,
                    pkcs11.Attribute.ID: cert_id,
                }
            )
            session.create_object(attributes)
    yield identity
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def token_settings(signing_pki, **overrides) -> dict:
    signing = {
        "PKCS11_MODULE": MODULE,
        "PKCS11_TOKEN_LABEL": TOKEN,
        "PKCS11_KEY_LABEL": KEY_LABEL,
        "PKCS11_PIN": PIN,
        "APPEARANCE": "visible",
        "TRUST_ROOTS": [str(signing_pki.root_pem)],
    }
    signing.update(overrides)
    return signing


def test_it_signs_through_the_token_and_verifies(token, settings, signing_pki, unsigned_pdf):
    settings.SIGNING = token_settings(signing_pki)

    signed = sign_pdf(
        unsigned_pdf, reason="Ký bằng token", location="Phú Lợi", box=(340, 60, 560, 120)
    )
    result = verify_pdf(signed)

    assert result.valid, result.problems
    assert result.signer == "Giám đốc Nguyễn Văn Bình, Trung tâm Chính trị"


def test_the_status_names_the_token_and_the_holder(token, settings, signing_pki):
    settings.SIGNING = token_settings(signing_pki)

    status = signing_status()

    assert status.enabled and status.usable, status.message
    assert status.message.startswith(
        f"Đã cấu hình ký bằng token PKCS#11 «{TOKEN}» (khóa «{KEY_LABEL}»), chứng thư của "
        "«Giám đốc Nguyễn Văn Bình, Trung tâm Chính trị», hiệu lực đến "
    )


def test_a_wrong_pin_is_refused_without_showing_it(token, settings, signing_pki, unsigned_pdf):
    settings.SIGNING = token_settings(signing_pki, PKCS11_PIN="999999")

    with pytest.raises(SigningRefused) as refused:
        sign_pdf(unsigned_pdf, reason="r", location="l")

    assert "Mã PIN của token «ttct-token» không đúng (SIGNING_PKCS11_PIN)" in refused.value.message
    assert "999999" not in str(refused.value)


def test_an_unknown_token_is_refused(token, settings, signing_pki, unsigned_pdf):
    settings.SIGNING = token_settings(signing_pki, PKCS11_TOKEN_LABEL="khong-co")

    with pytest.raises(SigningRefused) as refused:
        sign_pdf(unsigned_pdf, reason="r", location="l")

    assert "Không tìm thấy token «khong-co»" in refused.value.message


def test_an_unknown_key_label_is_refused(token, settings, signing_pki, unsigned_pdf):
    settings.SIGNING = token_settings(signing_pki, PKCS11_KEY_LABEL="khoa-khac")

    with pytest.raises(SigningRefused) as refused:
        sign_pdf(unsigned_pdf, reason="r", location="l")

    assert "không có khóa «khoa-khac»" in refused.value.message
