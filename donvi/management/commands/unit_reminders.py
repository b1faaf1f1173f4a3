"""manage.py unit_reminders: the day's notices to sending units (for cron, once a day)."""

import datetime

from donvi.reminders import unit_reminders
from thongbao.models import NotificationKind
from trungtam.commands import ContractCommand, WrongUsage


class Command(ContractCommand):
    help = (
        "Gửi các thông báo đến hạn cho đơn vị (chạy mỗi ngày bằng cron): hạn gửi danh sách chiêu "
        "sinh và hạn trả lời khảo sát nhu cầu còn 3 ngày (cho đơn vị chưa gửi), học viên đã vắng "
        "đến 75% mức vắng tối đa của lớp, thông báo kết quả của lớp vừa kết thúc. Mỗi thông báo "
        "chỉ gửi một lần: chạy lại trong ngày không gửi thêm gì. Mã thoát 0; 2 khi dùng lệnh sai."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            metavar="YYYY-MM-DD",
            help="Tính như vào ngày này (mặc định: hôm nay)",
        )

    def handle(self, *args, date, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise WrongUsage(
                    f"--date «{date}» không phải ngày hợp lệ: hãy ghi dạng YYYY-MM-DD, "
                    "ví dụ 2026-03-05."
                ) from None
        outcome = unit_reminders(today=today)
        if not outcome.total:
            self.stdout.write(f"Không có thông báo mới. Đã gửi từ trước: {outcome.already}.")
            return
        for kind in NotificationKind:
            if outcome.given[kind.value]:
                self.stdout.write(f"{kind.label}: {outcome.given[kind.value]}")
        self.stdout.write(
            f"Tổng cộng {outcome.total} thông báo mới. Đã gửi từ trước: {outcome.already}."
        )
