"""Opening the configured key (PKCS#12 file or PKCS#11 token) and checking its certificate.

Every refusal is a SigningRefused with a Vietnamese message that names the variable to fix and
never the password or PIN itself. The key stays in this process's memory while a signing session
is open; it is never written anywhere.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone

from trungtam.signing.config import PKCS11, PKCS12, SigningConfig, current_config

logger = logging.getLogger(__name__)

# Extended key usages that allow signing documents. A certificate without the extension may sign
# anything its key usage allows; with it, one of these must be there. Client authentication is
# accepted because the organisation and personal certificates of Vietnamese CAs (Ban Cơ yếu
# Chính phủ, VNPT-CA, Viettel-CA…) on USB tokens commonly carry it with e-mail protection only.
DOCUMENT_SIGNING_PURPOSES = {
    ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE.dotted_string,
    ExtendedKeyUsageOID.EMAIL_PROTECTION.dotted_string,
    ExtendedKeyUsageOID.CLIENT_AUTH.dotted_string,
    "1.3.6.1.5.5.7.3.36",  # id-kp-documentSigning (RFC 9336)
    "1.2.840.113583.1.1.5",  # Adobe Authentic Documents Trust
    "1.3.6.1.4.1.311.10.3.12",  # Microsoft document signing
}
PURPOSE_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH.dotted_string: "xác thực máy chủ web (TLS)",
    ExtendedKeyUsageOID.CODE_SIGNING.dotted_string: "ký mã chương trình",
    ExtendedKeyUsageOID.TIME_STAMPING.dotted_string: "cấp dấu thời gian",
    ExtendedKeyUsageOID.OCSP_SIGNING.dotted_string: "ký phản hồi OCSP",
}


class SigningRefused(Exception):
    """Nothing was signed; `message` says why, in Vietnamese, without any secret."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class OpenKey:
    signer: Any
    """The pyHanko signer (SimpleSigner or PKCS11Signer)."""
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)
    """The other certificates that came with the key (the CA chain of the PKCS#12 or token)."""


def subject_name(certificate: x509.Certificate) -> str:
    """The certificate's subject as a reader shows it: CN, then O when it says more."""

    def first(oid) -> str:
        values = certificate.subject.get_attributes_for_oid(oid)
        return str(values[0].value).strip() if values else ""

    common_name = first(NameOID.COMMON_NAME)
    organisation = first(NameOID.ORGANIZATION_NAME)
    if common_name and organisation and organisation not in common_name:
        return f"{common_name}, {organisation}"
    return common_name or organisation or certificate.subject.rfc4514_string()


