"""Verification codes printed on certificates (DESIGN §8) and the public check address.

8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), the last one a check
character, drawn at random — never derived from the certificate number.
"""

import datetime
import hmac
import secrets
import unicodedata

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lophoc.models import Certificate, VerificationFailure

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # 31 symbols, a prime: the check catches swaps
CODE_LENGTH = 8


def _check_character(body: str) -> str:
    total = sum((index + 2) * ALPHABET.index(char) for index, char in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def new_verification_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH - 1))
    return body + _check_character(body)


def normalize_code(typed: str) -> str:
    """What a person typed from paper: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def is_well_formed(code: str) -> bool:
    """Right length, right alphabet, right check character (a typo is caught before any look-up)."""
    return (
        len(code) == CODE_LENGTH
        and all(ch in ALPHABET for ch in code)
        and _check_character(code[:-1]) == code[-1]
    )


def verification_url(code: str) -> str:
    """The address a certificate's QR code opens: PUBLIC_BASE_URL + the public check page."""
    return settings.PUBLIC_BASE_URL + reverse("verify_code", args=[code])


# --- the public look-up (DESIGN §8) ------------------------------------------------------------
#
# Every miss — a malformed code, an unknown code, a number that does not match — gets the same
# answer, and each one is recorded so one address cannot keep guessing: after FAILURE_LIMIT
# misses (setting VERIFICATION_FAILURE_LIMIT) within FAILURE_WINDOW the page answers "try later"
# without looking anything up, so even a right guess is not confirmed while throttled.

FAILURE_LIMIT = 10
FAILURE_WINDOW = datetime.timedelta(minutes=15)
FAILURE_KEPT = datetime.timedelta(days=1)
# Compared against when no certificate was found, so a miss costs the same as a mismatch.
_DUMMY_CODE = "X" * CODE_LENGTH
_DUMMY_NUMBER = b"\x00" * 16


def normalize_number(typed: str) -> str:
    """A certificate number as typed: spaces and case do not matter (12-gcn/ttct = 12-GCN/TTCT)."""
    return "".join(unicodedata.normalize("NFC", typed or "").split()).casefold()


def _failure_limit() -> int:
    return getattr(settings, "VERIFICATION_FAILURE_LIMIT", FAILURE_LIMIT)


def verification_throttled(*, address: str | None) -> bool:
    """Too many failed look-ups from this address lately."""
    since = timezone.now() - FAILURE_WINDOW
    recent = VerificationFailure.objects.filter(address=address, created_at__gte=since)
    return recent.count() >= _failure_limit()


def verification_failure_record(*, address: str | None) -> None:
    """Remember a failed look-up; forget those older than a day on the way."""
    now = timezone.now()
    VerificationFailure.objects.create(address=address, created_at=now)
    VerificationFailure.objects.filter(created_at__lt=now - FAILURE_KEPT).delete()


def certificate_verify(*, code: str, number: str | None = None) -> Certificate | None:
    """The certificate with this verification code (and this number, when one is given).

    `code` is what a person typed or the QR link carried; a malformed code is never looked up.
    Both comparisons are constant-time; a miss of any kind returns None.
    """
    code = normalize_code(code)
    if not is_well_formed(code):
        return None
    certificate = (
        Certificate.objects.select_related("centre").filter(verification_code=code).first()
    )
    stored_code = certificate.verification_code if certificate else _DUMMY_CODE
    code_matches = hmac.compare_digest(stored_code.encode(), code.encode())
    if number is None:
        number_matches = True
    else:
        stored_number = (
            normalize_number(certificate.number).encode() if certificate else _DUMMY_NUMBER
        )
        number_matches = hmac.compare_digest(stored_number, normalize_number(number).encode())
    if certificate is None or not (code_matches and number_matches):
        return None
    return certificate
