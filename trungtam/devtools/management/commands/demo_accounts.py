"""manage.py demo_accounts: the demo logins that still use the demo password."""

from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand

from trungtam.devtools.demo.accounts import (
    ACCOUNT_HEADERS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    demo_accounts_table,
    format_table,
)
from trungtam.models import User


class Command(BaseCommand):
    help = (
        "In bảng tài khoản mẫu (tên đăng nhập, vai trò, trung tâm, mật khẩu) — chỉ những "
        "tài khoản mẫu còn trong cơ sở dữ liệu và vẫn dùng mật khẩu mẫu."
    )

    def handle(self, *args, **options):
        users = User.objects.filter(
            username__in=[a.username for a in DEMO_ACCOUNTS], is_active=True
        ).select_related("centre")
        # hashers.check_password, not user.check_password: only read, never re-hash and save.
        still_demo = [u for u in users if check_password(DEMO_PASSWORD, u.password)]
        if not still_demo:
            self.stdout.write("Không có tài khoản mẫu nào còn dùng mật khẩu mẫu.")
            return
        self.stdout.write(format_table(demo_accounts_table(still_demo), ACCOUNT_HEADERS))
        self.stdout.write(
            "Lưu ý: đây là tài khoản mẫu dùng chung một mật khẩu công khai; "
            "hãy xóa hoặc đổi mật khẩu trước khi dùng thật."
        )
