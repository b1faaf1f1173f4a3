"""The test PKI of the signing tests (issue 18), made once per test process, and settings.SIGNING
pointing at its files: `centre_key` configures the centre's PKCS#12 for any test of the suite."""

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from tests.signing import pki
from tests.signing.pki import PASSWORD, pkcs12_settings


@dataclass
class SigningPki:
    directory: Path
    root: pki.Identity
    centre: pki.Identity
    root_pem: Path
    centre_p12: Path
    expired_p12: Path
    not_yet_valid_p12: Path
    encipher_only_p12: Path
    server_only_p12: Path
    other_root_pem: Path


@pytest.fixture(scope="session")
def signing_pki(tmp_path_factory) -> SigningPki:
    directory = tmp_path_factory.mktemp("pki")
    root = pki.make_root()
    other_root = pki.make_root("Another Root CA")
    now = datetime.datetime.now(datetime.UTC)
    centre = pki.signer(root, "Trung tâm Chính trị phường Phú Lợi", "Thành ủy Thủ Dầu Một")
    expired = pki.signer(
        root,
        "Giám đốc cũ",
        not_before=now - 800 * pki.DAY,
        not_after=now - 30 * pki.DAY,
    )
    not_yet = pki.signer(root, "Giám đốc mới", not_before=now + 10 * pki.DAY)
    encipher_only = pki.issue(root, "Khóa mã hóa", usage=pki.ENCIPHER_ONLY_USAGE)
    server_only = pki.signer(root, "ttct.example.vn", purposes=[ExtendedKeyUsageOID.SERVER_AUTH])

    def p12(label, identity):
        return pki.write_pkcs12(directory / f"{label}.p12", identity, [root], PASSWORD)

    return SigningPki(
        directory=directory,
        root=root,
        centre=centre,
        root_pem=pki.write_certificate_pem(directory / "root.pem", root),
        centre_p12=p12("centre", centre),
        expired_p12=p12("expired", expired),
        not_yet_valid_p12=p12("not-yet", not_yet),
        encipher_only_p12=p12("encipher-only", encipher_only),
        server_only_p12=p12("server-only", server_only),
        other_root_pem=pki.write_certificate_pem(directory / "other-root.pem", other_root),
    )


@pytest.fixture
def centre_key(settings, signing_pki):
    """The centre's PKCS#12 configured (visible signature, no TSA)."""
    settings.SIGNING = pkcs12_settings(signing_pki.centre_p12)
    return signing_pki


@pytest.fixture(scope="session")
def unsigned_pdf() -> bytes:
    return pki.small_pdf()
