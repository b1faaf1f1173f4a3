"""Verification codes printed on certificates (DESIGN §8) and the public check address.

8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), the last one a check
character, drawn at random — never derived from the certificate number.
"""

import secrets

from django.conf import settings
from django.urls import reverse

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
