"""System checks of the deployment settings (`manage.py check --deploy`), and of the signing
environment (every `manage.py check`, issue 18).

PUBLIC_BASE_URL is printed on every certificate (the QR code and the look-up address), and a
certificate cannot be reprinted once issued: in production it must be the public address of the
site, never unset and never a loopback address that only opens on the server itself.
"""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.utils import timezone

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def public_base_url_problem(url: str) -> str | None:
    """What is wrong with PUBLIC_BASE_URL as the public address of the site, or None."""
    url = (url or "").strip()
    if not url:
        return "PUBLIC_BASE_URL chưa được đặt."
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        return (
            f"PUBLIC_BASE_URL «{url}» không phải địa chỉ web đầy đủ "
            "(cần dạng https://ten-mien, ví dụ https://ttct.example.vn)."
        )
    if _is_loopback(host):
        return (
            f"PUBLIC_BASE_URL «{url}» là địa chỉ nội bộ của máy chủ ({host}), máy khác không mở "
            "được."
        )
    return None


def _is_loopback(host: str) -> bool:
    host = host.strip("[]").rstrip(".").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(Tags.security, deploy=True)
def public_base_url_check(app_configs=None, **kwargs):
    """trungtam.E010: in production PUBLIC_BASE_URL is set and reachable from other machines."""
    if settings.DEBUG:
        return []
    problem = public_base_url_problem(getattr(settings, "PUBLIC_BASE_URL", ""))
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint=(
                "Đặt PUBLIC_BASE_URL trong môi trường là địa chỉ công khai của trang, ví dụ "
                "PUBLIC_BASE_URL=https://ttct.example.vn: địa chỉ này được in vào mã QR và dòng "
                "tra cứu của mọi giấy chứng nhận, và giấy đã cấp không in lại được."
            ),
            id="trungtam.E010",
        )
    ]


# --- digitally signed documents (issue 18) ------------------------------------------------------
#
# Signing is optional: nothing set is a valid choice (documents stay unsigned). What deserves a
# warning is a half-filled environment (a path without its password), a key that does not open,
# and a certificate that has expired or expires within EXPIRY_WARNING_DAYS. The messages name the
# variables and the paths, never a password or PIN.

EXPIRY_WARNING_DAYS = 30


@register("signing")
def signing_check(app_configs=None, **kwargs):
    """trungtam.W020–W024: the SIGNING_* environment is complete and the certificate can sign."""
    from trungtam.signing import signing_status
    from trungtam.signing.config import current_config

    config = current_config()
    warnings = [
        Warning(
            f"SIGNING_TRUST_ROOTS: không có tệp «{path}».",
            hint="Sửa đường dẫn tới tệp chứng thư gốc (PEM hoặc DER) hoặc bỏ nó khỏi danh sách.",
            id="trungtam.W024",
        )
        for path in config.trust_roots
        if not Path(path).is_file()
    ]
    if not config.method:
        return warnings
    if not config.complete:
        status = signing_status()
        return [
            Warning(
                status.message,
                hint=(
                    "Đặt đủ các biến còn thiếu, hoặc xóa hết các biến SIGNING_* nếu chưa ký số "
                    "(tài liệu vẫn tải về, không có chữ ký). Xem README, mục «Chữ ký số»."
                ),
                id="trungtam.W020",
            ),
            *warnings,
        ]
    status = signing_status()
    today = timezone.localdate()
    if status.valid_until is not None and status.valid_until < today:
        warnings.insert(
            0,
            Warning(
                f"Chứng thư ký số của «{status.subject}» đã hết hạn ngày "
                f"{status.valid_until:%d/%m/%Y}: tài liệu không được ký.",
                hint="Gia hạn hoặc xin cấp chứng thư mới rồi thay tệp / token đang cấu hình.",
                id="trungtam.W022",
            ),
        )
    elif not status.usable:
        warnings.insert(
            0,
            Warning(
                status.message,
                hint="Sửa cấu hình ký số (xem trang /ky-so/ và README, mục «Chữ ký số»).",
                id="trungtam.W021",
            ),
        )
    elif status.valid_until is not None:
        days = (status.valid_until - today).days
        if days <= EXPIRY_WARNING_DAYS:
            warnings.insert(
                0,
                Warning(
                    f"Chứng thư ký số của «{status.subject}» hết hạn ngày "
                    f"{status.valid_until:%d/%m/%Y} (còn {days} ngày).",
                    hint="Xin gia hạn chứng thư với tổ chức cung cấp dịch vụ chứng thực trước "
                    "ngày hết hạn; sau ngày đó tài liệu không được ký.",
                    id="trungtam.W023",
                ),
            )
    return warnings
