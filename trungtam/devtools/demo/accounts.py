"""The demo logins: one per role, sharing one password that must be changed before real use."""

from dataclasses import dataclass

DEMO_PASSWORD = "trungtam2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str  # trungtam.models.Role value
    centre_code: str | None  # None: every centre of the installation
    full_name: str
    description: str
    is_superuser: bool = False
    is_centre_leader: bool = False
    # A unit liaison's login answers for this unit of its centre (hocvien.UnitAccount).
    unit_name: str | None = None


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin", None, "Quản trị hệ thống", "", is_superuser=True),
    DemoAccount("canbo", "staff", "PL", "Phan Thị Mỹ Linh", "giáo vụ"),
    DemoAccount("giamdoc", "staff", "PL", "Trần Quốc Hưng", "Giám đốc", is_centre_leader=True),
    DemoAccount("giangvien", "lecturer", "PL", "Nguyễn Thị Ánh Nguyệt", "chuyên trách"),
    DemoAccount("capuy", "official", "PL", "Lê Hoàng Phúc", "Ban Tuyên giáo và Dân vận"),
    DemoAccount(
        "donvi",
        "unit",
        "PL",
        "Đỗ Thị Kim Thoa",
        "Đảng bộ phường Phú Lợi",
        unit_name="Đảng bộ phường Phú Lợi",
    ),
    DemoAccount("canbo2", "staff", "BM", "Trần Văn Khoa", "giáo vụ"),
    DemoAccount("giangvien2", "lecturer", "BM", "Lâm Thanh Sơn", "chuyên trách"),
    DemoAccount("tinh", "official", None, "Võ Thị Hồng Nhung", "cấp tỉnh"),
)


def demo_accounts_table(users) -> list[tuple[str, str, str, str]]:
    """Rows (username, role, centre, password) for the given demo users, in DEMO_ACCOUNTS order."""
    by_name = {user.username: user for user in users}
    rows = []
    for account in DEMO_ACCOUNTS:
        user = by_name.get(account.username)
        if user is None:
            continue
        role = user.get_role_display()
        if account.description:
            role += f" – {account.description}"
        centre = user.centre.name if user.centre_id else "Tất cả trung tâm"
        rows.append((user.username, role, centre, DEMO_PASSWORD))
    return rows


def format_table(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        )
    return "\n".join(line.rstrip() for line in lines)


ACCOUNT_HEADERS = ("Tên đăng nhập", "Vai trò", "Trung tâm", "Mật khẩu")
