"""Which signing key the environment names (settings.SIGNING), and what the app says about it.

Two ways to hold the centre's key, chosen by which variables are set:
- a PKCS#12 file (.p12/.pfx) on the server: SIGNING_PKCS12_PATH + SIGNING_PKCS12_PASSWORD;
- a PKCS#11 token (USB token, HSM): SIGNING_PKCS11_MODULE, SIGNING_PKCS11_TOKEN_LABEL,
  SIGNING_PKCS11_KEY_LABEL, SIGNING_PKCS11_PIN (SIGNING_PKCS11_CERT_LABEL when the certificate
  object has another label than the key).
Nothing set: signing is off and every document stays unsigned.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings

PKCS12 = "pkcs12"
PKCS11 = "pkcs11"

PKCS12_VARIABLES = {
    "PKCS12_PATH": "SIGNING_PKCS12_PATH",
    "PKCS12_PASSWORD": "SIGNING_PKCS12_PASSWORD",
}
PKCS11_VARIABLES = {
    "PKCS11_MODULE": "SIGNING_PKCS11_MODULE",
    "PKCS11_TOKEN_LABEL": "SIGNING_PKCS11_TOKEN_LABEL",
    "PKCS11_KEY_LABEL": "SIGNING_PKCS11_KEY_LABEL",
    "PKCS11_PIN": "SIGNING_PKCS11_PIN",
}


@dataclass(frozen=True)
class SigningConfig:
    """settings.SIGNING read once; the secrets stay out of repr() (and so out of tracebacks)."""

    method: str = ""
    missing: tuple[str, ...] = ()
    conflict: bool = False
    pkcs12_path: str = ""
    pkcs12_password: str = field(default="", repr=False)
    pkcs11_module: str = ""
    token_label: str = ""
    key_label: str = ""
    cert_label: str = ""
    pin: str = field(default="", repr=False)
    tsa_url: str = ""
    appearance: str = "visible"
    trust_roots: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return bool(self.method) and not self.missing and not self.conflict


def current_config() -> SigningConfig:
    raw = getattr(settings, "SIGNING", None) or {}

    def value(key: str) -> str:
        return str(raw.get(key) or "")

    pkcs12_set = [key for key in PKCS12_VARIABLES if value(key)]
    pkcs11_set = [key for key in PKCS11_VARIABLES if value(key)]
    conflict = bool(pkcs12_set and pkcs11_set)
    if pkcs11_set and not pkcs12_set:
        method, wanted = PKCS11, PKCS11_VARIABLES
    elif pkcs12_set:
        method, wanted = PKCS12, PKCS12_VARIABLES
    else:
        method, wanted = "", PKCS12_VARIABLES
    missing = tuple(name for key, name in wanted.items() if not value(key))
    roots = raw.get("TRUST_ROOTS") or ()
    if isinstance(roots, str):
        roots = [part for part in roots.split(":") if part.strip()]
    return SigningConfig(
        method=method,
        missing=missing,
        conflict=conflict,
        pkcs12_path=value("PKCS12_PATH"),
        pkcs12_password=value("PKCS12_PASSWORD"),
        pkcs11_module=value("PKCS11_MODULE"),
        token_label=value("PKCS11_TOKEN_LABEL"),
        key_label=value("PKCS11_KEY_LABEL"),
        cert_label=value("PKCS11_CERT_LABEL") or value("PKCS11_KEY_LABEL"),
        pin=value("PKCS11_PIN"),
        tsa_url=value("TSA_URL"),
        appearance=value("APPEARANCE") or "visible",
        trust_roots=tuple(str(path).strip() for path in roots if str(path).strip()),
    )


def signing_enabled() -> bool:
    """The environment names a complete key: documents are to be signed.

    Cheap (no file or token is opened), so callers may ask it for every document; whether the key
    can really sign is for sign_pdf to say (SigningRefused) and signing_status to show.
    """
    return current_config().complete


@dataclass(frozen=True)
class SigningStatus:
    enabled: bool
    """The environment names a complete key (signing_enabled())."""
    usable: bool
    """The key opens and its certificate may sign today."""
    method: str
    message: str
    missing: tuple[str, ...] = ()
    subject: str = ""
    valid_until: datetime.date | None = None
    tsa_url: str = ""
    appearance: str = "visible"
    problems: tuple[str, ...] = ()


def _not_configured_message(config: SigningConfig) -> str:
    if config.conflict:
        return (
            "Cấu hình ký số không rõ ràng: đặt các biến SIGNING_PKCS12_* (tệp PKCS#12) hoặc "
            "SIGNING_PKCS11_* (USB token, HSM), không đặt cả hai."
        )
    if not config.method:
        return (
            "Chưa cấu hình ký số: thiếu SIGNING_PKCS12_PATH và SIGNING_PKCS12_PASSWORD (tệp "
            "PKCS#12), hoặc SIGNING_PKCS11_MODULE, SIGNING_PKCS11_TOKEN_LABEL, "
            "SIGNING_PKCS11_KEY_LABEL và SIGNING_PKCS11_PIN (USB token, HSM). Tài liệu vẫn in "
            "và tải về bình thường, không có chữ ký số."
        )
    return "Chưa cấu hình ký số: thiếu " + ", ".join(config.missing) + "."


def signing_status() -> SigningStatus:
    """What is configured and what is missing, in Vietnamese, for the settings page and checks.

    Opens the key (file or token) to read its certificate: call it for a page, not per document.
    """
    from trungtam.signing.keys import SigningRefused, certificate_problems, open_key, subject_name

    config = current_config()
    if not config.complete:
        return SigningStatus(
            enabled=False,
            usable=False,
            method=config.method,
            message=_not_configured_message(config),
            missing=config.missing,
            tsa_url=config.tsa_url,
            appearance=config.appearance,
        )
    where = (
        f"tệp PKCS#12 {config.pkcs12_path}"
        if config.method == PKCS12
        else f"token PKCS#11 «{config.token_label}» (khóa «{config.key_label}»)"
    )
    try:
        with open_key(config, check=False) as key:
            certificate = key.certificate
    except SigningRefused as refused:
        return SigningStatus(
            enabled=True,
            usable=False,
            method=config.method,
            message=f"Đã cấu hình ký bằng {where} nhưng không dùng được: {refused.message}",
            tsa_url=config.tsa_url,
            appearance=config.appearance,
            problems=(refused.message,),
        )
    subject = subject_name(certificate)
    valid_until = certificate.not_valid_after_utc.date()
    problems = tuple(certificate_problems(certificate))
    message = (
        f"Đã cấu hình ký bằng {where}, chứng thư của «{subject}», hiệu lực đến "
        f"{valid_until:%d/%m/%Y}. "
        + (
            f"Có dấu thời gian từ {config.tsa_url} (PAdES B-T)."
            if config.tsa_url
            else "Không có máy chủ dấu thời gian (PAdES B-B)."
        )
        + (" Chữ ký hiện trên trang." if config.appearance == "visible" else " Chữ ký ẩn.")
    )
    if problems:
        message += " Không ký được: " + " ".join(problems)
    return SigningStatus(
        enabled=True,
        usable=not problems,
        method=config.method,
        message=message,
        subject=subject,
        valid_until=valid_until,
        tsa_url=config.tsa_url,
        appearance=config.appearance,
        problems=problems,
    )
