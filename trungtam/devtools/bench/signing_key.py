"""A throwaway PKCS#12 for the bench's signed-certificates job (issue 18): made with
`cryptography` in the bench's temporary directory, never in the repository, gone with it."""

import datetime
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID


def throwaway_pkcs12(directory: Path) -> dict:
    """settings.SIGNING for a fresh self-signed signing key written under `directory`."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Trung tâm Chính trị (đo hiệu năng)"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(16)
    path = Path(directory) / "bench-signing.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"bench", key, certificate, None, BestAvailableEncryption(password.encode())
        )
    )
    path.chmod(0o600)
    return {
        "PKCS12_PATH": str(path),
        "PKCS12_PASSWORD": password,
        "APPEARANCE": "visible",
        "TRUST_ROOTS": [],
        "TSA_URL": "",
    }
