"""A lecturer's login: created by the centre's staff, disabled and enabled again by them.

Staff may only create lecturer logins of their own centre (never staff or admin accounts), and
may only lock or unlock logins whose role is lecturer: a lecturer record linked to a staff
member's own account is left to the administrator.
"""

import re
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction

from giangvien.models import Lecturer
from trungtam.models import Role, User
from trungtam.text import fold

# No look-alikes (0/O, 1/l/I) so the password can be read from paper and typed.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """Twelve random characters in three groups, e.g. 'hK7p-3wXa-Qm9d'."""
    groups = ["".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def suggested_username(full_name: str) -> str:
    """The folded name without spaces ('Lê Thị Hồng' → 'lethihong'), numbered when taken."""
    base = re.sub(r"[^a-z0-9]", "", fold(full_name))[:140] or "giangvien"
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def _lecturer_account_user(lecturer: Lecturer) -> User:
    if lecturer.user_id is None:
        raise ValidationError(f"Giảng viên {lecturer.full_name} chưa có tài khoản đăng nhập.")
    user = lecturer.user
    if user.role != Role.LECTURER or user.is_superuser:
        raise ValidationError(
            f"Tài khoản {user.username} có vai trò {user.get_role_display()}, không phải tài "
            "khoản giảng viên: chỉ quản trị viên mới khóa hoặc mở được tài khoản này."
        )
    return user


@transaction.atomic
def lecturer_account_create(*, lecturer: Lecturer, created_by=None) -> tuple[User, str]:
    """Create the lecturer's login (role lecturer, the lecturer's centre) and return it with the
    temporary password, which is stored only as a hash: show it once and hand it over."""
    lecturer = Lecturer.objects.select_for_update().get(pk=lecturer.pk)
    if lecturer.user_id is not None:
        raise ValidationError(
            f"Giảng viên {lecturer.full_name} đã có tài khoản {lecturer.user.username}."
        )
    password = temporary_password()
    user = User(
        username=suggested_username(lecturer.full_name),
        full_name=lecturer.full_name,
        email=lecturer.email,
        role=Role.LECTURER,
        centre_id=lecturer.centre_id,
        is_active=True,
    )
    user.set_password(password)
    user._history_user = created_by
    user.save()
    lecturer.user = user
    lecturer._history_user = created_by
    lecturer.save(update_fields=["user"])
    return user, password


@transaction.atomic
def lecturer_account_disable(*, lecturer: Lecturer, changed_by=None) -> User:
    """Lock the login: the lecturer can no longer sign in; nothing they entered is touched."""
    user = _lecturer_account_user(lecturer)
    if not user.is_active:
        raise ValidationError(f"Tài khoản {user.username} đã bị khóa từ trước.")
    user.is_active = False
    user._history_user = changed_by
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def lecturer_account_enable(*, lecturer: Lecturer, changed_by=None) -> User:
    user = _lecturer_account_user(lecturer)
    if user.is_active:
        raise ValidationError(f"Tài khoản {user.username} đang hoạt động.")
    user.is_active = True
    user._history_user = changed_by
    user.save(update_fields=["is_active"])
    return user
