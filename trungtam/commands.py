"""What every management command of the automation contract shares (DESIGN §9).

Exit codes: 0 success, 1 bad data (nothing written), 2 wrong usage. Errors go to stderr, one per
line. `-o PATH` is written to a temporary file and renamed, so a failure never leaves half a file.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from trungtam.models import Role, User

EXIT_BAD_DATA = 1
EXIT_USAGE = 2


class BadData(CommandError):
    """The input is wrong: exit code 1, nothing written."""

    def __init__(self, *lines: str):
        super().__init__("\n".join(lines), returncode=EXIT_BAD_DATA)


class WrongUsage(CommandError):
    def __init__(self, message: str):
        super().__init__(message, returncode=EXIT_USAGE)


def atomic_write(path: str | Path, content: bytes) -> Path:
    """Write `content` to `path` through a temporary file in the same folder, then rename."""
    target = Path(path)
    if not target.parent.exists():
        raise WrongUsage(f'Thư mục "{target.parent}" không tồn tại.')
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def command_user(username: str | None, command_name: str) -> User:
    """The user a command's changes are recorded under: --user, or a system user named after it."""
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise WrongUsage(f'Không có người dùng "{username}".') from None
    user, created = User.objects.get_or_create(
        username=f"system-{command_name}"[:150],
        defaults={"role": Role.ADMIN, "full_name": f"Lệnh {command_name}", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