def _day(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def certificate_problems(
    certificate: x509.Certificate, now: datetime.datetime | None = None
) -> list[str]:
    """Why this certificate may not sign a document now (empty: it may)."""
    now = now or timezone.now()
    who = f"Chứng thư số của «{subject_name(certificate)}»"
    problems = []
    if now < certificate.not_valid_before_utc:
        problems.append(
            f"{who} chưa có hiệu lực (hiệu lực từ {_day(certificate.not_valid_before_utc)})."
        )
    if now > certificate.not_valid_after_utc:
        problems.append(
            f"{who} đã hết hạn ngày {_day(certificate.not_valid_after_utc)}: cần gia hạn hoặc "
            "cấu hình chứng thư mới."
        )
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        problems.append(
            f"{who} không được phép dùng để ký: mục đích khóa (Key Usage) không có "
            "«chữ ký số» hay «chống chối bỏ»."
        )
    try:
        purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        purposes = None
    if purposes is not None:
        dotted = [oid.dotted_string for oid in purposes]
        if not DOCUMENT_SIGNING_PURPOSES.intersection(dotted):
            names = ", ".join(PURPOSE_NAMES.get(oid, oid) for oid in dotted) or "không có"
            problems.append(
                f"{who} chỉ dành cho mục đích khác ({names}), không dùng để ký văn bản."
            )
    return problems


def _to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _from_asn1(certificate: asn1_x509.Certificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(certificate.dump())


def _open_pkcs12(config: SigningConfig) -> OpenKey:
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    try:
        with open(config.pkcs12_path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SigningRefused(
            f"Không đọc được tệp khóa {config.pkcs12_path} (SIGNING_PKCS12_PATH): "
            f"{error.strerror or 'lỗi đọc tệp'}."
        ) from None
    try:
        private_key, certificate, others = pkcs12.load_key_and_certificates(
            data, config.pkcs12_password.encode("utf-8")
        )
    except ValueError:
        # cryptography tells a wrong password and a damaged file apart with the same error.
        raise SigningRefused(
            f"Không mở được tệp PKCS#12 {config.pkcs12_path}: sai mật khẩu "
            "(SIGNING_PKCS12_PASSWORD) hoặc tệp không phải PKCS#12."
        ) from None
    if private_key is None or certificate is None:
        raise SigningRefused(
            f"Tệp PKCS#12 {config.pkcs12_path} không có khóa bí mật kèm chứng thư số."
        )
    key_info = asn1_keys.PrivateKeyInfo.load(
        private_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    store = SimpleCertificateStore()
    store.register_multiple([_to_asn1(other) for other in others])
    signer = SimpleSigner(
        signing_cert=_to_asn1(certificate), signing_key=key_info, cert_registry=store
    )
    return OpenKey(signer=signer, certificate=certificate, chain=list(others))


@contextmanager
def _open_pkcs11(config: SigningConfig) -> Iterator[OpenKey]:
    try:
        import pkcs11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    except ImportError:  # pragma: no cover - python-pkcs11 is in the lock files
        raise SigningRefused("Máy chủ thiếu thư viện python-pkcs11 để dùng token.") from None

    token = f"«{config.token_label}»"
    try:
        session = open_pkcs11_session(
            config.pkcs11_module,
            token_criteria=TokenCriteria(label=config.token_label),
            user_pin=config.pin,
        )
    except (pkcs11.PinIncorrect, pkcs11.PinInvalid, pkcs11.PinLenRange):
        raise SigningRefused(f"Mã PIN của token {token} không đúng (SIGNING_PKCS11_PIN).") from None
    except (pkcs11.PinLocked, pkcs11.PinExpired):
        raise SigningRefused(
            f"Token {token} đã khóa hoặc hết hạn mã PIN: mở khóa bằng công cụ của nhà cung cấp."
        ) from None
    except pkcs11.PKCS11Error:
        raise SigningRefused(
            f"Không tìm thấy token {token} qua thư viện {config.pkcs11_module} "
            "(SIGNING_PKCS11_TOKEN_LABEL): token đã cắm và đúng nhãn chưa?"
        ) from None
    except (OSError, RuntimeError):
        raise SigningRefused(
            f"Không nạp được thư viện PKCS#11 {config.pkcs11_module} (SIGNING_PKCS11_MODULE)."
        ) from None
    try:
        signer = PKCS11Signer(
            session,
            cert_label=config.cert_label,
            key_label=config.key_label,
            # Every certificate on the token: the CA chain goes into the signature with the key's.
            other_certs_to_pull=None,
        )
        try:
            certificate = _from_asn1(signer.signing_cert)
        except pkcs11.PKCS11Error:
            raise SigningRefused(
                f"Token {token} không có khóa «{config.key_label}» (SIGNING_PKCS11_KEY_LABEL) "
                f"kèm chứng thư «{config.cert_label}» (SIGNING_PKCS11_CERT_LABEL)."
            ) from None
        chain = [
            _from_asn1(other)
            for other in signer.cert_registry
            if other.dump() != signer.signing_cert.dump()
        ]
        yield OpenKey(signer=signer, certificate=certificate, chain=chain)
    finally:
        session.close()


@contextmanager
def open_key(config: SigningConfig | None = None, *, check: bool = True) -> Iterator[OpenKey]:
    """The configured key, open for signing; with `check`, refused when its certificate may not sign."""
    config = config or current_config()
    if not config.complete:
        from trungtam.signing.config import _not_configured_message

        raise SigningRefused(_not_configured_message(config))
    if config.method == PKCS12:
        key = _open_pkcs12(config)
        if check:
            _refuse_unusable(key.certificate)
        yield key
    elif config.method == PKCS11:
        with _open_pkcs11(config) as key:
            if check:
                _refuse_unusable(key.certificate)
            yield key


def _refuse_unusable(certificate: x509.Certificate) -> None:
    problems = certificate_problems(certificate)
    if problems:
        raise SigningRefused(" ".join(problems))
