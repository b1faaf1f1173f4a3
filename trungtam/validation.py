"""Field checks shared by every form that takes a national ID or a phone number."""

import re
import unicodedata

from django import forms

_PHONE = re.compile(r"\+?[\d .]+")


def national_id_from_text(raw: str | None) -> str | None:
    """'0012 0300 4567' → '001203004567'; blank → None; anything but 12 digits → ValidationError."""
    # Full-width digits typed with a Vietnamese IME become ASCII digits.
    value = unicodedata.normalize("NFKC", re.sub(r"[\s.]", "", raw or ""))
    if not value:
        return None
    if not re.fullmatch(r"[0-9]+", value):
        raise forms.ValidationError("Số CCCD chỉ gồm chữ số (12 chữ số, ví dụ 001203004567).")
    if len(value) != 12:
        raise forms.ValidationError(
            f"Số CCCD phải gồm đúng 12 chữ số; bạn đã nhập {len(value)} chữ số."
        )
    return value


def phone_from_text(raw: str | None) -> str:
    """Digits, '+', spaces and dots; 8 to 15 digits. Blank is allowed."""
    value = (raw or "").strip()
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if not _PHONE.fullmatch(value) or not 8 <= len(digits) <= 15:
        raise forms.ValidationError(
            "Số điện thoại chỉ gồm chữ số, dấu + và khoảng trắng, ví dụ 0912 345 678."
        )
    return value
