"""A test PKI made with `cryptography`: a root CA and the certificates the signing tests need.

Keys are EC P-256 (fast) except where RSA is needed (the timestamp authority: pyHanko's test TSA
signs with RSA only; the SoftHSM2 token: the kind of key Vietnamese USB tokens hold).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

UTC = datetime.UTC
DAY = datetime.timedelta(days=1)

PASSWORD = "mat-khau-p12-thu"
SIGNING_USAGE = {"digital_signature": True, "content_commitment": True}
ENCIPHER_ONLY_USAGE = {"key_encipherment": True}


@dataclass
class Identity:
    key: object
    certificate: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


def name(common_name: str, organisation: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def ec_key():
    return ec.generate_private_key(ec.SECP256R1())


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _key_usage(**flags) -> x509.KeyUsage:
    names = [
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ]
    return x509.KeyUsage(**{n: bool(flags.get(n)) for n in names})


def make_root(common_name: str = "Test Root CA (trungtam)") -> Identity:
    key = ec_key()
    now = datetime.datetime.now(UTC)
    subject = name(common_name, "Trungtam Test PKI")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - 3650 * DAY)
        .not_valid_after(now + 3650 * DAY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, certificate)


def issue(
    root: Identity,
    common_name: str,
    organisation: str = "",
    *,
    key=None,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    usage: dict | None = None,
    purposes: list | None = None,
    critical_purposes: bool = False,
) -> Identity:
    """An end-entity certificate; usage=None leaves Key Usage out, purposes=None leaves out EKU."""
    key = key or ec_key()
    now = datetime.datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(common_name, organisation))
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - DAY)
        .not_valid_after(not_after or now + 365 * DAY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()),
            critical=False,
        )
    )
    if usage is not None:
        builder = builder.add_extension(_key_usage(**usage), critical=True)
    if purposes is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(purposes), critical=critical_purposes)
    return Identity(key, builder.sign(root.key, hashes.SHA256()))


def signer(root: Identity, common_name: str, organisation: str = "", **kwargs) -> Identity:
    return issue(root, common_name, organisation, usage=SIGNING_USAGE, **kwargs)


def timestamp_authority(root: Identity) -> Identity:
    return issue(
        root,
        "Test TSA (trungtam)",
        usage={"digital_signature": True},
        purposes=[ExtendedKeyUsageOID.TIME_STAMPING],
        critical_purposes=True,
        key=rsa_key(),
    )


def write_pkcs12(path: Path, identity: Identity, chain: list[Identity], password: str) -> Path:
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=b"trungtam",
            key=identity.key,
            cert=identity.certificate,
            cas=[ca.certificate for ca in chain],
            encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
        )
    )
    return path


def write_certificate_pem(path: Path, identity: Identity) -> Path:
    path.write_bytes(identity.certificate.public_bytes(serialization.Encoding.PEM))
    return path


def write_key_pkcs8_pem(path: Path, identity: Identity) -> Path:
    path.write_bytes(
        identity.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def small_pdf(lines: list[str] | None = None, pages: int = 1) -> bytes:
    """A small reportlab PDF in the project's Vietnamese font."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from trungtam.documents.fonts import register_fonts

    font = register_fonts()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    lines = lines or ["GIẤY CHỨNG NHẬN", "Học viên: Nguyễn Thị Ánh", "Số: 12/GCN-TTCT"]
    for page in range(pages):
        canvas.setFont(font, 14)
        for i, line in enumerate(lines):
            canvas.drawString(72, 760 - 24 * i, line)
        canvas.drawString(72, 72, f"Trang {page + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pkcs12_settings(path: Path, **overrides) -> dict:
    """settings.SIGNING for a PKCS#12 file of this PKI (visible signature, no TSA)."""
    signing = {
        "PKCS12_PATH": str(path),
        "PKCS12_PASSWORD": PASSWORD,
        "APPEARANCE": "visible",
        "TRUST_ROOTS": [],
        "TSA_URL": "",
    }
    signing.update(overrides)
    return signing
