"""What every management command of the automation contract shares (DESIGN §9).

Exit codes: 0 success, 1 bad data (nothing written), 2 wrong usage. Errors go to stderr, one per
line. `-o PATH` is written to a temporary file and renamed, so a failure never leaves half a file.
"""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

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
        raise WrongUsage(f"Thư mục «{target.parent}» không tồn tại.")
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


def system_username(command_name: str) -> str:
    """The user a command acts as without --user."""
    return f"system-{command_name}"[:150]


def command_user(username: str | None, command_name: str) -> User:
    """The user a command's changes are recorded under: --user, or a system user named after it."""
    if username:
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise WrongUsage(f"Không có người dùng «{username}».") from None
    user, created = User.objects.get_or_create(
        username=system_username(command_name),
        defaults={"role": Role.ADMIN, "full_name": f"Lệnh {command_name}", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# --- the options several commands share: same names, metavars and help everywhere -----------


def add_user_argument(parser, command_name: str, who: str, default_note: str = "") -> None:
    """--user TÊN_ĐĂNG_NHẬP: whom the command acts as (see `command_user`). `who` says what the
    person is to the command («Người cấp, ghi vào lịch sử»); `default_note` adds to the default."""
    default = system_username(command_name) + default_note
    parser.add_argument(
        "--user", metavar="TÊN_ĐĂNG_NHẬP", help=f"{who} (mặc định: người dùng hệ thống {default})"
    )


def add_output_argument(parser, help: str = "Tệp sẽ ghi ra", *, required: bool = True) -> None:
    """-o/--output ĐƯỜNG_DẪN: the file to write (through `atomic_write`)."""
    parser.add_argument("-o", "--output", required=required, metavar="ĐƯỜNG_DẪN", help=help)


def add_format_argument(parser, formats) -> None:
    """--format: one of the document formats the command writes (pdf, xlsx)."""
    parser.add_argument(
        "--format", required=True, choices=formats, help="Định dạng: " + " hoặc ".join(formats)
    )


# argparse and Django word their own parts in English; these are what a person reads in --help.
_DEFAULT_OPTION_HELP = {
    "help": "Hiện hướng dẫn này rồi thoát",
    "version": "Hiện phiên bản Django rồi thoát",
    "verbosity": "Mức chi tiết của thông báo: 0 ít nhất, 1 bình thường, 2 và 3 nhiều hơn",
    "settings": "Mô-đun cấu hình Python, ví dụ trungtam.settings.base "
    "(mặc định: biến môi trường DJANGO_SETTINGS_MODULE)",
    "pythonpath": "Thư mục thêm vào đường dẫn tìm mô-đun Python",
    "traceback": "Khi có lỗi, in đầy đủ vết lỗi (traceback) để báo cho người phát triển",
    "no_color": "Không tô màu thông báo",
    "force_color": "Luôn tô màu thông báo",
    "skip_checks": "Bỏ qua bước kiểm tra hệ thống",
}
_ARGPARSE_ERRORS = [
    ("the following arguments are required:", "thiếu tham số bắt buộc:"),
    ("unrecognized arguments:", "tham số không hiểu được:"),
    ("expected one argument", "cần một giá trị"),
    ("argument ", "tham số "),
]


class VietnameseHelpFormatter(DjangoHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix or "Cách dùng: ")


class ContractCommand(BaseCommand):
    """Base of the automation commands: Vietnamese --help and argparse errors (exit 2), and
    errors on stderr one per line without Django's "CommandError:" prefix (exit 1 or 2)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(
            prog_name, subcommand, formatter_class=VietnameseHelpFormatter, **kwargs
        )
        parser._positionals.title = "tham số"
        parser._optionals.title = "tùy chọn"
        for action in parser._actions:
            if action.dest in _DEFAULT_OPTION_HELP:
                action.help = _DEFAULT_OPTION_HELP[action.dest]
        english_error = parser.error

        def error(message):
            for english, vietnamese in _ARGPARSE_ERRORS:
                message = message.replace(english, vietnamese)
            if not parser.called_from_command_line:
                english_error(message)  # call_command(): a CommandError, as Django does
            parser.print_usage(sys.stderr)
            parser.exit(2, f"{parser.prog}: lỗi: {message}\n")

        parser.error = error
        return parser

    def execute(self, *args, **options):
        """Errors go to stderr one per line, without Django's "CommandError:" prefix."""
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            if options.get("traceback"):
                raise
            for line in str(error).splitlines():
                self.stderr.write(line)
            if getattr(self, "_called_from_command_line", False):
                sys.exit(error.returncode)
            raise
