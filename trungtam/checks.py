"""System checks of the deployment settings (`manage.py check --deploy`).

PUBLIC_BASE_URL is printed on every certificate (the QR code and the look-up address), and a
certificate cannot be reprinted once issued: in production it must be the public address of the
site, never unset and never a loopback address that only opens on the server itself.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

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
