"""A lecturer's login: created by the centre's staff, disabled and enabled again by them.

Staff may only create lecturer logins of their own centre (never staff or admin accounts), and
may only lock or unlock logins whose role is lecturer: a lecturer record linked to a staff
member's own account is left to the administrator.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from giangvien.models import Lecturer
from trungtam.accounts import new_login, suggested_username
from trungtam.models import Role, User


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
    user, password = new_login(
        username=suggested_username(lecturer.full_name),
        created_by=created_by,
        full_name=lecturer.full_name,
        email=lecturer.email,
        role=Role.LECTURER,
        centre_id=lecturer.centre_id,
    )
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
