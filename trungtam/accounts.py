"""Logins that the centre's staff make for people outside the office (lecturers, the liaisons of
sending units): a suggested user name, and a temporary password shown once and stored only as a
hash."""

import re
import secrets

from trungtam.models import User
from trungtam.text import fold

# No look-alikes (0/O, 1/l/I) so the password can be read from paper and typed.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """Twelve random characters in three groups, e.g. 'hK7p-3wXa-Qm9d'."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def suggested_username(full_name: str, fallback: str = "giangvien") -> str:
    """The folded name without spaces ('Lê Thị Hồng' → 'lethihong'), numbered when taken."""
    base = re.sub(r"[^a-z0-9]", "", fold(full_name))[:140] or fallback
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def new_login(*, username: str, created_by=None, **fields) -> tuple[User, str]:
    """Save a new active login with a temporary password; return it with the password."""
    password = temporary_password()
    user = User(username=username, is_active=True, **fields)
    user.set_password(password)
    user._history_user = created_by
    user.save()
    return user, password
