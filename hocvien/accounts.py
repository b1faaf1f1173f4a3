"""The logins of sending units' liaisons (cán bộ đơn vị): made by the centre's staff from the
unit's page or by `manage.py unit_account`, with a one-time password to hand over."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from hocvien.models import Unit, UnitAccount
from trungtam.accounts import new_login, suggested_username
from trungtam.models import Role, User

USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{3,150}$")


def username_refusal(username: str) -> str | None:
    """Why this user name cannot be used for a new login (Vietnamese), or None."""
    if not USERNAME_PATTERN.fullmatch(username):
        return (
            f"Tên đăng nhập «{username}» không hợp lệ: dùng 3–150 chữ thường không dấu, chữ số "
            "hoặc . _ -, ví dụ donviphuloi."
        )
    if User.objects.filter(username__iexact=username).exists():
        return f"Tên đăng nhập «{username}» đã có người dùng; hãy chọn tên khác."
    return None


@transaction.atomic
def unit_account_create(
    *, unit: Unit, full_name: str, username: str = "", email: str = "", created_by=None
) -> tuple[User, str]:
    """A liaison login for the unit (role unit, the unit's centre), returned with its temporary
    password, which is stored only as a hash: show it once."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    full_name = " ".join(full_name.split())
    username = username.strip().lower()
    errors = {}
    if not unit.active or unit.merged_into_id:
        errors["unit"] = (
            f"Đơn vị «{unit.name}» không còn hoạt động: hãy tạo tài khoản cho đơn vị hiện nay."
        )
    if not full_name:
        errors["full_name"] = "Hãy ghi họ tên cán bộ phụ trách của đơn vị."
    if username and (problem := username_refusal(username)):
        errors["username"] = problem
    if errors:
        raise ValidationError(errors)
    user, password = new_login(
        username=username or suggested_username(unit.name, fallback="donvi"),
        created_by=created_by,
        full_name=full_name,
        email=email.strip(),
        role=Role.UNIT,
        centre_id=unit.centre_id,
    )
    UnitAccount.objects.create(user=user, unit=unit)
    return user, password


@transaction.atomic
def unit_account_set_active(*, account: UnitAccount, active: bool, changed_by=None) -> User:
    """Lock or unlock a liaison's login; what the unit answered stays."""
    user = User.objects.select_for_update().get(pk=account.user_id)
    if user.is_active == active:
        state = "đang hoạt động" if active else "đã bị khóa từ trước"
        raise ValidationError(f"Tài khoản {user.username} {state}.")
    user.is_active = active
    user._history_user = changed_by
    user.save(update_fields=["is_active"])
    return user
